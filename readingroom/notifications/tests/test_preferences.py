"""Per-kind delivery, quiet hours, the settings page, and the digest's query."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from readingroom.notifications import actions, queries
from readingroom.notifications.kinds import Delivery, all_kinds
from readingroom.notifications.models import NotificationPreference, QuietHours
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

SETTINGS = reverse("notifications:settings")


def form_data(**changes):
    # Kinds other apps register (mentorships, ...) keep their defaults; the six below are checked.
    data = {f"delivery_{kind.slug}": str(kind.default_delivery) for kind in all_kinds()}
    data |= {
        "delivery_mention": "email",
        "delivery_reply": "email",
        "delivery_like": "in_app",
        "delivery_boost": "in_app",
        "delivery_follow": "in_app",
        "delivery_follow_request": "email",
        "quiet_start": "",
        "quiet_end": "",
    }
    return {**data, **changes}


def test_every_kind_has_a_default_until_the_member_chooses(member):
    assert queries.deliveries(member) == {kind.slug: kind.default_delivery for kind in all_kinds()}
    core = {"mention", "reply", "like", "boost", "follow", "follow_request"}
    assert {slug: d for slug, d in queries.deliveries(member).items() if slug in core} == {
        "mention": "email",
        "reply": "email",
        "like": "in_app",
        "boost": "in_app",
        "follow": "in_app",
        "follow_request": "email",
    }


def test_the_settings_page_saves_choices_and_quiet_hours(member, member_client):
    page = member_client.get(SETTINGS).content.decode()
    assert "Europe/London" in page and 'aria-current="page">Notifications<' in page
    response = member_client.post(
        SETTINGS, form_data(delivery_like="digest", delivery_follow="off", quiet_start="22:00", quiet_end="07:30")
    )
    assert response.status_code == 302
    assert queries.deliveries(member)["like"] == "digest"
    assert queries.deliveries(member)["follow"] == "off"
    quiet = QuietHours.objects.get(member=member)
    assert (quiet.start, quiet.end) == (time(22, 0), time(7, 30))
    assert 'value="22:00"' in member_client.get(SETTINGS).content.decode()


def test_clearing_both_times_removes_quiet_hours(member, member_client):
    actions.save_preferences(member=member, deliveries={}, quiet=(time(22, 0), time(7, 0)))
    member_client.post(SETTINGS, form_data())
    assert not QuietHours.objects.filter(member=member).exists()


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("22:00", "", "Give both a start and an end time"),
        ("07:00", "07:00", "different start and end times"),
        ("25:00", "07:00", "Enter a valid time"),
    ],
)
def test_incomplete_or_invalid_quiet_hours_are_reported_and_nothing_saved(member, member_client, start, end, message):
    response = member_client.post(SETTINGS, form_data(delivery_like="off", quiet_start=start, quiet_end=end))
    assert response.status_code == 200 and message in response.content.decode()
    assert not NotificationPreference.objects.exists() and not QuietHours.objects.exists()


def test_an_unknown_delivery_is_reported(member, member_client):
    response = member_client.post(SETTINGS, form_data(delivery_like="carrier_pigeon"))
    assert response.status_code == 200 and "Choose how you want to hear about this." in response.content.decode()


def test_members_wanting_digest_items_follows_choices_and_skips_read_or_old(liked):
    ana, ben, cat = UserFactory(), UserFactory(), UserFactory()
    actions.save_preferences(member=ana, deliveries={"like": Delivery.DIGEST}, quiet=None)
    actions.save_preferences(member=cat, deliveries={"like": Delivery.DIGEST}, quiet=None)
    for member in (ana, ben, cat):  # ben keeps the default for likes (in the app only)
        liked(member, 1)
    actions.mark_all_read(member=cat)
    since = timezone.now() - timedelta(days=1)
    assert list(queries.members_wanting_digest_items(since=since)) == [ana.pk]
    assert list(queries.members_wanting_digest_items(since=timezone.now() + timedelta(minutes=1))) == []
