from django.urls import path, re_path

from . import views

app_name = "branding"

SHA = r"(?P<sha>[0-9a-f]{64})\.(?P<ext>png|svg)"

urlpatterns = [
    re_path(rf"^brand/logo/consultancy/{SHA}$", views.consultancy_logo, name="logo"),
    re_path(rf"^brand/logo/(?P<pk>[0-9]{{1,20}})/{SHA}$", views.client_logo, name="client_logo"),
    path("brand/brand.css", views.stylesheet, name="css"),
]
