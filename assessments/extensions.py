"""Extension points of the grid, for apps built on assessments (which imports none of them).

A *grid figure provider* is a function `provider(assessment) -> GridFigures | None`,
registered once at start-up from the providing app's `AppConfig.ready()`:

    from assessments.extensions import register_grid_figures
    register_grid_figures(my_provider)

The grid page calls every provider once per page view, after the access check, with the
assessment as `get_assessment_for` returns it (`my_role` set). A provider must answer with a
fixed number of queries (one or two, never one per row) and from data that is current: what it
returns is rendered outside the rows kept under `Assessment.revision`, so it is never stale.
A provider that keeps its own cache keys it by a revision of its own data.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils.safestring import SafeString


@dataclass(frozen=True)
class GridFigures:
    """What one provider adds to the grid: HTML it rendered itself (escaped by it)."""

    # Above the rows: a link, a legend, the help text of its figures.
    header: SafeString | str = ""
    # Score pk -> HTML shown with that process's row.
    rows: Mapping[int, SafeString] = field(default_factory=dict)
    # Score pk -> how contested the process is (higher first); `?order=disagreement` on the
    # grid puts the rows in this order (ties keep the model's order).
    disagreement: Mapping[int, float] = field(default_factory=dict)


GridFigureProvider = Callable[[object], GridFigures | None]

_providers: list[GridFigureProvider] = []
_annotations: dict[str, Callable[[], object]] = {}


def register_grid_figures(
    provider: GridFigureProvider, *, annotations: Mapping[str, Callable[[], object]] | None = None
) -> None:
    """`annotations`: name -> a function that returns a query expression (a `Subquery` on
    `OuterRef("pk")`, say) the grid adds to the one query that loads the assessment, so a
    provider can tell from the assessment alone whether it has anything to show (no query
    at all when it has not)."""
    if provider not in _providers:
        _providers.append(provider)
    _annotations.update(annotations or {})


def grid_annotations() -> dict[str, object]:
    return {name: build() for name, build in _annotations.items()}


def grid_figures(assessment) -> list[GridFigures]:
    return [figures for provider in _providers if (figures := provider(assessment)) is not None]
