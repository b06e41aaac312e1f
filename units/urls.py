from django.urls import path

from . import views

app_name = "units"

urlpatterns = [
    path("organisations/<int:pk>/units/", views.unit_list, name="unit_list"),
    path("organisations/<int:pk>/units/new/", views.unit_create, name="unit_create"),
    path("organisations/<int:pk>/units/<int:unit_pk>/", views.unit_edit, name="unit_edit"),
    path(
        "organisations/<int:pk>/units/<int:unit_pk>/delete/",
        views.unit_delete,
        name="unit_delete",
    ),
    path("organisations/<int:pk>/units/limits/", views.restriction_set, name="restriction_set"),
    path(
        "organisations/<int:pk>/units/assess/",
        views.unit_assessment_start,
        name="unit_assessment_start",
    ),
    path("organisations/<int:pk>/rollup/", views.rollup, name="rollup"),
    path("organisations/<int:pk>/rollup.pdf", views.rollup_pdf, name="rollup_pdf"),
]
