"""Date fields every feature's forms share: bounded, so no date can overflow a calculation.

A browser's date input accepts any year up to 9999, and a link that works "through
9999-12-31" would need a moment after the last one Python can hold. So every date a form
takes lies between :data:`EARLIEST` and :data:`LATEST`, and the field says so next to it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import Optional, ValidationError

EARLIEST = date(2000, 1, 1)
LATEST = date(2199, 12, 31)
OUT_OF_BOUNDS = f"Choose a date from {EARLIEST.year} to {LATEST.year}."


def long_date(day: date) -> str:
    """A date as people read it in a sentence, the same on every page.

    >>> long_date(date(2026, 12, 4))
    'Friday 4 December 2026'
    """
    return f"{day:%A} {day.day} {day:%B %Y}"


def within_bounds(form: FlaskForm, field: DateField) -> None:
    """WTForms validator: a date from :data:`EARLIEST` to :data:`LATEST`."""
    if field.data is not None and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(OUT_OF_BOUNDS)


def bounded_date_field(label: str, *validators: Any, **options: Any) -> DateField:
    """An optional date field, bounded (also in the browser, through `min` and `max`)."""
    return DateField(
        label,
        validators=[Optional(), within_bounds, *validators],
        render_kw={"min": EARLIEST.isoformat(), "max": LATEST.isoformat()},
        **options,
    )
