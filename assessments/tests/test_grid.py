"""The workshop grid: saving a process, recomputing, refusing bad input and stale saves."""

import re

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
    """Post the row's form as the browser does: everything, with `changes`."""
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
    # Nobody scored anything yet: "not scored", never level 1.
    assert html.count(">not scored<") >= baseline.scores.count()
    assert "1. Ad hoc</span>" not in html
    assert "ambition not set" in html
    assert "0 of 7 scored" in html
    assert "Left: Marketing" in html
    # The radar's figure travels in an attribute, which htmx keeps when it swaps parts in.
    assert 'id="radar-data" data-json="{' in html
    assert 'data-testid="heatmap"' in html
    assert html.count('data-testid="heatmap-not-scored"') == baseline.scores.count()
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
    # The levels as one row of buttons, level 2 pressed (all of level 2 met).
    assert html.count('class="btn level-button') == 5
    assert 'value="2" class="btn level-button lvl-2 active" aria-pressed="true"' in html
    assert 'name="level"' not in html  # the level goes with one save only (grid.js)
    # The ambition as buttons, at the top beside the level.
    assert html.count('name="ambition_level"') == 6
    assert html.index('name="ambition_level"') < html.index('name="criteria"')
    assert html.index('name="override_level"') < html.index('name="criteria"')
    assert "3. Structured" in html
    assert "level-3 baseline" in html
    assert f'id="score-{marketing.pk}-revision" value="2"' in html
    assert "Last change by Alice" in html
    assert ">Seen</textarea>" in html
    applicable = Criterion.objects.filter(version=marketing.assessment.version).filter(
        Q(process__isnull=True) | Q(process=marketing.process)
    )
    assert html.count('name="criteria"') == applicable.count()
    assert html.count('name="na_') == applicable.count()  # each may be marked not applicable
    ticked = re.findall(r'name="criteria" value="\d+" id="[^"]+" checked', html)
    assert len(ticked) == len(criteria_up_to(marketing, 2))
    # Criteria fold per level: the level being decided (3) is open, the others folded.
    assert html.count('<details class="level-block"') == 4
    assert html.count('<details class="level-block" data-level="3" open>') == 1
    level_two = sum(1 for c in applicable if c.level.number == 2)
    assert f"{level_two} of {level_two} met" in html
    assert "<fieldset disabled>" not in html


def test_one_click_on_a_level_ticks_the_criteria_up_to_it_and_none_above(client, alice, marketing):
    client.force_login(alice)
    ticked_above = criteria_up_to(marketing, 5)[-1:]
    response = save(client, marketing, level=3, criteria=ticked_above)
    assert response.status_code == 200
    marketing.refresh_from_db()
    assert sorted(marketing.criteria_met.values_list("pk", flat=True)) == sorted(
        criteria_up_to(marketing, 3)
    )
    assert marketing.is_scored
    html = response.content.decode()
    assert "3. Structured</span>" in html  # the row's summary
    assert "scores-changed" in response["HX-Trigger"]

    # Level 1 ticks nothing, and still counts as scored.
    response = save(client, marketing, level=1, revision=2)
    marketing.refresh_from_db()
    assert list(marketing.criteria_met.all()) == []
    assert "1. Ad hoc</span>" in response.content.decode()
    assert marketing.is_scored


def test_a_criterion_that_does_not_apply_leaves_the_level(client, alice, marketing):
    """One level-2 criterion unmet holds the process at level 1 until it is marked as not
    applicable (with a reason); a reason also wins over a tick."""
    client.force_login(alice)
    level_two = criteria_up_to(marketing, 2)
    unmet, *rest = level_two
    save(client, marketing, criteria=rest)
    marketing.refresh_from_db()
    response = save(client, marketing, criteria=level_two, **{f"na_{unmet}": "No own platform"})
    assert response.status_code == 200
    assert "2. Experimenting</span>" in response.content.decode()
    marketing.refresh_from_db()
    assert dict(marketing.exclusions.values_list("criterion_id", "reason")) == {
        unmet: "No own platform"
    }
    assert unmet not in set(marketing.criteria_met.values_list("pk", flat=True))
    html = open_row(client, marketing).content.decode()
    assert 'value="No own platform"' in html
    assert "1 does not apply" in html


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
    assert "data-json" not in html
    assert "scores-changed" in response["HX-Trigger"]
    side = results(client, marketing.assessment)
    assert "1 of 7 scored" in side
    assert 'id="radar-data" data-json="{' in side
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


@pytest.fixture
def dave(make_user, marketing):
    from assessments.models import Membership

    user = make_user("dave", first_name="Dave")
    Membership.objects.create(
        organisation=marketing.assessment.organisation, user=user, role="consultant"
    )
    return user


def test_two_editors_of_different_fields_are_merged(client, alice, dave, marketing):
    """Dave ticks a criterion; Alice, still on revision 1, types notes: both are kept, and
    Alice's row is told about Dave's tick."""
    criterion = criteria_up_to(marketing, 2)[0]
    client.force_login(dave)
    assert save(client, marketing, criteria=[criterion]).status_code == 200

    client.force_login(alice)  # her browser still has revision 1 and no criterion ticked
    response = save(client, marketing, notes="Pilot on LinkedIn")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this process meanwhile" in html
    assert f'id="score-{marketing.pk}-criteria" class="criteria" hx-swap-oob="true"' in html
    assert f'value="{criterion}" id="c-{marketing.pk}-{criterion}" checked' in html
    assert f'id="score-{marketing.pk}-revision" value="3"' in html
    assert stored(marketing) == (3, None, None, "Pilot on LinkedIn", [criterion])


def test_two_editors_of_the_same_field_see_both_and_keep_the_input(client, alice, dave, marketing):
    client.force_login(dave)
    assert save(client, marketing, ambition_level=3, notes="Dave's view").status_code == 200

    client.force_login(alice)  # alice still has revision 1 in her browser
    response = save(client, marketing, ambition_level=5, evidence="Alice's link")
    assert response.status_code == 409
    html = response.content.decode()
    assert "someone else changed the same field" in html
    assert "Dave saved it at" in html
    assert html.count('data-testid="conflict-field"') == 1  # only the ambition asks
    assert "5. Social enterprise" in html
    assert "3. Structured" in html
    assert 'name="keep" value="2:ambition_level"' in html
    assert stored(marketing)[:4] == (2, 3, None, "Dave's view")  # nothing saved

    # "Keep my input": her ambition wins; Dave's notes stay, her evidence is saved.
    response = save(
        client,
        marketing,
        revision=1,
        ambition_level=5,
        evidence="Alice's link",
        keep="2:ambition_level",
    )
    assert response.status_code == 200
    assert stored(marketing)[:4] == (3, 5, None, "Dave's view")
    assert marketing.evidence == "Alice's link"


def test_keeping_ones_input_asks_again_after_yet_another_save(client, alice, dave, marketing):
    client.force_login(dave)
    save(client, marketing, ambition_level=3)
    marketing.refresh_from_db()
    save(client, marketing, ambition_level=4)  # revision 3 now
    client.force_login(alice)
    response = save(client, marketing, revision=1, ambition_level=5, keep="2:ambition_level")
    assert response.status_code == 409
    assert 'name="keep" value="3:ambition_level"' in response.content.decode()
    assert stored(marketing)[:2] == (3, 4)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ambition_level": 7}, "7 is not a level of this model"),
        ({"override_level": 0}, "0 is not a level of this model"),
        ({"override_level": 3}, "A consensus level needs a reason"),
        ({"keep": "x:ambition_level"}, "The choice to keep your input was not understood"),
        ({"level": 6}, "6 is not a level of this model"),
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


def test_a_refused_save_puts_its_message_beside_the_field(client, alice, marketing):
    client.force_login(alice)
    response = save(client, marketing, override_level=3)
    assert response.status_code == 422
    html = response.content.decode()
    assert (
        f'<div id="score-{marketing.pk}-err-override_reason" hx-swap-oob="innerHTML">'
        '<span role="alert">A consensus level needs a reason' in html
    )
    assert 'data-testid="not-saved">Not saved<' in html


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
    with django_assert_max_num_queries(11):  # the first one loads the model version too
        response = client.get(grid)
    assert response.content.decode().count('data-testid="process-row"') == processes
    # Unchanged since: the rendered rows are kept; session, user, assessment, the brand.
    with django_assert_max_num_queries(4):
        client.get(grid)
    score = assessment.scores.first()
    with django_assert_max_num_queries(5):
        assert open_row(client, score).status_code == 200
    ticked = criteria_up_to(score, 2)[:-1]
    with django_assert_max_num_queries(14):  # access with the lock, merge, write, audit record
        response = save(client, score, ambition_level=4, criteria=ticked)
    assert response.status_code == 200
    with django_assert_max_num_queries(6):
        assert f"{processes} of {processes} scored" in results(client, assessment)
    with django_assert_max_num_queries(7):  # its rows rendered anew, the rest kept
        assert client.get(grid).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(grid).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200


def test_every_save_leaves_one_audit_record_with_the_criteria_met(client, alice, marketing):
    """django-simple-history records every save once, with the criteria as they then were."""
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
    assert list(records[1].criteria_met.values_list("criterion_id", flat=True)) == [first]
    assert list(records[2].criteria_met.values_list("criterion_id", flat=True)) == [second]


def test_a_published_catalogue_is_kept_and_a_draft_is_read_afresh(
    smg_version, django_assert_num_queries
):
    from assessments.selectors import catalogue_for

    first = catalogue_for(smg_version)
    with django_assert_num_queries(0):
        kept = catalogue_for(smg_version)
    assert [c.key for c in kept.criteria] == [c.key for c in first.criteria]
    kept.criteria[0].label = "changed by a request"  # a copy: the kept one stays as it was
    assert not hasattr(catalogue_for(smg_version).criteria[0], "label")
    draft = version_clone(version=smg_version)
    catalogue_for(draft)
    with django_assert_num_queries(4):
        catalogue_for(draft)


def test_reasons_over_several_lines_survive_the_next_save(client, alice, marketing):
    """The live workshop's reason box takes several lines; the grid shows and sends them as
    they are (an <input> would join the lines), and a field the row does not show (what
    changed, in a baseline) is not cleared by its saves."""
    marketing.override_level, marketing.override_reason = 3, "On paper.\nNot yet in use."
    marketing.change_explanation = "Set by an admin"
    marketing.save()
    client.force_login(alice)
    html = open_row(client, marketing).content.decode()
    assert ">On paper.\nNot yet in use.</textarea>" in html
    data = form_data(
        marketing, override_level=3, override_reason="On paper.\nNot yet in use.", notes="x"
    )
    url = reverse("assessments:score_save", args=[marketing.assessment_id, marketing.pk])
    assert client.post(url, data, HTTP_HX_REQUEST="true").status_code == 200
    marketing.refresh_from_db()
    assert marketing.override_reason == "On paper.\nNot yet in use."
    assert marketing.change_explanation == "Set by an admin"
    assert marketing.notes == "x"


def test_a_save_brings_the_radar_heatmap_and_progress_when_the_grid_was_seen(
    client, alice, marketing
):
    """After the grid was shown, a save's answer carries the redrawn radar, heatmap and
    progress itself (its row replaced in what was kept): exactly what rendering anew gives."""
    from django.core.cache import caches

    from assessments.access import get_assessment_for
    from assessments.views.rendering import rendered_grid

    client.force_login(alice)
    client.get(reverse("assessments:grid", args=[marketing.assessment_id]))
    response = save(client, marketing, criteria=criteria_up_to(marketing, 3), ambition_level=4)
    html = response.content.decode()
    assert "HX-Trigger" not in response  # no second request needed
    assert "1 of 7 scored" in html
    assert 'id="radar-data" data-json="{' in html
    kept = rendered_grid(get_assessment_for(alice, marketing.assessment_id), rows=False)
    caches["local"].clear()
    fresh = rendered_grid(get_assessment_for(alice, marketing.assessment_id), rows=False)
    assert {k: kept[k] for k in ("progress", "heatmap", "radar_json")} == {
        k: fresh[k] for k in ("progress", "heatmap", "radar_json")
    }
