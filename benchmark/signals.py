"""Every change of who takes part in the benchmark or how they are grouped (the services, the
admin, a deleted organisation's cascade) bumps the benchmark's revision, so no cached peer
figure outlives it. A notice for the cache, no business rule."""

from django.db.models.signals import post_delete, post_save

from .models import Consent, PeerProfile, Sector, SizeClass


def _bump(sender, **kwargs):
    from .services import revision_bump

    # In the same transaction as the change: readers read the revision before the data, so
    # figures cached under the old number may be new, never the reverse.
    revision_bump()


def connect() -> None:
    for model in (Consent, PeerProfile, Sector, SizeClass):
        post_save.connect(_bump, sender=model, dispatch_uid=f"benchmark-bump-save-{model.__name__}")
        post_delete.connect(
            _bump, sender=model, dispatch_uid=f"benchmark-bump-delete-{model.__name__}"
        )
