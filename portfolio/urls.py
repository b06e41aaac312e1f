from django.urls import path

from . import views

app_name = "portfolio"

urlpatterns = [
    path("organisations/<int:pk>/cadence/", views.cadence_edit, name="cadence"),
    path("reminders/", views.reminder_settings, name="reminders"),
]
