"""The portfolio's badge on the organisations' start page (assessments.home_extensions):
when each organisation's next measurement is due, in one query for the whole page."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .selectors import due_dates


def due_badges(organisations) -> dict:
    dues = due_dates([organisation.pk for organisation in organisations], timezone.localdate())
    return {
        pk: format_html(
            '<span class="badge text-bg-{} fs-6 fw-normal" data-testid="due-badge"{}>{}</span>',
            due.tone,
            format_html(
                ' title="{}"',
                _("Next measurement: %(date)s") % {"date": date_format(due.on, "DATE_FORMAT")},
            )
            if due.on
            else "",
            due.label,
        )
        for pk, due in dues.items()
    }
