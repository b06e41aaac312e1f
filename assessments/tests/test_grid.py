"""The workshop grid: saving a process, recomputing, refusing bad input and stale saves."""

import pytest
from django.db.models import Q
from django.urls import reverse

from assessments.models import Criterion, ModelVersion, ProcessScore
from assessments.services import version_clone


@pytest.fixture
def marketing(baseline):
    return baseline.scores.select_related("process").get(process__key="marketing")


def criteria_up_to(score, level):
    return list(
        Criterion.objects.filter(
            version=score.assessment.version, level__number__lte=level, level__number__gte=2
        )
        .filter(process__isnull=True)
        .values_list("pk", flat=True)
    ) + list(
        Criterion.objects.filter(process=score.process, level__number__lte=level).values_list(
            "pk", flat=True
        )
    )


def form_data(score, **changes):
    data = {
        "revision": score.revision,
        "criteria": [],
        "ambition_level": "",
        "ambition_reason": "",
        "override_level": "",
        "override_reason": "",
        "notes": "",
        "evidence": "",
        "confidence": "",
    }
    data.update(changes)
    return data


def save(client, score, **changes):
    url = reverse("assessments:score_save", args=[score.assessment_id, score.pk])
    return client.post(url, form_data(score, **changes), HTTP_HX_REQUEST="true")


def stored(score):
    score.refresh_from_db()
    return (
        score.revision,
        score.ambition_level,
        score.override_level,
        score.notes,
        sorted(score.criteria_met.values_list("pk", flat=True)),
    )


def open_row(client, score):
    url = reverse("assessments:score_form", args=[score.assessment_id, score.pk])
    return client.get(url, HTTP_HX_REQUEST="true")


def results(client, assessment):
    url = reverse("assessments:grid_results", args=[assessment.pk])
    return client.get(url, HTTP_HX_REQUEST="true").content.decode()


def test_grid_shows_every_process_with_its_summary_the_radar_and_the_heatmap(
    client, alice, baseline
):
    client.force_login(alice)
    response = client.get(reverse("assessments:grid", args=[baseline.pk]))
    html = response.content.decode()
    assert html.count('data-testid="process-row"') == baseline.scores.count()
    assert html.count('data-testid="level"') == baseline.scores.count()
    assert "ambition not set" in html
    assert "0 of 7 scored" in html
    assert 'id="radar-figure"' in html
    assert 'data-testid="heatmap"' in html
    # The rows' forms are fetched when a row opens, not sent with the page.
    assert 'name="criteria"' not in html
    for score in baseline.scores.all():
        url = reverse("assessments:score_form", args=[baseline.pk, score.pk])
        assert f'data-form-url="{url}"' in html


def test_opening_a_row_fetches_its_form_with_levels_and_criteria(client, alice, marketing):
    client.force_login(alice)
    save(client, marketing, criteria=criteria_up_to(marketing, 2), notes="Seen")
    marketing.refresh_from_db()
    response = open_row(client, marketing)
    assert response.status_code == 200
    html = response.content.decode()
    assert "3. Structured" in html
    assert "level-3 baseline" in html
    assert f'id="score-{marketing.pk}-revision" value="2"' in html
    assert "Last change by Alice" in html
    assert ">Seen</textarea>" in html
    applicable = Criterion.objects.filter(version=marketing.assessment.version).filter(
        Q(process__isnull=True) | Q(process=marketing.process)
    )
    assert html.count('name="criteria"') == applicable.count()
    assert html.count(" checked>") == len(criteria_up_to(marketing, 2))
    assert "<fieldset disabled>" not in html


def test_ticking_criteria_recomputes_the_level_and_saves(client, alice, marketing):
    client.force_login(alice)
    ticked = criteria_up_to(marketing, 3)
    response = save(client, marketing, criteria=ticked, ambition_level=4, notes="Good start")
    assert response.status_code == 200
    html = response.content.decode()
    assert "3. Structured" in html  # the recomputed level in the row summary
    assert f'id="score-{marketing.pk}-revision" value="2"' in html
    assert "Saved" in html
    assert stored(marketing) == (2, 4, None, "Good start", sorted(ticked))
    # The answer is lean; it asks the page to fetch the radar, heatmap and progress anew.
    assert 'id="radar-figure"' not in html
    assert "scores-changed" in response["HX-Trigger"]
    side = results(client, marketing.assessment)
    assert "1 of 7 scored" in side
    assert 'id="radar-figure"' in side
    assert 'id="heatmap"' in side
    assert side.count('hx-swap-oob="true"') == 3


def test_the_grid_shows_every_change_at_once(client, alice, marketing, make_user):
    """The rendered rows are kept between requests; a change of any process shows on the next
    page, whoever made it and in whichever language."""
    from assessments.models import Membership

    grid = reverse("assessments:grid", args=[marketing.assessment_id])
    client.force_login(alice)
    assert "0 of 7 scored" in client.get(grid).content.decode()
    assert "0 of 7 scored" in client.get(grid).content.decode()
    save(client, marketing, criteria=criteria_up_to(marketing, 3), ambition_level=4)
    html = client.get(grid).content.decode()
    assert "1 of 7 scored" in html
    assert "3. Structured" in html
    assert "→ 4. Integrated" in html

    dave = make_user("dave")
    Membership.objects.create(
        organisation=marketing.assessment.organisation, user=dave, role="consultant"
    )
    marketing.refresh_from_db()
    client.force_login(dave)
    save(client, marketing, criteria=criteria_up_to(marketing, 3), ambition_level=2)
    client.force_login(alice)
    html = client.get(grid).content.decode()
    assert "→ 2. Experimenting" in html
    assert "→ 4. Integrated" not in html
    html = client.get(grid, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'lang="nl"' in html
    assert "1 van 7 gescoord" in html


def test_a_repeated_autosave_with_the_old_revision_is_not_a_conflict(client, alice, marketing):
    client.force_login(alice)
    assert save(client, marketing, ambition_level=3).status_code == 200
    assert save(client, marketing, ambition_level=3).status_code == 200  # same data, revision 1
    assert stored(marketing)[:2] == (2, 3)


def test_stale_save_is_refused_and_keeps_input(client, alice, marketing, make_user):
    from assessments.models import Membership

    dave = make_user("dave", first_name="Dave")
    Membership.objects.create(
        organisation=marketing.assessment.organisation, user=dave, role="consultant"
    )
    client.force_login(dave)
    assert save(client, marketing, ambition_level=3, notes="Dave's view").status_code == 200

    client.force_login(alice)  # alice still has revision 1 in her browser
    response = save(client, marketing, ambition_level=5, notes="Alice's view")
    assert response.status_code == 409
    html = response.content.decode()
    assert "someone else changed this process" in html
    assert "Dave saved it at" in html
    assert "Dave&#x27;s view" in html
    assert "Alice&#x27;s view" in html
    assert "5. Social enterprise" in html
    assert "3. Structured" in html
    assert 'name="overwrite_revision" value="2"' in html
    assert stored(marketing)[:4] == (2, 3, None, "Dave's view")

    # Choosing "save mine over theirs" sends the current revision along.
    response = save(client, marketing, ambition_level=5, notes="Alice's view", overwrite_revision=2)
    assert response.status_code == 200
    assert stored(marketing)[:4] == (3, 5, None, "Alice's view")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ambition_level": 7}, "7 is not a level of this model"),
        ({"override_level": 0}, "0 is not a level of this model"),
        ({"override_level": 3}, "A consensus level needs a reason"),
        ({"override_level": 3, "override_reason": "   "}, "A consensus level needs a reason"),
        ({"notes": "x" * 10_001}, "at most 10000 characters"),
        ({"ambition_reason": "x" * 2_001}, "at most 2000 characters"),
        ({"criteria": [999_999]}, "not part of this process in this model version"),
        ({"confidence": "sure"}, "Select a valid choice"),
        ({"revision": "abc"}, "Enter a whole number"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_writes_nothing(
    client, alice, marketing, changes, message
):
    client.force_login(alice)
    before = stored(marketing)
    response = save(client, marketing, **{"ambition_level": 3, **changes})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert "Not saved" in response.content.decode()
    assert stored(marketing) == before


def test_criteria_of_another_version_or_process_are_refused(client, alice, marketing, smg_version):
    draft = version_clone(version=smg_version)
    other_version = Criterion.objects.filter(version=draft).first()
    sales_only = Criterion.objects.get(version=smg_version, process__key="sales", level__number=3)
    client.force_login(alice)
    before = stored(marketing)
    for criterion in (other_version, sales_only):
        response = save(client, marketing, criteria=[criterion.pk])
        assert response.status_code == 422
    assert stored(marketing) == before
    assert ModelVersion.objects.count() == 2


def test_overriding_with_a_reason_shows_consensus(client, alice, marketing):
    client.force_login(alice)
    response = save(client, marketing, override_level=2, override_reason="Team agrees on 2")
    assert response.status_code == 200
    assert "consensus" in response.content.decode()
    assert stored(marketing)[2] == 2


def test_a_final_assessment_is_read_only(client, alice, baseline, marketing):
    client.force_login(alice)
    client.post(reverse("assessments:finalise", args=[baseline.pk]))
    baseline.refresh_from_db()
    assert baseline.is_final
    before = stored(marketing)
    response = save(client, marketing, ambition_level=3)
    assert response.status_code == 409
    assert "final and read-only" in response.content.decode()
    assert stored(marketing) == before
    assert "<fieldset disabled>" in open_row(client, marketing).content.decode()
    assert client.post(reverse("assessments:delete", args=[baseline.pk])).status_code == 302
    assert ProcessScore.objects.filter(assessment=baseline).exists()


def test_deleting_a_draft_asks_first_then_deletes(client, alice, baseline):
    client.force_login(alice)
    url = reverse("assessments:delete", args=[baseline.pk])
    assert b"Delete this draft assessment?" in client.get(url).content
    assert type(baseline).objects.filter(pk=baseline.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not type(baseline).objects.filter(pk=baseline.pk).exists()


def test_state_changes_need_csrf(alice, marketing):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    before = stored(marketing)
    assert save(client, marketing, ambition_level=3).status_code == 403
    assert stored(marketing) == before


def test_save_without_htmx_redirects_back_to_the_row(client, alice, marketing):
    client.force_login(alice)
    url = reverse("assessments:score_save", args=[marketing.assessment_id, marketing.pk])
    response = client.post(url, form_data(marketing, ambition_level=3))
    assert response.status_code == 302
    assert response.url.endswith(f"#score-{marketing.pk}")


# --- query counts do not grow with the model ------------------------------------------------


@pytest.mark.parametrize("processes", [3, 30])
def test_grid_and_save_queries_do_not_grow_with_processes(
    client, make_big_assessment, django_assert_max_num_queries, processes
):
    assessment = make_big_assessment(processes)
    user = assessment.created_by
    client.force_login(user)
    grid = reverse("assessments:grid", args=[assessment.pk])
    with django_assert_max_num_queries(10):  # the first one loads the model version too
        response = client.get(grid)
    assert response.content.decode().count('data-testid="process-row"') == processes
    with django_assert_max_num_queries(3):  # unchanged since: the rendered rows are kept
        client.get(grid)
    score = assessment.scores.first()
    with django_assert_max_num_queries(4):
        assert open_row(client, score).status_code == 200
    ticked = criteria_up_to(score, 2)[:-1]
    with django_assert_max_num_queries(10):  # includes the audit trail rows
        response = save(client, score, ambition_level=4, criteria=ticked)
    assert response.status_code == 200
    with django_assert_max_num_queries(5):
        assert f"{processes} of {processes} scored" in results(client, assessment)
    with django_assert_max_num_queries(6):
        assert client.get(grid).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200


def test_every_save_leaves_one_audit_record_with_the_criteria_met(client, alice, marketing):
    """The save writes the audit record itself (not django-simple-history's post_save): the
    same rows, one per save, with the link rows of the criteria met."""
    from django.apps import apps

    client.force_login(alice)
    first, second = criteria_up_to(marketing, 2)[:2]
    save(client, marketing, criteria=[first], notes="One")
    marketing.refresh_from_db()
    save(client, marketing, criteria=[second], ambition_level=3, notes="Two")
    records = list(marketing.history.order_by("history_id"))
    assert [(r.history_type, r.revision, r.notes, r.history_user) for r in records] == [
        ("+", 1, "", alice),  # created with the assessment
        ("~", 2, "One", alice),
        ("~", 3, "Two", alice),
    ]
    assert records[-1].ambition_level == 3
    met = apps.get_model("assessments", "HistoricalProcessScore_criteria_met")
    links = ProcessScore.criteria_met.through.objects.filter(processscore=marketing)
    assert sorted(met.objects.filter(history=records[-1]).values_list("id", "criterion_id")) == (
        sorted(links.values_list("id", "criterion_id"))
    )
    assert list(met.objects.filter(history=records[1]).values_list("criterion_id", flat=True)) == [
        first
    ]


def test_a_published_catalogue_is_kept_and_a_draft_is_read_afresh(
    smg_version, django_assert_num_queries
):
    from assessments.selectors import catalogue_for

    first = catalogue_for(smg_version)
    with django_assert_num_queries(0):
        assert catalogue_for(smg_version) is first
    draft = version_clone(version=smg_version)
    catalogue_for(draft)
    with django_assert_num_queries(4):
        catalogue_for(draft)
