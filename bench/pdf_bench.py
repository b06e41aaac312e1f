"""Benchmark: the maturity report as PDF, 12 and 30 processes, each with its drafted roadmap.

    make bench            (or: .venv/bin/python bench/pdf_bench.py [--runs 5])

Builds its own throwaway SQLite database in a temporary folder (or uses DATABASE_URL), loads
the SMG model, scores the processes, drafts the roadmap from the gaps and accepts two of three
proposals (the rest stay unreviewed, for the appendix). Per size it times, in this process:
the report's HTML (context and templates), WeasyPrint's own time on that same HTML
(`HTML(string=...).write_pdf()` alone), and the whole PDF (`assessment_pdf`); and in a fresh
Python process, as an app server starts (`reports.pdf.warm_up()`, as dvo_portal/wsgi.py calls
it): the first PDF and the second. The radar is drawn anew for every timed PDF (its cache entry
is removed first), so each PDF does all the work of a new revision. Prints a table; nothing is
asserted (timings belong here, not in the test suite).
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))


def setup_django(migrate: bool = True):
    if "DATABASE_URL" not in os.environ:
        folder = tempfile.mkdtemp(prefix="dvo-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvo_portal.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("load_smg_model", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def build_assessment(processes: int = 12):
    """`processes` scored processes (levels 1–4, ambition one higher) and a roadmap drafted
    from the gaps, two of three proposals accepted."""
    from bench_data import twelve_process_version
    from django.contrib.auth import get_user_model

    from assessments.models import Assessment, BusinessProcess, Criterion
    from assessments.services import assessment_start, organisation_create
    from roadmaps.quarters import Quarter
    from roadmaps.services import proposals_decide, roadmap_create, roadmap_draft

    version = twelve_process_version(processes)
    user, _created = get_user_model().objects.get_or_create(username="bench")
    organisation = organisation_create(
        name=f"Bench {processes} {time.time():.0f}",
        report_language="en",
        processes=list(BusinessProcess.objects.filter(version=version)),
        consultant=user,
    )
    assessment = assessment_start(organisation=organisation, version=version, by=user)
    criteria = list(Criterion.objects.filter(version=version).select_related("level"))
    for index, score in enumerate(assessment.scores.all()):
        reached = 1 + index % 4
        score.criteria_met.set([c for c in criteria if c.level.number <= reached])
        score.ambition_level = min(5, reached + 1)
        score.notes = "Measured in the workshop. " * 5
        score.save()
    assessment.scores.update(scored_at=assessment.created_at)
    roadmap = roadmap_create(assessment=assessment, start=Quarter.of(2027, 1))
    roadmap_draft(roadmap=roadmap, by=user)
    items = list(roadmap.items.order_by("pk"))
    seen = {item.pk: item.revision for index, item in enumerate(items) if index % 3 != 2}
    proposals_decide(roadmap=roadmap, seen=seen, accept=True, by=user)
    return Assessment.objects.select_related("organisation").get(pk=assessment.pk)


def forget_radar(assessment, language: str = "en") -> None:
    from django.core.cache import caches

    from branding.brand import brand_for
    from reports.pdf import radar_key

    caches["default"].delete(radar_key(assessment, language, brand_for(assessment.organisation)))


def timed(function, runs: int) -> list[float]:
    durations = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        durations.append(time.perf_counter() - start)
    return durations


def child(assessment_id: int) -> None:
    """A fresh process, as an app server starts: warm up, then the first and second PDF."""
    started = time.perf_counter()
    setup_django(migrate=False)
    from reports.pdf import warm_up

    warm = warm_up()
    ready = time.perf_counter() - started
    from assessments.models import Assessment
    from reports.pdf import assessment_pdf

    assessment = Assessment.objects.select_related("organisation").get(pk=assessment_id)
    durations = []
    for _ in range(2):
        forget_radar(assessment)
        start = time.perf_counter()
        assessment_pdf(assessment, "en")
        durations.append(time.perf_counter() - start)
    result = {"warm_up": warm, "ready": ready, "first": durations[0], "second": durations[1]}
    print(json.dumps(result))


def fresh_process(assessment_id: int) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(assessment_id)],
        env=os.environ,
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def measure(processes: int, runs: int) -> dict:
    from django.conf import settings
    from pypdf import PdfReader
    from weasyprint import HTML

    from reports.fetcher import StaticOnlyFetcher
    from reports.pdf import assessment_pdf, render_report_pdf_html, write_pdf

    base_url = Path(settings.STATICFILES_DIRS[0]).resolve().as_uri() + "/"

    assessment = build_assessment(processes)
    items = list(assessment.roadmap.items.all())
    accepted = sum(1 for item in items if not item.is_proposal)
    forget_radar(assessment)
    html = render_report_pdf_html(assessment, "en")
    content = write_pdf(html)
    pages = len(PdfReader(io.BytesIO(content)).pages)

    def whole():
        forget_radar(assessment)
        assessment_pdf(assessment, "en")

    return {
        "processes": processes,
        "items": f"{accepted} accepted, {len(items) - accepted} proposals",
        "pages": pages,
        "html": statistics.median(timed(lambda: render_report_pdf_html(assessment, "en"), runs)),
        # WeasyPrint alone on the same HTML: the plain call, and as the report calls it
        # (tagged PDF/UA, fetching our static files only).
        "weasyprint": statistics.median(
            timed(
                lambda: HTML(
                    string=html, base_url=base_url, url_fetcher=StaticOnlyFetcher()
                ).write_pdf(),
                runs,
            )
        ),
        "weasyprint_tagged": statistics.median(timed(lambda: write_pdf(html), runs)),
        "pdf": statistics.median(timed(whole, runs)),
        "fresh": fresh_process(assessment.pk),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    setup_django()
    from reports.pdf import warm_up

    warm_up()
    rows = [measure(processes, args.runs) for processes in (12, 30)]
    print(f"Report PDF with its drafted roadmap, median of {args.runs} runs (seconds)")
    header = (
        f"{'processes':>9} {'roadmap items':<26} {'pages':>5} {'HTML':>6} {'WeasyPrint':>10} "
        f"{'tagged':>7} {'PDF':>6} {'PDF/WP':>6} {'fresh: warm-up':>14} {'first':>6} "
        f"{'second':>6} {'1st/2nd':>7}"
    )
    print(header)
    for row in rows:
        fresh = row["fresh"]
        print(
            f"{row['processes']:>9} {row['items']:<26} {row['pages']:>5} {row['html']:>6.2f} "
            f"{row['weasyprint']:>10.2f} {row['weasyprint_tagged']:>7.2f} {row['pdf']:>6.2f} "
            f"{row['pdf'] / row['weasyprint']:>6.2f} {fresh['warm_up']:>14.2f} "
            f"{fresh['first']:>6.2f} {fresh['second']:>6.2f} "
            f"{fresh['first'] / fresh['second']:>7.2f}"
        )


if __name__ == "__main__":
    main()
