"""Reminder mails, sent off the request path: the periodic command `send_reminders` (cron or a
systemd timer, daily) queues what is due as tasks of Django's `django.tasks` (django-tasks-db's
database queue, run by `manage.py db_worker`), and a task mails the organisation's consultants
and managers who did not switch that kind of reminder off.

Idempotent: before a mail goes out its `SentReminder` row is made (kind, organisation or
roadmap item, due date, person) under a unique constraint. Of two runs, or two workers with
the same task, the second finds the row and sends nothing; a mail that fails gives its row
back, so the next run tries again. (A worker that dies between the mail and the end of the task
leaves its row: at most one mail per reminder, never two.)"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import OuterRef, Subquery
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from assessments.models import Organisation
from roadmaps.quarters import Quarter

from .models import SentReminder
from .selectors import (
    due_dates,
    due_of,
    latest_roadmap,
    overdue_items,
    reminder_recipients,
    soon_days,
    with_due_facts,
)
from .services import reminder_claim, reminder_release

logger = logging.getLogger(__name__)


def _link(name: str, **kwargs) -> str:
    return settings.PORTFOLIO_SITE_URL + reverse(name, kwargs=kwargs or None)


def _mail(template: str, context: dict, recipient) -> None:
    # One line, whatever the organisation's name holds (a line break is a header injection).
    subject = " ".join(render_to_string(f"portfolio/mail/{template}_subject.txt", context).split())
    body = render_to_string(f"portfolio/mail/{template}_body.txt", context)
    send_mail(subject, body, None, [recipient.email])


def _language(organisation: Organisation) -> str:
    return organisation.report_language or settings.LANGUAGE_CODE


def measurement_reminders_due(today: datetime.date) -> list[tuple[str, int, datetime.date]]:
    """(kind, organisation id, due date) of every measurement reminder due today: "due-soon"
    within the weeks before the date, "due" from the day on (for a few days' grace). One
    query over the organisations (a light row each)."""
    rows = with_due_facts(Organisation.objects.all()).values(
        "pk", "last_final_on", "cadence_months", "cadence_due_on"
    )
    found = []
    for row in rows.order_by("pk"):
        due = due_of(row, today)
        if due.on is None:  # never measured: no date to remind of (the dashboard says so)
            continue
        if 0 < due.days <= soon_days():
            found.append((SentReminder.Kind.DUE_SOON, row["pk"], due.on))
        elif -settings.PORTFOLIO_DUE_GRACE_DAYS <= due.days <= 0:
            found.append((SentReminder.Kind.DUE, row["pk"], due.on))
    return found


def _items_ended_last_quarter(today: datetime.date):
    """Open items of each organisation's latest roadmap whose quarter was the last one."""
    quarter = Quarter.containing(today)
    latest = latest_roadmap(OuterRef("roadmap__assessment__organisation"))
    return (
        overdue_items(quarter)
        .filter(end_quarter=quarter.index - 1)
        .filter(roadmap__assessment=Subquery(latest))
    )


def roadmap_reminders_due(today: datetime.date) -> list[int]:
    """The organisations with roadmap items whose quarter ended last quarter undone."""
    rows = _items_ended_last_quarter(today).values_list(
        "roadmap__assessment__organisation", flat=True
    )
    return sorted(set(rows))


@task
def send_measurement_reminder(organisation_id: int, kind: str, due_on: str) -> int:
    """Mail "the next measurement is due (soon)" to each recipient once; returns how many."""
    due_on = datetime.date.fromisoformat(due_on)
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return 0
    due = due_dates([organisation_id], timezone.localdate())[organisation_id]
    if due.on != due_on:  # the cadence changed or a measurement was made since it was queued
        return 0
    sent = 0
    for user in reminder_recipients([organisation_id], kind="measurement").get(organisation_id, []):
        claim = {
            "kind": kind,
            "organisation_id": organisation_id,
            "due_on": due_on,
            "recipient": user,
        }
        if not reminder_claim(**claim):
            continue
        context = {
            "organisation": organisation,
            "user": user,
            "due": due,
            "due_on": due_on,
            "is_due": kind == SentReminder.Kind.DUE,
            "link": _link("assessments:organisation", pk=organisation_id),
            "settings_link": _link("portfolio:reminders"),
        }
        try:
            with translation.override(_language(organisation)):
                _mail("measurement", context, user)
        except smtplib.SMTPRecipientsRefused:
            # This address only: the others still get theirs; the next run tries it again.
            reminder_release(**claim)
            logger.exception("A reminder of organisation %s was refused", organisation_id)
            continue
        except (smtplib.SMTPException, OSError):
            reminder_release(**claim)
            logger.exception("A reminder of organisation %s was not sent", organisation_id)
            raise
        sent += 1
    return sent


@task
def send_roadmap_reminder(organisation_id: int, today: str) -> int:
    """Mail each recipient the organisation's roadmap items whose quarter ended undone, each
    item once per person; returns how many mails went out."""
    today = datetime.date.fromisoformat(today)
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return 0
    items = list(
        _items_ended_last_quarter(today)
        .filter(roadmap__assessment__organisation=organisation_id)
        .select_related("roadmap")
        .order_by("start_quarter", "id")
    )
    if not items:
        return 0
    due_on = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)  # the quarter's start
    sent = 0
    for user in reminder_recipients([organisation_id], kind="roadmap").get(organisation_id, []):
        claims = [
            {
                "kind": SentReminder.Kind.ROADMAP,
                "organisation_id": organisation_id,
                "item_id": item.pk,
                "due_on": due_on,
                "recipient": user,
            }
            for item in items
        ]
        mine = [item for item, claim in zip(items, claims, strict=True) if reminder_claim(**claim)]
        if not mine:
            continue
        context = {
            "organisation": organisation,
            "user": user,
            "items": mine,
            "link": _link("roadmaps:detail", pk=items[0].roadmap.assessment_id),
            "settings_link": _link("portfolio:reminders"),
        }
        try:
            with translation.override(_language(organisation)):
                _mail("roadmap", context, user)
        except (smtplib.SMTPException, OSError) as error:
            for item, claim in zip(items, claims, strict=True):
                if item in mine:
                    reminder_release(**claim)
            logger.exception("A roadmap reminder of organisation %s was not sent", organisation_id)
            if isinstance(error, smtplib.SMTPRecipientsRefused):
                continue  # this address only: the others still get theirs
            raise
        sent += 1
    return sent


def enqueue_due(today: datetime.date | None = None) -> dict[str, int]:
    """Queue a task for every reminder due `today` (the periodic command's work). Queuing
    twice is harmless: the tasks send each reminder once."""
    today = today or timezone.localdate()
    measurement = measurement_reminders_due(today)
    for kind, organisation_id, due_on in measurement:
        send_measurement_reminder.enqueue(organisation_id, str(kind), due_on.isoformat())
    roadmap = roadmap_reminders_due(today)
    for organisation_id in roadmap:
        send_roadmap_reminder.enqueue(organisation_id, today.isoformat())
    return {"measurement": len(measurement), "roadmap": len(roadmap)}
