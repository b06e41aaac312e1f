from django.core.management.base import BaseCommand

from accounts.adapter import unlock_account


class Command(BaseCommand):
    help = (
        "End the sign-in lock-outs of a username: the per-account limit and django-axes's "
        "per-address ones. The account's owner can do the same with a password reset by mail."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        unlock_account(username)
        self.stdout.write(self.style.SUCCESS(f"Sign-in lock-outs of {username} ended."))
