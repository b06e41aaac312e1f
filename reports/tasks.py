"""Report files rendered off the request path: a download that finds no file of the assessment as
it is now queues a background task (Django's django.tasks, on django-tasks-db's database queue,
run by `manage.py db_worker`) and the page polls until the worker has stored it. A PDF takes
0.5-3 s of a CPU; in a request it held an app server's worker that long, and two downloads
stalled a workshop's saves.

Idempotent: one row per assessment, kind, language and state (`file_key`) under a unique
constraint, and a task is queued only by the request that made the row (or found it failed,
or pending long after any worker would have finished it)."""

import datetime
import hashlib
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from assessments.models import Assessment

from .models import ReportFile
from .pdf import assessment_pdf, report_key

logger = logging.getLogger(__name__)

# A file still pending this long after it was asked for is queued again when asked for: the
# worker that took it may have died (a render takes seconds).
PENDING_STALE = datetime.timedelta(minutes=10)
# A replaced file stays this long for whoever was offered it.
REPLACED_KEPT = datetime.timedelta(hours=1)
# A file pending this long gets a line on its page saying that this is unusual.
PENDING_SLOW = datetime.timedelta(seconds=30)

CONTENT_TYPES = {
    ReportFile.Kind.PDF: "application/pdf",
    ReportFile.Kind.DECK: (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
}


def _render(kind: str, assessment, language: str) -> bytes:
    if kind == ReportFile.Kind.DECK:
        from .deck import assessment_deck

        return assessment_deck(assessment, language)
    return assessment_pdf(assessment, language)


def file_key(assessment, kind: str, language: str) -> str:
    """What a file of `assessment` shows as it is now: the report's key (the revisions of the
    organisation's assessments and roadmaps, its name, the brand and the PDF's layout:
    `reports.pdf.report_key`, three queries), the kind and, for a deck, the deck's layout."""
    layout = ""
    if kind == ReportFile.Kind.DECK:
        from . import deck  # python-pptx: imported where a deck is asked for only

        layout = deck.DECK_LAYOUT
    parts = (report_key(assessment, language), kind, layout)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def file_for(*, assessment, kind: str, language: str) -> ReportFile:
    """The file of `assessment` as it is now: ready, with its content (one query after the
    key's), or else asked for (`file_request`)."""
    key = file_key(assessment, kind, language)
    ready = ReportFile.objects.filter(
        assessment=assessment, kind=kind, language=language, key=key, status=ReportFile.Status.READY
    ).first()
    return ready or file_request(assessment=assessment, kind=kind, language=language, key=key)


def file_request(*, assessment, kind: str, language: str, key: str | None = None) -> ReportFile:
    """The file of `assessment` as it is now, asked for: its row (without the content), queued
    for the worker unless it is ready or already queued."""
    key = key or file_key(assessment, kind, language)
    now = timezone.now()
    # get_or_create: of two requests making the same row at once, one makes it (and queues
    # it), the other finds it (the unique constraint), as on a second request.
    with transaction.atomic():
        file, created = (
            ReportFile.objects.defer("content")
            .select_for_update()
            .get_or_create(
                assessment=assessment,
                kind=kind,
                language=language,
                key=key,
                defaults={"requested_at": now},
            )
        )
        if created or _needs_another_run(file, now):
            file.status = ReportFile.Status.PENDING
            file.requested_at = now
            file.started_at = file.finished_at = None
            file.save(update_fields=["status", "requested_at", "started_at", "finished_at"])
            # In the same transaction: the worker sees the task when it sees the row.
            render_report_file.enqueue(file.pk)
    return file


def _needs_another_run(file: ReportFile, now) -> bool:
    if file.status == ReportFile.Status.FAILED:
        return True
    return file.status == ReportFile.Status.PENDING and file.requested_at < now - PENDING_STALE


def file_is_slow(file: ReportFile) -> bool:
    return (
        file.status == ReportFile.Status.PENDING
        and file.requested_at < timezone.now() - PENDING_SLOW
    )


def _same_report(file: ReportFile):
    """The files of the same report as `file`: assessment, kind and language. Their ids grow
    with the state they show (the key is made of revisions, which only grow)."""
    return ReportFile.objects.filter(
        assessment=file.assessment_id, kind=file.kind, language=file.language
    )


def latest(file: ReportFile) -> ReportFile:
    """What a page waiting for `file` offers: `file`, or once a newer file of the same report
    is ready (or failed), that one. A task skips a file asked for before a newer one (it would
    render the same state), so its readers are offered the newer file."""
    if file.status != ReportFile.Status.PENDING:
        return file
    newer = (
        _same_report(file)
        .filter(pk__gt=file.pk)
        .exclude(status=ReportFile.Status.PENDING)
        .defer("content")
        .order_by("-pk")
        .first()
    )
    return newer or file


@task()
def render_report_file(file_id: int) -> str:
    """Render the file of row `file_id` and store it. The file shows the assessment as the task
    finds it, at least as new as when it was asked for. Skipped: a row that is ready already
    (a task queued twice) or gone (its assessment deleted), and one that a newer row of the
    same report replaces (its task renders the newer state, for both: `latest`)."""
    now = timezone.now()
    # Claimed by one task only: a second task of the same row finds it started (or done).
    started = ReportFile.objects.filter(
        pk=file_id, status=ReportFile.Status.PENDING, started_at__isnull=True
    ).update(started_at=now)
    if not started:
        return "skipped"
    file = ReportFile.objects.defer("content").get(pk=file_id)
    if _same_report(file).filter(pk__gt=file.pk).exists():
        return "replaced"
    assessment = Assessment.objects.select_related("organisation", "version__model").get(
        pk=file.assessment_id
    )
    try:
        content = _render(file.kind, assessment, file.language)
    except Exception:
        ReportFile.objects.filter(pk=file_id).update(
            status=ReportFile.Status.FAILED, finished_at=timezone.now()
        )
        logger.exception("Rendering %s failed", file)
        raise
    with transaction.atomic():
        ReportFile.objects.filter(pk=file_id).update(
            status=ReportFile.Status.READY, content=content, finished_at=timezone.now()
        )
        # This one replaces the older files of the same report, once those had their hour
        # (a page that offered one still downloads it meanwhile).
        an_hour_ago = timezone.now() - REPLACED_KEPT
        _same_report(file).filter(pk__lt=file.pk).filter(
            Q(finished_at__lt=an_hour_ago) | Q(finished_at=None, requested_at__lt=an_hour_ago)
        ).delete()
    return "rendered"


def files_for_final(assessment) -> list[ReportFile]:
    """The PDF of an assessment that just became final, queued in the organisation's report
    language, or in every language if it follows the reader's."""
    fixed = assessment.organisation.report_language
    languages = [fixed] if fixed else [code for code, _name in settings.LANGUAGES]
    return [
        file_request(assessment=assessment, kind=ReportFile.Kind.PDF, language=language)
        for language in languages
    ]


def on_assessment_finalised(sender, assessment, **kwargs) -> None:
    """Receiver of `assessments.signals.assessment_finalised` (connected in apps.py): the manager
    who opens the report of a final assessment finds its PDF ready."""
    files_for_final(
        Assessment.objects.select_related("organisation", "version__model").get(pk=assessment.pk)
    )
