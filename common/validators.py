"""Plausible values: dates within a range that fits their meaning, numbers finite and in range.

Every form, import and service goes through these (model fields carry the date validators,
so ModelForms and `full_clean` apply them), and the database holds the wide static bounds of
`date_bounds` as CHECK constraints, so that no value can break a page or a chart later.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import formats, timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

# The product's era: the national system of knowledge management began in 2018; a region
# may register an earlier decision taken outside the product, but none before 2000.
EARLIEST = date(2000, 1, 1)
# What the database refuses whatever the validators say (a CHECK constraint).
LATEST_STORED = date(2099, 12, 31)


@deconstructible
class DateWithin:
    """A date from EARLIEST up to `years_ahead` years (or `days_ahead` days) after today."""

    def __init__(self, *, days_ahead: int = 0, years_ahead: int = 0, what: str = ""):
        self.days_ahead = days_ahead
        self.years_ahead = years_ahead
        self.what = what

    def latest(self) -> date:
        today = timezone.localdate()
        latest = today + timedelta(days=self.days_ahead)
        if self.years_ahead:
            latest = date(min(today.year + self.years_ahead, LATEST_STORED.year), 12, 31)
        return min(latest, LATEST_STORED)

    def __call__(self, value):
        if value is None:
            return
        if hasattr(value, "date") and callable(value.date):
            value = value.date()
        if value < EARLIEST:
            raise ValidationError(
                _("%(date)s är för tidigt; ange ett datum från %(earliest)s.")
                % {"date": value.isoformat(), "earliest": EARLIEST.isoformat()},
                code="date_too_early",
            )
        latest = self.latest()
        if value > latest and not self.years_ahead:
            # Something that has happened: what the forms and services say of any date ahead
            # (a year's slack here only keeps the stored range wide), not "senast 2027-12-05",
            # which invited a date they then refuse.
            raise ValidationError(
                _("%(date)s har inte hänt ännu: datumet kan inte ligga i framtiden.")
                % {"date": value.isoformat()},
                code="date_too_late",
            )
        if value > latest:
            raise ValidationError(
                _("%(date)s är för långt fram i tiden; ange ett datum senast %(latest)s.")
                % {"date": value.isoformat(), "latest": latest.isoformat()},
                code="date_too_late",
            )

    def __eq__(self, other):
        return (
            isinstance(other, DateWithin)
            and self.days_ahead == other.days_ahead
            and self.years_ahead == other.years_ahead
        )


# Something that has happened (a decision, a statement, a remiss received): not before the
# product's era and not more than a year ahead (a date typed a year wrong is still caught).
happened = DateWithin(days_ahead=366)
# Something planned (a deadline, an activity's due date, a period): within three decades.
planned = DateWithin(years_ahead=30)


def date_bounds(field: str, name: str) -> models.CheckConstraint:
    """The database's own guard for a date column: EARLIEST to LATEST_STORED (or empty)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True})
        | models.Q(**{f"{field}__gte": EARLIEST, f"{field}__lte": LATEST_STORED}),
        name=name,
        violation_error_message=_("Datumet ligger utanför det tillåtna intervallet."),
    )


def in_bounds(value) -> bool:
    """Whether a stored date is one the pages can show and compute with."""
    return isinstance(value, date) and EARLIEST <= value <= LATEST_STORED


def check_values(instance, *, exclude=()) -> None:
    """Run the field validators of a model instance without queries (no relations, no
    uniqueness): for services that save many rows at once."""
    relations = [f.name for f in instance._meta.fields if f.is_relation]
    instance.clean_fields(exclude=[*relations, *exclude])


# What one spreadsheet cell of ours may hold (common.tabular reads no more): a gap row's text
# goes to Excel and back, and Excel keeps at most 32,767 characters in a cell.
MAX_TEXT_IN_A_CELL = 10_000
fits_a_cell = MaxLengthValidator(
    MAX_TEXT_IN_A_CELL,
    message=_lazy("Texten får ha högst %(limit_value)d tecken (den har %(show_value)d)."),
)


# --- Numbers typed or imported as text ------------------------------------------------------


# Digits with an optional sign, decimal point and exponent; not Python's extras ("1_000",
# "NaN", "Infinity", full-width digits), which no spreadsheet writes.
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)


def _number(text):
    """(the Decimal, the text as typed) for a text of digits; (None, …) for an empty text;
    (False, …) for anything else ("abc", "NaN", "1_000")."""
    cleaned = (
        str(text or "").strip().replace(" ", "").replace("\u00a0", "").replace("−", "-")
    ).replace(",", ".")
    shown = str(text or "").strip()[:30]
    if not cleaned:
        return None, shown
    try:
        return (Decimal(cleaned) if NUMBER.fullmatch(cleaned) else False), shown
    except InvalidOperation:
        return False, shown


def parse_decimal(text, *, label: str, max_digits: int = 14, decimal_places: int = 3):
    """A finite Decimal that fits a DecimalField(max_digits, decimal_places), or None for an
    empty text; ValueError with a Swedish message otherwise. More decimals are rounded."""
    number, shown = _number(text)
    if number is None:
        return None
    if number is False or not number.is_finite():
        raise ValueError(_("%(label)s ”%(text)s” är inget tal.") % {"label": label, "text": shown})
    limit = Decimal(10) ** (max_digits - decimal_places)
    if number.adjusted() >= max_digits - decimal_places or abs(number) >= limit:
        raise ValueError(
            _("%(label)s ”%(text)s” är för stort; det ska vara mindre än %(limit)s.")
            % {"label": label, "text": shown, "limit": _grouped(limit)}
        )
    return number.quantize(Decimal(1).scaleb(-decimal_places), rounding=ROUND_HALF_UP)


MAX_WHOLE = 2_147_483_647  # PositiveIntegerField on every database Django supports.


def parse_whole(text, *, label: str, maximum: int = MAX_WHOLE):
    """A whole number from 0 to `maximum`, or None for an empty text; ValueError otherwise."""
    number, shown = _number(text)
    if number is None:
        return None
    if number is False or not number.is_finite() or number != number.to_integral_value():
        raise ValueError(
            _("%(label)s ”%(text)s” är inget heltal.") % {"label": label, "text": shown}
        )
    if number < 0:
        raise ValueError(_("%(label)s kan inte vara negativ.") % {"label": label})
    if number > maximum:
        raise ValueError(
            _("%(label)s ”%(text)s” är för stort; högst %(max)s.")
            % {"label": label, "text": shown, "max": _grouped(maximum)}
        )
    return int(number)


def _grouped(number) -> str:
    return formats.number_format(number, 0, force_grouping=True)


def bring_dates_into_bounds(model, fields) -> None:
    """For a migration that adds `date_bounds`: stored dates outside the bounds are moved to
    the nearest bound (an empty optional date stays empty), so the constraint can be added."""
    for name in fields:
        model.objects.filter(**{f"{name}__lt": EARLIEST}).update(**{name: EARLIEST})
        model.objects.filter(**{f"{name}__gt": LATEST_STORED}).update(**{name: LATEST_STORED})
