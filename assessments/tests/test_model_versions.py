"""A published model version is immutable everywhere; cloning gives an editable copy."""

import pytest
from django.urls import reverse

from assessments.model_files import version_to_data
from assessments.models import (
    Dimension,
    ModelVersion,
    PublishedVersionError,
)
from assessments.services import version_clone, version_publish


def content_snapshot(version):
    """Everything a version holds, by stable keys (ids differ between copies)."""
    data = version_to_data(version)
    del data["version"]
    return data


@pytest.fixture
def admin_client_(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    return client


def test_shipped_model_is_published_and_complete(smg_version):
    assert smg_version.is_published
    assert list(smg_version.levels.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    assert list(smg_version.dimensions.values_list("key", flat=True)) == [
        "governance",
        "people",
        "process",
        "technology",
    ]
    assert smg_version.processes.count() >= 7
    for number in (2, 3, 4, 5):
        for dimension in smg_version.dimensions.all():
            assert smg_version.criteria.filter(
                level__number=number, dimension=dimension, process__isnull=True
            ).exists(), (number, dimension.key)
    baseline = smg_version.criteria.filter(is_baseline=True)
    assert sorted(baseline.values_list("key", flat=True)) == [
        "l3-platforms",
        "l3-policy",
        "l3-training",
    ]
    assert set(baseline.values_list("level__number", flat=True)) == {3}
    policy = baseline.get(key="l3-policy")
    for word in ("described", "communicated", "measured", "adjusted"):
        assert word in policy.text_en
    assert "beschreven" in policy.text_nl
    assert all(level.name_nl for level in smg_version.levels.all())


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda v: setattr(v, "notes", "changed") or v.save(), id="version-save"),
        pytest.param(lambda v: v.delete(), id="version-delete"),
        pytest.param(
            lambda v: ModelVersion.objects.filter(pk=v.pk).update(notes="x"), id="version-update"
        ),
        pytest.param(
            lambda v: (lvl := v.levels.get(number=3), setattr(lvl, "name_en", "X"), lvl.save()),
            id="level-save",
        ),
        pytest.param(lambda v: v.criteria.first().delete(), id="criterion-delete"),
        pytest.param(lambda v: v.criteria.update(text_en="X"), id="criteria-update"),
        pytest.param(lambda v: v.processes.all().delete(), id="processes-delete"),
        pytest.param(
            lambda v: Dimension.objects.create(version=v, order=9, key="extra", name_en="Extra"),
            id="dimension-create",
        ),
    ],
)
def test_orm_cannot_change_a_published_version(smg_version, change):
    before = content_snapshot(smg_version)
    notes = smg_version.notes
    with pytest.raises(PublishedVersionError, match="is published and cannot be changed"):
        change(smg_version)
    smg_version.refresh_from_db()
    assert smg_version.notes == notes
    assert content_snapshot(smg_version) == before


def test_admin_shows_a_published_version_read_only_and_refuses_a_post(admin_client_, smg_version):
    url = reverse("admin:assessments_modelversion_change", args=[smg_version.pk])
    page = admin_client_.get(url)
    assert page.status_code == 200
    assert b"published and read-only" in page.content
    assert b'name="_save"' not in page.content
    before = content_snapshot(smg_version)
    response = admin_client_.post(url, {"model": smg_version.model_id, "number": 7, "notes": "x"})
    assert response.status_code == 403
    smg_version.refresh_from_db()
    assert smg_version.number == 1
    assert content_snapshot(smg_version) == before


def test_admin_clone_action_gives_an_editable_draft_with_everything_copied(
    admin_client_, smg_version
):
    response = admin_client_.post(
        reverse("admin:assessments_modelversion_changelist"),
        {"action": "clone_as_draft", "_selected_action": [smg_version.pk]},
        follow=True,
    )
    assert b"as an editable draft" in response.content
    draft = ModelVersion.objects.get(model=smg_version.model, number=2)
    assert draft.status == ModelVersion.Status.DRAFT
    assert draft.cloned_from == smg_version
    assert content_snapshot(draft) == content_snapshot(smg_version)
    for criterion in draft.criteria.select_related("level", "dimension", "process"):
        assert criterion.level.version_id == draft.pk
        assert criterion.dimension.version_id == draft.pk
        assert criterion.process is None or criterion.process.version_id == draft.pk

    page = admin_client_.get(reverse("admin:assessments_modelversion_change", args=[draft.pk]))
    assert b'name="_save"' in page.content
    level = draft.levels.get(number=3)
    level.name_en = "Structured, revised"
    level.save()
    assert smg_version.levels.get(number=3).name_en == "Structured"


def test_admin_publish_action_publishes_a_complete_draft(admin_client_, smg_version):
    draft = version_clone(version=smg_version)
    admin_client_.post(
        reverse("admin:assessments_modelversion_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.is_published
    assert draft.published_at is not None


def test_publishing_an_incomplete_draft_is_refused_with_the_reason(admin_client_, smg_version):
    draft = version_clone(version=smg_version)
    draft.levels.filter(number=2).delete()
    response = admin_client_.post(
        reverse("admin:assessments_modelversion_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert b"was not published" in response.content
    assert b"without gaps" in response.content
    draft.refresh_from_db()
    assert not draft.is_published


def test_publishing_twice_is_refused(smg_version):
    with pytest.raises(Exception, match="already published"):
        version_publish(version=smg_version)


def test_admin_inline_offers_only_the_versions_own_levels(admin_client_, smg_version):
    draft = version_clone(version=smg_version)
    page = admin_client_.get(reverse("admin:assessments_modelversion_change", args=[draft.pk]))
    html = page.content.decode()
    for level in smg_version.levels.all():
        assert f'<option value="{level.pk}">{level}</option>' not in html
    assert f'<option value="{draft.levels.get(number=3).pk}">' in html


def test_admin_lists_filter_and_search(admin_client_, smg_version):
    url = reverse("admin:assessments_criterion_changelist")
    response = admin_client_.get(url, {"q": "l3-policy"})
    assert response.status_code == 200
    assert b"l3-policy" in response.content
    assert b"l4-" not in response.content
    response = admin_client_.get(url, {"is_baseline__exact": "1"})
    assert response.content.count(b"l3-") >= 3
