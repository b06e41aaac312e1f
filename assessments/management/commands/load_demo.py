import datetime

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from assessments.models import (
    BusinessProcess,
    Criterion,
    Membership,
    ModelVersion,
    Organisation,
)
from assessments.services import assessment_start, organisation_create, score_save

DEMO_ORGANISATION = "Demo Retail BV"
DEMO_USERS = [
    # username, password, role, first name, last name
    ("consultant", "demo-consultant", Membership.Role.CONSULTANT, "Claire", "de Consultant"),
    ("manager", "demo-manager", Membership.Role.MANAGER, "Mark", "de Manager"),
]
ADMIN = ("admin", "demo-admin")

# Per process: how far the demo baseline got (criteria met up to this level, and a share of the
# next one), and the ambition the client set. Some processes are left unscored on purpose.
DEMO_SCORES = {
    "marketing": (3, 0.5, 4),
    "sales": (2, 0.5, 3),
    "recruitment-hrm": (3, 0.0, 3),
    "innovation": (1, 0.5, 4),
    "service-maintenance": (2, 1.0, 4),
}


class Command(BaseCommand):
    help = "Create the demo organisation, users and a partly scored baseline (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        call_command("load_smg_model", stdout=self.stdout)
        User = get_user_model()
        users = {}
        for username, password, role, first, last in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last}
            )
            if created:
                user.set_password(password)
                user.save()
            users[role] = user
        admin, created = User.objects.get_or_create(
            username=ADMIN[0], defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            admin.set_password(ADMIN[1])
            admin.save()

        # The demo consultant's own: names are unique per user, not across the installation
        # (someone else's client may be called the same).
        consultant = users[Membership.Role.CONSULTANT]
        if not Organisation.objects.visible_to(consultant).filter(name=DEMO_ORGANISATION).exists():
            self._create_organisation(users)
            self.stdout.write(self.style.SUCCESS(f"Created {DEMO_ORGANISATION} with a baseline."))
        else:
            self.stdout.write(f"{DEMO_ORGANISATION} already exists; kept as it is.")

        self.stdout.write("Demo logins (change them outside a demo):")
        for username, password, role, _first, _last in DEMO_USERS:
            self.stdout.write(f"  {role:<10} {username} / {password}")
        self.stdout.write(f"  {'admin':<10} {ADMIN[0]} / {ADMIN[1]}  (Django admin at /admin/)")

    def _create_organisation(self, users):
        version = ModelVersion.objects.published().get(model__key="smg", number=1)
        processes = list(BusinessProcess.objects.filter(version=version).order_by("order"))
        organisation = organisation_create(
            name=DEMO_ORGANISATION,
            report_language="nl",
            processes=processes,
            consultant=users[Membership.Role.CONSULTANT],
        )
        organisation.processes.filter(process__key="recruitment-hrm").update(
            custom_name="Werving & selectie"
        )
        Membership.objects.create(
            organisation=organisation,
            user=users[Membership.Role.MANAGER],
            role=Membership.Role.MANAGER,
        )
        assessment = assessment_start(
            organisation=organisation,
            version=version,
            by=users[Membership.Role.CONSULTANT],
            assessed_on=datetime.date(2026, 10, 15),
        )
        # The demo manager sees the draft on their start page, marked "Draft — not final".
        assessment.shared_with_managers = True
        assessment.save(update_fields=["shared_with_managers"])
        criteria = list(
            Criterion.objects.filter(version=version).select_related("level", "process")
        )
        for score in assessment.scores.select_related("process"):
            plan = DEMO_SCORES.get(score.process.key)
            if plan is None:
                continue
            reached, share, ambition = plan
            applicable = [c for c in criteria if c.process_id in (None, score.process_id)]
            met = [c for c in applicable if c.level.number <= reached]
            next_level = [c for c in applicable if c.level.number == reached + 1]
            met += next_level[: int(len(next_level) * share)]
            score_save(  # as the workshop grid saves it
                assessment_id=assessment.pk,
                score_id=score.pk,
                by=users[Membership.Role.CONSULTANT],
                values={
                    "criteria": {criterion.pk for criterion in met},
                    "ambition_level": ambition,
                    "ambition_reason": "Good is good enough." if ambition <= 3 else "",
                },
                scored=True,
            )
