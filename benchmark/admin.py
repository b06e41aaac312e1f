from django.contrib import admin

from .models import Consent, PeerProfile, Sector, SizeClass


@admin.register(Sector, SizeClass)
class ListedAdmin(admin.ModelAdmin):
    list_display = ["name", "name_nl", "order"]
    list_editable = ["order"]
    search_fields = ["name", "name_nl"]


@admin.register(PeerProfile)
class PeerProfileAdmin(admin.ModelAdmin):
    list_display = ["organisation", "sector", "size_class"]
    list_filter = ["sector", "size_class"]
    search_fields = ["organisation__name"]
    autocomplete_fields = ["organisation"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """The consent history is evidence: read it here, change it in the portal."""

    list_display = ["organisation", "given_at", "given_by", "withdrawn_at", "withdrawn_by"]
    list_filter = ["withdrawn_at"]
    search_fields = ["organisation__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
