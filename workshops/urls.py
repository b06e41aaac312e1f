from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("assessments/<int:pk>/workshop/", views.facilitate, name="facilitate"),
    path("assessments/<int:pk>/workshop/start/", views.start, name="start"),
    path("workshops/<int:pk>/panel/", views.panel, name="panel"),
    path("workshops/<int:pk>/control/", views.control, name="control"),
    path("join/", views.join, name="join"),
    path("w/<str:code>/", views.participant, name="participant"),
    path("w/<str:code>/state/", views.participant_state, name="participant_state"),
    path("w/<str:code>/vote/", views.vote, name="vote"),
]
