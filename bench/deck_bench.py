"""Benchmark: how long the PowerPoint deck of an assessment takes, 12 and 30 processes, each
with its roadmap drafted from the gaps and two of three proposals accepted (the deck shows the
accepted items).

    .venv/bin/python bench/deck_bench.py [--runs 10]

Builds its assessments with bench/pdf_bench.py's builder (a throwaway SQLite database unless
DATABASE_URL is set). Prints a table; nothing is asserted.
"""

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))

from pdf_bench import build_assessment, setup_django, timed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    setup_django()
    from pptx import Presentation

    from reports.deck import assessment_deck
    from roadmaps.models import RoadmapItem

    print(f"PowerPoint deck (reports.deck.assessment_deck), {args.runs} runs each")
    print(f"{'what':<28} {'median':>8} {'p95':>8} {'max':>8} {'slides':>7} {'KiB':>5}")
    for processes in (12, 30):
        assessment = build_assessment(processes)
        items = RoadmapItem.objects.filter(roadmap__assessment=assessment)
        accepted = items.filter(is_proposal=False).count()
        start = time.perf_counter()
        data = assessment_deck(assessment, "en")
        first = time.perf_counter() - start
        slides = len(Presentation(io.BytesIO(data)).slides)
        for language in ("en", "nl"):
            durations = timed(
                lambda language=language, assessment=assessment: assessment_deck(
                    assessment, language
                ),
                args.runs,
            )
            ordered = sorted(durations)
            p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
            print(
                f"{f'{processes} processes, {language}':<28} {statistics.median(durations):>7.3f}s"
                f" {p95:>7.3f}s {max(durations):>7.3f}s {slides:>7} {len(data) / 1024:>5.0f}"
            )
        print(
            f"  {accepted} of {items.count()} roadmap items accepted; the first deck in this"
            f" process: {first:.3f} s"
        )


if __name__ == "__main__":
    main()
