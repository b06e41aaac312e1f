"""The background task that renders report files (reports/tasks.py), run by the real worker."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessments.services import assessment_delete, bump_revision
from reports.models import ReportFile
from reports.tasks import file_for, file_request, render_report_file

from .test_downloads import run_worker


def returned() -> list:
    return sorted(DBTaskResult.objects.values_list("return_value", flat=True))


def test_a_task_queued_twice_renders_once(baseline):
    file = file_request(assessment=baseline, kind="pdf", language="en")
    render_report_file.enqueue(file.pk)  # as a second worker's queue entry would be
    run_worker()
    assert returned() == ["rendered", "skipped"]
    file.refresh_from_db()
    assert file.status == "ready"
    assert bytes(file.content).startswith(b"%PDF-")
    assert file_for(assessment=baseline, kind="pdf", language="en").pk == file.pk


def test_of_files_asked_for_one_after_another_the_newest_is_rendered_and_offered_to_all(
    client, bob, baseline
):
    """A reader asks, the assessment changes, another reader asks before the worker got to
    the first: one rendering, of the newer state, and the first reader's page offers it."""
    client.force_login(bob)
    url = reverse("reports:pdf", args=[baseline.pk])
    client.get(url)
    bump_revision(baseline.pk)
    client.get(url)
    first, second = ReportFile.objects.order_by("pk")
    run_worker()
    assert returned() == ["rendered", "replaced"]
    polled = client.get(reverse("reports:file_status", args=[baseline.pk, first.pk]))
    assert polled.status_code == 286
    assert f'href="{reverse("reports:file", args=[baseline.pk, second.pk])}"' in (
        polled.content.decode()
    )
    old_link = client.get(reverse("reports:file", args=[baseline.pk, first.pk]))
    assert old_link.url == reverse("reports:file", args=[baseline.pk, second.pk])
    assert client.get(url)["Content-Type"] == "application/pdf"


def test_the_file_of_a_deleted_assessment_is_not_rendered(baseline):
    file_request(assessment=baseline, kind="pdf", language="en")
    assessment_delete(assessment=baseline)
    assert not ReportFile.objects.exists()
    run_worker()
    assert returned() == ["skipped"]


def test_a_file_pending_long_after_any_worker_would_have_finished_is_queued_again(baseline):
    file = file_request(assessment=baseline, kind="pdf", language="en")
    file_request(assessment=baseline, kind="pdf", language="en")
    assert DBTaskResult.objects.count() == 1
    # The worker took it and died: started, never finished.
    long_ago = timezone.now() - datetime.timedelta(minutes=11)
    ReportFile.objects.filter(pk=file.pk).update(requested_at=long_ago, started_at=long_ago)
    DBTaskResult.objects.update(status="RUNNING")
    again = file_request(assessment=baseline, kind="pdf", language="en")
    assert again.pk == file.pk
    assert DBTaskResult.objects.count() == 2
    run_worker()
    assert ReportFile.objects.get().status == "ready"


def test_a_newer_file_replaces_the_older_ones_once_they_had_their_hour(baseline):
    def render():
        file = file_request(assessment=baseline, kind="pdf", language="en")
        run_worker()
        return file.pk

    old = render()
    ReportFile.objects.filter(pk=old).update(
        finished_at=timezone.now() - datetime.timedelta(hours=2)
    )
    # Offered to someone a moment ago (and the assessment changed since): it stays.
    recent = ReportFile.objects.create(
        assessment=baseline,
        kind="pdf",
        language="en",
        key="recent",
        status="ready",
        requested_at=timezone.now() - datetime.timedelta(minutes=1),
        finished_at=timezone.now(),
    ).pk
    dutch = ReportFile.objects.create(  # another report
        assessment=baseline,
        kind="pdf",
        language="nl",
        key="dutch",
        status="ready",
        requested_at=timezone.now() - datetime.timedelta(hours=3),
        finished_at=timezone.now() - datetime.timedelta(hours=3),
    ).pk
    bump_revision(baseline.pk)
    new = render()
    assert set(ReportFile.objects.values_list("pk", flat=True)) == {recent, dutch, new}
    assert ReportFile.objects.get(pk=new).status == "ready"


def test_the_progress_page_says_when_the_file_takes_unusually_long(client, bob, baseline):
    client.force_login(bob)
    client.get(reverse("reports:pdf", args=[baseline.pk]))
    file = ReportFile.objects.get()
    url = reverse("reports:file_status", args=[baseline.pk, file.pk])
    assert "longer than usual" not in client.get(url).content.decode()
    ReportFile.objects.update(requested_at=timezone.now() - datetime.timedelta(minutes=1))
    html = client.get(url).content.decode()
    assert "This is taking longer than usual." in html
    assert "background worker may not be running" in html
