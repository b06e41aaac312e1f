"""What the app needs before it serves anyone: its own SECRET_KEY outside development."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

NO_KEY_MESSAGE = (
    "SECRET_KEY is not set. Set it in the environment to a long random value, e.g. "
    "python3 -c 'import secrets; print(secrets.token_urlsafe(50))', "
    "or set DEBUG=1 for development."
)


def has_secret_key() -> bool:
    try:
        return bool(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        return False


def require_secret_key() -> None:
    """Called by dvo_portal/wsgi.py and asgi.py before the application is made."""
    if not has_secret_key():
        raise ImproperlyConfigured(NO_KEY_MESSAGE)


@checks.register(checks.Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    """`check --deploy` refuses a production environment without the key, as the servers do."""
    if has_secret_key():
        return []
    return [checks.Critical(NO_KEY_MESSAGE, id="dvo_portal.E001")]
