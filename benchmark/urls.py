from django.urls import path

from . import views

app_name = "benchmark"

urlpatterns = [
    path("assessments/<int:pk>/benchmark/", views.benchmark_page, name="page"),
    path("organisations/<int:pk>/benchmark/", views.participation, name="participation"),
]
