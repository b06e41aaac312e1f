from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def password_reset_by_mail() -> bool:
    return settings.PASSWORD_RESET_BY_MAIL
