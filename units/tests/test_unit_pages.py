"""Units as their consultant and their managers use them: editing and deleting units,
limiting a manager, re-assessing a unit, trend and comparison per unit, the roll-up's
figures and its PDF."""

import pytest
from django.urls import reverse

from assessments.models import Membership, Organisation
from assessments.services import assessment_finalise, assessment_start, reassessment_start
from reports.tests.test_pdf import pdftotext
from units.demo import score_to
from units.models import UnitAssessment, UnitRestriction
from units.services import unit_assessment_start, unit_create

KEYS = ["marketing", "sales", "innovation"]


@pytest.fixture
def three_units(organisation, smg_version, alice):
    """Three units, each with a final baseline of the three processes at its own levels."""
    plans = {
        "North": {"marketing": 2, "sales": 4, "innovation": 1},
        "South": {"marketing": 3, "sales": 2, "innovation": 1},
        "Online": {"marketing": 5, "sales": 3, "innovation": 2},
    }
    units = {}
    for name, levels in plans.items():
        unit = unit_create(organisation=organisation, name=name, kind="region")
        assessment = unit_assessment_start(
            unit=unit, version=smg_version, by=alice, process_keys=KEYS
        )
        score_to(assessment, levels, alice)
        units[name] = (unit, assessment_finalise(assessment=assessment))
    return units


def rollup(client, organisation, **query):
    return client.get(reverse("units:rollup", kwargs={"pk": organisation.pk}), query)


def test_the_rollup_has_each_units_level_the_median_and_the_lowest(
    client, organisation, alice, three_units
):
    client.force_login(alice)
    context = rollup(client, organisation).context
    rows = {row.key: row for row in context["rows"]}
    assert [unit.name for unit in context["units"]] == ["North", "Online", "South"]
    assert rows["marketing"].levels == [2, 5, 3]
    assert rows["marketing"].median == 3
    assert rows["marketing"].lowest == "North"
    assert rows["innovation"].lowest == "North, South"
    radar = {series["name"]: series["values"] for series in context["radar_data"]["series"]}
    assert radar["North"] == [2, 4, 1]
    assert radar["Median of the units"] == [3, 3, 1]


def test_the_rollup_pdf_shows_every_unit_and_the_median(client, organisation, alice, three_units):
    client.force_login(alice)
    response = client.get(reverse("units:rollup_pdf", kwargs={"pk": organisation.pk}))
    assert response["Content-Type"] == "application/pdf"
    text = pdftotext(response.content)
    for name in ("North", "South", "Online", "Median", "Lowest unit", organisation.name):
        assert name in text
    # A new score changes the PDF: it is cached per state, never stale.
    north = three_units["North"][1]
    again = reassessment_start(previous=north, version=north.version, copy_answers=True, by=alice)
    score_to(again, {"marketing": 4}, alice)
    response = client.get(
        reverse("units:rollup_pdf", kwargs={"pk": organisation.pk}), {"kind": "reassessment"}
    )
    text = pdftotext(response.content)
    assert "Measurement round: re-assessment" in text
    assert "South not assessed in this round" in text  # North alone was measured again


def test_a_reassessment_of_a_unit_stays_the_units(organisation, alice, three_units):
    unit, baseline = three_units["South"]
    again = reassessment_start(
        previous=baseline, version=baseline.version, copy_answers=True, by=alice
    )
    assert UnitAssessment.objects.get(assessment=again).unit == unit
    assert sorted(again.scores.values_list("process__key", flat=True)) == sorted(KEYS)


def test_the_reassessment_page_measures_again_within_the_scope_asked_for(
    client, organisation, smg_version, alice, three_units
):
    whole = assessment_start(organisation=organisation, version=smg_version, by=alice)
    assessment_finalise(assessment=whole)
    unit, baseline = three_units["Online"]
    client.force_login(alice)
    url = reverse("assessments:reassessment_start", kwargs={"pk": organisation.pk})
    response = client.post(
        f"{url}?scope=unit-{unit.pk}",
        {"version": smg_version.pk, "copy_answers": "on", "assessed_on": "2027-01-10"},
    )
    assert response.status_code == 302
    again = organisation.assessments.get(kind="reassessment")
    assert again.previous == baseline
    assert again.unit_link.unit == unit
    # Without a scope: the whole organisation's latest final assessment.
    client.post(url, {"version": smg_version.pk, "assessed_on": "2027-01-11"})
    latest = organisation.assessments.filter(kind="reassessment").order_by("-id").first()
    assert latest.previous == whole
    assert not UnitAssessment.objects.filter(assessment=latest).exists()


def test_trend_and_comparison_filter_by_unit(client, organisation, alice, three_units):
    unit, baseline = three_units["North"]
    again = reassessment_start(
        previous=baseline, version=baseline.version, copy_answers=True, by=alice
    )
    client.force_login(alice)
    trend = client.get(
        reverse("assessments:trend", kwargs={"pk": organisation.pk}), {"scope": f"unit-{unit.pk}"}
    )
    points = [point["assessment"] for point in trend.context["trend"]["points"]]
    assert points == [baseline, again]
    assert "North" in trend.content.decode()
    compare = client.get(
        reverse("assessments:compare", kwargs={"pk": organisation.pk}),
        {"scope": f"unit-{unit.pk}"},
    )
    assert compare.context["comparison"]["later"] == again
    assert compare.context["comparison"]["earlier"] == baseline
    # The whole organisation has no assessment: nothing to compare, said so.
    whole = client.get(reverse("assessments:compare", kwargs={"pk": organisation.pk}))
    assert whole.status_code == 200
    assert "Comparing needs two assessments" in whole.content.decode()
    whole_trend = client.get(reverse("assessments:trend", kwargs={"pk": organisation.pk}))
    assert whole_trend.context["trend"]["points"] == []


def test_a_limited_manager_sees_only_their_unit_everywhere(
    client, organisation, smg_version, alice, bob, three_units
):
    north, north_baseline = three_units["North"]
    south, south_baseline = three_units["South"]
    whole = assessment_start(organisation=organisation, version=smg_version, by=alice)
    UnitRestriction.objects.create(
        membership=Membership.objects.get(user=bob, organisation=organisation), unit=north
    )
    client.force_login(bob)
    detail = client.get(reverse("assessments:organisation", kwargs={"pk": organisation.pk}))
    assert [a.pk for a in detail.context["assessments"]] == [north_baseline.pk]
    score = south_baseline.scores.first()
    form = reverse("assessments:score_form", kwargs={"pk": south_baseline.pk, "score_pk": score.pk})
    assert client.get(form).status_code == 404
    for name in ("reports:page", "assessments:grid"):
        assert client.get(reverse(name, kwargs={"pk": whole.pk})).status_code == 404
    trend = client.get(
        reverse("assessments:trend", kwargs={"pk": organisation.pk}),
        {"scope": f"unit-{south.pk}"},  # asked for another unit: given their own
    )
    assert [p["assessment"] for p in trend.context["trend"]["points"]] == [north_baseline]
    pdf = client.get(
        reverse("units:rollup_pdf", kwargs={"pk": organisation.pk}), {"unit": south.pk}
    )
    text = pdftotext(pdf.content)
    assert "North" in text
    assert "South" not in text


def test_a_consultant_limits_a_manager_and_lifts_the_limit(
    client, organisation, alice, bob, three_units
):
    north = three_units["North"][0]
    membership = Membership.objects.get(user=bob, organisation=organisation)
    client.force_login(alice)
    url = reverse("units:restriction_set", kwargs={"pk": organisation.pk})
    assert client.post(url, {"membership": membership.pk, "unit": north.pk}).status_code == 302
    assert membership.unit_restriction.unit == north
    page = client.get(reverse("units:unit_list", kwargs={"pk": organisation.pk}))
    assert "North" in page.content.decode().split("Managers limited to a unit")[1]
    consultant = Membership.objects.get(user=alice, organisation=organisation)
    refused = client.post(url, {"membership": consultant.pk, "unit": north.pk})
    assert refused.status_code == 422  # only managers can be limited; a consultant is no choice
    assert not UnitRestriction.objects.filter(membership=consultant).exists()
    assert client.post(url, {"membership": membership.pk, "unit": ""}).status_code == 302
    assert not UnitRestriction.objects.filter(membership=membership).exists()


def test_a_unit_with_assessments_is_kept_and_one_without_is_deleted(
    client, organisation, alice, three_units
):
    north = three_units["North"][0]
    empty = unit_create(organisation=organisation, name="Empty", kind="brand")
    client.force_login(alice)
    keep = reverse("units:unit_delete", kwargs={"pk": organisation.pk, "unit_pk": north.pk})
    response = client.post(keep, follow=True)
    assert "has assessments" in response.content.decode()
    assert organisation.units.filter(pk=north.pk).exists()
    gone = reverse("units:unit_delete", kwargs={"pk": organisation.pk, "unit_pk": empty.pk})
    client.post(gone)
    assert not organisation.units.filter(pk=empty.pk).exists()


def test_a_unit_is_renamed_and_a_bad_edit_changes_nothing(client, organisation, alice, three_units):
    north = three_units["North"][0]
    client.force_login(alice)
    url = reverse("units:unit_edit", kwargs={"pk": organisation.pk, "unit_pk": north.pk})
    response = client.post(url, {"name": "South", "kind": "region"})  # taken
    assert response.status_code == 422
    north.refresh_from_db()
    assert north.name == "North"
    assert client.post(url, {"name": "North-East", "kind": "region"}).status_code == 302
    north.refresh_from_db()
    assert north.name == "North-East"


def test_another_organisations_unit_is_404(client, organisation, other_organisation, alice):
    foreign = unit_create(organisation=other_organisation, name="Theirs", kind="brand")
    client.force_login(alice)
    url = reverse("units:unit_edit", kwargs={"pk": organisation.pk, "unit_pk": foreign.pk})
    assert client.get(url).status_code == 404
    url = reverse("units:unit_delete", kwargs={"pk": organisation.pk, "unit_pk": foreign.pk})
    assert client.post(url).status_code == 404
    assert other_organisation.units.filter(pk=foreign.pk).exists()


def test_a_limited_manager_reaches_no_other_units_roadmap_workshop_or_survey(
    client, organisation, alice, bob, three_units
):
    from roadmaps.quarters import Quarter
    from roadmaps.services import roadmap_create
    from surveys.services import survey_open
    from units.services import unit_assessment_start
    from workshops.services import session_start

    north = three_units["North"][0]
    south = three_units["South"][0]
    theirs = unit_assessment_start(unit=south, version=three_units["South"][1].version, by=alice)
    mine = unit_assessment_start(unit=north, version=theirs.version, by=alice)
    UnitRestriction.objects.create(
        membership=Membership.objects.get(user=bob, organisation=organisation), unit=north
    )
    client.force_login(bob)
    for assessment, status in ((theirs, 404), (mine, 200)):
        roadmap = roadmap_create(assessment=assessment, start=Quarter.of(2027, 1))
        survey = survey_open(
            assessment=assessment, groups=["staff"], min_group=3, open_link=True, by=alice
        )
        workshop = session_start(assessment=assessment, by=alice)
        assert client.get(reverse("roadmaps:detail", args=[assessment.pk])).status_code == status
        assert client.get(reverse("surveys:results", args=[survey.pk])).status_code == status
        # The workshop's screen is the consultant's: a manager gets 403 where they may look.
        panel = client.get(reverse("workshops:panel", args=[workshop.pk])).status_code
        assert panel == (404 if status == 404 else 403)
        assert roadmap.pk


def test_the_managers_start_page_shows_the_whole_organisation_or_their_unit(
    client, organisation, smg_version, alice, bob, three_units
):
    import datetime

    whole = assessment_start(
        organisation=organisation,
        version=smg_version,
        by=alice,
        assessed_on=datetime.date(2020, 1, 1),  # older than every unit's
    )
    assessment_finalise(assessment=whole)
    client.force_login(bob)

    def shown():
        response = client.get("/")
        (managed,) = [o for o in response.context["page"] if o.pk == organisation.pk]
        return managed.standing.assessment if managed.standing else None

    assert shown() == whole  # not a unit's newer assessment
    north, north_baseline = three_units["North"]
    UnitRestriction.objects.create(
        membership=Membership.objects.get(user=bob, organisation=organisation), unit=north
    )
    assert shown() == north_baseline


def test_above_six_units_the_radar_shows_the_median_between_the_lowest_and_highest():
    from types import SimpleNamespace

    from units.selectors import ProcessRow, radar_data

    units = [SimpleNamespace(pk=n, name=f"Unit {n}") for n in range(7)]
    rows = [
        ProcessRow("a", "A", [1, 2, 3, 4, 5, 2, 3], 3, "Unit 0", 1, 5),
        ProcessRow("b", "B", [2, 2, 2, 2, 2, 2, None], 2, "Unit 0, ...", 2, 2),
    ]
    data = radar_data(rows, units, {unit.pk: object() for unit in units}, 5)
    series = {s["key"]: s["values"] for s in data["series"]}
    assert series == {"lowest": [1, 2], "highest": [5, 2], "median": [3, 2]}
    few = radar_data(rows, units[:3], {unit.pk: object() for unit in units[:3]}, 5)
    assert [s["name"] for s in few["series"]] == [
        "Unit 0",
        "Unit 1",
        "Unit 2",
        "Median of the units",
    ]


def test_the_demo_gets_three_assessed_units_once(demo_data):
    import io

    from django.core.management import call_command

    call_command("load_demo_units", stdout=io.StringIO())
    call_command("load_demo_units", stdout=io.StringIO())  # idempotent
    organisation = Organisation.objects.get(name="Demo Retail BV")
    assert organisation.units.count() == 3
    finals = UnitAssessment.objects.filter(
        unit__organisation=organisation, assessment__status="final"
    )
    assert finals.count() == 3


def test_a_unit_a_manager_is_limited_to_is_kept(client, organisation, alice, bob):
    empty = unit_create(organisation=organisation, name="Empty", kind="region")
    membership = Membership.objects.get(user=bob, organisation=organisation)
    UnitRestriction.objects.create(membership=membership, unit=empty)
    client.force_login(alice)
    url = reverse("units:unit_delete", kwargs={"pk": organisation.pk, "unit_pk": empty.pk})
    assert "lift that limit first" in client.post(url, follow=True).content.decode()
    assert UnitRestriction.objects.filter(membership=membership, unit=empty).exists()
