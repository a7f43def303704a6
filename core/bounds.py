"""The range of days Terrain accepts anywhere: in URLs, query strings and forms.

Python dates run from year 1 to 9999, but a period's neighbours (the previous month, the
week around a day, the same month last year) step outside that range at its edges, and
no outreach session happens in year 1 or 9999. Every day that comes from outside is
checked against these bounds: a URL outside answers 404, a form field a French error.
"""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.utils.translation import gettext as _

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)


def in_bounds(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def validate_day(value: date | datetime | None) -> None:
    """A validator for date and datetime fields: a French error outside the bounds."""
    if value is None:
        return
    day = value.date() if isinstance(value, datetime) else value
    if not in_bounds(day):
        raise forms.ValidationError(
            # Said in words once per language ("1er janvier" in French), not formatted.
            _("Choose a day between 1 January 2000 and 31 December 2100."),
            code="out_of_bounds",
        )


class DayField(forms.DateField):
    """A date field limited to the days Terrain accepts; the date picker shows the range."""

    default_validators = [validate_day]

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)

    def widget_attrs(self, widget) -> dict:
        attrs = super().widget_attrs(widget)
        attrs.update(min=FIRST_DAY.isoformat(), max=LAST_DAY.isoformat())
        return attrs
