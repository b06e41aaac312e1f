"""Benchmark: how long a maturity report of 12 processes takes to render, HTML context and PDF.

    make bench            (or: .venv/bin/python bench/pdf_bench.py [--runs 10])

Builds its own throwaway SQLite database in a temporary folder (or uses DATABASE_URL), loads
the SMG model, scores 12 processes, then times report rendering. Prints a table; nothing is
asserted (timings belong here, not in the test suite).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))


def setup_django():
    if "DATABASE_URL" not in os.environ:
        folder = tempfile.mkdtemp(prefix="dvo-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvo_portal.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_smg_model", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def build_assessment(processes: int = 12):
    from bench_data import twelve_process_version
    from django.contrib.auth import get_user_model

    from assessments.models import BusinessProcess, Criterion
    from assessments.services import assessment_start, organisation_create

    version = twelve_process_version(processes)
    user, _created = get_user_model().objects.get_or_create(username="bench")
    organisation = organisation_create(
        name=f"Bench {time.time():.0f}",
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
    return assessment


def timed(function, runs: int) -> list[float]:
    durations = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        durations.append(time.perf_counter() - start)
    return durations


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    setup_django()
    from reports.pdf import assessment_pdf, render_report_pdf_html

    assessment = build_assessment(12)
    start = time.perf_counter()
    first = assessment_pdf(assessment, "en")
    cold = time.perf_counter() - start
    rows = [
        (
            "report HTML (context + SVG chart)",
            timed(lambda: render_report_pdf_html(assessment, "en"), args.runs),
        ),
        ("report PDF, English", timed(lambda: assessment_pdf(assessment, "en"), args.runs)),
        ("report PDF, Dutch", timed(lambda: assessment_pdf(assessment, "nl"), args.runs)),
    ]
    print(
        f"12-process report, {args.runs} runs each; first PDF (cold, imports WeasyPrint): "
        f"{cold:.2f} s, {len(first) / 1024:.0f} KiB"
    )
    print(f"{'what':<36} {'median':>8} {'p95':>8} {'max':>8}")
    for name, durations in rows:
        ordered = sorted(durations)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(
            f"{name:<36} {statistics.median(durations):>7.3f}s {p95:>7.3f}s {max(durations):>7.3f}s"
        )


if __name__ == "__main__":
    main()
