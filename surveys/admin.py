from django.contrib import admin

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
