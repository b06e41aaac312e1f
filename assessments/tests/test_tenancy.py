"""Every URL of the portal, enumerated from the URL conf: an outsider gets a 404, a manager may
read but gets a 403 on writes. A URL added without an entry here fails this test."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.models import Membership

# name -> (kind, how to build the kwargs from the objects of organisation A)
#   read:       members (consultant and manager) 200; outsider 404; GET only
#   consultant: a page only the consultants see: manager 403; outsider 404; GET only
#   write:      consultant allowed; manager 403; outsider 404
URLS = {
    "assessments:organisation": ("read", lambda o: {"pk": o["organisation"].pk}),
    "assessments:organisation_edit": ("write", lambda o: {"pk": o["organisation"].pk}),
    "assessments:organisation_scope": ("write", lambda o: {"pk": o["organisation"].pk}),
    "assessments:member_add": ("write", lambda o: {"pk": o["organisation"].pk}),
    "assessments:member_remove": (
        "write",
        lambda o: {"pk": o["organisation"].pk, "membership_pk": o["membership"].pk},
    ),
    "assessments:assessment_start": ("write", lambda o: {"pk": o["organisation"].pk}),
    "assessments:grid": ("read", lambda o: {"pk": o["assessment"].pk}),
    "assessments:grid_results": ("read", lambda o: {"pk": o["assessment"].pk}),
    "assessments:score_form": (
        "read",
        lambda o: {"pk": o["assessment"].pk, "score_pk": o["score"].pk},
    ),
    "assessments:score_save": (
        "write",
        lambda o: {"pk": o["assessment"].pk, "score_pk": o["score"].pk},
    ),
    "assessments:finalise": ("write", lambda o: {"pk": o["assessment"].pk}),
    "assessments:delete": ("write", lambda o: {"pk": o["assessment"].pk}),
    "assessments:aspects": ("write", lambda o: {"pk": o["assessment"].pk}),
    "assessments:reassessment_start": ("write", lambda o: {"pk": o["organisation"].pk}),
    "assessments:compare": ("read", lambda o: {"pk": o["organisation"].pk}),
    "assessments:trend": ("read", lambda o: {"pk": o["organisation"].pk}),
    "roadmaps:detail": ("read", lambda o: {"pk": o["assessment"].pk}),
    "roadmaps:create": ("write", lambda o: {"pk": o["assessment"].pk}),
    "roadmaps:draft": ("write", lambda o: {"pk": o["roadmap"].pk}),
    "roadmaps:item_create": ("write", lambda o: {"pk": o["roadmap"].pk}),
    "roadmaps:item_update": ("write", lambda o: {"pk": o["roadmap"].pk, "item_pk": o["item"].pk}),
    "roadmaps:item_accept": ("write", lambda o: {"pk": o["roadmap"].pk, "item_pk": o["item"].pk}),
    "roadmaps:item_move": ("write", lambda o: {"pk": o["roadmap"].pk, "item_pk": o["item"].pk}),
    "roadmaps:export_csv": ("read", lambda o: {"pk": o["roadmap"].pk}),
    "roadmaps:export_xlsx": ("read", lambda o: {"pk": o["roadmap"].pk}),
    "workshops:facilitate": ("consultant", lambda o: {"pk": o["assessment"].pk}),
    "workshops:start": ("write", lambda o: {"pk": o["assessment"].pk}),
    "workshops:panel": ("consultant", lambda o: {"pk": o["workshop"].pk}),
    "workshops:control": ("write", lambda o: {"pk": o["workshop"].pk}),
    "reports:page": ("read", lambda o: {"pk": o["assessment"].pk}),
    "reports:pdf": ("read", lambda o: {"pk": o["assessment"].pk}),
    "reports:xlsx": ("read", lambda o: {"pk": o["assessment"].pk}),
    "reports:history": ("consultant", lambda o: {"pk": o["assessment"].pk}),
}
# URLs that hold no organisation's data: lists scoped to the user, or public pages.
UNSCOPED = {
    "home",
    "health",
    "set_language",
    "assessments:organisations",
    "assessments:organisation_create",
    # Participants of a live workshop have no account: these are guarded by the join code and
    # the browser's session instead (workshops/tests/test_voting.py).
    "workshops:join",
    "workshops:participant",
    "workshops:participant_state",
    "workshops:vote",
}


def our_url_names():
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue  # Django admin: staff only, tested in test_model_versions
                if getattr(pattern.urlconf_name, "__name__", "") == "accounts.urls":
                    continue  # sign-in and the user's own account (accounts/tests)
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, inner if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_url_is_covered_by_the_tenancy_table():
    names = our_url_names()
    unknown = names - set(URLS) - UNSCOPED
    assert not unknown, f"add these URLs to the tenancy table: {sorted(unknown)}"
    assert set(URLS) <= names


@pytest.fixture
def objects(baseline, alice, bob, charlie):
    from assessments.services import assessment_start
    from roadmaps.models import RoadmapItem
    from roadmaps.quarters import Quarter
    from roadmaps.services import roadmap_create

    assessment_start(organisation=baseline.organisation, version=baseline.version, by=alice)
    roadmap = roadmap_create(assessment=baseline, start=Quarter.of(2027, 1))
    item = RoadmapItem.objects.create(
        roadmap=roadmap,
        title="Policy",
        start_quarter=roadmap.start_quarter,
        end_quarter=roadmap.start_quarter + 1,
    )
    from workshops.services import session_start

    return {
        "workshop": session_start(assessment=baseline, by=alice),
        "roadmap": roadmap,
        "item": item,
        "organisation": baseline.organisation,
        "assessment": baseline,
        "score": baseline.scores.first(),
        "membership": Membership.objects.get(user=bob, organisation=baseline.organisation),
    }


def snapshot(baseline):
    from roadmaps.models import RoadmapItem

    baseline.refresh_from_db()
    return (
        sorted(RoadmapItem.objects.values_list("pk", "title", "start_quarter", "is_proposal")),
        baseline.organisation.name,
        baseline.status,
        sorted(Membership.objects.values_list("user_id", "organisation_id", "role")),
        sorted(baseline.scores.values_list("pk", "revision", "ambition_level")),
    )


@pytest.mark.parametrize("name", sorted(URLS))
def test_outsider_gets_404_and_changes_nothing(client, objects, charlie, baseline, name):
    kind, kwargs = URLS[name]
    url = reverse(name, kwargs=kwargs(objects))
    client.force_login(charlie)
    before = snapshot(baseline)
    assert client.get(url).status_code in {404, 405}
    post = client.post(url, {"revision": 1, "ambition_level": 3, "name": "X"})
    assert post.status_code == (404 if kind == "write" else 405)  # pages take GET only
    assert snapshot(baseline) == before


@pytest.mark.parametrize("name", sorted(URLS))
def test_manager_reads_but_cannot_write(client, objects, bob, baseline, name):
    kind, kwargs = URLS[name]
    url = reverse(name, kwargs=kwargs(objects))
    client.force_login(bob)
    before = snapshot(baseline)
    if kind == "read":
        assert client.get(url).status_code == 200
    elif kind == "consultant":
        assert client.get(url).status_code == 403
    else:
        assert client.get(url).status_code in {403, 405}
        assert client.post(url, {"revision": 1, "ambition_level": 3}).status_code == 403
    assert snapshot(baseline) == before


@pytest.mark.parametrize("name", sorted(URLS))
def test_anonymous_visitor_is_sent_to_login(client, objects, name):
    _kind, kwargs = URLS[name]
    response = client.get(reverse(name, kwargs=kwargs(objects)))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", sorted(n for n, (kind, _k) in URLS.items() if kind == "write"))
def test_a_get_never_changes_anything(client, objects, alice, baseline, name):
    _kind, kwargs = URLS[name]
    client.force_login(alice)
    before = snapshot(baseline)
    assert client.get(reverse(name, kwargs=kwargs(objects))).status_code in {200, 302, 405}
    assert snapshot(baseline) == before


@pytest.mark.parametrize("name", ["assessments:score_save", "assessments:score_form"])
def test_a_score_of_another_assessment_is_404_through_this_one(
    client, alice, baseline, smg_version, name
):
    from assessments.services import assessment_start

    other = assessment_start(organisation=baseline.organisation, version=smg_version, by=alice)
    client.force_login(alice)
    url = reverse(name, kwargs={"pk": baseline.pk, "score_pk": other.scores.first().pk})
    assert client.post(url, {"revision": 1, "ambition_level": 3}).status_code in {404, 405}
    assert client.get(url).status_code in {404, 405}
    assert other.scores.first().revision == 1
