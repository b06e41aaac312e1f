"""Links to the benchmark from the pages of `assessments`, which knows no benchmark: its
templates load this library (`{% load benchmark %}`)."""

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag
def benchmark_organisation_link(organisation, is_consultant) -> str:
    """The organisation page's button to its sector, size and consent (consultants only)."""
    if not is_consultant:
        return ""
    return render_to_string("benchmark/_organisation_link.html", {"organisation": organisation})
