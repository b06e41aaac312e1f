"""Quarters as plain numbers: index = year * 4 + (quarter - 1), so ranges and sorting are
arithmetic and the database stores one integer per bound."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

ROADMAP_QUARTERS = 8  # year 1 and year 2


@dataclass(frozen=True, order=True)
class Quarter:
    index: int

    @classmethod
    def of(cls, year: int, quarter: int) -> "Quarter":
        if not 1 <= quarter <= 4:
            raise ValueError(f"quarter {quarter} is not 1..4")
        return cls(year * 4 + quarter - 1)

    @classmethod
    def containing(cls, day: datetime.date) -> "Quarter":
        return cls.of(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def current(cls) -> "Quarter":
        return cls.containing(timezone.localdate())

    @property
    def year(self) -> int:
        return self.index // 4

    @property
    def quarter(self) -> int:
        return self.index % 4 + 1

    def __add__(self, quarters: int) -> "Quarter":
        return Quarter(self.index + quarters)

    def __str__(self) -> str:
        return _("%(year)s Q%(quarter)s") % {"year": self.year, "quarter": self.quarter}


def quarter_range(start: Quarter, count: int = ROADMAP_QUARTERS) -> list[Quarter]:
    return [start + offset for offset in range(count)]
