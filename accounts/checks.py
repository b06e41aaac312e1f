from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def mfa_encryption_keys(app_configs, **kwargs):
    """Production keeps its two-factor secrets under keys of its own (accounts/mfa_secrets.py):
    derived from SECRET_KEY, rotating that key would make every authenticator unreadable."""
    from cryptography.fernet import Fernet

    if not settings.MFA_ENCRYPTION_KEYS:
        return [
            checks.Warning(
                "MFA_ENCRYPTION_KEYS is not set: two-factor secrets are encrypted with a key "
                "derived from SECRET_KEY, and changing SECRET_KEY would make them unreadable.",
                hint="Set MFA_ENCRYPTION_KEYS to the output of "
                "python3 -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'.",
                id="accounts.W001",
            )
        ]
    try:
        for key in settings.MFA_ENCRYPTION_KEYS:
            Fernet(key.encode())
    except ValueError:
        return [
            checks.Error(
                "MFA_ENCRYPTION_KEYS holds a key that is not a Fernet key (32 url-safe "
                "base64-encoded bytes).",
                id="accounts.E001",
            )
        ]
    return []
