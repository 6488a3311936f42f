from datetime import UTC, datetime, time

import pytest

from readingroom.notifications.quiet_hours import is_quiet, member_zone, quiet_until

LONDON = member_zone("Europe/London")


@pytest.mark.parametrize(
    ("local", "quiet"),
    [(time(21, 59), False), (time(22, 0), True), (time(23, 30), True), (time(3, 0), True), (time(7, 0), False)],
)
def test_quiet_hours_may_span_midnight(local, quiet):
    assert is_quiet(local, start=time(22, 0), end=time(7, 0)) is quiet


@pytest.mark.parametrize(("local", "quiet"), [(time(12, 59), False), (time(13, 0), True), (time(14, 0), False)])
def test_quiet_hours_within_one_day(local, quiet):
    assert is_quiet(local, start=time(13, 0), end=time(14, 0)) is quiet


def test_an_email_in_quiet_hours_waits_until_they_end_in_the_members_own_zone():
    # 23:30 in Auckland (NZDT, UTC+13) on 1 Feb: quiet until 07:00 local on 2 Feb = 18:00 UTC on 1 Feb.
    now = datetime(2026, 2, 1, 10, 30, tzinfo=UTC)
    until = quiet_until(now=now, start=time(22, 0), end=time(7, 0), zone=member_zone("Pacific/Auckland"))
    assert until == datetime(2026, 2, 1, 18, 0, tzinfo=UTC)


def test_after_midnight_the_quiet_period_ends_the_same_local_morning():
    now = datetime(2026, 7, 1, 1, 0, tzinfo=UTC)  # 02:00 in London (BST)
    assert quiet_until(now=now, start=time(22, 0), end=time(7, 0), zone=LONDON) == datetime(
        2026, 7, 1, 6, 0, tzinfo=UTC
    )


def test_outside_quiet_hours_there_is_no_wait():
    now = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert quiet_until(now=now, start=time(22, 0), end=time(7, 0), zone=LONDON) is None


def test_the_end_of_quiet_hours_follows_a_daylight_saving_change():
    # The night the clocks go forward in London (29 March 2026, 01:00 GMT → 02:00 BST).
    now = datetime(2026, 3, 28, 23, 0, tzinfo=UTC)  # 23:00 GMT
    until = quiet_until(now=now, start=time(22, 0), end=time(7, 0), zone=LONDON)
    assert until == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)  # 07:00 BST


def test_an_unknown_zone_falls_back_to_utc():
    assert member_zone("Mars/Olympus_Mons").key == "UTC"
    assert member_zone("").key == "UTC"
