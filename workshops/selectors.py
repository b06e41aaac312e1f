"""What the facilitator's and the participants' screens show, in a fixed number of queries."""

from django.utils.translation import gettext as _

from assessments.charts import COLOURS, figure_json
from assessments.models import Level, ProcessScore
from assessments.selectors import catalogue_for, score_result

from .models import Participant, Vote, WorkshopSession
from .stats import vote_stats


def levels_of(session: WorkshopSession) -> list[Level]:
    return list(Level.objects.filter(version=session.assessment.version_id).order_by("number"))


def current_score(session: WorkshopSession) -> ProcessScore | None:
    if session.current_id is None:
        return None
    return ProcessScore.objects.select_related("process").get(pk=session.current_id)


def computed_level(score: ProcessScore) -> int:
    catalogue = catalogue_for(score.assessment.version)
    key_by_id = {criterion.pk: criterion.key for criterion in catalogue.criteria}
    met = {
        key_by_id[pk] for pk in score.criteria_met.values_list("pk", flat=True) if pk in key_by_id
    }
    return score_result(score, catalogue, met).computed_level


def distribution_figure(stats: dict, levels: list[Level]) -> dict:
    counts = [stats["distribution"].get(level.number, 0) for level in levels]
    return {
        "data": [
            {
                "type": "bar",
                "x": [str(level) for level in levels],
                "y": counts,
                "marker": {"color": COLOURS["current"]},
                "hovertemplate": "%{x}: %{y}<extra></extra>",
                "meta": "votes",
            }
        ],
        "layout": {
            "yaxis": {"dtick": 1, "rangemode": "tozero", "title": {"text": _("votes")}},
            "margin": {"l": 50, "r": 10, "t": 10, "b": 80},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "font": {"family": "system-ui, sans-serif", "size": 12},
        },
        "config": {"displayModeBar": False, "responsive": True},
    }


def panel_context(session: WorkshopSession) -> dict:
    levels = levels_of(session)
    score = current_score(session)
    votes = (
        list(Vote.objects.filter(session=session, score=score).select_related("participant"))
        if score
        else []
    )
    stats = vote_stats([vote.level for vote in votes], [level.number for level in levels])
    return {
        "session": session,
        "score": score,
        "levels": levels,
        "votes": sorted(votes, key=lambda vote: (vote.level, vote.participant.pk)),
        "stats": stats,
        "participants": Participant.objects.filter(session=session).count(),
        # In an attribute: htmx drops the <script> elements of the panel it swaps in.
        "figure": figure_json(distribution_figure(stats, levels)) if session.revealed else None,
    }
