from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("assessments/<int:pk>/surveys/", views.overview, name="overview"),
    path("assessments/<int:pk>/surveys/open/", views.open_survey, name="open"),
    path("surveys/<int:pk>/", views.results, name="results"),
    path("surveys/<int:pk>/close/", views.close, name="close"),
    path("surveys/<int:pk>/invite/", views.invite, name="invite"),
    path("surveys/<int:pk>/export.xlsx", views.export, name="export"),
    # The respondents' phones: no account.
    path("s/<str:token>/", views.respond, name="respond"),
    path("s/i/<str:token>/", views.invited, name="invited"),
]
