"""In-process timing of the roadmap page and its item actions, beside a minimal Django view.

    .venv/bin/python bench/roadmap_timing.py [--items 40] [--processes 12] [--runs 30]

A throwaway SQLite database in a temporary folder (migrated, the SMG model loaded, cloned to
`--processes` processes), one assessment with a roadmap of `--items` items (a third of them
proposals), and Django's test client: the median of `--runs` requests for the page, the
bench's minimal view (a logged-in page through every middleware), accepting a proposal and
moving an item (as htmx asks), with the query count of each. Not a test: a figure to compare
before and after a change on the same machine; the bench (gunicorn + PostgreSQL) has the final
word.
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


def setup(folder: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/timing.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvo_portal.settings")
    os.environ["BENCH_VIEWS"] = "1"
    os.environ.setdefault("STATIC_MANIFEST", "0")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("WHITENOISE_USE_FINDERS", "1")
    import django

    django.setup()
    import logging

    logging.getLogger("dvo_portal.requests").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_smg_model", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def build(items: int, processes: int):
    from bench_data import twelve_process_version
    from django.contrib.auth import get_user_model

    from assessments.models import BusinessProcess, Dimension
    from assessments.services import assessment_start, organisation_create
    from roadmaps.models import RoadmapItem
    from roadmaps.quarters import Quarter
    from roadmaps.services import roadmap_create

    user = get_user_model().objects.create_user("timing", password="timing-password-2026")
    version = twelve_process_version(processes)
    catalogue = list(BusinessProcess.objects.filter(version=version).order_by("order"))
    organisation = organisation_create(
        name="Timing org", report_language="en", processes=catalogue, consultant=user
    )
    assessment = assessment_start(organisation=organisation, version=version, by=user)
    roadmap = roadmap_create(assessment=assessment, start=Quarter.current())
    dimensions = list(Dimension.objects.filter(version=version))
    RoadmapItem.objects.bulk_create(
        RoadmapItem(
            roadmap=roadmap,
            title=f"Deliverable {index}: a title of a usual length for the roadmap",
            description="What is delivered, by whom, and how we know it is done." * 2,
            process=catalogue[index % len(catalogue)] if index % 7 else None,
            dimension=dimensions[index % len(dimensions)],
            target_level=2 + index % 3,
            start_quarter=roadmap.start_quarter + index % 6,
            end_quarter=roadmap.start_quarter + index % 6 + 1,
            owner="Marketing lead" if index % 2 else "",
            is_proposal=index % 3 == 0,
        )
        for index in range(items)
    )
    return user, assessment, roadmap


def timed(runs: int, call):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm: templates compiled, caches filled as a running server has them
    durations = []
    for _run in range(runs):
        start = time.perf_counter()
        call()
        durations.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as queries:
        call()
    return statistics.median(durations) * 1000, len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--processes", type=int, default=12)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup(folder)
        from django.test import Client
        from django.urls import reverse

        user, assessment, roadmap = build(args.items, args.processes)
        client = Client()
        client.force_login(user)
        page = reverse("roadmaps:detail", args=[assessment.pk])
        item = roadmap.items.order_by("pk").first()
        move = reverse("roadmaps:item_move", args=[roadmap.pk, item.pk])
        direction = [1]

        def move_item():
            item.refresh_from_db()
            last = roadmap.last_quarter.index
            if item.end_quarter >= last or item.start_quarter <= roadmap.start_quarter:
                direction[0] = -direction[0] if item.end_quarter >= last else 1
            data = {"quarters": direction[0], "revision": item.revision}
            response = client.post(move, data, headers={"HX-Request": "true"})
            assert response.status_code in (200, 302), response.status_code

        def accept():
            proposal = roadmap.items.filter(is_proposal=True).first()
            if proposal is None:
                roadmap.items.update(is_proposal=True)
                proposal = roadmap.items.filter(is_proposal=True).first()
            url = reverse("roadmaps:item_accept", args=[roadmap.pk, proposal.pk])
            data = {"revision": proposal.revision}
            response = client.post(url, data, headers={"HX-Request": "true"})
            assert response.status_code in (200, 302), response.status_code

        def get(url):
            def call():
                response = client.get(url)
                assert response.status_code == 200, response.status_code

            return call

        results = {
            "minimal view": timed(args.runs, get("/bench/minimal/")),
            f"roadmap page ({roadmap.items.count()} items)": timed(args.runs, get(page)),
            "move an item": timed(args.runs, move_item),
            "accept a proposal": timed(args.runs, accept),
        }
        base = results["minimal view"][0]
        print(f"{'':32} {'median ms':>10} {'× minimal':>10} {'queries':>8}")
        for name, (ms, queries) in results.items():
            print(f"{name:32} {ms:10.1f} {ms / base:10.1f} {queries:8}")


if __name__ == "__main__":
    main()
