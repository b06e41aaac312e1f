"""The peer figures: thresholds, consent, the organisation itself left out, groups that never
narrow down to fewer than the threshold, and a fixed number of queries."""

import pytest
from django.db.models import F

from assessments.models import Assessment, ProcessScore
from assessments.services import assessment_start
from benchmark.demo import criteria_up_to, final_assessment
from benchmark.selectors import benchmark_for, releasable
from benchmark.services import consent_give, consent_withdraw, profile_save


def shown(benchmark):
    return {row.key: row.figures for row in benchmark.rows if row.figures}


@pytest.mark.parametrize(
    ("count", "total", "threshold", "expected"),
    [
        (4, 4, 5, False),  # too few
        (5, 5, 5, True),  # the whole set
        (5, 7, 5, False),  # leaves out 2: all minus this group would be 2 peers
        (5, 10, 5, True),
        (3, 3, 3, True),
        (0, 0, 3, False),
    ],
)
def test_a_group_is_released_only_if_it_and_what_it_leaves_out_are_large_enough(
    count, total, threshold, expected
):
    assert releasable(count, total, threshold) is expected


def test_four_consenting_peers_show_nothing_five_show_the_figures(baseline, make_peers):
    make_peers(4, level=2)
    benchmark = benchmark_for(baseline)
    assert not benchmark.any_shown
    assert benchmark.groups == []
    assert benchmark.band() is None

    make_peers(1, level=4)
    benchmark = benchmark_for(baseline)
    assert benchmark.any_shown
    figures = next(iter(shown(benchmark).values()))
    assert (figures.lower, figures.median, figures.upper) == (2, 2, 2)
    assert len(shown(benchmark)) == len(benchmark.rows)  # every process of the 5 peers


def test_quartiles_of_the_peers_levels(baseline, make_peers):
    make_peers(5, level=lambda i: [1, 2, 3, 4, 5][i])
    figures = next(iter(shown(benchmark_for(baseline)).values()))
    assert (figures.lower, figures.median, figures.upper) == (2, 3, 4)


def test_the_organisation_itself_is_left_out_of_its_own_comparison(
    baseline, make_peers, alice, smg_version
):
    organisation = baseline.organisation
    final_assessment(
        organisation=organisation, version=smg_version, by=alice, level_of=lambda key: 5
    )
    consent_give(organisation=organisation, by=alice)
    make_peers(4, level=1)
    assert not benchmark_for(baseline).any_shown  # 4 others: itself does not make 5

    make_peers(1, level=1)
    figures = next(iter(shown(benchmark_for(baseline)).values()))
    assert figures.upper == 1  # its own 5 is in no figure


def test_withdrawn_consent_takes_the_organisation_out_from_then_on(baseline, make_peers, alice):
    peers = make_peers(5, level=3)
    assert benchmark_for(baseline).any_shown
    consent_withdraw(organisation=peers[0], by=alice)
    assert not benchmark_for(baseline).any_shown
    consent_give(organisation=peers[0], by=alice)  # consenting again: a new record
    assert benchmark_for(baseline).any_shown
    assert peers[0].benchmark_consents.count() == 2


def test_without_consent_an_organisation_is_in_no_figure(baseline, make_peers):
    make_peers(4, level=3)
    make_peers(3, level=3, consent=False)
    assert not benchmark_for(baseline).any_shown


def test_only_the_latest_final_assessment_of_a_peer_counts(
    baseline, make_peers, smg_version, peer_consultant
):
    peers = make_peers(5, level=2)
    newer = final_assessment(
        organisation=peers[0], version=smg_version, by=peer_consultant, level_of=lambda key: 5
    )
    assert newer.assessed_on == peers[0].assessments.earliest("pk").assessed_on  # same day
    later_draft = assessment_start(organisation=peers[1], version=smg_version, by=peer_consultant)
    criteria_up_to(later_draft, lambda key: 5)  # a draft counts for nothing
    figures = next(iter(shown(benchmark_for(baseline)).values()))
    # The first peer's newer 5 and the others' 2, 2, 2, 2 (not the second peer's draft 5).
    assert (figures.lower, figures.median, figures.upper) == (2, 2, 2)
    make_peers(1, level=5)
    figures = next(iter(shown(benchmark_for(baseline)).values()))
    assert (figures.median, figures.upper) == (2, 4.25)


def test_a_changed_final_assessment_changes_the_figures_at_once(baseline, make_peers):
    peers = make_peers(5, level=2)
    assert next(iter(shown(benchmark_for(baseline)).values())).median == 2
    # An administrator's correction of a final assessment bumps its revision.
    final = peers[0].assessments.get()
    score = final.scores.first()
    score.override_level, score.override_reason = 5, "checked again"
    score.save()
    Assessment.objects.filter(pk=final.pk).update(revision=F("revision") + 1)
    rows = {row.key: row.figures for row in benchmark_for(baseline).rows}
    assert rows[score.process.key].upper == 2
    assert rows[score.process.key].median == 2
    assert max(row.figures.upper for row in benchmark_for(baseline).rows) == 2


def test_narrowing_the_group_never_shows_fewer_than_the_threshold(baseline, make_peers, lists):
    """Someone tries to single out a peer: sector Retail has 5 peers, 1 other peer elsewhere.
    "All" (6) and "Retail" (5) differ by one organisation: only one of them may be shown."""
    (retail, health, *_), (small, medium, *_) = lists
    profile_save(organisation=baseline.organisation, sector=retail, size_class=small)
    make_peers(4, level=2, sector=retail, size=small)
    make_peers(1, level=2, sector=retail, size=medium)
    lonely = make_peers(1, level=5, sector=health, size=small)
    benchmark = benchmark_for(baseline, "sector")
    offered = {group.code for group in benchmark.groups}
    assert offered == {"all"}  # Retail leaves out 1; Small (5) leaves out 1 too
    assert benchmark.group.code == "all"  # the narrower group asked for is refused
    for wanted in ("sector", "size", "all", "sector,size", "nonsense"):
        result = benchmark_for(baseline, wanted)
        assert result.group is None or result.group.code in offered
    # With 5 more peers outside Retail and outside Small, both narrower groups are offered.
    make_peers(5, level=3, sector=health, size=medium)
    benchmark = benchmark_for(baseline, "sector")
    assert {group.code for group in benchmark.groups} == {"all", "sector", "size"}
    assert benchmark.group.code == "sector"
    assert next(iter(shown(benchmark).values())).upper == 2  # the lonely 5 is not in Retail
    assert lonely


def test_a_process_few_peers_scored_shows_nothing_for_that_process(baseline, make_peers):
    make_peers(5, level=3)
    first_key = baseline.scores.select_related("process").first().process.key
    # One peer never scored the first process: 4 contribute to it, 5 to the others.
    unscored = ProcessScore.objects.filter(
        assessment__status="final", process__key=first_key
    ).earliest("pk")
    ProcessScore.objects.filter(pk=unscored.pk).update(scored_at=None)
    Assessment.objects.final().update(revision=F("revision") + 1)
    benchmark = benchmark_for(baseline)
    rows = {row.key: row.figures for row in benchmark.rows}
    assert rows[first_key] is None
    assert all(figures for key, figures in rows.items() if key != first_key)


@pytest.mark.parametrize("peers", [6, 40])
def test_the_figures_take_the_same_number_of_queries_for_6_or_40_peers(
    baseline, make_peers, django_assert_num_queries, peers
):
    make_peers(peers, level=lambda i: 1 + i % 5)
    benchmark_for(baseline)  # the viewer's own model version loaded once
    from django.core.cache import caches

    caches["local"].clear()
    # A new app process: the model version (4 queries) and the peer table (4) are loaded.
    with django_assert_num_queries(14):
        benchmark_for(baseline)
    with django_assert_num_queries(6):  # cache hit
        assert benchmark_for(baseline).any_shown


def test_the_threshold_is_configurable_but_never_below_3(baseline, make_peers, settings):
    make_peers(3, level=2)
    settings.BENCHMARK_MIN_PEERS = 1
    assert benchmark_for(baseline).any_shown  # 3: the floor
    settings.BENCHMARK_MIN_PEERS = 4
    assert not benchmark_for(baseline).any_shown
    make_peers(1, level=2)
    assert benchmark_for(baseline).any_shown


def test_an_admin_date_change_of_a_final_assessment_changes_the_figures_at_once(
    rf, baseline, make_peers, smg_version, peer_consultant, make_user
):
    """Which final assessment is a peer's latest goes by its date: an administrator who moves
    a date in admin changes the figures at once (the admin bumps the revision the key holds)."""
    import datetime

    from django.contrib.admin.sites import site
    from django.forms.models import model_to_dict

    from assessments.admin import AssessmentAdmin

    peers = make_peers(5, level=2)
    newer = [
        final_assessment(
            organisation=peer, version=smg_version, by=peer_consultant, level_of=lambda key: 5
        )
        for peer in peers[:3]
    ]
    assert next(iter(shown(benchmark_for(baseline)).values())).median == 5  # 2, 2, 5, 5, 5
    newer = newer[0]
    admin = AssessmentAdmin(Assessment, site)
    request = rf.post("/admin/")
    request.user = make_user("root", is_staff=True, is_superuser=True)
    form_class = admin.get_form(request, newer, change=True)
    data = {
        name: value
        for name, value in model_to_dict(newer, fields=form_class.base_fields).items()
        if value is not None
    }
    data["assessed_on"] = newer.assessed_on - datetime.timedelta(days=400)  # now the older one
    form = form_class(data, instance=newer)
    assert form.is_valid(), form.errors
    admin.save_model(request, form.save(commit=False), form, change=True)
    # The first peer's 2 is its latest again: 2, 2, 2, 5, 5.
    assert next(iter(shown(benchmark_for(baseline)).values())).median == 2
