"""Bounds, parsing and the entry fingerprint, shared by the CPD forms, actions, CSV import and API,
so every path accepts and refuses the same input with the same message."""

from __future__ import annotations

import calendar
import hashlib
import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from readingroom.cpd.models import MAX_ENTRY_QUARTERS, QUARTERS_PER_HOUR, ActivityType, Delivery
from readingroom.learning.models import LearningVisibility

EARLIEST_DATE = date(1970, 1, 1)
MAX_TITLE = 200
MAX_PROVIDER = 200
MAX_REFLECTION = 5000
MAX_EVIDENCE = 50  # per entry

_HOURS_RE = re.compile(r"^(\d{1,6})(?:[.,](\d{1,4}))?\s*(?:h|hr|hrs|hour|hours)?$", re.IGNORECASE)
_CLOCK_RE = re.compile(r"^(\d{1,4}):([0-5]\d)$")
_MINUTES_RE = re.compile(r"^(\d{1,6})\s*(?:m|min|mins|minute|minutes)$", re.IGNORECASE)
_HOURS_MINUTES_RE = re.compile(r"^(\d{1,4})\s*h(?:ours?|rs?)?\s*(\d{1,2})\s*(?:m|min|mins|minutes?)?$", re.IGNORECASE)
_FRACTIONS = {"¼": "0.25", "½": "0.5", "¾": "0.75"}

HOURS_HELP = "To the quarter hour, e.g. 1.5, 1,5, 1:30 or 90m (at most 1,000 hours)."


def parse_hours(text: str | None) -> int:
    """Quarter hours from what a member types: 1.5, 1,5, 1¾, 1:30, 1h30, 90m. Raises ValidationError."""
    raw = (text or "").strip()
    if not raw:
        raise ValidationError("Give the hours, e.g. 1.5.", code="required")
    if len(raw) > 20:
        raise ValidationError("Give the hours as a number, e.g. 1.5.", code="invalid")
    value = raw
    for glyph, decimal in _FRACTIONS.items():
        if value.endswith(glyph):
            whole = value[: -len(glyph)].strip() or "0"
            value = str(Decimal(whole) + Decimal(decimal)) if whole.isdigit() else "x"
    minutes: Decimal | None = None
    if match := _CLOCK_RE.match(value):
        minutes = Decimal(int(match[1]) * 60 + int(match[2]))
    elif match := _MINUTES_RE.match(value):
        minutes = Decimal(int(match[1]))
    elif match := _HOURS_MINUTES_RE.match(value):
        minutes = Decimal(int(match[1]) * 60 + int(match[2]))
    elif match := _HOURS_RE.match(value):
        try:
            minutes = Decimal(f"{match[1]}.{match[2] or 0}") * 60
        except InvalidOperation:
            minutes = None
    if minutes is None:
        raise ValidationError(f"“{raw}” is not a number of hours: write it like 1.5, 1:30 or 90m.", code="invalid")
    quarters = minutes / 15
    if quarters != quarters.to_integral_value():
        lower = format_decimal(int(quarters))
        upper = format_decimal(int(quarters) + 1)
        raise ValidationError(
            f"Hours go to the quarter hour: {raw} is not a multiple of 0.25 (try {lower} or {upper}).",
            code="not_quarter",
        )
    return check_quarters(int(quarters))


def check_quarters(quarters: int) -> int:
    if quarters <= 0:
        raise ValidationError("Hours must be more than 0.", code="too_small")
    if quarters > MAX_ENTRY_QUARTERS:
        raise ValidationError("One entry may hold at most 1,000 hours.", code="too_large")
    return quarters


def format_decimal(quarters: int) -> str:
    """1.75, 2, 0.25: the plain decimal form (CSV, API, form fields)."""
    return str(Decimal(quarters) / QUARTERS_PER_HOUR)


def format_hours(quarters: int | None) -> str:
    """1¾ h, ½ h, 20 h: how the pages show hours."""
    quarters = quarters or 0
    whole, part = divmod(quarters, QUARTERS_PER_HOUR)
    glyph = {0: "", 1: "¼", 2: "½", 3: "¾"}[part]
    if whole == 0 and glyph:
        return f"{glyph} h"
    return f"{whole:,}{glyph} h"


def latest_date(today: date) -> date:
    """A year from today: a planned course may be logged ahead, but not much further."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


def check_dates(started_on: date, ended_on: date | None, *, today: date) -> date | None:
    """Raise ValidationError (keyed by field) unless the dates are sane; returns ended_on (None for one day)."""
    errors: dict[str, str] = {}
    for field, value in (("started_on", started_on), ("ended_on", ended_on)):
        if value is None:
            continue
        if value < EARLIEST_DATE:
            errors[field] = "Choose a date in 1970 or later."
        elif value > latest_date(today):
            errors[field] = "Choose a date no more than a year from today."
    if not errors and ended_on is not None and ended_on < started_on:
        errors["ended_on"] = "The end date cannot be before the start date."
    if errors:
        raise ValidationError(errors)
    return None if ended_on == started_on else ended_on


def clean_text(value: str | None, *, limit: int, what: str, required: bool = False) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationError(f"The {what} may not contain the NUL character.", code="nul")
    if required and not value:
        raise ValidationError(f"Give the {what}.", code="required")
    if len(value) > limit:
        raise ValidationError(f"The {what} may be at most {limit:,} characters.", code="too_long")
    return value


def normalise(text: str) -> str:
    """Case, accents' composition and spacing do not make a different activity."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def fingerprint(
    *, started_on: date, ended_on: date | None, title: str, activity_type: str, quarter_hours: int, provider: str
) -> str:
    """sha256 of what makes an entry the same activity, whoever logged it: the same file imported
    twice, or an export imported back, finds the rows already logged."""
    parts = [
        started_on.isoformat(),
        ended_on.isoformat() if ended_on and ended_on != started_on else "",
        normalise(title),
        activity_type,
        str(quarter_hours),
        normalise(provider),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def choice_from(value: str, choices: type, *, what: str, blank: str | None = None) -> str:
    """A TextChoices value from its value or its label, case-insensitively (CSV and API)."""
    text = normalise(value or "")
    if not text:
        if blank is not None:
            return blank
        raise ValidationError(f"Give the {what}.", code="required")
    for member in choices:
        if text in (normalise(member.value), normalise(member.label), normalise(member.value.replace("_", " "))):
            return member.value
    known = ", ".join(member.label.lower() for member in choices)
    raise ValidationError(f"Unknown {what} “{value.strip()[:60]}” (known: {known}).", code="unknown_choice")


def activity_type_from(value: str) -> str:
    return choice_from(value, ActivityType, what="activity type")


def delivery_from(value: str) -> str:
    return choice_from(value, Delivery, what="delivery", blank="")


def visibility_from(value: str) -> str:
    return choice_from(value, LearningVisibility, what="visibility", blank=LearningVisibility.PRIVATE)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), on the month's last day when it has no such day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))
