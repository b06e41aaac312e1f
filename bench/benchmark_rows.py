"""Bench rows of the peer benchmark (bench/server_bench.py): the 500 bench organisations each
get a sector and size class, a consent and a final assessment (the one of 2025 made final in
bulk: the latest, of 2026, stays the draft the other rows work on), and the benchmark page of
"Bench org 100" is fetched compared with all peers and with its sector."""

BENCH_ORGANISATION = "Bench org 100"


def prepare(user) -> dict:
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from assessments.models import Assessment, Organisation
    from benchmark.demo import lists_ensure
    from benchmark.models import Consent, PeerProfile
    from benchmark.services import revision_bump

    organisations = list(Organisation.objects.filter(name__startswith="Bench org").order_by("pk"))
    if not Consent.objects.filter(organisation__name__startswith="Bench org").exists():
        sectors, sizes = lists_ensure()
        now = timezone.now()
        with transaction.atomic():
            PeerProfile.objects.bulk_create(
                (
                    PeerProfile(
                        organisation=organisation,
                        sector=sectors[index % len(sectors)],
                        size_class=sizes[index % len(sizes)],
                    )
                    for index, organisation in enumerate(organisations)
                ),
                ignore_conflicts=True,
            )
            Consent.objects.bulk_create(
                Consent(organisation=organisation, given_by=user, given_at=now)
                for organisation in organisations
            )
            Assessment.objects.filter(
                organisation__in=organisations, assessed_on__year=2025
            ).update(status="final", finalised_at=now, revision=F("revision") + 1)
            revision_bump()  # bulk writes send no signals
    assessment = (
        Assessment.objects.filter(organisation__name=BENCH_ORGANISATION)
        .order_by("-assessed_on", "-id")
        .first()
    )
    page = f"/assessments/{assessment.pk}/benchmark/"
    return {
        "benchmark page (500 peers)": page,
        "benchmark page, sector (500 peers)": page + "?group=sector",
    }
