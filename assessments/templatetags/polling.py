"""The timers of live screens, from settings: how often a screen asks for news (POLL_MS), how
long the grid waits after typing before it saves (SAVE_AFTER_TYPING_MS)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def poll_every(screen: str) -> str:
    """The htmx trigger of a polling screen, e.g. `every 2000ms` for the workshop."""
    return f"every {int(settings.POLL_MS[screen])}ms"


@register.simple_tag
def save_after_typing() -> str:
    """The htmx trigger that saves a form once typing has paused, e.g. `input delay:900ms`."""
    return f"input delay:{int(settings.SAVE_AFTER_TYPING_MS)}ms"
