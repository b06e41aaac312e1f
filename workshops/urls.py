from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("assessments/<int:pk>/workshop/", views.facilitate, name="facilitate"),
    path("assessments/<int:pk>/workshop/start/", views.start, name="start"),
    path("workshops/<int:pk>/panel/", views.panel, name="panel"),
    # The consultant's actions: POST only, one each.
    path("workshops/<int:pk>/select/", views.select, name="select"),
    path("workshops/<int:pk>/next/", views.next_process, name="next"),
    path("workshops/<int:pk>/voting/open/", views.open_voting, name="open_voting"),
    path("workshops/<int:pk>/voting/close/", views.close_voting, name="close_voting"),
    path("workshops/<int:pk>/reveal/", views.reveal, name="reveal"),
    path("workshops/<int:pk>/hide/", views.hide, name="hide"),
    path("workshops/<int:pk>/names/", views.names, name="names"),
    path("workshops/<int:pk>/consensus/", views.consensus, name="consensus"),
    path("workshops/<int:pk>/close/", views.close, name="close"),
    # The participants' phones.
    path("join/", views.join, name="join"),
    path("w/<str:code>/", views.participant, name="participant"),
    path("w/<str:code>/state/", views.participant_state, name="participant_state"),
    path("w/<str:code>/vote/", views.vote, name="vote"),
]
