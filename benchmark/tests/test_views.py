"""The benchmark page and the participation form, as members see them."""

import json
import re

import pytest
from django.urls import reverse

from benchmark.models import Consent, PeerProfile
from benchmark.services import profile_save, revision_bump


def page(client, assessment, **params):
    return client.get(reverse("benchmark:page", args=[assessment.pk]), params)


def traces(response) -> dict:
    """The radar's traces by their series, as the page hands them to plotly."""
    found = re.search(
        r'<script id="benchmark-radar-figure" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return {trace["meta"]: trace for trace in json.loads(found.group(1))["data"]}


def chosen_group(response) -> str | None:
    """The group the filter shows as chosen."""
    found = re.search(r'aria-current="page" href="\?group=(\w+)"', response.content.decode())
    return found.group(1) if found else None


def table_row(response, process: str) -> list[str]:
    """The cells of a process's row of the table, as text."""
    text = response.content.decode()
    table = text[text.index('data-testid="benchmark-table"') :]
    row = re.search(r"<th scope=\"row\">" + re.escape(process) + r"</th>(.*?)</tr>", table, re.S)
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    ]


def test_with_4_peers_the_page_shows_no_figures_and_no_count(client, alice, baseline, make_peers):
    make_peers(4, level=2)
    client.force_login(alice)
    response = page(client, baseline)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Too few peers to compare yet." in text
    assert text.count("too few peers to compare") == baseline.scores.count()
    assert "peer-lower" not in traces(response)  # no band
    assert not re.search(r"\b4 (peers|organisations)\b", text)


def test_with_5_peers_the_band_and_the_column_appear(client, bob, baseline, make_peers):
    make_peers(5, level=lambda i: [1, 2, 3, 4, 5][i])
    client.force_login(bob)  # a manager reads it too
    response = page(client, baseline)
    text = response.content.decode()
    assert "Too few peers to compare yet." not in text
    band = traces(response)
    assert band["peer-lower"]["r"][0] == 2
    assert band["peer-median"]["r"][0] == 3
    assert band["peer-upper"]["r"][0] == 4
    assert table_row(response, "Marketing") == ["not scored", "3", "2", "4"]
    assert not re.search(r"Peer \d", text)  # no peer is ever named
    assert 'href="/organisations/' in text
    assert reverse("benchmark:participation", args=[baseline.organisation_id]) not in text


def test_narrowing_the_filter_in_the_address_never_shows_a_small_group(
    client, alice, baseline, make_peers, lists
):
    """Retail has 5 peers, all others 1 more: "all" and "Retail" differ by one organisation.
    Asking for the sector in the address shows "all", never Retail."""
    (retail, health, *_), (small, *_) = lists
    profile_save(organisation=baseline.organisation, sector=retail, size_class=small)
    make_peers(5, level=2, sector=retail)
    make_peers(1, level=5, sector=health)
    client.force_login(alice)
    for group in ("sector", "size", "sector&size", ""):
        response = page(client, baseline, group=group)
        text = response.content.decode()
        assert "Same sector" not in text
        assert "Same size" not in text
        assert chosen_group(response) == "all"
        assert traces(response)["peer-upper"]["r"][0] == 2  # all six: 2,2,2,2,2,5
    make_peers(5, level=4, sector=health)
    response = page(client, baseline, group="sector")
    assert "Same sector: Retail" in response.content.decode()
    assert chosen_group(response) == "sector"


def test_the_page_takes_the_same_number_of_queries_for_6_or_30_peers(
    client, alice, baseline, make_peers
):
    """Rebuilt (a peer changed) or kept, the page's queries do not grow with the peers."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(alice)
    counts = {}
    for peers, more in ((6, 6), (30, 24)):
        make_peers(more, level=3)
        page(client, baseline)
        revision_bump()  # as any consent or profile saved: everything is built anew
        with CaptureQueriesContext(connection) as rebuilt:
            assert "peer-median" in traces(page(client, baseline))
        with CaptureQueriesContext(connection) as kept:
            page(client, baseline)
        counts[peers] = (len(rebuilt), len(kept))
    assert counts[6] == counts[30]
    # Kept: session, user, assessment, the site's brand, the peers' stamp; rebuilt: its own
    # results (3), profile, consent and the peer table (4) too.
    assert counts[6] == (14, 5)


def test_a_consultant_records_and_withdraws_consent_with_who_and_when(
    client, alice, organisation, lists
):
    (retail, *_), (small, *_) = lists
    url = reverse("benchmark:participation", args=[organisation.pk])
    client.force_login(alice)
    assert "No consent recorded yet." in client.get(url).content.decode()
    response = client.post(url, {"sector": retail.pk, "size_class": small.pk, "takes_part": "on"})
    assert response.status_code == 302
    consent = Consent.objects.get(organisation=organisation)
    assert consent.given_by == alice
    assert consent.in_force
    profile = PeerProfile.objects.get(organisation=organisation)
    assert (profile.sector, profile.size_class) == (retail, small)
    text = client.get(url).content.decode()
    assert "in force" in text
    assert "Alice" in text

    client.post(url, {"sector": retail.pk, "size_class": small.pk})  # unticked: withdrawn
    consent.refresh_from_db()
    assert consent.withdrawn_by == alice
    assert consent.withdrawn_at is not None
    assert not Consent.objects.active().filter(organisation=organisation).exists()
    assert "in force" not in client.get(url).content.decode()


def test_an_unknown_sector_is_refused(client, alice, organisation):
    url = reverse("benchmark:participation", args=[organisation.pk])
    client.force_login(alice)
    response = client.post(url, {"sector": 999999, "takes_part": "on"})
    assert response.status_code == 422
    assert not Consent.objects.filter(organisation=organisation).exists()


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_the_grid_links_to_the_benchmark(client, baseline, who, request):
    client.force_login(request.getfixturevalue(who))
    text = client.get(reverse("assessments:grid", args=[baseline.pk])).content.decode()
    assert reverse("benchmark:page", args=[baseline.pk]) in text


def test_the_organisation_page_links_consultants_to_the_participation(
    client, alice, bob, organisation
):
    url = reverse("assessments:organisation", args=[organisation.pk])
    link = reverse("benchmark:participation", args=[organisation.pk])
    client.force_login(alice)
    assert link in client.get(url).content.decode()
    client.force_login(bob)
    assert link not in client.get(url).content.decode()


def test_the_admin_keeps_the_lists_and_shows_the_consent_history(
    client, make_user, make_peers, lists
):
    make_peers(1, level=2)
    admin = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    for name in ("sector", "sizeclass", "peerprofile", "consent"):
        assert client.get(reverse(f"admin:benchmark_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:benchmark_sector_add")).status_code == 200
    assert client.get(reverse("admin:benchmark_consent_add")).status_code == 403


def test_the_kept_page_follows_a_withdrawal_and_the_own_levels(client, alice, baseline, make_peers):
    from assessments.services import bump_revision
    from benchmark.demo import criteria_up_to
    from benchmark.services import consent_withdraw

    peers = make_peers(5, level=2)
    client.force_login(alice)
    first = page(client, baseline)
    assert "peer-median" in traces(first)
    assert table_row(first, "Marketing")[0] == "not scored"
    criteria_up_to(baseline, lambda key: 4)
    bump_revision(baseline.pk)  # as every save of a score does
    assert table_row(page(client, baseline), "Marketing")[0] == "4"
    consent_withdraw(organisation=peers[0], by=alice)
    response = page(client, baseline)
    assert "peer-median" not in traces(response)
    assert "Too few peers to compare yet." in response.content.decode()
