"""Two-factor secrets are stored encrypted under keys from the environment, and the keys can be
rotated without anyone setting up their authenticator app again."""

from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.urls import reverse

from accounts import mfa_secrets

from .test_two_factor import consultant, log_in, logged_in_user_id, switch_on_two_factor, totp

__all__ = ["consultant"]  # the fixture, used by name


def sign_in_with_code(client, secret, at=None):
    log_in(client, "carol", "carol-password")
    return client.post(reverse("mfa_authenticate"), {"code": totp(secret, at)})


def test_the_totp_secret_is_not_stored_in_the_clear(client, consultant, settings):
    settings.MFA_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    secret = switch_on_two_factor(client, "carol")
    stored = Authenticator.objects.get(user=consultant, type="totp").data["secret"]
    assert secret not in stored
    assert stored.startswith(mfa_secrets.PREFIX)
    seed = Authenticator.objects.get(user=consultant, type="recovery_codes").data["seed"]
    assert seed.startswith(mfa_secrets.PREFIX)
    assert sign_in_with_code(client, secret).status_code == 302
    assert logged_in_user_id(client) == str(consultant.pk)


def test_keys_rotate_without_new_authenticator_apps(client, consultant, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.MFA_ENCRYPTION_KEYS = [old]
    secret = switch_on_two_factor(client, "carol")
    codes = switch_on_two_factor.recovery_codes
    settings.MFA_ENCRYPTION_KEYS = [new, old]  # the new key first, the old one still there
    call_command("rotate_mfa_secrets", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.MFA_ENCRYPTION_KEYS = [new]  # the old key dropped
    assert sign_in_with_code(client, secret, at=None).status_code == 302
    client.post(reverse("account_logout"))
    log_in(client, "carol", "carol-password")
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302


def test_a_secret_stored_before_encryption_is_read_and_then_encrypted(client, consultant):
    secret = switch_on_two_factor(client, "carol")
    authenticator = Authenticator.objects.get(user=consultant, type="totp")
    authenticator.data = {**authenticator.data, "secret": secret}  # as stored before
    authenticator.save()
    assert sign_in_with_code(client, secret, at=None).status_code in (200, 302)
    call_command("rotate_mfa_secrets", stdout=open("/dev/null", "w"))  # noqa: SIM115
    authenticator.refresh_from_db()
    assert authenticator.data["secret"].startswith(mfa_secrets.PREFIX)
    assert mfa_secrets.decrypt(authenticator.data["secret"]) == secret
