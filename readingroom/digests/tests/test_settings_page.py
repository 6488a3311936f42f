"""The digest settings page: defaults, saving (and the next digest computed in the member's zone),
bounded fields that never cause a 500."""

from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from readingroom.digests.models import DigestSchedule

pytestmark = pytest.mark.django_db

SETTINGS = reverse("digests:settings")


def test_the_page_needs_a_sign_in(client):
    response = client.get(SETTINGS)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_page_shows_the_default_weekly_digest_in_the_members_zone(member_client):
    page = member_client.get(SETTINGS).content.decode()
    assert "You get a digest weekly, on Mondays at 08:00" in page
    assert "Europe/London" in page
    assert '<input type="radio" name="frequency" value="weekly" id="id_frequency_0" required checked>' in page
    assert '<option value="0" selected>Monday</option>' in page
    assert '<option value="8" selected>08:00</option>' in page


def test_saving_a_daily_digest_at_an_hour_schedules_it_in_the_members_zone(member, member_client):
    member.profile.time_zone = "Australia/Sydney"
    member.profile.save(update_fields=["time_zone"])
    response = member_client.post(SETTINGS, {"frequency": "daily", "weekday": "4", "hour": "18"})
    assert response.status_code == 302 and response["Location"] == SETTINGS
    schedule = DigestSchedule.objects.get(member=member)
    assert (schedule.frequency, schedule.weekday, schedule.hour) == ("daily", 4, 18)
    local = schedule.next_digest_at.astimezone(ZoneInfo("Australia/Sydney"))
    assert (local.hour, local.minute) == (18, 0)
    page = member_client.get(SETTINGS).content.decode()
    assert "Your digest settings are saved." in page and "You get a digest daily at 18:00" in page


def test_turning_the_digest_off_leaves_nothing_scheduled(member, member_client):
    member_client.post(SETTINGS, {"frequency": "off", "weekday": "0", "hour": "8"})
    schedule = DigestSchedule.objects.get(member=member)
    assert (schedule.frequency, schedule.next_digest_at) == ("off", None)
    assert "You get no digest." in member_client.get(SETTINGS).content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"frequency": "hourly", "weekday": "0", "hour": "8"},
        {"frequency": "daily", "weekday": "7", "hour": "8"},
        {"frequency": "daily", "weekday": "0", "hour": "24"},
        {"frequency": "daily", "weekday": "-1", "hour": "-1"},
        {"frequency": "daily", "weekday": "Monday", "hour": "8:30"},
        {"frequency": "x" * 10_000, "weekday": "9" * 400, "hour": "9" * 400},
        {"frequency": ["daily", "weekly"], "weekday": "0\x00", "hour": ""},
        {},
    ],
)
def test_out_of_range_or_hostile_values_are_reported_and_nothing_is_saved(member, member_client, data):
    response = member_client.post(SETTINGS, data)
    assert response.status_code == 200
    assert "Your digest settings were not saved." in response.content.decode()
    assert not DigestSchedule.objects.filter(member=member).exists()


def test_every_field_is_labelled_and_errors_are_announced(member_client):
    page = member_client.post(SETTINGS, {"frequency": "daily", "weekday": "0", "hour": "99"}).content.decode()
    assert '<label for="id_weekday">' in page and '<label for="id_hour">' in page
    assert "<legend>How often</legend>" in page
    assert 'role="alert"' in page and "Choose a whole hour from 00:00 to 23:00." in page
