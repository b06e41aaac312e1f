import sys

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from assessments.signals import assessment_finalised

        from .tasks import on_assessment_finalised

        # Mark final queues the PDF: the manager who opens the report finds it ready.
        assessment_finalised.connect(on_assessment_finalised, dispatch_uid="reports-final-pdf")
        if sys.argv[1:2] == ["db_worker"]:
            # The worker renders the PDFs: WeasyPrint and its fonts are loaded before the
            # first task, so the first PDF after a (re)start costs what the second does.
            from .pdf import warm_up

            warm_up()
