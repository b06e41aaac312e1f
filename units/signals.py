from .models import UnitAssessment


def reassessment_keeps_its_unit(sender, instance, created, raw=False, **kwargs):
    """A re-assessment of a unit's assessment is of that unit too (however it was started:
    the assessments app knows no units), so the unit's trend and roll-up find it."""
    if not created or raw or not instance.previous_id:
        return
    unit_id = (
        UnitAssessment.objects.filter(assessment_id=instance.previous_id)
        .values_list("unit_id", flat=True)
        .first()
    )
    if unit_id is not None:
        UnitAssessment.objects.create(assessment=instance, unit_id=unit_id)
