"""Downloads of PDFs and decks: a ready file comes at once; otherwise the worker (django-tasks-db's
`db_worker`, run here for real with `--batch`) renders it while a page polls for it. Also
`run_worker` and `download` for other tests that want a report file."""

import io
import signal
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from assessments.services import assessment_start, bump_revision, organisation_create
from reports.models import ReportFile

ATTACHMENT = "attachment;"


def run_worker() -> None:
    """Run every queued task, as `manage.py db_worker` does, then return (its --batch mode).

    Two things of a long-running process are held back, as Django's test client holds back
    the same for requests: closing the database connection between tasks (here it carries the
    test's transaction) and the worker's SIGINT/SIGTERM handlers (given back afterwards)."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with mock.patch.object(db_worker, "close_old_connections", return_value=None):
            call_command(
                "db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO()
            )
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def download(client, url: str, data=None):
    """What a reader gets in the end: the file at once, or after the worker prepared it."""
    response = client.get(url, data)
    if response.status_code == 200 and not response.get("Content-Disposition"):
        run_worker()
        response = client.get(url, data)
    return response


def status_url(file: ReportFile) -> str:
    return reverse("reports:file_status", args=[file.assessment_id, file.pk])


@pytest.fixture
def bob_client(client, bob):
    client.force_login(bob)
    return client


def test_an_uncached_pdf_is_prepared_by_the_worker_and_then_offered(bob_client, baseline):
    url = reverse("reports:pdf", args=[baseline.pk])
    page = bob_client.get(url)
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert "Preparing your report…" in html
    file = ReportFile.objects.get()
    assert (file.kind, file.language, file.status) == ("pdf", "en", "pending")
    assert f'hx-get="{status_url(file)}"' in html
    assert 'hx-trigger="every 1s"' in html

    polled = bob_client.get(status_url(file), HTTP_HX_REQUEST="true")
    assert polled.status_code == 200  # polling goes on
    assert "Preparing your report…" in polled.content.decode()

    run_worker()

    polled = bob_client.get(status_url(file), HTTP_HX_REQUEST="true")
    assert polled.status_code == 286  # htmx: stop polling
    html = polled.content.decode()
    assert "Your report is ready." in html
    assert "hx-trigger" not in html
    file_url = reverse("reports:file", args=[baseline.pk, file.pk])
    assert f'href="{file_url}"' in html
    response = bob_client.get(file_url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(ATTACHMENT)
    assert response["Content-Disposition"].endswith('-en.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF-")


def test_the_powerpoint_deck_is_prepared_the_same_way(bob_client, baseline):
    from pptx import Presentation

    url = reverse("reports:deck", args=[baseline.pk])
    page = bob_client.get(url, {"lang": "nl"})
    assert "Preparing your PowerPoint deck…" in page.content.decode()
    file = ReportFile.objects.get()
    assert (file.kind, file.language) == ("deck", "nl")
    run_worker()
    html = bob_client.get(status_url(file)).content.decode()
    assert "Your PowerPoint deck is ready." in html
    assert "Download PowerPoint" in html
    response = bob_client.get(url, {"lang": "nl"})  # ready: at once
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    )
    assert response["Content-Disposition"].endswith('-nl.pptx"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert len(Presentation(io.BytesIO(response.content)).slides) > 3


def test_a_ready_pdf_is_served_at_once_in_a_fixed_number_of_queries(
    bob_client, baseline, django_assert_max_num_queries
):
    url = reverse("reports:pdf", args=[baseline.pk])
    first = download(bob_client, url)
    assert first["Content-Type"] == "application/pdf"
    # session, user, assessment, the report's revisions, the peer benchmark's, the brand (2),
    # the file
    with django_assert_max_num_queries(9):
        again = bob_client.get(url)
    assert again["Content-Type"] == "application/pdf"
    assert again["Content-Disposition"].startswith(ATTACHMENT)
    assert again["X-Content-Type-Options"] == "nosniff"
    assert again["Cache-Control"] == "private, no-store"
    assert again.content == first.content
    assert DBTaskResult.objects.count() == 1


def test_the_same_request_twice_queues_one_task(bob_client, baseline):
    url = reverse("reports:pdf", args=[baseline.pk])
    bob_client.get(url)
    bob_client.get(url)
    assert DBTaskResult.objects.count() == 1
    assert ReportFile.objects.count() == 1
    run_worker()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    bob_client.get(url)  # ready: nothing to do
    assert DBTaskResult.objects.count() == 1
    bump_revision(baseline.pk)  # what a change does: the file no longer shows it
    page = bob_client.get(url)
    assert "Preparing your report…" in page.content.decode()
    bob_client.get(url)
    assert DBTaskResult.objects.count() == 2


def test_the_file_asked_for_is_offered_though_the_assessment_changed_meanwhile(
    bob_client, baseline
):
    """In a live workshop the consultant saves while the manager waits: the manager gets the
    file asked for (rendered as the worker found the assessment), not a new wait."""
    bob_client.get(reverse("reports:pdf", args=[baseline.pk]))
    file = ReportFile.objects.get()
    bump_revision(baseline.pk)
    run_worker()
    polled = bob_client.get(status_url(file))
    assert polled.status_code == 286
    response = bob_client.get(reverse("reports:file", args=[baseline.pk, file.pk]))
    assert response.content.startswith(b"%PDF-")


def test_a_failed_rendering_says_so_and_try_again_queues_it_anew(bob_client, baseline, monkeypatch):
    import weasyprint

    def broken(*args, **kwargs):
        raise RuntimeError("out of fonts")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken)  # WeasyPrint fails, not our code
    url = reverse("reports:pdf", args=[baseline.pk])
    bob_client.get(url)
    file = ReportFile.objects.get()
    run_worker()
    polled = bob_client.get(status_url(file), HTTP_HX_REQUEST="true")
    assert polled.status_code == 286
    html = polled.content.decode()
    assert "The report could not be prepared." in html
    assert f'href="{url}?lang=en"' in html
    assert "Try again" in html
    assert DBTaskResult.objects.get().status == "FAILED"

    monkeypatch.undo()
    again = bob_client.get(url, {"lang": "en"})
    assert "Preparing your report…" in again.content.decode()
    assert DBTaskResult.objects.count() == 2
    run_worker()
    assert bob_client.get(url)["Content-Type"] == "application/pdf"


def test_mark_final_queues_the_pdf_in_the_organisations_language(
    client, alice, bob, baseline, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessments:finalise", args=[baseline.pk]))
    baseline.refresh_from_db()
    assert baseline.is_final
    file = ReportFile.objects.get()
    assert (file.kind, file.language, file.status) == ("pdf", "en", "pending")
    assert DBTaskResult.objects.count() == 1
    run_worker()
    client.force_login(bob)
    response = client.get(reverse("reports:pdf", args=[baseline.pk]))
    assert response["Content-Type"] == "application/pdf"  # at once
    assert DBTaskResult.objects.count() == 1


def test_mark_final_queues_every_language_where_the_reader_chooses(
    client, alice, baseline, django_capture_on_commit_callbacks
):
    baseline.organisation.report_language = ""
    baseline.organisation.save()
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessments:finalise", args=[baseline.pk]))
    assert sorted(ReportFile.objects.values_list("language", flat=True)) == ["en", "nl"]
    assert DBTaskResult.objects.count() == 2


def test_a_file_of_another_assessment_is_404_through_this_one(client, alice, charlie, baseline):
    """charlie (another organisation) cannot reach alice's file through his own assessment,
    nor through hers."""
    client.force_login(alice)
    client.get(reverse("reports:pdf", args=[baseline.pk]))
    file = ReportFile.objects.get()
    other = charlie.memberships.get().organisation
    theirs = assessment_start(organisation=other, version=baseline.version, by=charlie)
    client.force_login(charlie)
    for name in ("reports:file", "reports:file_status"):
        assert client.get(reverse(name, args=[theirs.pk, file.pk])).status_code == 404
        assert client.get(reverse(name, args=[baseline.pk, file.pk])).status_code == 404
        assert client.get(reverse(name, args=[theirs.pk, 2**63])).status_code == 404
    for name in ("reports:pdf", "reports:deck"):
        assert client.get(reverse(name, args=[baseline.pk])).status_code == 404
    assert ReportFile.objects.count() == 1


@pytest.mark.parametrize(
    ("fixed", "interface", "asked", "expected"),
    [
        ("", "nl", None, "nl"),  # the reader's language: their interface's
        ("", "en", None, "en"),
        ("en", "nl", None, "en"),  # fixed by the organisation
        ("nl", "en", None, "nl"),
        ("en", "nl", "nl", "nl"),  # ?lang= wins
        ("", "nl", "en", "en"),
        ("", "nl", "fr", "nl"),  # not a language of ours: as if not asked
    ],
)
def test_the_report_language_follows_the_reader_unless_the_organisation_fixes_one(
    bob_client, baseline, fixed, interface, asked, expected
):
    baseline.organisation.report_language = fixed
    baseline.organisation.save()
    url = reverse("reports:pdf", args=[baseline.pk])
    bob_client.get(url, {"lang": asked} if asked else {}, HTTP_ACCEPT_LANGUAGE=interface)
    assert ReportFile.objects.get().language == expected


def test_a_new_organisation_follows_the_reader_and_the_form_offers_that(client, alice):
    assert organisation_create(name="New", report_language="", processes=[]).report_language == ""
    client.force_login(alice)
    html = client.get(reverse("assessments:organisation_create")).content.decode()
    assert '<option value="" selected>The reader&#x27;s language</option>' in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_download_is_prepared_in_the_background_and_offered_live(
    sign_in, live_server, page, bob, baseline, artifacts_dir
):
    from django.test import testcases
    from playwright.sync_api import expect

    sign_in("bob")
    page.goto(f"{live_server.url}/assessments/{baseline.pk}/report/")
    page.get_by_test_id("download-pdf").click()
    status = page.get_by_test_id("report-file")
    expect(status).to_contain_text("Preparing your report…")
    before = status.inner_text()
    assert "Download PDF" not in before
    page.evaluate("window.notReloaded = true")
    page.screenshot(path=f"{artifacts_dir}/report-file-preparing.png", full_page=True)

    # The live server's request threads share the test's SQLite connection one at a time
    # (conftest.py): the worker here takes its turn too.
    with testcases.LiveServerThread.server_class._turn:
        run_worker()

    expect(status).to_have_attribute("data-status", "ready")
    after = status.inner_text()
    assert "Your report is ready." in after
    assert "Preparing" not in after
    assert page.evaluate("window.notReloaded") is True
    page.screenshot(path=f"{artifacts_dir}/report-file-ready.png", full_page=True)
    with page.expect_download() as download_info:
        page.get_by_test_id("download-file").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-en.pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
