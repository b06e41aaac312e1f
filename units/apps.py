from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Units")

    def ready(self):
        from django.db.models.signals import post_save

        from assessments.access import register_assessment_filter, register_assessment_scopes
        from assessments.models import Assessment

        from .access import only_my_unit, unit_scopes
        from .signals import reassessment_keeps_its_unit

        register_assessment_filter(only_my_unit)
        register_assessment_scopes(unit_scopes)
        post_save.connect(
            reassessment_keeps_its_unit, sender=Assessment, dispatch_uid="units-reassessment"
        )
