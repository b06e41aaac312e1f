"""Queue the reminder mails due today (run it daily, from cron or a systemd timer; the worker,
`manage.py db_worker`, sends them). Running it twice on a day sends nothing twice."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from portfolio.tasks import enqueue_due


class Command(BaseCommand):
    help = "Queue the re-assessment and roadmap reminder mails that are due today."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as error:
            raise CommandError(f"--date: {error}") from error
        queued = enqueue_due(today)
        self.stdout.write(
            f"Queued {queued['measurement']} re-assessment and {queued['roadmap']} roadmap "
            "reminder task(s)."
        )
