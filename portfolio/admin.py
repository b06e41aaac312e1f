from django.contrib import admin

from .models import Cadence, ReminderPreference, SentReminder


@admin.register(Cadence)
class CadenceAdmin(admin.ModelAdmin):
    list_display = ["organisation", "months", "due_on", "updated_at"]
    search_fields = ["organisation__name"]
    raw_id_fields = ["organisation", "updated_by"]


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "measurement_reminders", "roadmap_reminders"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    """What went out, to see, not to edit: a row is what keeps a reminder from going twice."""

    list_display = ["kind", "organisation", "item", "due_on", "recipient", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["organisation__name", "recipient__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
