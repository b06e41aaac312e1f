"""The two-factor secrets at rest: allauth.mfa stores each TOTP key and recovery-code seed
through its adapter's `encrypt`/`decrypt` (accounts/adapter.py MFAAdapter), which use these.

Fernet (AES-128-CBC with HMAC-SHA256, the `cryptography` package) under the keys of
`settings.MFA_ENCRYPTION_KEYS`: the first encrypts, every one decrypts. Rotation: put a new
key first, keep the old ones after it, run `manage.py rotate_mfa_secrets` (re-encrypts every
secret with the first key), then drop the old keys. Without keys (development, tests) one is
derived from SECRET_KEY. A secret stored before encryption was switched on (plain base32) is
still read, and `rotate_mfa_secrets` encrypts it.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

PREFIX = "fernet:"  # marks what is encrypted, so plain secrets of before stay readable


def _fernet() -> MultiFernet:
    keys = list(settings.MFA_ENCRYPTION_KEYS)
    if not keys:
        digest = hashlib.sha256(b"dvo-portal-mfa:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(text: str) -> str:
    return PREFIX + _fernet().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored  # stored before encryption was switched on
    try:
        return _fernet().decrypt(stored.removeprefix(PREFIX).encode()).decode()
    except InvalidToken as error:
        raise ValueError(
            "A two-factor secret cannot be decrypted with MFA_ENCRYPTION_KEYS: was a key "
            "dropped before `manage.py rotate_mfa_secrets` ran?"
        ) from error


def rotate(stored: str) -> str:
    """`stored` encrypted with the first key (plain secrets of before are encrypted)."""
    if not stored.startswith(PREFIX):
        return encrypt(stored)
    return PREFIX + _fernet().rotate(stored.removeprefix(PREFIX).encode()).decode()


def rotate_all() -> int:
    """Every stored two-factor secret re-encrypted with the first key; how many were."""
    from allauth.mfa.models import Authenticator

    done = 0
    for authenticator in Authenticator.objects.all():
        data = dict(authenticator.data)
        for field in ("secret", "seed"):
            if isinstance(data.get(field), str):
                data[field] = rotate(data[field])
        # Recovery codes from before the seed (allauth's older format) are plain lists.
        if isinstance(data.get("migrated_codes"), list):
            data["migrated_codes"] = [rotate(code) for code in data["migrated_codes"]]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])
            done += 1
    return done
