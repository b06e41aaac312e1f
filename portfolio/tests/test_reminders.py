"""Reminder mails: the periodic command queues what is due, the worker (django-tasks-db's
`db_worker`, run here for real with `--batch`) mails each reminder once per person, whatever
the number of runs or workers (a unique constraint, not luck), and never to whoever switched
it off."""

import datetime
import io
import signal
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from assessments.models import Membership
from portfolio.cadence import add_months
from portfolio.models import Cadence, ReminderPreference, SentReminder
from portfolio.services import reminder_claim
from portfolio.tasks import send_measurement_reminder
from roadmaps.models import RoadmapItem
from roadmaps.quarters import Quarter
from roadmaps.services import roadmap_create

from .factories import make_client

DAY = datetime.date(2027, 4, 14)  # a Wednesday in the second quarter of 2027


def run_worker() -> None:
    """Run every queued task, as `manage.py db_worker` does, then return (its --batch mode),
    holding back what a long-running process does that a test cannot have (closing the
    connection, which carries the test's transaction; the signal handlers)."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with mock.patch.object(db_worker, "close_old_connections", return_value=None):
            call_command(
                "db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO()
            )
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def run_command(day: datetime.date) -> str:
    out = io.StringIO()
    call_command("send_reminders", date=day.isoformat(), stdout=out)
    return out.getvalue()


def mails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


@pytest.fixture
def people(make_user, smg_version):
    """Acme: consultant claire, managers mark and otto (otto switched reminders off), nora
    (a manager without an address). Its next measurement is due on DAY + 10 days."""
    claire = make_user("claire", email="claire@example.org")
    mark = make_user("mark", email="mark@example.org")
    otto = make_user("otto", email="otto@example.org")
    nora = make_user("nora")
    acme, assessment = make_client(
        "Acme", claire, smg_version, assessed_on=add_months(DAY + datetime.timedelta(10), -12)
    )
    for user in (mark, otto, nora):
        Membership.objects.create(organisation=acme, user=user, role="manager")
    ReminderPreference.objects.create(user=otto, measurement_reminders=False)
    return {"acme": acme, "assessment": assessment, "claire": claire, "mark": mark, "otto": otto}


def test_run_twice_and_by_two_workers_each_reminder_goes_out_once(people):
    assert "Queued 1 re-assessment" in run_command(DAY)
    assert "Queued 1 re-assessment" in run_command(DAY)  # the same day again: queued again
    run_worker()  # two tasks for the one reminder: as two workers would take them
    assert sorted(DBTaskResult.objects.values_list("return_value", flat=True)) == [0, 2]
    assert len(mails_to("claire@example.org")) == 1
    assert len(mails_to("mark@example.org")) == 1
    assert mails_to("otto@example.org") == []  # switched off
    assert len(mail.outbox) == 2
    (message,) = mails_to("mark@example.org")
    assert message.subject == "Acme: the re-assessment is due soon"
    assert "The next measurement of Acme is due on April 24, 2027." in message.body
    assert f"/organisations/{people['acme'].pk}/" in message.body
    assert "/reminders/" in message.body

    run_command(DAY)  # a second worker later, the same due date: nothing new
    run_command(DAY + datetime.timedelta(3))
    run_worker()
    assert len(mail.outbox) == 2

    run_command(DAY + datetime.timedelta(10))  # on the day: the second reminder
    run_worker()
    assert len(mail.outbox) == 4
    assert mails_to("claire@example.org")[-1].subject == "Acme: the re-assessment is due"
    run_command(DAY + datetime.timedelta(11))
    run_worker()
    assert len(mail.outbox) == 4
    assert SentReminder.objects.count() == 4


def test_the_claim_is_a_database_constraint(people):
    claim = {
        "kind": SentReminder.Kind.DUE,
        "organisation_id": people["acme"].pk,
        "due_on": DAY,
        "recipient": people["mark"],
    }
    assert reminder_claim(**claim) is True
    assert reminder_claim(**claim) is False  # whichever worker comes second
    with pytest.raises(IntegrityError), transaction.atomic():
        SentReminder.objects.create(**claim)  # the database refuses, not our code


def test_a_task_run_after_the_date_moved_sends_nothing(people):
    due_on = (DAY + datetime.timedelta(10)).isoformat()
    Cadence.objects.create(organisation=people["acme"], due_on=DAY + datetime.timedelta(100))
    assert send_measurement_reminder.call(people["acme"].pk, "due-soon", due_on) == 0
    assert mail.outbox == []


def test_switched_off_gets_nothing_and_the_settings_page_is_ones_own(client, people):
    client.force_login(people["mark"])
    page = client.get("/reminders/")
    assert page.status_code == 200
    assert "Acme" in page.content.decode()
    response = client.post("/reminders/", {"roadmap_reminders": "on"})
    assert response.status_code == 302
    preference = ReminderPreference.objects.get(user=people["mark"])
    assert (preference.measurement_reminders, preference.roadmap_reminders) == (False, True)
    assert ReminderPreference.objects.get(user=people["otto"]).measurement_reminders is False
    run_command(DAY)
    run_worker()
    assert [message.to for message in mail.outbox] == [["claire@example.org"]]


def test_roadmap_items_whose_quarter_ended_undone_are_reminded_once(people):
    quarter = Quarter.containing(DAY)
    roadmap = roadmap_create(assessment=people["assessment"], start=quarter + -4)
    for title, status, end in (
        ("Policy written", "planned", -1),
        ("Training", "in-progress", -1),
        ("Platforms", "done", -1),
        ("Older", "planned", -2),
        ("This quarter", "planned", 0),
    ):
        RoadmapItem.objects.create(
            roadmap=roadmap,
            title=title,
            status=status,
            start_quarter=roadmap.start_quarter,
            end_quarter=quarter.index + end,
        )
    Cadence.objects.create(organisation=people["acme"], due_on=DAY + datetime.timedelta(365))
    ReminderPreference.objects.create(user=people["claire"], roadmap_reminders=False)
    assert "and 1 roadmap reminder" in run_command(DAY)
    run_command(DAY)
    run_worker()
    run_command(DAY + datetime.timedelta(20))
    run_worker()
    # otto switched off only the measurement reminders; claire only the roadmap's.
    assert sorted(message.to[0] for message in mail.outbox) == [
        "mark@example.org",
        "otto@example.org",
    ]
    body = mail.outbox[0].body
    assert "- Policy written (2027 Q1, planned)" in body
    assert "- Training (2027 Q1, in progress)" in body
    assert "Platforms" not in body  # done
    assert "Older" not in body  # reminded of in its own next quarter
    assert "This quarter" not in body
    assert mail.outbox[0].subject == "Acme: roadmap items not done"


class SecondWorkerMidway(locmem.EmailBackend):
    """Delivers as the test backend does; before the first mail of a run goes out, a second
    worker runs the same task to its end: it must find every claim made and send nothing."""

    second_run: list = []

    def send_messages(self, messages):
        if not SecondWorkerMidway.second_run:
            SecondWorkerMidway.second_run.append(None)
            SecondWorkerMidway.second_run[0] = send_measurement_reminder.call(*self.task_args)
        return super().send_messages(messages)


class RefusingServer(locmem.EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("the mail server went away")


def test_a_second_worker_running_while_the_first_sends_sends_nothing(settings, people):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.SecondWorkerMidway"}}
    args = (people["acme"].pk, "due-soon", (DAY + datetime.timedelta(10)).isoformat())
    SecondWorkerMidway.task_args, SecondWorkerMidway.second_run = args, []
    # The second worker started after the first had claimed claire's reminder and before
    # her mail went out: it skipped her and sent mark's (not yet claimed); the first then
    # found mark's claimed and sent only claire's.
    assert send_measurement_reminder.call(*args) == 1
    assert SecondWorkerMidway.second_run == [1]
    assert sorted(message.to[0] for message in mail.outbox) == [
        "claire@example.org",
        "mark@example.org",
    ]


def test_a_mail_that_fails_gives_its_claim_back_and_the_next_run_sends_it(settings, people):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingServer"}}
    args = (people["acme"].pk, "due-soon", (DAY + datetime.timedelta(10)).isoformat())
    with pytest.raises(smtplib.SMTPException):
        send_measurement_reminder.call(*args)
    assert not SentReminder.objects.exists()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert send_measurement_reminder.call(*args) == 2
    assert len(mail.outbox) == 2


def test_a_manager_limited_to_a_unit_gets_no_mail_of_the_whole_organisation(people):
    from units.models import UnitRestriction
    from units.services import unit_create

    acme = people["acme"]
    unit = unit_create(organisation=acme, name="North", kind="region")
    UnitRestriction.objects.create(
        membership=Membership.objects.get(user=people["mark"], organisation=acme), unit=unit
    )
    quarter = Quarter.containing(DAY)
    roadmap = roadmap_create(assessment=people["assessment"], start=quarter + -4)
    RoadmapItem.objects.create(
        roadmap=roadmap,
        title="Whole-organisation item",
        status="planned",
        start_quarter=roadmap.start_quarter,
        end_quarter=quarter.index - 1,
    )
    run_command(DAY)
    run_worker()
    assert any("Whole-organisation item" in m.body for m in mail.outbox)  # the others: yes
    assert not [m for m in mail.outbox if "mark@example.org" in m.to]


class RefuseClaire(locmem.EmailBackend):
    def send_messages(self, messages):
        if any("claire@example.org" in m.to for m in messages):
            raise smtplib.SMTPRecipientsRefused({"claire@example.org": (550, b"no such user")})
        return super().send_messages(messages)


def test_one_refused_address_does_not_keep_the_others_from_their_mail(settings, people):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefuseClaire"}}
    args = (people["acme"].pk, "due-soon", (DAY + datetime.timedelta(10)).isoformat())
    send_measurement_reminder.call(*args)
    assert [m for m in mail.outbox if "mark@example.org" in m.to]
    # Claire's claim was given back: a later run (her address mended) still sends hers.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    send_measurement_reminder.call(*args)
    assert [m for m in mail.outbox if "claire@example.org" in m.to]
    assert len([m for m in mail.outbox if "mark@example.org" in m.to]) == 1
