"""Every URL of the portal, enumerated from the URL conf: an outsider gets a 404, a manager may
read but gets a 403 on writes, with the method each URL takes. A URL added without an entry
here fails this test. The organisations, users and objects are made once for the module."""

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.models import Membership

# name -> (kind, how to build the kwargs from the objects of organisation A)
#   read:       a page members (consultant and manager) read; outsider 404; GET only (405)
#   consultant: a page only the consultants see: manager 403; outsider 404; GET only (405)
#   form:       a page with a form (GET shows it, POST saves): consultant only
#   post:       an action: POST only; manager 403; outsider 404; GET 405
#   image:      a picture members see (GET only): 404 to outsiders and anonymous visitors alike
URLS = {
    "assessments:organisation": ("read", lambda o: {"pk": o["organisation"].pk}),
    "assessments:organisation_edit": ("form", lambda o: {"pk": o["organisation"].pk}),
    "assessments:organisation_scope": ("form", lambda o: {"pk": o["organisation"].pk}),
    "assessments:invitation_create": ("post", lambda o: {"pk": o["organisation"].pk}),
    "assessments:invitation_revoke": (
        "post",
        lambda o: {"pk": o["organisation"].pk, "invitation_pk": o["invitation"].pk},
    ),
    "assessments:member_remove": (
        "post",
        lambda o: {"pk": o["organisation"].pk, "membership_pk": o["membership"].pk},
    ),
    "assessments:assessment_start": ("form", lambda o: {"pk": o["organisation"].pk}),
    "assessments:grid": ("read", lambda o: {"pk": o["assessment"].pk}),
    "assessments:grid_results": ("read", lambda o: {"pk": o["assessment"].pk}),
    "assessments:grid_focus": ("post", lambda o: {"pk": o["assessment"].pk}),
    "assessments:present": ("read", lambda o: {"pk": o["assessment"].pk}),
    "assessments:present_state": ("read", lambda o: {"pk": o["assessment"].pk}),
    "assessments:score_form": (
        "read",
        lambda o: {"pk": o["assessment"].pk, "score_pk": o["score"].pk},
    ),
    "assessments:score_save": (
        "post",
        lambda o: {"pk": o["assessment"].pk, "score_pk": o["score"].pk},
    ),
    "assessments:finalise": ("post", lambda o: {"pk": o["assessment"].pk}),
    "assessments:delete": ("form", lambda o: {"pk": o["assessment"].pk}),
    "assessments:share": ("post", lambda o: {"pk": o["assessment"].pk}),
    "assessments:aspects": ("form", lambda o: {"pk": o["assessment"].pk}),
    "assessments:reassessment_start": ("form", lambda o: {"pk": o["organisation"].pk}),
    "assessments:compare": ("read", lambda o: {"pk": o["organisation"].pk}),
    "assessments:trend": ("read", lambda o: {"pk": o["organisation"].pk}),
    "units:unit_list": ("read", lambda o: {"pk": o["organisation"].pk}),
    "units:unit_create": ("form", lambda o: {"pk": o["organisation"].pk}),
    "units:unit_assessment_start": ("form", lambda o: {"pk": o["organisation"].pk}),
    "units:rollup": ("read", lambda o: {"pk": o["organisation"].pk}),
    "units:rollup_pdf": ("read", lambda o: {"pk": o["organisation"].pk}),
    "units:unit_edit": ("form", lambda o: {"pk": o["organisation"].pk, "unit_pk": o["unit"].pk}),
    "units:unit_delete": (
        "form",
        lambda o: {"pk": o["organisation"].pk, "unit_pk": o["unit"].pk},
    ),
    "units:restriction_set": ("post", lambda o: {"pk": o["organisation"].pk}),
    "roadmaps:detail": ("read", lambda o: {"pk": o["assessment"].pk}),
    "roadmaps:create": ("post", lambda o: {"pk": o["assessment"].pk}),
    "roadmaps:draft": ("post", lambda o: {"pk": o["roadmap"].pk}),
    "roadmaps:item_create": ("post", lambda o: {"pk": o["roadmap"].pk}),
    "roadmaps:item_new": ("consultant", lambda o: {"pk": o["roadmap"].pk}),
    "roadmaps:item_form": (
        "consultant",
        lambda o: {"pk": o["roadmap"].pk, "item_pk": o["item"].pk},
    ),
    "roadmaps:proposals": ("post", lambda o: {"pk": o["roadmap"].pk}),
    "roadmaps:item_update": ("post", lambda o: {"pk": o["roadmap"].pk, "item_pk": o["item"].pk}),
    "roadmaps:item_accept": ("post", lambda o: {"pk": o["roadmap"].pk, "item_pk": o["item"].pk}),
    "roadmaps:item_move": ("post", lambda o: {"pk": o["roadmap"].pk, "item_pk": o["item"].pk}),
    "roadmaps:export_csv": ("read", lambda o: {"pk": o["roadmap"].pk}),
    "roadmaps:export_xlsx": ("read", lambda o: {"pk": o["roadmap"].pk}),
    "workshops:facilitate": ("consultant", lambda o: {"pk": o["assessment"].pk}),
    "workshops:start": ("post", lambda o: {"pk": o["assessment"].pk}),
    "workshops:panel": ("consultant", lambda o: {"pk": o["workshop"].pk}),
    "workshops:select": ("post", lambda o: {"pk": o["workshop"].pk}),
    "workshops:next": ("post", lambda o: {"pk": o["workshop"].pk}),
    "workshops:open_voting": ("post", lambda o: {"pk": o["workshop"].pk}),
    "workshops:close_voting": ("post", lambda o: {"pk": o["workshop"].pk}),
    "workshops:reveal": ("post", lambda o: {"pk": o["workshop"].pk}),
    "workshops:hide": ("post", lambda o: {"pk": o["workshop"].pk}),
    "workshops:names": ("post", lambda o: {"pk": o["workshop"].pk}),
    "workshops:consensus": ("post", lambda o: {"pk": o["workshop"].pk}),
    "workshops:close": ("post", lambda o: {"pk": o["workshop"].pk}),
    "surveys:overview": ("read", lambda o: {"pk": o["assessment"].pk}),
    "surveys:open": ("post", lambda o: {"pk": o["assessment"].pk}),
    "surveys:results": ("read", lambda o: {"pk": o["survey"].pk}),
    "surveys:close": ("post", lambda o: {"pk": o["survey"].pk}),
    "surveys:invite": ("post", lambda o: {"pk": o["survey"].pk}),
    "surveys:export": ("consultant", lambda o: {"pk": o["survey"].pk}),
    "reports:page": ("read", lambda o: {"pk": o["assessment"].pk}),
    "reports:pdf": ("read", lambda o: {"pk": o["assessment"].pk}),
    "reports:deck": ("read", lambda o: {"pk": o["assessment"].pk}),
    "reports:file": ("read", lambda o: {"pk": o["assessment"].pk, "file_pk": o["file"].pk}),
    "reports:file_status": (
        "read",
        lambda o: {"pk": o["assessment"].pk, "file_pk": o["file"].pk},
    ),
    "reports:xlsx": ("read", lambda o: {"pk": o["assessment"].pk}),
    "reports:history": ("consultant", lambda o: {"pk": o["assessment"].pk}),
    "benchmark:page": ("read", lambda o: {"pk": o["assessment"].pk}),
    "benchmark:participation": ("form", lambda o: {"pk": o["organisation"].pk}),
    "portfolio:cadence": ("form", lambda o: {"pk": o["organisation"].pk}),
    "branding:client_logo": (
        "image",
        lambda o: {"pk": o["organisation"].pk, "sha": o["client_logo"].sha256, "ext": "png"},
    ),
}
# URLs that hold no organisation's data: lists scoped to the user, or public pages.
UNSCOPED = {
    "home",
    "health",
    "set_language",
    "assessments:organisations",
    "assessments:organisation_create",
    # The signed-in person's own reminder switches: no id in the URL (portfolio/tests).
    "portfolio:reminders",
    # Participants of a live workshop have no account: these are guarded by the join code and
    # the browser's session instead (workshops/tests/test_voting.py).
    "workshops:join",
    "workshops:participant",
    "workshops:participant_state",
    "workshops:vote",
    # Respondents of a survey have no account: guarded by the survey's link or a personal
    # invitation's token and the browser's session (surveys/tests/test_respond.py).
    "surveys:respond",
    "surveys:invited",
    # The invited person is no member yet: guarded by the invitation's token, which any
    # signed-in account may use once (assessments/tests/test_invitations.py).
    "assessments:invitation",
    "assessments:invitation_accept",
    "assessments:invitation_decline",
    # The consultancy's logo and colours: the login page shows them (branding/tests).
    "branding:logo",
    "branding:css",
}
# What a write would send: enough to change something if it were let through.
POST_DATA = {
    "revision": 1,
    "ambition_level": 3,
    "name": "X",
    "score": "",
    "quarters": 1,
    "email": "someone@example.org",
    "role": "consultant",
    "shared": "1",
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


@pytest.fixture(scope="module")
def objects(django_db_setup, django_db_blocker):
    """Organisation A (consultant alice, manager bob) with a baseline, a second assessment, a
    roadmap with an item and a live workshop; charlie, a consultant of organisation B. Made
    once and rolled back when the module is done; each test rolls back its own changes."""
    from django.contrib.auth import get_user_model

    from assessments.models import BusinessProcess, ModelVersion
    from assessments.services import (
        assessment_finalise,
        assessment_start,
        invitation_create,
        organisation_create,
    )
    from branding.models import ClientLogo
    from reports.models import ReportFile
    from roadmaps.models import RoadmapItem
    from roadmaps.quarters import Quarter
    from roadmaps.services import roadmap_create
    from workshops.services import session_start

    with django_db_blocker.unblock(), transaction.atomic():
        users = {
            name: get_user_model().objects.create_user(name, password=f"{name}-password")
            for name in ("alice", "bob", "charlie")
        }
        version = ModelVersion.objects.get(model__key="smg", number=1)
        processes = list(BusinessProcess.objects.filter(version=version))
        organisation = organisation_create(
            name="Acme Zorg", report_language="en", processes=processes
        )
        other = organisation_create(name="Other Org", report_language="nl", processes=processes)
        Membership.objects.create(organisation=organisation, user=users["alice"], role="consultant")
        manager = Membership.objects.create(
            organisation=organisation, user=users["bob"], role="manager"
        )
        Membership.objects.create(organisation=other, user=users["charlie"], role="consultant")
        baseline = assessment_start(organisation=organisation, version=version, by=users["alice"])
        earlier = assessment_start(organisation=organisation, version=version, by=users["alice"])
        assessment_finalise(assessment=earlier)  # so that a re-assessment can start
        roadmap = roadmap_create(assessment=baseline, start=Quarter.of(2027, 1))
        item = RoadmapItem.objects.create(
            roadmap=roadmap,
            title="Policy",
            start_quarter=roadmap.start_quarter,
            end_quarter=roadmap.start_quarter + 1,
        )
        invitation, _token = invitation_create(
            organisation=organisation, email="dora@example.org", role="manager", by=users["alice"]
        )
        from surveys.services import survey_open

        survey = survey_open(
            assessment=baseline, groups=["staff"], min_group=3, open_link=True, by=users["alice"]
        )
        from units.services import unit_assessment_start, unit_create

        unit = unit_create(organisation=organisation, name="North", kind="region")
        unit_assessment_start(unit=unit, version=version, by=users["alice"])
        yield {
            **users,
            "unit": unit,
            "survey": survey,
            "other": other,
            "invitation": invitation,
            "workshop": session_start(assessment=baseline, by=users["alice"]),
            "roadmap": roadmap,
            "item": item,
            "organisation": organisation,
            "assessment": baseline,
            "score": baseline.scores.first(),
            "membership": manager,
            "client_logo": ClientLogo.objects.create(
                organisation=organisation,
                data=b"\x89PNG",
                content_type="image/png",
                sha256="c" * 64,
            ),
            "file": ReportFile.objects.create(  # being prepared: its pages answer 200
                assessment=baseline,
                kind="pdf",
                language="en",
                key="x",
                requested_at=baseline.created_at,
            ),
        }
        transaction.set_rollback(True)


def snapshot(objects):
    from assessments.models import Assessment, Invitation, ProcessScore
    from roadmaps.models import RoadmapItem
    from workshops.models import WorkshopSession

    baseline = Assessment.objects.get(pk=objects["assessment"].pk)
    return (
        sorted(
            WorkshopSession.objects.values_list(
                "pk", "revision", "current", "voting_open", "revealed", "show_names", "closed_at"
            )
        ),
        sorted(RoadmapItem.objects.values_list("pk", "title", "start_quarter", "is_proposal")),
        baseline.organisation.name,
        (baseline.status, baseline.revision, baseline.focus_id, baseline.shared_with_managers),
        Assessment.objects.count(),
        sorted(Membership.objects.values_list("user_id", "organisation_id", "role")),
        sorted(ProcessScore.objects.values_list("pk", "revision", "ambition_level")),
        sorted(Invitation.objects.values_list("pk", "email", "role", "token_hash", "accepted_at")),
    )


def url_of(name, objects):
    return reverse(name, kwargs=URLS[name][1](objects))


@pytest.mark.parametrize("name", sorted(URLS))
def test_outsider_gets_404_and_changes_nothing(db, client, objects, name):
    kind = URLS[name][0]
    url = url_of(name, objects)
    client.force_login(objects["charlie"])
    before = snapshot(objects)
    if kind == "post":
        assert client.post(url, POST_DATA).status_code == 404
        assert client.get(url).status_code == 405
    else:
        assert client.get(url).status_code == 404
    if kind == "form":
        assert client.post(url, POST_DATA).status_code == 404
    assert snapshot(objects) == before


@pytest.mark.parametrize("name", sorted(URLS))
def test_manager_reads_but_cannot_write(db, client, objects, name):
    kind = URLS[name][0]
    url = url_of(name, objects)
    client.force_login(objects["bob"])
    before = snapshot(objects)
    if kind in {"read", "image"}:
        assert client.get(url).status_code == 200
    elif kind in {"consultant", "form"}:
        assert client.get(url).status_code == 403
    if kind in {"form", "post"}:
        assert client.post(url, POST_DATA).status_code == 403
    assert snapshot(objects) == before


@pytest.mark.parametrize("name", sorted(n for n, (kind, _k) in URLS.items() if kind != "post"))
def test_members_pages_take_get_only_or_save_on_post(db, client, objects, name):
    """A page takes GET; a POST to it is 405 unless it is a form the consultant submits."""
    kind = URLS[name][0]
    client.force_login(objects["alice"])
    response = client.get(url_of(name, objects))
    assert response.status_code == 200
    if kind != "form":
        assert client.post(url_of(name, objects), POST_DATA).status_code == 405


@pytest.mark.parametrize("name", sorted(URLS))
def test_anonymous_visitor_is_sent_to_login(db, client, objects, name):
    response = client.get(url_of(name, objects))
    if URLS[name][0] == "image":  # an <img> has no use for the login page
        assert response.status_code == 404
        return
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", sorted(n for n, (kind, _k) in URLS.items() if kind == "post"))
def test_a_get_never_changes_anything(db, client, objects, name):
    client.force_login(objects["alice"])
    before = snapshot(objects)
    assert client.get(url_of(name, objects)).status_code == 405
    assert snapshot(objects) == before


@pytest.mark.parametrize("name", ["assessments:score_save", "assessments:score_form"])
def test_a_score_of_another_assessment_is_404_through_this_one(db, client, objects, name):
    from assessments.models import ProcessScore

    other = ProcessScore.objects.exclude(assessment=objects["assessment"]).first()
    client.force_login(objects["alice"])
    url = reverse(name, kwargs={"pk": objects["assessment"].pk, "score_pk": other.pk})
    if name == "assessments:score_save":
        assert client.post(url, POST_DATA).status_code == 404
    else:
        assert client.get(url).status_code == 404
    other.refresh_from_db()
    assert other.revision == 1


def test_the_focus_of_another_assessments_process_is_404(db, client, objects):
    from assessments.models import ProcessScore

    other = ProcessScore.objects.exclude(assessment=objects["assessment"]).first()
    client.force_login(objects["alice"])
    url = url_of("assessments:grid_focus", objects)
    assert client.post(url, {"score": other.pk}).status_code == 404
    assert client.post(url, {"score": "x"}).status_code == 400
    assert client.post(url, {"score": objects["score"].pk}).status_code == 204


def test_an_invitation_of_another_organisation_is_404_through_this_one(db, client, objects):
    """charlie, a consultant of organisation B, cannot revoke A's invitation through B."""
    from assessments.models import Invitation

    client.force_login(objects["charlie"])
    url = reverse(
        "assessments:invitation_revoke",
        kwargs={"pk": objects["other"].pk, "invitation_pk": objects["invitation"].pk},
    )
    assert client.post(url).status_code == 404
    assert Invitation.objects.filter(pk=objects["invitation"].pk).exists()
    too_big = reverse(
        "assessments:invitation_revoke",
        kwargs={"pk": objects["other"].pk, "invitation_pk": 2**63},
    )
    assert client.post(too_big).status_code == 404
