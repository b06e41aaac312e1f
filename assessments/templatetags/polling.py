"""How often a live screen asks for news, from one setting (POLL_MS)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def poll_every(screen: str) -> str:
    """The htmx trigger of a polling screen, e.g. `every 2000ms` for the workshop."""
    return f"every {int(settings.POLL_MS[screen])}ms"
