"""When a digest is due, in the member's own time zone, and which period it covers. Pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from readingroom.digests.models import Frequency
from readingroom.notifications.quiet_hours import member_zone

WINDOW = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}


def next_digest_at(*, after: datetime, zone_name: str, frequency: str, weekday: int, hour: int) -> datetime | None:
    """The first moment strictly after `after` when the member's local clock shows `hour`:00 on a
    day the frequency allows, in UTC. None when digests are off.

    Daylight saving: a local hour that does not exist that day (clocks go forward) resolves with the
    offset from before the change, so the digest comes an hour later by the clock, still that day;
    an hour that happens twice (clocks go back) is the first of the two, and the second is not
    another occurrence because the next candidate is a day later."""
    if frequency not in WINDOW:
        return None
    zone = member_zone(zone_name)
    local_day = after.astimezone(zone).date()
    for offset in range(9):  # a week and a day covers "this weekday, but the hour has passed"
        day = local_day + timedelta(days=offset)
        if frequency == Frequency.WEEKLY and day.weekday() != weekday:
            continue
        at = datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)
        if at > after:
            return at
    raise AssertionError("unreachable: a matching day is at most eight days away")


def period_start(*, until: datetime, frequency: str, last_sent_until: datetime | None) -> datetime:
    """'While you were away': from the end of the last digest sent, but never further back than one
    digest's window (a member who switched from weekly to daily gets a day, not six)."""
    window_start = until - WINDOW.get(frequency, WINDOW[Frequency.WEEKLY])
    if last_sent_until is None:
        return window_start
    return max(last_sent_until, window_start)
