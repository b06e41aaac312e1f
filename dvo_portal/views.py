from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


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
