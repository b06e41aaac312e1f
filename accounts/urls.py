"""django-allauth's sign-in URLs, minus what this portal has no use for.

Accounts are made by administrators and e-mail is used for password resets only, so sign-up,
the e-mail address pages and e-mail confirmation are left out (allauth copes with their
absence). The password reset answers 404 unless mail can be sent (`PASSWORD_RESET_BY_MAIL`).
"""

from functools import wraps

from allauth import urls as allauth_urls
from django.conf import settings
from django.http import Http404
from django.urls import URLPattern, URLResolver

LEFT_OUT = {
    "account_signup",
    "account_email",
    "account_email_verification_sent",
    "account_confirm_email",
}
NEED_MAIL = {
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
}


def only_with_mail(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.PASSWORD_RESET_BY_MAIL:
            raise Http404("Password resets need a mail server.")
        return view(request, *args, **kwargs)

    return wrapper


def kept(patterns):
    result = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            result.append(
                URLResolver(
                    pattern.pattern,
                    kept(pattern.url_patterns),
                    pattern.default_kwargs,
                    pattern.app_name,
                    pattern.namespace,
                )
            )
        elif pattern.name in NEED_MAIL:
            result.append(
                URLPattern(
                    pattern.pattern,
                    only_with_mail(pattern.callback),
                    pattern.default_args,
                    pattern.name,
                )
            )
        elif pattern.name not in LEFT_OUT:
            result.append(pattern)
    return result


urlpatterns = kept(allauth_urls.urlpatterns)
