from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/scope/", views.organisation_scope, name="organisation_scope"),
    path("organisations/<int:pk>/invitations/", views.invitation_create, name="invitation_create"),
    path(
        "organisations/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    # The invited person's link: guarded by its token, not by a membership (not yet one).
    path("invitations/<str:token>/", views.invitation_detail, name="invitation"),
    path("invitations/<str:token>/accept/", views.invitation_accept, name="invitation_accept"),
    path("invitations/<str:token>/decline/", views.invitation_decline, name="invitation_decline"),
    path(
        "organisations/<int:pk>/members/<int:membership_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "organisations/<int:pk>/assessments/new/",
        views.assessment_start,
        name="assessment_start",
    ),
    path(
        "organisations/<int:pk>/reassessments/new/",
        views.reassessment_start,
        name="reassessment_start",
    ),
    path("organisations/<int:pk>/compare/", views.assessment_compare, name="compare"),
    path("organisations/<int:pk>/trend/", views.assessment_trend, name="trend"),
    path("assessments/<int:pk>/", views.assessment_grid, name="grid"),
    path("assessments/<int:pk>/results/", views.grid_results, name="grid_results"),
    path("assessments/<int:pk>/focus/", views.grid_focus, name="grid_focus"),
    path("assessments/<int:pk>/present/", views.present, name="present"),
    path("assessments/<int:pk>/present/state/", views.present_state, name="present_state"),
    path("assessments/<int:pk>/scores/<int:score_pk>/", views.score_save, name="score_save"),
    path("assessments/<int:pk>/scores/<int:score_pk>/form/", views.score_form, name="score_form"),
    path("assessments/<int:pk>/finalise/", views.assessment_finalise, name="finalise"),
    path("assessments/<int:pk>/delete/", views.assessment_delete, name="delete"),
    path("assessments/<int:pk>/share/", views.assessments.assessment_share, name="share"),
    path("assessments/<int:pk>/aspects/", views.aspects_edit, name="aspects"),
]
