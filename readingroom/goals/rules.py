"""Bounds and checks shared by the goals forms, actions and API, so every path refuses the same
input with the same message."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from readingroom.core.models import Visibility
from readingroom.core.pagination import MAX_ID
from readingroom.learning.models import LearningVisibility

EARLIEST_DATE = date(2000, 1, 1)
YEARS_AHEAD = 20
MAX_STEPS = 100  # per goal
MAX_EVIDENCE = 100  # per goal
MAX_TEMPLATE_GOALS = 20
MAX_OFFSET_WEEKS = 520  # ten years
MAX_OFFSET_DAYS = 3650

REFLECTION_PROMPTS = ("What happened?", "So what?", "Now what?")

_POST_PATH_RE = re.compile(r"/posts/(\d{1,19})/?(?:[?#].*)?$")


def latest_date() -> date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def clean_date(value: date | None, *, what: str = "date") -> date | None:
    """A date a member could mean: from 2000 to twenty years from today."""
    if value is None:
        return None
    if value < EARLIEST_DATE:
        raise ValidationError(f"Choose a {what} in 2000 or later.", code="date_too_early")
    if value > latest_date():
        raise ValidationError(f"Choose a {what} within {YEARS_AHEAD} years from today.", code="date_too_late")
    return value


def clean_past_date(value: date | None, *, what: str = "date") -> date | None:
    value = clean_date(value, what=what)
    if value is not None and value > timezone.localdate():
        raise ValidationError(f"The {what} cannot be in the future.", code="date_in_future")
    return value


def clean_text(value: str | None, *, limit: int, what: str, required: bool = False) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationError(f"The {what} may not contain the NUL character.", code="nul")
    if required and not value:
        raise ValidationError(f"Give the {what}.", code="required")
    if len(value) > limit:
        raise ValidationError(
            f"The {what} can be at most {limit:,} characters; it has {len(value):,}.", code="too_long"
        )
    return value


def clean_progress(value: int | None) -> int | None:
    if value is None:
        return None
    if not 0 <= value <= 100:
        raise ValidationError("Progress is a percentage from 0 to 100, or blank to follow the steps.", code="range")
    return value


def post_visibilities_for(goal_visibility: str) -> list[str]:
    """Who an "ask my network" post may reach: never more people than may see the goal it links to."""
    if goal_visibility == LearningVisibility.MEMBERS:
        return [Visibility.MEMBERS, Visibility.FOLLOWERS]
    if goal_visibility == LearningVisibility.FOLLOWERS:
        return [Visibility.FOLLOWERS]
    return []


def parse_post_ref(ref: str | int | None) -> int | None:
    """A post id from an id or a pasted post address (…/posts/123); None when it is neither."""
    if isinstance(ref, int):
        return ref if 0 < ref <= MAX_ID else None
    text = (ref or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 19:
        number = int(text)
    else:
        match = _POST_PATH_RE.search(text)
        if not match:
            return None
        number = int(match.group(1))
    return number if 0 < number <= MAX_ID else None


def prompt_headings() -> str:
    return "\n\n".join(f"### {p}\n" for p in REFLECTION_PROMPTS)
