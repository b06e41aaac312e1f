"""The demo's portfolio (after `load_demo`): the demo organisation gets a re-assessment cadence
(every 12 months, the next measurement fixed three weeks from the first run, so that
`send_reminders` has a "due soon" mail to print) and the demo users an address, if they have
none. Idempotent: what exists is kept. Sectors are the benchmark's (`benchmark`): none made here."""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from assessments.management.commands.load_demo import DEMO_ORGANISATION, DEMO_USERS
from assessments.models import Organisation
from portfolio.models import Cadence

DEMO_MONTHS = 12
DEMO_DUE_IN = datetime.timedelta(weeks=3)


class Command(BaseCommand):
    help = "Give the demo organisation a re-assessment cadence and the demo users an address."

    @transaction.atomic
    def handle(self, *args, **options):
        organisations = Organisation.objects.filter(
            name=DEMO_ORGANISATION, memberships__user__username=DEMO_USERS[0][0]
        )
        if not organisations.exists():
            self.stdout.write("No demo organisation: run `manage.py load_demo` first.")
            return
        for organisation in organisations:
            _cadence, created = Cadence.objects.get_or_create(
                organisation=organisation,
                defaults={
                    "months": DEMO_MONTHS,
                    "due_on": timezone.localdate() + DEMO_DUE_IN,
                },
            )
            if created:
                self.stdout.write(self.style.SUCCESS(f"Gave {organisation} a cadence."))
        users = get_user_model().objects.filter(
            username__in=[username for username, *_rest in DEMO_USERS], email=""
        )
        for user in users:
            user.email = f"{user.username}@example.org"
            user.save(update_fields=["email"])
        self.stdout.write("The demo portfolio is in place.")
