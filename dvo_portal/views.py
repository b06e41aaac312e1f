from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dvo_portal.errors import MESSAGES, as_htmx_error


@never_cache
@require_GET
def health(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        ContentType.objects.only("pk").first()  # a one-row read through the ORM
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
@require_GET
def minimal(request):
    """Served only with BENCH_VIEWS=1: the benchmark's yardstick, a logged-in page that goes
    through every middleware but does no work of its own."""
    return HttpResponse("ok", content_type="text/plain")


def server_error(request):
    """handler500: Django's own (templates/500.html, rendered without context or queries: the
    database may be what failed); an htmx request gets the short message. Here as well as in
    HtmxErrorMiddleware, which an error raised in an outer middleware never reaches."""
    if request.headers.get("HX-Request") == "true":
        return as_htmx_error(HttpResponseServerError(), str(MESSAGES[500]))
    return defaults.server_error(request)


def too_many_requests(request):
    """handler429, which django-allauth calls for its rate limits: templates/429.html (for htmx,
    HtmxErrorMiddleware makes it the short message)."""
    return render(request, "429.html", status=429)
