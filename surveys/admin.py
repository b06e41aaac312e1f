from django.contrib import admin
from django.db.models import F

from .models import Survey, SurveyGroup


class SurveyGroupInline(admin.TabularInline):
    model = SurveyGroup
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    # The answers stay out of the admin: nobody sees an individual answer.
    list_display = ["assessment", "created_at", "closed_at", "min_group", "open_link"]
    list_filter = ["closed_at"]
    readonly_fields = ["token", "revision", "created_by"]
    inlines = [SurveyGroupInline]

    def save_related(self, request, form, formsets, change):
        """An edit here (the group minimum, the groups) is a new state of the survey: its
        figures, kept per revision on the results page and in the grid, are counted anew."""
        super().save_related(request, form, formsets, change)
        Survey.objects.filter(pk=form.instance.pk).update(revision=F("revision") + 1)
