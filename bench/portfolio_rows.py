"""The portfolio dashboard's rows of the server benchmark (bench/server_bench.py wires them):
the consultant `bench` consults all 500 "Bench org NNN"; each gets a fixed re-assessment date
spread from 20 weeks overdue to 40 weeks ahead (their assessments are drafts: without a date
every one would be "due now"), made once."""

import datetime

PATHS = {
    "portfolio dashboard": "/",
    "portfolio dashboard, due soonest": "/?sort=due",
    "portfolio dashboard, largest gap": "/?sort=gap",
    "portfolio dashboard, overdue only": "/?due=overdue&sort=due",
}


def prepare(user) -> dict[str, str]:
    """Give the bench organisations a cadence (idempotent); label -> GET path."""
    from django.utils import timezone

    from assessments.models import Organisation
    from portfolio.models import Cadence

    today = timezone.localdate()
    organisations = Organisation.objects.filter(
        name__startswith="Bench org", memberships__user=user, cadence__isnull=True
    ).values_list("pk", flat=True)
    Cadence.objects.bulk_create(
        (
            Cadence(
                organisation_id=pk,
                months=12,
                due_on=today + datetime.timedelta(weeks=(pk * 7) % 60 - 20),
            )
            for pk in organisations
        ),
        ignore_conflicts=True,
    )
    return dict(PATHS)
