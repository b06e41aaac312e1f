"""The roll-up: per unit its latest assessment of one kind (the measurement round)."""

import statistics
from dataclasses import dataclass

from assessments.selectors import results_of_many

from .models import Unit, UnitAssessment


@dataclass(frozen=True)
class ProcessRow:
    name: str
    levels: list  # per unit (same order as the units): a level number or None
    median: float | None
    lowest: str  # name(s) of the unit(s) with the lowest level


def units_for(organisation, unit_id=None):
    units = Unit.objects.filter(organisation=organisation).select_related("parent")
    return units.filter(pk=unit_id) if unit_id else units


def rollup(organisation, kind: str, unit_id=None) -> dict:
    """Round `kind` (baseline or re-assessment): each unit's latest assessment of that kind.
    A fixed number of queries however many units."""
    units = list(units_for(organisation, unit_id))
    links = (
        UnitAssessment.objects.filter(unit__in=units, assessment__kind=kind)
        .select_related("assessment__version")
        .order_by("unit", "-assessment__assessed_on", "-assessment__id")
    )
    latest = {}
    for link in links:
        latest.setdefault(link.unit_id, link.assessment)
    results = results_of_many(list(latest.values())) if latest else {}
    names: list[str] = []
    level_of: dict[tuple[int, str], int | None] = {}
    for unit in units:
        assessment = latest.get(unit.pk)
        for item in results.get(assessment.pk, []) if assessment else []:
            name = item.score.display_name
            if name not in names:
                names.append(name)
            level_of[unit.pk, name] = item.shown_level.number if item.shown_level else None
    rows = []
    for name in names:
        levels = [level_of.get((unit.pk, name)) for unit in units]
        known = [
            (level, unit.name)
            for level, unit in zip(levels, units, strict=True)
            if level is not None
        ]
        low = min((level for level, _n in known), default=None)
        rows.append(
            ProcessRow(
                name=name,
                levels=levels,
                median=statistics.median([level for level, _n in known]) if known else None,
                lowest=", ".join(n for level, n in known if level == low),
            )
        )
    return {"units": units, "latest": latest, "rows": rows}
