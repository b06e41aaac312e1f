from django.contrib import admin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .brand import consultancy_logo_url
from .forms import ClientLogoForm, ConsultancyBrandForm
from .models import ClientLogo, ConsultancyBrand
from .views import logo_response


def _image(url: str, alt: str, height: int):
    # A height attribute, not a style: the admin's pages run under our CSP too.
    return format_html('<img src="{}" alt="{}" height="{}">', url, alt, height)


@admin.register(ConsultancyBrand)
class ConsultancyBrandAdmin(admin.ModelAdmin):
    """The one brand of the installation: added once, changed after, never deleted (without
    it the portal would silently fall back to its own name)."""

    form = ConsultancyBrandForm
    fields = ["consultancy_name", "accent", "current_logo", "logo", "remove_logo"]
    readonly_fields = ["current_logo"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ConsultancyBrand.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # A list of one row: open it (or the form that makes it).
        brand = ConsultancyBrand.objects.only("pk").first()
        if brand is None:
            if self.has_add_permission(request):
                return redirect("admin:branding_consultancybrand_add")
            return super().changelist_view(request, extra_context)
        return redirect("admin:branding_consultancybrand_change", brand.pk)

    @admin.display(description=_("current logo"))
    def current_logo(self, brand):
        if not brand.has_logo:
            return gettext("No logo yet.")
        url = consultancy_logo_url(brand.logo_sha256, brand.logo_content_type)
        return _image(url, gettext("Logo of %(name)s") % {"name": brand.consultancy_name}, 64)


@admin.register(ClientLogo)
class ClientLogoAdmin(admin.ModelAdmin):
    form = ClientLogoForm
    list_display = ["organisation", "thumbnail", "content_type", "updated_at"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["current_logo"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")

    def get_fields(self, request, obj=None):
        return ["organisation", "logo"] if obj is None else ["organisation", "current_logo", "logo"]

    def get_readonly_fields(self, request, obj=None):
        return ["current_logo"] if obj is None else ["organisation", "current_logo"]

    def get_urls(self):
        # The list's thumbnails: the public logo URL serves members of the organisation only,
        # and an administrator is none.
        image = self.admin_site.admin_view(self.image_view)
        return [
            path("<int:object_id>/image/", image, name="branding_clientlogo_image"),
            *super().get_urls(),
        ]

    def image_view(self, request, object_id):
        logo = get_object_or_404(ClientLogo, pk=object_id)
        if not self.has_view_permission(request, logo):
            raise Http404
        return logo_response(logo.data, logo.content_type, public=False)

    def _image(self, logo, height):
        url = reverse("admin:branding_clientlogo_image", args=[logo.pk])
        return _image(url, gettext("Logo of %(name)s") % {"name": logo.organisation}, height)

    @admin.display(description=_("logo"))
    def thumbnail(self, logo):
        return self._image(logo, 32)

    @admin.display(description=_("current logo"))
    def current_logo(self, logo):
        return self._image(logo, 64) if logo.pk else gettext("No logo yet.")
