"""Thermometer 2.0: two measurements side by side, and the trend over all of them.
Processes and criteria are matched by their stable keys, so assessments made against
different model versions compare."""

import html
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.formats import date_format

from .access import scope_of
from .charts import COLOURS, radar_data
from .models import Assessment
from .selectors import ScoredProcess, assessment_results, results_of_many


@dataclass(frozen=True)
class ProcessChange:
    key: str
    name: str
    then: ScoredProcess | None
    now: ScoredProcess | None
    newly_met: list = field(default_factory=list)  # criteria (of the later version)
    lost: list = field(default_factory=list)  # criteria (of the earlier version)

    @property
    def delta(self) -> float | None:
        if self.then is None or self.now is None:
            return None
        return round(self.now.result.progress - self.then.result.progress, 2)

    @property
    def level_changed(self) -> bool:
        return bool(self.then and self.now and self.then.result.level != self.now.result.level)

    @property
    def gap_closed(self) -> float | None:
        """Share of the gap between the earlier progress and the ambition that was closed."""
        if self.then is None or self.now is None or self.now.result.ambition is None:
            return None
        gap = self.now.result.ambition - self.then.result.progress
        if gap <= 0:
            return None
        return round((self.now.result.progress - self.then.result.progress) / gap, 2)


def _met_by_key(catalogue, item) -> dict[str, object]:
    by_id = {criterion.pk: criterion for criterion in catalogue.criteria}
    return {by_id[pk].key: by_id[pk] for pk in item.met_ids if pk in by_id}


def compare(earlier: Assessment, later: Assessment) -> dict:
    earlier_catalogue, earlier_results = assessment_results(earlier)
    later_catalogue, later_results = assessment_results(later)
    then = {item.score.process.key: item for item in earlier_results}
    now = {item.score.process.key: item for item in later_results}
    keys = list(now) + [key for key in then if key not in now]
    changes = []
    for key in keys:
        before, after = then.get(key), now.get(key)
        met_before = _met_by_key(earlier_catalogue, before) if before else {}
        met_after = _met_by_key(later_catalogue, after) if after else {}
        changes.append(
            ProcessChange(
                key=key,
                name=(after or before).score.display_name,
                then=before,
                now=after,
                newly_met=[c for k, c in met_after.items() if k not in met_before],
                lost=[c for k, c in met_before.items() if k not in met_after],
            )
        )
    previous = {key: item.result.progress for key, item in then.items()}
    return {
        "earlier": earlier,
        "later": later,
        "changes": changes,
        "radar_data": radar_data(later, later_catalogue, later_results, previous),
        "catalogue": later_catalogue,
    }


def trend(organisation, until: Assessment | None = None, assessments=None) -> dict:
    """Progress per process, and the average, for every assessment of the organisation in
    date order (of `assessments` if given; up to `until`, in its scope: a unit's report shows
    that unit's trend), in a number of queries that does not grow with the assessments."""
    queryset = assessments if assessments is not None else organisation.assessments.all()
    if until is not None:
        queryset = scope_of(until).narrow(queryset)
        queryset = queryset.filter(  # up to `until` in (date, creation) order
            Q(assessed_on__lt=until.assessed_on)
            | Q(assessed_on=until.assessed_on, id__lte=until.id)
        )
    assessments = list(
        queryset.select_related("version__model", "organisation").order_by("assessed_on", "id")
    )
    points = []
    names: dict[str, str] = {}
    all_results = results_of_many(assessments)
    for assessment in assessments:
        results = all_results[assessment.pk]
        for item in results:
            names[item.score.process.key] = item.score.display_name
        progress = [item.result.progress for item in results]
        points.append(
            {
                "assessment": assessment,
                # In the active language: the chart's axis and the PDF's show it as it is.
                "label": date_format(assessment.assessed_on, "DATE_FORMAT"),
                "progress": {item.score.process.key: item.result.progress for item in results},
                "lowest_level": min((item.result.level for item in results), default=None),
                "average": round(sum(progress) / len(progress), 2) if progress else None,
            }
        )
    top = max((a.version.levels.count() for a in assessments[-1:]), default=5)
    return {"points": points, "processes": names, "top": top}


def trend_figure(data: dict, average_label: str) -> dict:
    """A plotly line chart: one line per process and a dashed line for the average."""
    dates = [point["label"] for point in data["points"]]
    traces = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": html.escape(name),
            "x": dates,
            "y": [point["progress"].get(key) for point in data["points"]],
            "meta": key,
        }
        for key, name in data["processes"].items()
    ]
    traces.append(
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": average_label,
            "x": dates,
            "y": [point["average"] for point in data["points"]],
            "line": {"color": COLOURS["current"], "width": 4, "dash": "dash"},
            "meta": "average",
        }
    )
    return {
        "data": traces,
        "layout": {
            "yaxis": {"range": [0.8, data["top"] + 0.2], "dtick": 1, "title": {"text": ""}},
            "xaxis": {"type": "category"},
            "legend": {"orientation": "h", "y": -0.15},
            "margin": {"l": 40, "r": 20, "t": 20, "b": 40},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "font": {"family": "system-ui, sans-serif", "size": 12},
        },
        "config": {"displayModeBar": False, "responsive": True},
    }
