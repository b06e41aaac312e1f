"""Workshop codes cannot be guessed through any door: the join page and every participant URL
count a wrong code against one limit per address block (an IPv6 /64 is one address), and an
address once refused gets 429 on all of them. The counters hold under parallel requests."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import Counter
from workshops import services
from workshops.models import Participant

from .test_voting import join


@pytest.fixture
def session(baseline, alice):
    return services.session_start(assessment=baseline, by=alice)


def participant_urls(code):
    return [
        ("get", reverse("workshops:participant", args=[code])),
        ("get", reverse("workshops:participant_state", args=[code])),
        ("post", reverse("workshops:vote", args=[code])),
    ]


@pytest.mark.parametrize("door", ["participant", "participant_state", "vote"])
def test_forty_wrong_codes_on_a_participant_url_are_refused_after_the_limit(
    client, session, settings, door
):
    statuses = []
    for n in range(40):
        url = reverse(f"workshops:{door}", args=[f"BAD{n:03}"])
        method = client.post if door == "vote" else client.get
        statuses.append(method(url, {"level": 3, "score": 1}, REMOTE_ADDR="198.51.100.7"))
    limit = settings.WORKSHOP_WRONG_CODES
    assert all(r.status_code != 429 for r in statuses[:limit])
    assert [r.status_code for r in statuses[limit:]] == [429] * (40 - limit)
    assert "Too many wrong codes from this address" in statuses[-1].content.decode()
    # Refused everywhere now, the join page included, even with the right code ...
    for method, url in participant_urls(session.code):
        assert getattr(client, method)(url, REMOTE_ADDR="198.51.100.7").status_code == 429
    assert join(client, session.code, address="198.51.100.7").status_code == 429
    assert not Participant.objects.exists()
    # ... and only for that address.
    assert join(Client(), session.code, address="198.51.100.8").status_code == 302


def test_the_doors_share_one_limit(client, session, settings):
    settings.WORKSHOP_WRONG_CODES = 6
    address = {"REMOTE_ADDR": "198.51.100.9"}
    for n in range(2):
        assert join(client, f"BADJ{n}", address="198.51.100.9").status_code == 404
        assert (
            client.get(reverse("workshops:participant", args=[f"BADP{n}"]), **address).status_code
            == 302
        )
        assert (
            client.get(
                reverse("workshops:participant_state", args=[f"BADS{n}"]), **address
            ).status_code
            == 286
        )
    assert join(client, "BADJ9", address="198.51.100.9").status_code == 429


def test_sixty_addresses_of_one_ipv6_64_are_one_address(client, session, settings):
    answers = [
        client.get(
            reverse("workshops:participant", args=[f"BAD{n:03}"]),
            REMOTE_ADDR=f"2001:db8:7:9:{n:x}::{n + 1:x}",
        ).status_code
        for n in range(60)
    ]
    limit = settings.WORKSHOP_WRONG_CODES
    assert answers[limit:] == [429] * (60 - limit)
    assert Counter.objects.get().key == "workshop-code:2001:db8:7:9::"
    # The neighbouring /64 is another subscriber.
    assert join(client, session.code, address="2001:db8:7:a::1").status_code == 302


def test_a_right_code_is_not_counted(client, session, settings):
    """A room full of phones behind one office address joins, however many there are."""
    for n in range(settings.WORKSHOP_WRONG_CODES * 3):
        assert join(Client(), session.code, name=f"P{n}", address="192.0.2.50").status_code == 302
    assert Participant.objects.count() == settings.WORKSHOP_WRONG_CODES * 3
    assert not Counter.objects.filter(count__gt=0).exists()


def test_a_phone_whose_session_died_is_not_counted_as_a_guess(client, session):
    """The workshop exists: coming back to it without the browser's session is no guess."""
    state = client.get(reverse("workshops:participant_state", args=[session.code]))
    assert state.status_code == 286
    assert not Counter.objects.filter(count__gt=0).exists()


@pytest.mark.django_db(transaction=True)
def test_thirty_parallel_wrong_codes_are_evaluated_at_most_the_limit(settings):
    """Counted before the code is looked at, in the counter row's transaction: a burst is
    refused after the limit, not after all of them."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        ("file:memorydb", ":memory:")
    ):
        pytest.skip("threads need a database they can share (PostgreSQL in CI)")
    start = threading.Barrier(30)
    statuses = []

    def guess(n):
        try:
            start.wait()
            response = Client().post(
                reverse("workshops:join"),
                {"code": f"BAD{n:03}", "name": ""},
                REMOTE_ADDR="203.0.113.77",
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # A 404 is a code looked up and found wrong; a 429 was refused before its look-up.
    limit = settings.WORKSHOP_WRONG_CODES
    assert sorted(statuses) == [404] * limit + [429] * (30 - limit)
    assert Counter.objects.get(key="workshop-code:203.0.113.77").count == limit
