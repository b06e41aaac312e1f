from django.contrib import admin

from .models import Unit, UnitAssessment, UnitRestriction


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "organisation__name"]


admin.site.register(UnitAssessment)
admin.site.register(UnitRestriction)
