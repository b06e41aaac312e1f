"""The executive summary of an assessment: where the organisation stands, the largest gaps,
what the level-3 baseline still needs and what changed since the previous measurement. The
PDF, the deck and the report page all show it; translated text comes out in the language
active when `assessment_summary` is called."""

import statistics
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assessments.models import Assessment
from assessments.selectors import Catalogue, ScoredProcess, assessment_results

LARGEST_GAPS = 3
NAMES_SHOWN = 3  # a list of processes longer than this says "and N more"


@dataclass(frozen=True)
class Gap:
    process: str  # the client's name of the process
    level: int | None
    ambition: int | None
    gap: int


@dataclass(frozen=True)
class Change:
    process: str
    before: int | None  # None: not scored (or not in scope) then
    now: int | None


@dataclass(frozen=True)
class LevelCount:
    level: str  # the level as shown ("3. Structured")
    number: int
    count: int  # processes scored at this level
    share: int  # of the processes scored, in percent


@dataclass(frozen=True)
class ExecutiveSummary:
    headline: str
    median: float | None
    lowest: int | None
    highest: int | None
    scored: int
    total: int
    gaps: list[Gap] = field(default_factory=list)
    baseline_missing: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    previous: Assessment | None = None
    is_final: bool = False
    not_scored: list[str] = field(default_factory=list)
    per_level: list[LevelCount] = field(default_factory=list)  # every level of the model


def names(items: list[str], limit: int = NAMES_SHOWN) -> str:
    """ "Sales, HR and Service" or "Sales, HR, Service and 4 more"."""
    if len(items) <= 1:
        return "".join(items)
    if len(items) <= limit:
        return _("%(names)s and %(last)s") % {"names": ", ".join(items[:-1]), "last": items[-1]}
    rest = len(items) - limit
    return ngettext("%(names)s and %(count)s more", "%(names)s and %(count)s more", rest) % {
        "names": ", ".join(items[:limit]),
        "count": rest,
    }


def level_text(value: float) -> str:
    """3 as "3", 2.5 as "2.5" (or "2,5" in Dutch)."""
    return str(int(value)) if float(value).is_integer() else number_format(value, 1)


def _at(scored: list[ScoredProcess], level: int) -> str:
    """Who is at `level`: "Sales", "Sales and HR", or "Sales, HR, Service and 4 more"."""
    return names([item.score.display_name for item in scored if item.result.level == level])


def headline(scored: list[ScoredProcess], total: int) -> str:
    """Median level and the spread across the processes; never the minimum as the lead."""
    if not scored:
        return ngettext(
            "The process is not scored yet.",
            "None of the %(total)s processes is scored yet.",
            total,
        ) % {"total": total}
    levels = [item.result.level for item in scored]
    median, lowest, highest = statistics.median(levels), min(levels), max(levels)
    if lowest == highest:
        text = ngettext(
            "Level %(level)s: the process scored is at level %(level)s.",
            "Median level %(level)s: all %(count)s processes scored are at level %(level)s.",
            len(scored),
        ) % {"level": lowest, "count": len(scored)}
    else:
        text = _(
            "Median level %(median)s; the processes range from %(lowest)s (%(lowest_names)s) "
            "to %(highest)s (%(highest_names)s)."
        ) % {
            "median": level_text(median),
            "lowest": lowest,
            "lowest_names": _at(scored, lowest),
            "highest": highest,
            "highest_names": _at(scored, highest),
        }
    missing = total - len(scored)
    if missing:
        text += " " + ngettext(
            "%(count)s of %(total)s processes is not scored yet.",
            "%(count)s of %(total)s processes are not scored yet.",
            missing,
        ) % {"count": missing, "total": total}
    return text


def largest_gaps(scored: list[ScoredProcess], limit: int = LARGEST_GAPS) -> list[Gap]:
    with_gap = sorted(
        (item for item in scored if item.result.gap is not None and item.result.gap > 0),
        key=lambda item: (-item.result.gap, item.result.progress),
    )
    return [
        Gap(
            process=item.score.display_name,
            level=item.result.level,
            ambition=item.result.ambition,
            gap=item.result.gap,
        )
        for item in with_gap[:limit]
    ]


# The three conditions of the article's level-3 baseline, by their keys in the SMG model; a
# baseline criterion of another model is named by its dimension.
BASELINE_LABELS = {
    "l3-policy": gettext_lazy("Policy"),
    "l3-platforms": gettext_lazy("Platforms"),
    "l3-training": gettext_lazy("Training"),
}


def baseline_label(criterion) -> str:
    return str(BASELINE_LABELS.get(criterion.key) or criterion.dimension.name)


def baseline_missing(catalogue: Catalogue, scored: list[ScoredProcess]) -> list[str]:
    """Per level-3 baseline condition not met everywhere: which scored processes lack it."""
    lines = []
    for criterion in (c for c in catalogue.criteria if c.is_baseline):
        lacking = [
            item.score.display_name
            for item in scored
            if criterion.pk not in item.met_ids
            and criterion.pk not in item.not_applicable
            and (criterion.process_id is None or criterion.process_id == item.score.process_id)
        ]
        if lacking:
            lines.append(
                _("%(condition)s: still missing for %(processes)s.")
                % {"condition": baseline_label(criterion), "processes": names(lacking)}
            )
    return lines


def level_changes(previous: Assessment, results: list[ScoredProcess]) -> list[Change]:
    """The processes whose level differs from the previous measurement's (matched by the
    process's key, so assessments against different model versions compare)."""
    _catalogue, earlier = assessment_results(previous)

    def levels(items):
        return {
            item.score.process.key: (
                item.score.display_name,
                item.result.level if item.is_scored else None,
            )
            for item in items
        }

    then, now = levels(earlier), levels(results)
    changes = []
    for key in [*now, *(key for key in then if key not in now)]:
        name, after = now.get(key, (None, None))
        name_then, before = then.get(key, (None, None))
        if before != after:
            changes.append(Change(process=name or name_then, before=before, now=after))
    return changes


def assessment_summary(
    assessment: Assessment,
    *,
    catalogue: Catalogue | None = None,
    results: list[ScoredProcess] | None = None,
) -> ExecutiveSummary:
    """The executive summary of `assessment`. Pass `catalogue` and `results` when they are
    loaded already (`assessment_results`), to read them once."""
    if results is None:
        catalogue, results = assessment_results(assessment, catalogue)
    scored = [item for item in results if item.is_scored]
    levels = [item.result.level for item in scored]
    previous = assessment.previous if assessment.previous_id else None
    return ExecutiveSummary(
        headline=headline(scored, len(results)),
        median=float(statistics.median(levels)) if levels else None,
        lowest=min(levels, default=None),
        highest=max(levels, default=None),
        scored=len(scored),
        total=len(results),
        gaps=largest_gaps(scored),
        baseline_missing=baseline_missing(catalogue, scored),
        changes=level_changes(previous, results) if previous else [],
        previous=previous,
        is_final=assessment.is_final,
        not_scored=[item.score.display_name for item in results if not item.is_scored],
        per_level=[
            LevelCount(
                level=str(level),
                number=level.number,
                count=levels.count(level.number),
                share=round(100 * levels.count(level.number) / len(levels)) if levels else 0,
            )
            for level in catalogue.levels
        ],
    )
