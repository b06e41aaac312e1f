from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Units")

    def ready(self):
        from assessments.access import register_assessment_filter

        from .access import only_my_unit

        register_assessment_filter(only_my_unit)
