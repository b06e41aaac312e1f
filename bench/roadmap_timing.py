"""In-process timing of the roadmap page and its item actions, beside a minimal Django view.

    .venv/bin/python bench/roadmap_timing.py [--items 40] [--processes 12] [--runs 30]

A throwaway SQLite database in a temporary folder (migrated, the SMG model loaded, cloned to
`--processes` processes), one assessment with a roadmap of `--items` items (a third of them
proposals), and Django's test client: the median of `--runs` requests for the page (asked
again, and right after a change of an item), the bench's minimal view (a logged-in page through
every middleware), accepting a proposal and moving an item (as htmx asks), with the query
count of each: wall-clock and this process's CPU time (which other load on a shared machine
disturbs far less), each also as a multiple of the minimal view's; and, for scale, the
workshop grid and a score save (their ratios on the bench are known). Not a test: a figure to
compare before and after a change on the same machine; the bench (gunicorn + PostgreSQL) has
the final word.
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
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)
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


def timed(runs: int, call, prepare=lambda: None):
    """Median wall-clock and CPU milliseconds of `call()` and its query count; `prepare()` runs
    before each call, untimed and uncounted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    prepare()
    call()  # warm: templates compiled, caches filled as a running server has them
    durations, cpu = [], []
    for _run in range(runs):
        prepare()
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        durations.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    prepare()
    with CaptureQueriesContext(connection) as queries:
        call()
    return statistics.median(durations) * 1000, statistics.median(cpu) * 1000, len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--processes", type=int, default=12)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup(folder)
        from django.db.models import F
        from django.test import Client
        from django.urls import reverse

        from roadmaps.models import Roadmap

        user, assessment, roadmap = build(args.items, args.processes)
        client = Client()
        client.force_login(user)
        page = reverse("roadmaps:detail", args=[assessment.pk])
        item = roadmap.items.order_by("pk").first()
        move = reverse("roadmaps:item_move", args=[roadmap.pk, item.pk])
        state = {"direction": 1, "proposal": None}

        def before_move():
            item.refresh_from_db()
            if item.end_quarter >= roadmap.last_quarter.index:
                state["direction"] = -1
            elif item.start_quarter <= roadmap.start_quarter:
                state["direction"] = 1

        def move_item():
            data = {"quarters": state["direction"], "revision": item.revision}
            response = client.post(move, data, headers={"HX-Request": "true"})
            assert response.status_code in (200, 302), response.status_code

        def before_accept():
            proposal = roadmap.items.filter(is_proposal=True).first()
            if proposal is None:
                roadmap.items.update(is_proposal=True)
                proposal = roadmap.items.filter(is_proposal=True).first()
            state["proposal"] = proposal

        def accept():
            proposal = state["proposal"]
            url = reverse("roadmaps:item_accept", args=[roadmap.pk, proposal.pk])
            data = {"revision": proposal.revision}
            response = client.post(url, data, headers={"HX-Request": "true"})
            assert response.status_code in (200, 302), response.status_code

        def get(url):
            def call():
                response = client.get(url)
                assert response.status_code == 200, response.status_code

            return call

        def changed():  # as after a change of an item: the rows are rendered anew
            Roadmap.objects.filter(pk=roadmap.pk).update(revision=F("revision") + 1)

        score = assessment.scores.order_by("order").first()
        grid = reverse("assessments:grid", args=[assessment.pk])
        score_url = reverse("assessments:score_save", args=[assessment.pk, score.pk])
        notes = iter(range(10**6))

        def score_save():
            data = {"revision": score.revision, "ambition_level": 3, "notes": f"n{next(notes)}"}
            response = client.post(score_url, data, headers={"HX-Request": "true"})
            assert response.status_code == 200, response.status_code

        items = roadmap.items.count()
        results = {
            "minimal view": timed(args.runs, get("/bench/minimal/")),
            f"roadmap page ({items} items)": timed(args.runs, get(page)),
            "  rows rendered anew": timed(args.runs, get(page), changed),
            "move an item": timed(args.runs, move_item, before_move),
            "accept a proposal": timed(args.runs, accept, before_accept),
            # For scale: the grid's page and save, whose ratios on the bench are known.
            "workshop grid (12 processes)": timed(args.runs, get(grid)),
            "grid score save": timed(args.runs, score_save, score.refresh_from_db),
        }
        base, base_cpu = results["minimal view"][:2]
        print(f"{'':32} {'wall ms':>8} {'×':>6} {'CPU ms':>8} {'×':>6} {'queries':>8}")
        for name, (ms, cpu, queries) in results.items():
            print(
                f"{name:32} {ms:8.1f} {ms / base:6.1f} {cpu:8.1f} {cpu / base_cpu:6.1f} {queries:8}"
            )


if __name__ == "__main__":
    main()
