"""Logos and the brand's stylesheet, for web pages.

A logo's URL holds its SHA-256, so it is cached for a year: a new logo is a new URL. A
client's logo goes only to members of that organisation (404 for anyone else, signed in or
not); the consultancy's logo and the stylesheet to everyone (the login page shows them)."""

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from assessments.access import MAX_ID, member_of

from .brand import brand_for
from .images import EXTENSIONS, SVG
from .models import ClientLogo, ConsultancyBrand

A_YEAR = 365 * 24 * 3600
# An SVG opened on its own is a document: it may draw, nothing else.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def logo_response(data: bytes, content_type: str, *, public: bool) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type=content_type)
    scope = "public" if public else "private"  # no shared cache keeps a client's logo
    response["Cache-Control"] = f"{scope}, max-age={A_YEAR}, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    if content_type == SVG:
        # Set here, so the CSP middleware keeps it instead of the pages' policy.
        response["Content-Security-Policy"] = SVG_POLICY
    return response


@require_GET
def consultancy_logo(request, sha, ext):
    row = (
        ConsultancyBrand.objects.filter(logo_sha256=sha)
        .values_list("logo_data", "logo_content_type")
        .first()
    )
    if row is None or EXTENSIONS.get(row[1]) != ext:
        raise Http404
    return logo_response(row[0], row[1], public=True)


@require_GET
def client_logo(request, pk, sha, ext):
    if not 0 < int(pk) <= MAX_ID:
        raise Http404
    row = (
        member_of(ClientLogo.objects.all(), request.user, "organisation")
        .filter(organisation_id=int(pk), sha256=sha)
        .values_list("data", "content_type")
        .first()
    )
    if row is None or EXTENSIONS.get(row[1]) != ext:
        raise Http404
    return logo_response(row[0], row[1], public=False)


@require_GET
def stylesheet(request):
    """The accent colour as CSS (the CSP allows no inline style): base.html links it with
    ?v=<the brand's key>, so a changed brand is a new URL and the current one is kept."""
    brand = brand_for()
    css = render_to_string("branding/brand.css", {"brand": brand})
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    if request.GET.get("v") == brand.key:
        response["Cache-Control"] = f"public, max-age={A_YEAR}, immutable"
    else:
        response["Cache-Control"] = "no-cache"
    return response
