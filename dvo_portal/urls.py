from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_GET

from dvo_portal.views import health, minimal
from portfolio import views as portfolio_views

# 404, 403 and 400 are Django's own handlers (templates/404.html, 403.html); htmx requests get
# a short message instead (dvo_portal.errors.HtmxErrorMiddleware).
handler500 = "dvo_portal.views.server_error"
handler429 = "dvo_portal.views.too_many_requests"  # not Django's: django-allauth's rate limits


@require_GET
def favicon(request):
    # Resolved per request: the hashed static name exists only after collectstatic.
    return redirect(static("favicon.svg"), permanent=True)


# The admin signs in through the same login (with its second factor), never around it.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", portfolio_views.start, name="home"),  # a consultant's dashboard, else home
    path("", include("portfolio.urls")),
    path("", include("assessments.urls")),
    path("", include("roadmaps.urls")),
    path("", include("workshops.urls")),
    path("", include("reports.urls")),
    path("", include("branding.urls")),
    path("", include("surveys.urls")),
    path("", include("units.urls")),
    path("", include("benchmark.urls")),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
    path("health/", health, name="health"),
]

if settings.BENCH_VIEWS:  # the benchmark's yardstick: a logged-in page through all middleware
    urlpatterns.append(path("bench/minimal/", minimal))
