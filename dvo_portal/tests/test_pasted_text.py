"""Text pasted from Word carries control characters (a vertical tab for a line break, stray
\\x01 bytes, now and then a NUL). Every form cleans them the same way (dvo_portal/text.py), so
SQLite and PostgreSQL store the same thing and the Excel exports always open."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.tests.test_grid import save
from dvo_portal.text import clean_text
from roadmaps.models import RoadmapItem
from roadmaps.quarters import Quarter
from roadmaps.services import roadmap_create
from roadmaps.tests.test_item_saves import form_data
from roadmaps.tests.test_item_saves import save as item_save

PASTED = "First line\x0bsecond line\x01 \x00end\tcol\x7f"
CLEANED = "First line\nsecond line end\tcol"


def test_the_cleaner_keeps_tabs_and_newlines_and_turns_word_breaks_into_newlines():
    assert clean_text(PASTED) == CLEANED
    assert clean_text("a\r\nb\x0cc") == "a\r\nb\nc"
    assert clean_text("") == ""


@pytest.fixture
def marketing(baseline):
    return baseline.scores.select_related("process").get(process__key="marketing")


def cells(response) -> list:
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    return [cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row]


def test_notes_pasted_in_the_grid_are_stored_clean_and_export(client, alice, marketing):
    client.force_login(alice)
    assert save(client, marketing, notes=PASTED, evidence="Intranet\x0bpage").status_code == 200
    marketing.refresh_from_db()
    assert (marketing.notes, marketing.evidence) == (CLEANED, "Intranet\npage")
    exported = cells(client.get(reverse("reports:xlsx", args=[marketing.assessment_id])))
    assert CLEANED in exported


def test_old_data_with_control_characters_still_exports(client, alice, marketing, baseline):
    """Stored before the forms cleaned text: the exports clean what they write."""
    from django.db import connection

    raw = "Old note\x0bwith a break\x01" + ("" if connection.vendor == "postgresql" else "\x00")
    type(marketing).objects.filter(pk=marketing.pk).update(notes=raw)
    roadmap = roadmap_create(assessment=baseline, start=Quarter.of(2027, 1))
    roadmap.items.create(
        title="Policy\x0bdraft\x02",
        description="From Word\x0b",
        start_quarter=roadmap.start_quarter,
        end_quarter=roadmap.start_quarter,
    )
    client.force_login(alice)
    report = cells(client.get(reverse("reports:xlsx", args=[baseline.pk])))
    assert "Old note\nwith a break" in report
    roadmap_cells = cells(client.get(reverse("roadmaps:export_xlsx", args=[roadmap.pk])))
    assert "Policy\ndraft" in roadmap_cells
    csv = client.get(reverse("roadmaps:export_csv", args=[roadmap.pk]))
    assert csv.status_code == 200
    assert "\x02" not in csv.content.decode("utf-8-sig")


def test_a_roadmap_item_pasted_from_word_is_stored_clean(client, alice, baseline):
    roadmap = roadmap_create(assessment=baseline, start=Quarter.of(2027, 1))
    item = roadmap.items.create(
        title="Policy", start_quarter=roadmap.start_quarter, end_quarter=roadmap.start_quarter
    )
    client.force_login(alice)
    data = form_data(item, title="Policy\x00 v2", description=PASTED, owner="HR\x0b")
    assert item_save(client, item, data).status_code == 200
    item = RoadmapItem.objects.get(pk=item.pk)
    assert (item.title, item.description, item.owner) == ("Policy v2", CLEANED, "HR")


def test_a_nul_is_stored_the_same_on_sqlite_and_postgresql(client, alice, organisation):
    """PostgreSQL refuses a NUL in text, SQLite stores it: the form removes it first, so a
    backup made on one restores on the other."""
    client.force_login(alice)
    response = client.post(
        reverse("assessments:organisation_edit", args=[organisation.pk]),
        {"name": "Acme\x00 Zorg", "report_language": "en"},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Acme Zorg"


def test_model_text_pasted_into_the_admin_is_stored_clean(admin_client, smg_version):
    from assessments.models import MaturityModel

    model = MaturityModel.objects.get()
    url = reverse("admin:assessments_maturitymodel_change", args=[model.pk])
    data = {
        "key": model.key,
        "name_en": "Social\x0bMedia Growth",
        "name_nl": model.name_nl,
        "description_en": "Pasted\x01",
        "description_nl": model.description_nl,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    model.refresh_from_db()
    assert (model.name_en, model.description_en) == ("Social\nMedia Growth", "Pasted")


def test_every_form_with_text_cleans_it():
    """A form added later without the cleaner fails here, not in a client's export."""
    import importlib
    import inspect

    from django import forms
    from django.apps import apps
    from django.contrib import admin
    from django.db import models as db_models

    from dvo_portal.text import CleanTextMixin

    ours = {"assessments", "roadmaps", "workshops", "reports", "backups", "accounts"}
    missing = []
    for app in ours:
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for name, cls in inspect.getmembers(module, inspect.isclass):
            texts = [
                field
                for field in getattr(cls, "base_fields", {}).values()
                if type(field) is forms.CharField
            ]
            if issubclass(cls, forms.BaseForm) and texts and not issubclass(cls, CleanTextMixin):
                missing.append(f"{app}.forms.{name}")
    registered = [
        model
        for app in ours
        for model in apps.get_app_config(app).get_models()
        if admin.site.is_registered(model)
    ]
    for model in registered:
        model_admin = admin.site.get_model_admin(model)
        has_text = any(
            isinstance(f, db_models.CharField | db_models.TextField) for f in model._meta.fields
        )
        if has_text and not issubclass(model_admin.form, CleanTextMixin):
            missing.append(f"admin of {model.__name__}")
        for inline in model_admin.inlines:
            if not issubclass(inline.form, CleanTextMixin):
                missing.append(f"inline {inline.__name__}")
    assert not missing, f"forms that do not clean pasted text: {missing}"
