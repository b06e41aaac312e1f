"""Two workers run the same reminder task at the same moment, over two real connections: the
unique constraint lets one claim each reminder; the other's insert waits for it, then fails,
and it sends nothing for that person."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection

from assessments.models import Membership
from portfolio.cadence import add_months
from portfolio.models import SentReminder
from portfolio.tasks import send_measurement_reminder

from .factories import make_client

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs two connections at once: runs on PostgreSQL in CI",
    ),
]


def test_two_workers_at_once_send_each_reminder_once(make_user, smg_version):
    due_on = datetime.date.today() + datetime.timedelta(10)
    people = [make_user(f"person{n}", email=f"person{n}@example.org") for n in range(6)]
    acme, _assessment = make_client(
        "Acme", people[0], smg_version, assessed_on=add_months(due_on, -12)
    )
    for person in people[1:]:
        Membership.objects.create(organisation=acme, user=person, role="manager")
    start = threading.Barrier(2)
    sent = []

    def worker():
        try:
            start.wait(timeout=10)
            sent.append(send_measurement_reminder.call(acme.pk, "due-soon", due_on.isoformat()))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _two in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sum(sent) == 6
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in people)
    assert SentReminder.objects.count() == 6
