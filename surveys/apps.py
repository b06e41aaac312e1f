from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Pre-workshop surveys"

    def ready(self):
        # The grid (assessments) knows no surveys: it asks its registered figure providers.
        from assessments.extensions import register_grid_figures

        from .grid import ANNOTATIONS, survey_grid_figures

        register_grid_figures(survey_grid_figures, annotations=ANNOTATIONS)
