import io

from django.core import mail
from django.core.management import call_command

from portfolio.models import Cadence

from .test_reminders import run_worker


def test_demo_portfolio_is_idempotent_and_gives_send_reminders_a_mail(demo_data):
    for _run in range(2):
        call_command("load_demo_portfolio", stdout=io.StringIO())
    cadence = Cadence.objects.get(organisation__name="Demo Retail BV")
    assert cadence.months == 12
    call_command("send_reminders", stdout=io.StringIO())
    run_worker()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "consultant@example.org",
        "manager@example.org",
    ]
