"""Text put into the PDF's stylesheet (the page's margin boxes), safely."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def css_string(value) -> str:
    """`value` as a quoted CSS string: every character but letters, digits and spaces is
    written as a CSS escape (`\\22 ` for a quote), so nothing can end the string, the rule or
    the <style> element."""
    text = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in str(value))
    return mark_safe(f'"{text}"')  # noqa: S308 - every other character is escaped
