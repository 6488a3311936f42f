"""Fixtures for the digests app's tests: members whose digest is due, and a run that keeps its log."""

from datetime import timedelta

import pytest
from django.utils import timezone

from readingroom.digests import actions, content, queries, tasks
from readingroom.digests.models import DigestSchedule


@pytest.fixture(autouse=True)
def _addresses_need_no_verification(settings):
    """Factories make no allauth EmailAddress rows; one test turns the check back on."""
    settings.ACCOUNT_EMAIL_VERIFICATION = "none"


def make_due(member, *, frequency="daily", weekday=0, hour=8, ago=timedelta(minutes=1)):
    """Give the member this schedule, with their next digest already due."""
    actions.save_digest_settings(member=member, frequency=frequency, weekday=weekday, hour=hour)
    DigestSchedule.objects.filter(member=member).update(next_digest_at=timezone.now() - ago)


def content_for(member, *, frequency="daily", since=None):
    """What the member's digest would hold now (for a period of one window, or from `since`)."""
    now = timezone.now()
    schedule = queries.schedule_for(member)
    claim = content.Claim(
        0, member.pk, since or now - timedelta(days=1 if frequency == "daily" else 7), now,
        frequency, schedule.weekday, schedule.hour, schedule.time_zone,
    )  # fmt: skip
    return content.build_contents([claim], floors=queries.floors(now=now))[member.pk]


class Run:
    def __init__(self):
        self.log: list[str] = []

    def __call__(self, **kwargs):
        return tasks.run_due_digests(log=self.log.append, **kwargs)


@pytest.fixture
def run():
    return Run()
