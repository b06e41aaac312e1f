from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("assessments/<int:pk>/", views.assessment_detail, name="detail"),
]
