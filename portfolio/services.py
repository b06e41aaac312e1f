"""Writes of the portfolio."""

import datetime

from django.db import IntegrityError, transaction

from assessments.models import Organisation

from .models import Cadence, ReminderPreference, SentReminder


@transaction.atomic
def cadence_save(
    *, organisation: Organisation, months: int | None, due_on: datetime.date | None, by
) -> Cadence:
    cadence, _created = Cadence.objects.select_for_update().get_or_create(organisation=organisation)
    cadence.months, cadence.due_on, cadence.updated_by = months, due_on, by
    cadence.full_clean()
    cadence.save()
    return cadence


@transaction.atomic
def preference_save(*, user, measurement: bool, roadmap: bool) -> ReminderPreference:
    preference, _created = ReminderPreference.objects.select_for_update().get_or_create(user=user)
    preference.measurement_reminders, preference.roadmap_reminders = measurement, roadmap
    preference.full_clean()
    preference.save()
    return preference


def reminder_claim(*, kind: str, organisation_id: int, due_on, recipient, item_id=None) -> bool:
    """Claim one reminder for one person before its mail goes out: True for the one call that
    made the row; False if any run or worker made it before (the unique constraint refuses
    the second row, whichever transaction commits first)."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(
                kind=kind,
                organisation_id=organisation_id,
                item_id=item_id,
                due_on=due_on,
                recipient=recipient,
            )
    except IntegrityError:
        return False
    return True


def reminder_release(*, kind: str, organisation_id: int, due_on, recipient, item_id=None):
    """Give a claim back after its mail failed, so that the next run tries again."""
    SentReminder.objects.filter(
        kind=kind,
        organisation_id=organisation_id,
        item_id=item_id,
        due_on=due_on,
        recipient=recipient,
    ).delete()
