"""Scheduling math: the next digest in the member's own time zone, across daylight-saving changes."""

from datetime import UTC, datetime, timedelta

import pytest

from readingroom.digests.schedule import next_digest_at, period_start


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def nxt(after, zone, frequency="daily", weekday=0, hour=8):
    return next_digest_at(after=after, zone_name=zone, frequency=frequency, weekday=weekday, hour=hour)


def test_a_daily_digest_comes_at_the_chosen_hour_of_the_members_day():
    # 06:00 UTC is 07:00 in London (summer time): 08:00 there is still to come today.
    assert nxt(utc(2026, 7, 1, 6, 0), "Europe/London") == utc(2026, 7, 1, 7, 0)
    # Just past it: tomorrow.
    assert nxt(utc(2026, 7, 1, 7, 0), "Europe/London") == utc(2026, 7, 2, 7, 0)


def test_the_members_zone_decides_the_day_as_well_as_the_hour():
    # 20:00 UTC on 1 July is already 08:00 on 2 July in Auckland (UTC+12 in winter).
    assert nxt(utc(2026, 7, 1, 19, 59), "Pacific/Auckland") == utc(2026, 7, 1, 20, 0)
    assert nxt(utc(2026, 7, 1, 19, 59), "America/Los_Angeles") == utc(2026, 7, 2, 15, 0)
    assert nxt(utc(2026, 7, 1, 0, 0), "Asia/Kolkata", hour=0) == utc(2026, 7, 1, 18, 30)


def test_a_weekly_digest_comes_on_the_chosen_weekday():
    wednesday = utc(2026, 7, 1, 12, 0)
    assert nxt(wednesday, "Europe/London", "weekly", weekday=0) == utc(2026, 7, 6, 7, 0)  # Monday
    assert nxt(wednesday, "Europe/London", "weekly", weekday=2, hour=14) == utc(2026, 7, 1, 13, 0)  # later today
    assert nxt(wednesday, "Europe/London", "weekly", weekday=2, hour=8) == utc(2026, 7, 8, 7, 0)  # a week on


def test_a_weekly_digest_keeps_its_local_hour_across_a_clock_change():
    # Monday 08:00 in London: 07:00 UTC in summer, 08:00 UTC after the clocks go back on 25 October.
    first = nxt(utc(2026, 10, 18, 0, 0), "Europe/London", "weekly", weekday=0)
    assert first == utc(2026, 10, 19, 7, 0)
    assert nxt(first, "Europe/London", "weekly", weekday=0) == utc(2026, 10, 26, 8, 0)


def test_an_hour_that_does_not_exist_on_the_day_clocks_go_forward_comes_an_hour_later_that_day():
    # New York skips 02:00-03:00 on 8 March 2026: "02:00" resolves to 03:00 EDT (07:00 UTC).
    at = nxt(utc(2026, 3, 8, 0, 0), "America/New_York", hour=2)
    assert at == utc(2026, 3, 8, 7, 0)
    assert nxt(at, "America/New_York", hour=2) == utc(2026, 3, 9, 6, 0)  # 02:00 EDT the next day


def test_an_hour_that_happens_twice_when_clocks_go_back_sends_one_digest():
    # London has 01:00 twice on 25 October 2026: 00:00 UTC (BST) and 01:00 UTC (GMT).
    first = nxt(utc(2026, 10, 24, 12, 0), "Europe/London", hour=1)
    assert first == utc(2026, 10, 25, 0, 0)
    assert nxt(first, "Europe/London", hour=1) == utc(2026, 10, 26, 1, 0)  # not 01:00 UTC the same day


def test_digests_off_have_no_next_time_and_an_unknown_zone_means_utc():
    assert nxt(utc(2026, 7, 1, 0, 0), "Europe/London", "off") is None
    assert nxt(utc(2026, 7, 1, 0, 0), "Mars/Olympus_Mons") == utc(2026, 7, 1, 8, 0)


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata"])
def test_a_year_of_daily_digests_is_one_per_local_day_at_the_chosen_hour(zone):
    from zoneinfo import ZoneInfo

    at, days = utc(2026, 1, 1, 0, 0), set()
    for _ in range(365):
        at = nxt(at, zone, hour=7)
        local = at.astimezone(ZoneInfo(zone))
        assert local.hour == 7 and local.minute == 0
        days.add(local.date())
    assert len(days) == 365


def test_the_period_starts_where_the_last_digest_ended_but_never_before_one_window():
    until = utc(2026, 7, 8, 7, 0)
    assert period_start(until=until, frequency="weekly", last_sent_until=None) == until - timedelta(days=7)
    assert period_start(until=until, frequency="daily", last_sent_until=utc(2026, 7, 7, 9, 0)) == utc(2026, 7, 7, 9, 0)
    # Switched from weekly to daily: a day, not the six since the last weekly digest.
    assert period_start(until=until, frequency="daily", last_sent_until=utc(2026, 7, 2, 7, 0)) == utc(2026, 7, 7, 7, 0)
