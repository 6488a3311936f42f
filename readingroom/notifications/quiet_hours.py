"""Quiet hours: when, in the member's own time zone, an email must wait, and until when."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, time, timedelta


def member_zone(name: str | None) -> zoneinfo.ZoneInfo:
    """The member's IANA zone (Profile.time_zone); UTC when unset or unknown."""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def is_quiet(local: time, *, start: time, end: time) -> bool:
    if start < end:
        return start <= local < end
    return local >= start or local < end  # the quiet period spans midnight


def quiet_until(*, now: datetime, start: time, end: time, zone: zoneinfo.ZoneInfo) -> datetime | None:
    """The (UTC) end of the quiet period `now` falls in, or None when `now` is not quiet."""
    local = now.astimezone(zone)
    if not is_quiet(local.time(), start=start, end=end):
        return None
    end_day = local.date() if local.time() < end else local.date() + timedelta(days=1)
    # A wall-clock end inside a DST gap resolves to the offset before the change: still later than now.
    until = datetime.combine(end_day, end, tzinfo=zone).astimezone(UTC)
    return until if until > now else None
