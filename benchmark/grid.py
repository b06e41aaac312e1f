"""The grid's link to the assessment's benchmark page (assessments.extensions): no query."""

from django.template.loader import render_to_string

from assessments.extensions import GridFigures


def benchmark_grid_figures(assessment) -> GridFigures:
    return GridFigures(
        header=render_to_string("benchmark/_grid_header.html", {"assessment": assessment})
    )
