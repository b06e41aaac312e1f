"""The roll-up: per unit its latest assessment of one kind (the measurement round)."""

import statistics
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils.translation import gettext as _

from assessments.models import Assessment
from assessments.selectors import catalogue_for, results_of_many

from .models import Unit, UnitAssessment, UnitRestriction

# Beyond this many units a radar with a line per unit is unreadable: it shows the median
# with the lowest and highest unit's level instead (a min-max band).
MAX_UNIT_SERIES = 6
# One colour per unit, told apart also in print (the median is black and dashed).
UNIT_COLOURS = ["#1f4e79", "#e07b39", "#2e8b57", "#8e44ad", "#c0392b", "#7f8c8d"]
MEDIAN_COLOUR = "#212529"


@dataclass(frozen=True)
class ProcessRow:
    key: str
    name: str
    levels: list  # per unit (same order as the units): a level number or None
    median: float | None
    lowest: str  # name(s) of the unit(s) with the lowest level
    low: int | None
    high: int | None


def units_for(organisation, unit_id=None):
    units = Unit.objects.filter(organisation=organisation).select_related("parent")
    return units.filter(pk=unit_id) if unit_id else units


def unit_overview(organisation, unit_id=None):
    """The units with their number of assessments and their latest one (its id, date, kind
    and whether it is final, for the links and the "measure again" button): two queries."""
    latest = UnitAssessment.objects.filter(unit=OuterRef("pk")).order_by(
        "-assessment__assessed_on", "-assessment__id"
    )
    finals = latest.filter(assessment__status=Assessment.Status.FINAL)
    return units_for(organisation, unit_id).annotate(
        assessment_count=Count("assessments"),
        latest_id=Subquery(latest.values("assessment_id")[:1]),
        latest_on=Subquery(latest.values("assessment__assessed_on")[:1]),
        has_final=Exists(finals),
    )


def restrictions_of(organisation):
    return UnitRestriction.objects.filter(unit__organisation=organisation).select_related(
        "membership__user", "unit"
    )


def unit_of(assessment) -> Unit | None:
    """The unit `assessment` is of (None: the whole organisation)."""
    link = UnitAssessment.objects.filter(assessment=assessment).select_related("unit").first()
    return link.unit if link else None


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
    names: dict[str, str] = {}  # process key -> name
    order: dict[str, int] = {}  # process key -> its place in the organisation's scope
    level_of: dict[tuple[int, str], int | None] = {}
    for unit in units:
        assessment = latest.get(unit.pk)
        for item in results.get(assessment.pk, []) if assessment else []:
            key = item.score.process.key
            names.setdefault(key, item.score.display_name)
            order[key] = min(order.get(key, item.score.order), item.score.order)
            level_of[unit.pk, key] = item.shown_level.number if item.shown_level else None
    rows = []
    for key, name in sorted(names.items(), key=lambda pair: (order[pair[0]], pair[1])):
        levels = [level_of.get((unit.pk, key)) for unit in units]
        known = [
            (level, unit.name)
            for level, unit in zip(levels, units, strict=True)
            if level is not None
        ]
        low = min((level for level, _n in known), default=None)
        rows.append(
            ProcessRow(
                key=key,
                name=name,
                levels=levels,
                median=statistics.median([level for level, _n in known]) if known else None,
                lowest=", ".join(n for level, n in known if level == low),
                low=low,
                high=max((level for level, _n in known), default=None),
            )
        )
    assessed = [unit for unit in units if unit.pk in latest]
    top = max((catalogue_for(a.version).levels[-1].number for a in latest.values()), default=5)
    return {
        "units": units,
        "latest": latest,
        "columns": [(unit, latest.get(unit.pk)) for unit in units],
        "rows": rows,
        "assessed": assessed,
        "radar_data": radar_data(rows, units, latest, top),
    }


def radar_data(rows: list[ProcessRow], units: list[Unit], latest: dict, top: int) -> dict:
    """`assessments.charts.radar_data`'s shape (so plotly on the page and matplotlib in the
    PDF draw it alike): a line per assessed unit and the median, or, with more units than
    MAX_UNIT_SERIES, the median between the lowest and the highest unit."""
    assessed = [(index, unit) for index, unit in enumerate(units) if unit.pk in latest]
    series = []
    if len(assessed) <= MAX_UNIT_SERIES:
        for colour, (index, unit) in zip(UNIT_COLOURS, assessed, strict=False):
            series.append(
                {
                    "key": f"unit-{unit.pk}",
                    "name": unit.name,
                    "values": [row.levels[index] for row in rows],
                    "colour": colour,
                    "fill": False,
                }
            )
    else:
        series += [
            {
                "key": "lowest",
                "name": _("Lowest unit"),
                "values": [row.low for row in rows],
                "colour": UNIT_COLOURS[4],
                "fill": False,
            },
            {
                "key": "highest",
                "name": _("Highest unit"),
                "values": [row.high for row in rows],
                "colour": UNIT_COLOURS[2],
                "fill": False,
            },
        ]
    series.append(
        {
            "key": "median",
            "name": _("Median of the units"),
            "values": [row.median for row in rows],
            "colour": MEDIAN_COLOUR,
            "fill": False,
            "dash": True,
        }
    )
    return {
        "axes": [row.name for row in rows],
        "range": [0, top],
        "ticks": [{"value": number, "label": str(number)} for number in range(1, top + 1)],
        "series": series,
    }
