from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchmarkConfig(AppConfig):
    name = "benchmark"
    verbose_name = _("Peer benchmark")

    def ready(self):
        from assessments.extensions import register_grid_figures

        from . import signals
        from .grid import benchmark_grid_figures

        signals.connect()
        # The grid (assessments) knows no benchmark: it asks its registered figure providers.
        register_grid_figures(benchmark_grid_figures)
