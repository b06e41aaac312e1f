from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Portfolio")

    def ready(self):
        from assessments.home_extensions import register_home_badges

        from .home import due_badges

        register_home_badges(due_badges)
