import pytest
from django.urls import reverse

from assessments.models import Membership
from assessments.services import assessment_start
from units.models import UnitAssessment, UnitRestriction
from units.services import unit_assessment_start, unit_create


def _units(organisation, count):
    return [
        unit_create(organisation=organisation, name=f"Unit {n}", kind="department")
        for n in range(count)
    ]


def test_a_unit_assessment_has_only_the_units_processes(organisation, smg_version, alice):
    (unit,) = _units(organisation, 1)
    keys = [entry.process.key for entry in organisation.processes.all()][:2]
    assessment = unit_assessment_start(unit=unit, version=smg_version, by=alice, process_keys=keys)
    assert sorted(assessment.scores.values_list("process__key", flat=True)) == sorted(keys)
    assert UnitAssessment.objects.get(assessment=assessment).unit == unit


def test_units_nest_one_level(organisation):
    from django.core.exceptions import ValidationError

    top = unit_create(organisation=organisation, name="North", kind="region")
    middle = unit_create(organisation=organisation, name="North-A", kind="region", parent=top)
    with pytest.raises(ValidationError):
        unit_create(organisation=organisation, name="North-A-1", kind="region", parent=middle)


def test_a_bad_unit_is_422_and_changes_nothing(client, organisation, alice):
    client.force_login(alice)
    url = reverse("units:unit_create", kwargs={"pk": organisation.pk})
    response = client.post(url, {"name": "", "kind": "nonsense"})
    assert response.status_code == 422
    assert not organisation.units.exists()
    response = client.post(url, {"name": "Sales", "kind": "department"})
    assert response.status_code == 302
    assert organisation.units.get().name == "Sales"


def test_the_rollup_shows_every_unit_and_the_median(client, organisation, smg_version, alice):
    units = _units(organisation, 3)
    for unit in units:
        unit_assessment_start(unit=unit, version=smg_version, by=alice)
    client.force_login(alice)
    response = client.get(reverse("units:rollup", kwargs={"pk": organisation.pk}))
    assert response.status_code == 200
    body = response.content.decode()
    for unit in units:
        assert unit.name in body
    assert "Median" in body
    assert len(response.context["rows"]) == organisation.processes.count()


@pytest.mark.parametrize("count", [3, 10])
def test_the_rollup_takes_a_constant_number_of_queries(
    client, organisation, smg_version, alice, django_assert_max_num_queries, count
):
    for unit in _units(organisation, count):
        unit_assessment_start(unit=unit, version=smg_version, by=alice)
    client.force_login(alice)
    url = reverse("units:rollup", kwargs={"pk": organisation.pk})
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200


def test_a_manager_limited_to_a_unit_sees_only_that_unit(
    client, organisation, smg_version, alice, bob
):
    mine, other = _units(organisation, 2)
    my_assessment = unit_assessment_start(unit=mine, version=smg_version, by=alice)
    other_assessment = unit_assessment_start(unit=other, version=smg_version, by=alice)
    whole = assessment_start(organisation=organisation, version=smg_version, by=alice)
    for assessment in (my_assessment, other_assessment, whole):
        assessment.shared_with_managers = True
        assessment.save(update_fields=["shared_with_managers"])
    UnitRestriction.objects.create(
        membership=Membership.objects.get(user=bob, organisation=organisation), unit=mine
    )
    client.force_login(bob)
    grid = "assessments:grid"
    assert client.get(reverse(grid, kwargs={"pk": my_assessment.pk})).status_code == 200
    assert client.get(reverse(grid, kwargs={"pk": other_assessment.pk})).status_code == 404
    assert client.get(reverse(grid, kwargs={"pk": whole.pk})).status_code == 404
    rollup = client.get(reverse("units:rollup", kwargs={"pk": organisation.pk}))
    assert [unit.name for unit in rollup.context["units"]] == [mine.name]
    client.force_login(alice)  # an unrestricted member sees them all
    assert client.get(reverse(grid, kwargs={"pk": other_assessment.pk})).status_code == 200
