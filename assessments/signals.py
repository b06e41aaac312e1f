"""What the assessments app tells the apps built on it, which it does not know (the report
renders its PDF when an assessment is finalised): plain notices, no business rules."""

from django.dispatch import Signal

# Sent once an assessment became final and that was committed; argument: `assessment`.
assessment_finalised = Signal()
