from django.core.management.base import BaseCommand

from accounts.mfa_secrets import rotate_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored two-factor secret with the first key of MFA_ENCRYPTION_KEYS "
        "(and encrypt any stored before encryption was switched on). Run it after putting a "
        "new key first; drop the old keys only afterwards."
    )

    def handle(self, *args, **options):
        done = rotate_all()
        self.stdout.write(self.style.SUCCESS(f"{done} authenticator(s) re-encrypted."))
