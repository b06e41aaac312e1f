"""Errors as an htmx request meets them: one short line that the page shows (static/js/errors.js,
in the alert region of base.html), never an error page swapped into a part of the page."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_htmx.http import reswap, trigger_client_event

# The statuses of Django's error pages (and django-allauth's 429), each with what to do next.
MESSAGES = {
    400: _("This request could not be handled. Reload the page and try again."),
    403: _("You may not do this. Reload the page to see what you can do."),
    404: _("This is no longer there, or no longer open to you. Reload the page."),
    429: _("Too many requests. Wait a minute, then try again."),
    500: _("Something went wrong on our side. Try again in a moment."),
}
CSRF_MESSAGE = _(
    "This page was open too long, or its session ended. Reload the page and try again."
)


def error_message(request: HttpRequest, status: int) -> str | None:
    """The short message for an error page of `status`; None for every other status, among them
    those the app answers on purpose with a part to swap: 409 (a conflict, both values shown),
    422 (a form to correct) and 286 (polling ends)."""
    # CsrfViewMiddleware marks every request it lets through; a 403 without the mark is its
    # refusal (the csrf_exempt views that skip it are none of ours).
    if status == 403 and not getattr(request, "csrf_processing_done", False):
        return str(CSRF_MESSAGE)
    message = MESSAGES.get(status)
    return str(message) if message is not None else None


def as_htmx_error(response: HttpResponse, message: str) -> HttpResponse:
    """`response` with `message` for its body: htmx swaps nothing (HX-Reswap) and the page shows
    the message (the `app:error` event; json.dumps escapes non-ASCII, as headers need)."""
    response["Content-Type"] = "text/plain; charset=utf-8"
    response.content = message
    if response.has_header("Content-Length"):
        del response["Content-Length"]
    reswap(response, "none")
    return trigger_client_event(response, "app:error", {"message": message})


class HtmxErrorMiddleware:
    """An htmx request answered with an error page (see `error_message`) gets the short message
    instead. An answer that already tells htmx how to swap (HX-Reswap) is left as it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.htmx or response.streaming or response.has_header("HX-Reswap"):
            return response
        message = error_message(request, response.status_code)
        return as_htmx_error(response, message) if message else response
