import datetime

from django.core.management.base import BaseCommand
from django.db import transaction

from assessments.management.commands.load_demo import DEMO_ORGANISATION, DEMO_USERS
from assessments.models import Membership, ModelVersion, Organisation
from assessments.services import assessment_finalise
from units.demo import score_to
from units.models import Unit
from units.services import unit_assessment_start

# Per unit: its kind and the level its baseline reached per process (criteria met up to it);
# a process it does not run is absent. The units disagree on purpose: the roll-up shows it.
DEMO_UNITS = {
    "Winkels": (
        Unit.Kind.DEPARTMENT,
        {"marketing": 3, "sales": 3, "recruitment-hrm": 2, "service-maintenance": 2},
    ),
    "Webshop": (
        Unit.Kind.BRAND,
        {"marketing": 4, "sales": 4, "recruitment-hrm": 2, "innovation": 3},
    ),
    "Klantenservice": (
        Unit.Kind.DEPARTMENT,
        {"marketing": 2, "sales": 1, "recruitment-hrm": 3, "service-maintenance": 4},
    ),
}


class Command(BaseCommand):
    help = "Give the demo organisation three units, each with a final baseline (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        consultant_name = next(u for u, _p, role, *_ in DEMO_USERS if role == "consultant")
        organisation = (
            Organisation.objects.filter(
                name=DEMO_ORGANISATION, memberships__user__username=consultant_name
            )
            .distinct()
            .first()
        )
        if organisation is None:
            self.stderr.write("Run load_demo first: there is no demo organisation.")
            return
        if organisation.units.exists():
            self.stdout.write(f"{DEMO_ORGANISATION} has units already; kept as they are.")
            return
        consultant = organisation.memberships.get(role=Membership.Role.CONSULTANT).user
        version = ModelVersion.objects.published().get(model__key="smg", number=1)
        for name, (kind, levels) in DEMO_UNITS.items():
            unit = Unit.objects.create(organisation=organisation, name=name, kind=kind)
            assessment = unit_assessment_start(
                unit=unit,
                version=version,
                by=consultant,
                process_keys=list(levels),
                assessed_on=datetime.date(2026, 9, 20),
            )
            score_to(assessment, levels, consultant)
            assessment_finalise(assessment=assessment)
        self.stdout.write(self.style.SUCCESS(f"Gave {DEMO_ORGANISATION} three assessed units."))
