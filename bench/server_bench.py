"""Benchmark the production set-up: gunicorn on PostgreSQL with a large data set.

    make bench-server      (starts a throwaway PostgreSQL; or run with DATABASE_URL set)

Builds 500 organisations with 5 assessments each over 12 processes and the full SMG model,
starts gunicorn, and measures latency percentiles of the organisation list, the workshop
grid (and what a browser asks for as it is used: a row's form when the row opens, the radar
and heatmap after each save), a score save and a PDF, each beside a minimal Django view (a
logged-in page through the same middleware) measured in the same run: the ratio is the figure.
Also prints the query count of each page. Requests are bounded in number and go to 127.0.0.1
only.

The background worker (`manage.py db_worker`, reports/tasks.py) runs beside gunicorn, as in
production, and renders the PDFs. A last measurement runs a consultant's saves for a while
alone, then as long again while two other clients each download uncached PDFs over and over
(click, the progress page polled every second, the file): the saves' throughput and p95 side
by side.
"""

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))

ORGANISATIONS, ASSESSMENTS, PROCESSES = 500, 5, 12
USERNAME, PASSWORD = "bench", "bench-password-2026"


def setup_django():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (make bench-server does).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvo_portal.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)
    os.environ["BENCH_VIEWS"] = "1"
    os.environ.setdefault("STATIC_MANIFEST", "0")  # no collectstatic needed to render pages
    import django

    django.setup()
    import logging

    # This process counts queries through the test client: print the table, not its requests.
    logging.getLogger("dvo_portal.requests").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_smg_model", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def build_data():
    """Bulk-inserts the data set once; a second run reuses it."""
    from bench_data import twelve_process_version
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from assessments.models import (
        Assessment,
        BusinessProcess,
        Criterion,
        Membership,
        Organisation,
        OrganisationProcess,
        ProcessScore,
    )

    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=USERNAME)
    if created:
        user.set_password(PASSWORD)
        user.save()
    if Organisation.objects.filter(name__startswith="Bench org").count() >= ORGANISATIONS:
        return user
    version = twelve_process_version(PROCESSES)
    processes = list(BusinessProcess.objects.filter(version=version).order_by("order"))
    criteria = list(Criterion.objects.filter(version=version).select_related("level"))
    through = ProcessScore.criteria_met.through
    start = time.perf_counter()
    now = timezone.now()
    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Bench org {index:03}", report_language="en")
            for index in range(ORGANISATIONS)
        )
        Membership.objects.bulk_create(
            Membership(organisation=o, user=user, role="consultant") for o in organisations
        )
        OrganisationProcess.objects.bulk_create(
            OrganisationProcess(organisation=o, process=p, order=i)
            for o in organisations
            for i, p in enumerate(processes)
        )
        assessments = Assessment.objects.bulk_create(
            Assessment(
                organisation=o,
                version=version,
                assessed_on=f"{2022 + n}-06-01",
                created_by=user,
            )
            for o in organisations
            for n in range(ASSESSMENTS)
        )
        scores = ProcessScore.objects.bulk_create(
            ProcessScore(assessment=a, process=p, order=i, ambition_level=4, scored_at=now)
            for a in assessments
            for i, p in enumerate(processes)
        )
        rows = []
        for index, score in enumerate(scores):
            reached = 1 + index % 4
            rows.extend(
                through(processscore_id=score.pk, criterion_id=c.pk)
                for c in criteria
                if c.level.number <= reached and c.process_id in (None, score.process_id)
            )
        through.objects.bulk_create(rows, batch_size=5000)
    print(
        f"built {len(organisations)} organisations, {len(assessments)} assessments, "
        f"{len(scores)} process scores, {len(rows)} criteria met in "
        f"{time.perf_counter() - start:.0f} s"
    )
    return user


def reassessment(user):
    """A re-assessment (of "Bench org 251"), for the save that shows the previous level."""
    from django.db import transaction

    from assessments.models import Assessment
    from assessments.services import assessment_finalise, reassessment_start

    found = Assessment.objects.filter(
        organisation__name="Bench org 251", kind=Assessment.Kind.REASSESSMENT
    ).first()
    if found is None:
        with transaction.atomic():  # both or neither, so a later run can start afresh
            previous = (
                Assessment.objects.filter(organisation__name="Bench org 251")
                .order_by("-assessed_on")
                .first()
            )
            if not previous.is_final:
                previous = assessment_finalise(assessment=previous)
            found = reassessment_start(
                previous=previous, version=previous.version, copy_answers=True, by=user
            )
    return found


def roadmap_of(assessment, user, items: int = 40):
    """A roadmap of `items` items (a quarter of them proposals) for the measured assessment."""
    from django.db import transaction

    from assessments.models import Dimension
    from roadmaps.models import Roadmap
    from roadmaps.quarters import Quarter
    from roadmaps.services import roadmap_create

    roadmap = Roadmap.objects.filter(assessment=assessment).first()
    if roadmap is not None:
        return roadmap
    with transaction.atomic():
        roadmap = roadmap_create(assessment=assessment, start=Quarter.of(2027, 1))
        scores = list(assessment.scores.select_related("process").order_by("order"))
        dimensions = list(Dimension.objects.filter(version=assessment.version_id))
        for index in range(items):
            start = roadmap.start_quarter + 1 + index % 5
            roadmap.items.create(
                title=f"Deliverable {index + 1}",
                process=scores[index % len(scores)].process,
                dimension=dimensions[index % len(dimensions)],
                target_level=2 + index % 3,
                start_quarter=start,
                end_quarter=start + index % 2,
                owner="Bench",
                is_proposal=index % 4 == 0,
                updated_by=user,
            )
    return roadmap


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """Keep-alive HTTP client with cookies and CSRF, for 127.0.0.1 only."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None, headers=None):
        body = urllib.parse.urlencode(data, doseq=True) if data is not None else None
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Referer"] = "http://127.0.0.1/"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        return response.status, content


def measure(client: Client, runs: int, method: str, path: str, data_for=None, headers=None):
    durations = []
    for run in range(runs):
        data = data_for(run) if data_for else None
        start = time.perf_counter()
        status, _content = client.request(method, path, data, headers)
        durations.append(time.perf_counter() - start)
        if status >= 400:
            raise SystemExit(f"{method} {path} answered {status}")
    return durations


def worker_idle(seconds: float = 60) -> None:
    """Wait until the worker has no task queued or running (it shares the two CPUs)."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    end = time.monotonic() + seconds
    busy = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
    while busy.exists() and time.monotonic() < end:
        time.sleep(0.2)
    connection.close()
    time.sleep(0.5)  # the last task's process settles


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def file_when_ready(client: Client, path: str, poll_every: float) -> tuple[float, bytes]:
    """A reader's download: the file at once, or the progress page polled every `poll_every`
    seconds until it offers the file, then the file. The seconds from the click to the file's
    last byte, and the file."""
    start = time.perf_counter()
    status, content = client.request("GET", path)
    poll = None
    while not content.startswith(b"%PDF-"):
        html = content.decode()
        offered = re.search(r'href="(/assessments/\d+/report-files/\d+/)"', html)
        poll = re.search(r'hx-get="([^"]+/status/)"', html) or poll
        if offered:
            status, content = client.request("GET", offered.group(1))
        elif poll and status == 200:
            time.sleep(poll_every)
            status, content = client.request("GET", poll.group(1), headers={"HX-Request": "1"})
        else:
            raise SystemExit(f"{path}: no file ({status}): {html[:200]}")
    return time.perf_counter() - start, content


def save_while(client: Client, port: int, score, seconds: float, downloads=()):
    """A consultant's saves of one row, one after another, for `seconds`. With `downloads`
    (assessments), meanwhile as many other clients (the same user, signed in) each download
    its assessment's uncached PDF over and over (changed before each, so rendered anew),
    polling as the progress page does, every second. The saves' durations and the downloads'
    click-to-file times."""
    from django.db import connection

    from assessments.services import bump_revision

    stop = threading.Event()
    downloaded: list[float] = []

    def download(other):
        reader = Client(port)
        reader.cookies = dict(client.cookies)  # the same user, signed in
        try:
            while not stop.is_set():
                bump_revision(other.pk)
                took, _pdf = file_when_ready(
                    reader, f"/assessments/{other.pk}/report.pdf?lang=en", 1.0
                )
                downloaded.append(took)
        finally:
            connection.close()

    readers = [threading.Thread(target=download, args=(other,)) for other in downloads]
    for reader in readers:
        reader.start()
    durations = []
    path = f"/assessments/{score.assessment_id}/scores/{score.pk}/"
    end = time.monotonic() + seconds
    run = 0
    while time.monotonic() < end:
        _status, content = client.request("GET", path + "form/")
        html = content.decode()
        data = {
            "revision": re.search(rf'id="score-{score.pk}-revision" value="(\d+)"', html)[1],
            "criteria": re.findall(r'name="criteria" value="(\d+)" id="[^"]+" checked', html),
            "ambition_level": 3 + run % 2,
            "notes": f"contention {run}",
        }
        start = time.perf_counter()
        status, _ = client.request("POST", path, data, {"HX-Request": "true"})
        durations.append(time.perf_counter() - start)
        if status != 200:
            raise SystemExit(f"save answered {status}")
        run += 1
    stop.set()
    for reader in readers:
        reader.join()
    return durations, downloaded


def browser_ticks(port: int, assessment, ticks: int) -> list[float]:
    """A consultant's tick in a real Chromium until the row's summary and the radar show it:
    from the click on a criterion to the moment the row's progress score and the radar's
    plotted value both carry the new result (the save, then the radar's fetch and redraw)."""
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(base + "/accounts/login/")
        page.get_by_label("Username").fill(USERNAME)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(base + "/")
        page.goto(f"{base}/assessments/{assessment.pk}/")
        row = page.locator("[data-testid=process-row]").nth(1)
        row.locator(".grid-row-toggle").click()
        row.locator("form.score-form").wait_for()
        # A criterion of the level being decided: ticking it moves the progress score.
        block = row.locator("details.level-block[open]").first
        box = block.locator("input[type=checkbox]:not(:checked)").first
        box_id = box.get_attribute("id")
        durations = []
        for _tick in range(ticks + 3):  # the first three warm up
            before = page.evaluate(PLOTTED, 1)
            shown = row.locator("[data-testid=progress-score]").inner_text()
            start = time.perf_counter()
            page.locator(f"#{box_id}").click()
            page.wait_for_function(
                "([before, shown]) => {"
                f"  const plotted = ({PLOTTED})(1);"
                "  const now = document.querySelectorAll('[data-testid=process-row]')[1]"
                "    .querySelector('[data-testid=progress-score]').innerText;"
                "  return plotted !== before && now !== shown;"
                "}",
                arg=[before, shown],
                timeout=10_000,
            )
            durations.append(time.perf_counter() - start)
        browser.close()
    return durations[3:]


# The radar's plotted progress score of the process at `index`.
PLOTTED = (
    "(index) => { const gd = document.querySelector('#radar');"
    " const trace = gd && gd.data && gd.data.find((t) => t.meta === 'current');"
    " return trace ? trace.r[index] : null; }"
)


def query_counts(user, assessment, score, again, roadmap, moved):
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    client = DjangoClient()
    client.force_login(user)
    pages = {
        "minimal view": ("get", "/bench/minimal/", None),
        "organisation list": ("get", "/organisations/", None),
        "workshop grid": ("get", f"/assessments/{assessment.pk}/", None),
        "grid row opened": ("get", f"/assessments/{assessment.pk}/scores/{score.pk}/form/", None),
        "radar and heatmap": ("get", f"/assessments/{assessment.pk}/results/", None),
        # Uncached: queued for the worker, answered with the progress page.
        "PDF report": ("get", f"/assessments/{assessment.pk}/report.pdf?lang=en", None),
        "roadmap page (40 items)": ("get", f"/assessments/{assessment.pk}/roadmap/", None),
    }
    counts = {}

    def save(notes, score=score):
        score.refresh_from_db()
        criteria = list(score.criteria_met.values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as queries:
            client.post(
                f"/assessments/{score.assessment_id}/scores/{score.pk}/",
                {
                    "revision": score.revision,
                    "criteria": criteria,
                    "ambition_level": 3,
                    "notes": notes,
                },
                HTTP_HX_REQUEST="true",
            )
        return len(queries)

    # As in the timed runs, the score has been saved before (its form names who changed it).
    save("warm-up")
    counts["score save"] = save("query count")
    again_score = again.scores.order_by("order").first()
    client.get(f"/assessments/{again.pk}/")  # its model version and the previous one loaded
    save("warm-up", again_score)
    counts["score save, re-assessment"] = save("query count", again_score)
    for name, (method, path, _data) in pages.items():
        if "PDF" not in name:  # steady state: the model version is loaded once per process
            getattr(client, method)(path)
        with CaptureQueriesContext(connection) as queries:
            getattr(client, method)(path)
        counts[name] = len(queries)
    save("before the grid")
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/assessments/{assessment.pk}/")
    counts["grid after a save"] = len(queries)
    from django.core.management import call_command

    # Asked for as it is now, then rendered by the worker (here, in this process).
    client.get(f"/assessments/{assessment.pk}/report.pdf?lang=en")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/assessments/{assessment.pk}/report.pdf?lang=en")
    counts["PDF report, cached"] = len(queries)
    counts["PDF, click until offered"] = counts["PDF report"]
    for quarters in (1, -1):
        with CaptureQueriesContext(connection) as queries:
            client.post(
                f"/roadmaps/{roadmap.pk}/items/{moved.pk}/move/",
                {"quarters": quarters},
                HTTP_HX_REQUEST="true",
            )
    counts["roadmap item moved"] = len(queries)
    return counts


# Apps' own rows: each module's `prepare(user)` builds what it needs (once; a later run reuses
# it) and returns {label: (method, path, data_for(run) or None, anonymous[, headers])}.
ROW_MODULES = ("survey_rows", "portfolio_rows", "benchmark_rows")


def extra_rows(user, modules=ROW_MODULES) -> dict:
    import importlib

    rows = {}
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        for label, spec in module.prepare(user).items():
            spec = ("GET", spec, None, False) if isinstance(spec, str) else spec
            rows[label] = (*spec, None) if len(spec) == 4 else spec
    return rows


def extra_counts(user, extra: dict) -> dict:
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for label, (method, path, data_for, anonymous, headers) in extra.items():
        client = DjangoClient(headers=headers)
        if not anonymous:
            client.force_login(user)
        data = data_for(0) if data_for else None
        getattr(client, method.lower())(path, data)  # steady state, as the timed runs see it
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method.lower())(path, data)
        if response.status_code >= 400:
            raise SystemExit(f"{label}: {method} {path} answered {response.status_code}")
        counts[label] = len(queries)
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=150)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ticks", type=int, default=30)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium row")
    parser.add_argument(
        "--rows", default=",".join(ROW_MODULES), help="the apps' row modules (bench/*_rows.py)"
    )
    parser.add_argument(
        "--contention", type=float, default=20, help="seconds of saves alone, and with downloads"
    )
    parser.add_argument(
        "--worker-nice", type=int, default=10, help="the worker's nice value (README: Nice=10)"
    )
    args = parser.parse_args()
    setup_django()
    user = build_data()
    from django.db import connection

    with connection.cursor() as cursor:  # planner statistics, as autovacuum soon gives a loaded
        cursor.execute("ANALYZE")  # database; measured before they exist, plans are guesses

    from assessments.models import Assessment

    assessment = (
        Assessment.objects.filter(organisation__name="Bench org 250")
        .order_by("-assessed_on")
        .first()
    )
    score = assessment.scores.order_by("order").first()
    again = reassessment(user)
    again_score = again.scores.order_by("order").first()
    roadmap = roadmap_of(assessment, user)
    moved = roadmap.items.filter(is_proposal=False).order_by("pk").first()
    extra = extra_rows(user, [name for name in args.rows.split(",") if name])
    counts = query_counts(user, assessment, score, again, roadmap, moved)
    counts.update(extra_counts(user, extra))

    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + "k" * 50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_MANIFEST": "0",
        "WHITENOISE_USE_FINDERS": "1",  # the browser row needs our scripts, uncollected
        "REQUEST_LOG_FORMAT": "plain",
        "LOG_LEVEL": "WARNING",
        "BENCH_VIEWS": "1",
        "AXES_FAILURE_LIMIT": "1000",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "dvo_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # The background worker beside it, as in production (README, Production): it renders the
    # PDFs. Started after gunicorn's workers are forked; niced as the README's unit has it.
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=lambda: os.nice(args.worker_nice),
    )
    try:
        client = Client(port)
        deadline = time.monotonic() + 30
        while True:
            try:
                client.request("GET", "/accounts/login/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.3)
                client = Client(port)
        status, _ = client.request(
            "POST", "/accounts/login/", {"login": USERNAME, "password": PASSWORD}
        )
        if status != 302:
            raise SystemExit(f"login failed ({status})")
        grid = f"/assessments/{assessment.pk}/"
        save = f"/assessments/{assessment.pk}/scores/{score.pk}/"
        row = f"/assessments/{assessment.pk}/scores/{score.pk}/form/"
        results = f"/assessments/{assessment.pk}/results/"

        def save_data(run, score=score):
            # The browser opens the row and sends its whole form, as the grid does.
            _status, content = client.request(
                "GET", f"/assessments/{score.assessment_id}/scores/{score.pk}/form/"
            )
            html = content.decode()
            revision = re.search(rf'id="score-{score.pk}-revision" value="(\d+)"', html)
            ticked = re.findall(r'name="criteria" value="(\d+)" id="[^"]+" checked', html)
            return {
                "revision": revision.group(1),
                "criteria": ticked,
                "ambition_level": 3 + run % 2,
                "notes": f"run {run}",
            }

        runs = args.runs
        measure(client, 5, "GET", grid)  # warm up both workers
        rows = {
            "minimal view": measure(client, runs, "GET", "/bench/minimal/"),
            "organisation list": measure(client, runs, "GET", "/organisations/"),
            "workshop grid": measure(client, runs, "GET", grid),
            "grid row opened": measure(client, runs, "GET", row),
            "score save": [],
            "score save, re-assessment": [],
            "radar and heatmap": [],
            "grid after a save": [],
            "PDF report": [],
            "roadmap page (40 items)": measure(
                client, runs, "GET", f"/assessments/{assessment.pk}/roadmap/"
            ),
            "roadmap item moved": measure(
                client,
                runs,
                "POST",
                f"/roadmaps/{roadmap.pk}/items/{moved.pk}/move/",
                lambda run: {"quarters": 1 if run % 2 == 0 else -1},
                {"HX-Request": "true"},
            ),
            "PDF report, cached": [],
            "PDF, click until offered": [],
        }
        from assessments.services import bump_revision

        pdf = f"/assessments/{assessment.pk}/report.pdf?lang=en"
        file_when_ready(client, pdf, 0.05)  # rendered by the worker and kept
        rows["PDF report, cached"] = measure(client, runs, "GET", pdf)
        for _run in range(max(10, runs // 4)):
            bump_revision(assessment.pk)  # as a change does: rendered anew
            rows["PDF report"] += measure(client, 1, "GET", pdf)  # queued: the progress page
        file_when_ready(client, pdf, 0.05)  # one rendering, of the newest (the rest skipped)
        for _run in range(max(5, runs // 30)):
            bump_revision(assessment.pk)
            # Polled every 50 ms here (a browser polls every second): the worker's own delay.
            rows["PDF, click until offered"].append(file_when_ready(client, pdf, 0.05)[0])
        for run in range(runs):
            data = save_data(run)
            start = time.perf_counter()
            status, _ = client.request("POST", save, data, {"HX-Request": "true"})
            rows["score save"].append(time.perf_counter() - start)
            if status != 200:
                raise SystemExit(f"save answered {status}")
            # What the browser asks for next: the radar and heatmap with the change.
            rows["radar and heatmap"] += measure(client, 1, "GET", results)
            # And the grid as the next visitor finds it: rendered anew after the change.
            rows["grid after a save"] += measure(client, 1, "GET", grid)
        again_save = f"/assessments/{again.pk}/scores/{again_score.pk}/"
        for run in range(runs):  # beside the row, the level of the previous assessment
            data = save_data(run, again_score)
            start = time.perf_counter()
            status, _ = client.request("POST", again_save, data, {"HX-Request": "true"})
            rows["score save, re-assessment"].append(time.perf_counter() - start)
            if status != 200:
                raise SystemExit(f"re-assessment save answered {status}")
            measure(client, 1, "GET", f"/assessments/{again.pk}/results/")
        # The apps' rows before the downloads below, whose PDFs the worker may still be
        # rendering after them (two CPUs: the worker's renderings would be in these rows),
        # after the minimal view once more: the machine as these rows find it.
        if extra:
            worker_idle()
            rows["minimal view, again"] = measure(client, runs, "GET", "/bench/minimal/")
            counts["minimal view, again"] = counts["minimal view"]
        for label, (method, path, data_for, anonymous, headers) in extra.items():
            visitor = Client(port) if anonymous else client
            if anonymous:
                visitor.request("GET", path)  # the page first: its CSRF cookie and session
            rows[label] = measure(visitor, runs, method, path, data_for, headers)
        # Two other clients download uncached PDFs while the consultant saves: the saves must
        # not notice (the worker renders beside gunicorn, not in its workers).
        others = [
            Assessment.objects.filter(organisation__name=name).order_by("-assessed_on").first()
            for name in ("Bench org 252", "Bench org 253")
        ]
        alone, _none = save_while(client, port, score, args.contention)
        alongside, downloaded = save_while(client, port, score, args.contention, others)
        if not args.no_browser:
            rows["tick in Chromium until shown"] = browser_ticks(port, assessment, args.ticks)
            counts["tick in Chromium until shown"] = counts["score save"]
    finally:
        server.terminate()
        server.wait(timeout=10)
        worker.terminate()  # finishes the file it is on
        worker.wait(timeout=30)

    base = statistics.median(rows["minimal view"])
    print(
        f"\ngunicorn, {args.workers} workers, PostgreSQL; {ORGANISATIONS} organisations x "
        f"{ASSESSMENTS} assessments x {PROCESSES} processes; {os.cpu_count()} CPUs"
    )
    header = ("page", "p50 ms", "p95 ms", "p99 ms", "p50 / minimal", "queries")
    print(
        f"{header[0]:<26} "
        + " ".join(f"{h:>8}" for h in header[1:4])
        + f" {header[4]:>14} {header[5]:>8}"
    )
    for name, durations in rows.items():
        p50 = statistics.median(durations)
        print(
            f"{name:<26} {p50 * 1000:>8.1f} {percentile(durations, 0.95) * 1000:>8.1f} "
            f"{percentile(durations, 0.99) * 1000:>8.1f} {p50 / base:>13.1f}x {counts[name]:>8}"
        )

    print(
        f"\nScore saves one after another for {args.contention:.0f} s, with the worker "
        f"(nice {args.worker_nice}) beside gunicorn"
    )
    print(f"{'':<44} {'saves/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for name, durations in (
        ("alone", alone),
        ("while 2 clients download uncached PDFs", alongside),
    ):
        print(
            f"{name:<44} {len(durations) / sum(durations):>8.0f} "
            f"{statistics.median(durations) * 1000:>8.1f} "
            f"{percentile(durations, 0.95) * 1000:>8.1f}"
        )
    throughput = (len(alone) / sum(alone)) / (len(alongside) / sum(alongside))
    p95 = percentile(alongside, 0.95) / percentile(alone, 0.95)
    print(
        f"with downloads: throughput {throughput:.2f}x lower, p95 {p95:.2f}x (goal: within "
        f"1.5x); {len(downloaded)} uncached PDFs downloaded meanwhile, click to file p50 "
        f"{statistics.median(downloaded) if downloaded else float('nan'):.1f} s (polled "
        f"every second)"
    )


if __name__ == "__main__":
    main()
