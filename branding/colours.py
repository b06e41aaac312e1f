"""The accent colour: validated as #rrggbb, dark enough for white text, and its shades."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_ACCENT = "#1f4e79"  # the portal's own primary colour (static/css/portal.css)
# White navbar text and button labels on the accent need WCAG's 4.5:1 for normal text.
MIN_CONTRAST_WITH_WHITE = 4.5

_HEX = re.compile(r"#[0-9a-f]{6}")


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(colour: str) -> float:
    return 1.05 / (_luminance(colour) + 0.05)


def shade(colour: str, darker: float) -> str:
    """`colour` mixed with black: `darker` 0.2 is 20 % black (hover and pressed buttons)."""
    return "#" + "".join(f"{round(v * (1 - darker)):02x}" for v in _rgb(colour))


def validate_accent(value: str) -> None:
    if not _HEX.fullmatch(value or ""):
        raise ValidationError(
            _("Enter the colour as # and six hexadecimal digits, e.g. #1f4e79."), code="format"
        )
    ratio = contrast_with_white(value)
    if ratio < MIN_CONTRAST_WITH_WHITE:
        raise ValidationError(
            _(
                "White text on %(colour)s has a contrast of only %(ratio).1f:1 (at least "
                "4.5:1 is needed to read the menu and the buttons): choose a darker colour."
            ),
            code="contrast",
            params={"colour": value, "ratio": ratio},
        )
