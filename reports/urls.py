from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("assessments/<int:pk>/report/", views.report_page, name="page"),
    path("assessments/<int:pk>/report.pdf", views.report_pdf, name="pdf"),
    path("assessments/<int:pk>/report.pptx", views.report_deck, name="deck"),
    path("assessments/<int:pk>/report-files/<int:file_pk>/", views.report_file, name="file"),
    path(
        "assessments/<int:pk>/report-files/<int:file_pk>/status/",
        views.report_file_status,
        name="file_status",
    ),
    path("assessments/<int:pk>/export.xlsx", views.assessment_excel, name="xlsx"),
    path("assessments/<int:pk>/history/", views.assessment_history, name="history"),
]
