"""When an organisation's next measurement is due, and how that reads: plain dates in, plain
answers out (no database).

The rule, as the cadence page states it: a fixed date wins; else the date of the last final
assessment plus the rhythm's months (the organisation's own, else the default); an
organisation never measured (no final assessment) and without a fixed date is due now."""

import calendar
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus `months` calendar months; the 31st becomes the last day of a shorter month.
    Beyond the calendar's end (an assessment dated in the year 9999): its last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if year > datetime.MAXYEAR:
        return datetime.date.max
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Due:
    on: datetime.date | None  # None: never measured, so due now (no date to remind of)
    today: datetime.date
    soon_days: int  # "due soon" is within this many days

    @property
    def days(self) -> int:
        """Days until due (negative: overdue); 0 for an organisation never measured."""
        return (self.on - self.today).days if self.on is not None else 0

    @property
    def is_overdue(self) -> bool:
        return self.on is not None and self.on < self.today

    @property
    def is_soon(self) -> bool:
        """Due within the "soon" window (today included), or never measured."""
        return not self.is_overdue and self.days <= self.soon_days

    @property
    def sort_key(self) -> datetime.date:
        return self.on if self.on is not None else self.today

    @property
    def tone(self) -> str:
        """The Bootstrap colour of its badge."""
        if self.is_overdue:
            return "danger"
        return "warning" if self.is_soon else "secondary"

    @property
    def label(self) -> str:
        if self.on is None:
            return _("Not measured yet: due now")
        days = self.days
        if days < 0:
            weeks = -days // 7
            if weeks == 0:
                return ngettext("Overdue by %(n)s day", "Overdue by %(n)s days", -days) % {
                    "n": -days
                }
            return ngettext("Overdue by %(n)s week", "Overdue by %(n)s weeks", weeks) % {"n": weeks}
        if days == 0:
            return _("Due today")
        if days < 14:
            return ngettext("Due in %(n)s day", "Due in %(n)s days", days) % {"n": days}
        weeks = days // 7
        return ngettext("Due in %(n)s week", "Due in %(n)s weeks", weeks) % {"n": weeks}


def next_due(
    *,
    fixed: datetime.date | None,
    months: int | None,
    last_final: datetime.date | None,
    default_months: int,
) -> datetime.date | None:
    if fixed is not None:
        return fixed
    if last_final is None:
        return None
    return add_months(last_final, months or default_months)
