"""What the facilitator's and the participants' screens show, in a fixed number of queries."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.charts import COLOURS, figure_json
from assessments.models import Level, ProcessScore
from assessments.selectors import Catalogue, criteria_of, scored_process

from .models import Participant, Vote, WorkshopSession
from .stats import vote_stats


def levels_of(session: WorkshopSession) -> list[Level]:
    return list(Level.objects.filter(version=session.assessment.version_id).order_by("number"))


def current_score(session: WorkshopSession) -> ProcessScore | None:
    if session.current_id is None:
        return None
    return ProcessScore.objects.select_related("process").get(pk=session.current_id)


def computed_level(score: ProcessScore, catalogue: Catalogue) -> int:
    """The level the criteria give `score` (its process loaded), as the grid computes it:
    criteria that do not apply to the process count neither way."""
    met, excluded = criteria_of([score.pk])
    return scored_process(
        score, catalogue, met.get(score.pk, ()), excluded.get(score.pk)
    ).result.computed_level


def votes_on(session: WorkshopSession, score: ProcessScore | None) -> list[Vote]:
    """This session's votes on `score`, lowest level first, each with its participant."""
    if score is None:
        return []
    votes = Vote.objects.filter(session=session, score=score).select_related("participant")
    return sorted(votes, key=lambda vote: (vote.level, vote.participant_id))


def team_stats(session: WorkshopSession, score: ProcessScore | None, levels=None) -> dict:
    levels = levels if levels is not None else levels_of(session)
    votes = votes_on(session, score)
    return vote_stats([vote.level for vote in votes], [level.number for level in levels])


def reason_suggestion(stats: dict) -> str:
    """What the consensus reason field starts with; the consultant puts it in their words."""
    return ngettext(
        "Workshop consensus (%(count)s vote, median %(median)s).",
        "Workshop consensus (%(count)s votes, median %(median)s).",
        stats["count"],
    ) % {
        "count": stats["count"],
        "median": stats["median"] if stats["median"] is not None else "—",
    }


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
            # Room for the slanted level names, the last one too ("5. Social enterprise").
            "xaxis": {"automargin": True},
            "margin": {"l": 50, "r": 10, "t": 10, "b": 80},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "font": {"family": "system-ui, sans-serif", "size": 12},
        },
        "config": {"displayModeBar": False, "responsive": True},
    }


def panel_context(session: WorkshopSession) -> dict:
    """The votes panel. Before the reveal it shows how many voted and, with names on, who:
    never a level, so nobody in the room anchors on the others' votes."""
    levels = levels_of(session)
    score = current_score(session)
    votes = votes_on(session, score)
    stats = vote_stats([vote.level for vote in votes], [level.number for level in levels])
    return {
        "session": session,
        "score": score,
        "levels": levels,
        "votes": votes,
        "voters": sorted((vote.participant for vote in votes), key=lambda p: p.joined_at),
        "stats": stats,
        "participants": Participant.objects.filter(session=session).count(),
        # In an attribute: htmx drops the <script> elements of the panel it swaps in.
        "figure": figure_json(distribution_figure(stats, levels)) if session.revealed else None,
    }
