"""Runs: due members are claimed in batches, sent a digest through a real SMTP server (aiosmtpd),
never twice for one slot, with a progress line per batch; the one-click link stops them."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from readingroom.digests import actions, emails
from readingroom.digests.models import Digest, DigestRun, DigestSchedule, DigestStatus, Frequency
from readingroom.digests.tests.conftest import make_due
from readingroom.notifications import emails as notification_emails
from readingroom.testing.factories import FollowFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"\s*<(https?://[^>]+)>")


@pytest.fixture
def ana(db):
    return UserFactory(email="ana@example.org", profile__handle="ana", profile__display_name="Ana Archivist")


@pytest.fixture
def ben(ana):
    ben = UserFactory(profile__handle="ben", profile__display_name="Ben Bibliographer")
    FollowFactory(follower=ana, followee=ben)
    return ben


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_a_due_digest_arrives_by_smtp_with_text_html_and_one_click_unsubscribe(smtp_server, run, ana, ben, settings):
    settings.SITE_URL = "https://rr.example.org"
    post = PostFactory(author=ben, body="A new guide to zine cataloguing", likes_count=2)
    make_due(ana, frequency="daily", hour=7)

    assert run() == {"sent": 1}

    [received] = smtp_server.received
    message = received.message
    assert received.recipients == ["ana@example.org"]
    assert message["Subject"] == "[Reading Room] Your daily digest: 1 post"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = LINK.fullmatch(message["List-Unsubscribe"]).group(1)
    assert unsubscribe.startswith("https://rr.example.org/digest/unsubscribe/")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    post_url = f"https://rr.example.org/posts/{post.pk}"
    assert "Hello Ana Archivist" in text and "A new guide to zine cataloguing" in text and post_url in text
    assert "2 likes · 0 boosts · 0 replies" in text
    assert "daily at 07:00 (Europe/London)" in text and unsubscribe in text
    assert f'href="{post_url}"' in html and "<h1>What your network shared while you were away</h1>" in html

    # The mail provider's one-click POST: no session, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(path_of(unsubscribe), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "You are unsubscribed" in response.content.decode()
    schedule = DigestSchedule.objects.get(member=ana)
    assert (schedule.frequency, schedule.next_digest_at) == (Frequency.OFF, None)

    PostFactory(author=ben, body="Something else worth reading")
    assert run(now=timezone.now() + timedelta(days=8))["sent"] == 0  # (Ben's first weekly one is empty)
    assert len(smtp_server.messages) == 1  # no further digest


def test_the_unsubscribe_link_asks_first_on_get_and_refuses_forged_tokens(client, ana):
    url = path_of(emails.unsubscribe_url(ana.pk))
    page = client.get(url).content.decode()
    assert "Stop the digest emails?" in page and f'action="{url}"' in page
    assert DigestSchedule.objects.filter(member=ana).count() == 0  # nothing changed
    kind_token = notification_emails.unsubscribe_token(member_id=ana.pk, kind="mention")
    for token in ("nonsense", "x" * 300, kind_token, kind_token.replace(":", "x:", 1)):
        target = reverse("digests:unsubscribe", args=[token])
        assert client.get(target).status_code == 404
        assert client.post(target).status_code == 404


def test_nothing_new_sends_nothing_and_moves_the_schedule_on(run, ana):
    make_due(ana, frequency="weekly", weekday=3, hour=9)
    assert run() == {"empty": 1}
    assert mail.outbox == []
    schedule = DigestSchedule.objects.get(member=ana)
    assert schedule.next_digest_at > timezone.now()
    assert schedule.next_digest_at.astimezone(timezone.get_default_timezone()).weekday() in (2, 3, 4)
    assert Digest.objects.get(member=ana).status == DigestStatus.EMPTY


def test_a_second_run_sends_nothing_again_and_a_later_digest_has_only_newer_items(run, ana, ben):
    first = PostFactory(author=ben, body="First find")
    make_due(ana)
    assert run() == {"sent": 1}
    assert run() == {}  # not due any more
    make_due(ana)
    assert run() == {"empty": 1}  # due again, but nothing new since the last digest
    second = PostFactory(author=ben, body="Second find")
    make_due(ana)
    assert run() == {"sent": 1}
    [_, latest] = mail.outbox
    assert "Second find" in latest.body and "First find" not in latest.body
    assert f"/posts/{second.pk}" in latest.body and f"/posts/{first.pk}" not in latest.body


def test_a_crash_after_claiming_never_sends_that_slot_and_its_items_come_next_time(run, ana, ben):
    PostFactory(author=ben, body="Found during the crash")
    make_due(ana)
    [claim] = actions.claim_due(now=timezone.now(), after_id=0, limit=10)  # then the worker died
    assert run() == {}  # the slot is claimed: nobody sends it again
    assert Digest.objects.get(pk=claim.digest_id).status == DigestStatus.CLAIMED
    make_due(ana)  # the next slot
    assert run() == {"sent": 1}
    assert "Found during the crash" in mail.outbox[0].body


def test_a_slot_can_be_claimed_only_once(ana):
    make_due(ana)
    now = timezone.now()
    assert len(actions.claim_due(now=now, after_id=0, limit=10)) == 1
    assert actions.claim_due(now=now, after_id=0, limit=10) == []
    # A second worker that read the same slot before the first committed is refused by the key.
    schedule = DigestSchedule.objects.get(member=ana)
    DigestSchedule.objects.filter(member=ana).update(next_digest_at=Digest.objects.get(member=ana).due_at)
    assert actions.claim_due(now=now, after_id=0, limit=10) is None
    assert Digest.objects.filter(member=ana).count() == 1
    assert schedule.next_digest_at > now


def test_no_more_runs_at_once_than_there_are_slots(run, ana, ben, settings):
    settings.RR_DIGEST_RUNS = 1
    PostFactory(author=ben)
    make_due(ana)
    assert actions.take_lease(holder="another worker", now=timezone.now())
    assert run() is None
    assert mail.outbox == []
    DigestRun.objects.update(locked_until=timezone.now() - timedelta(seconds=1))  # that worker died
    assert run() == {"sent": 1}
    assert DigestRun.objects.get().locked_until is None  # released


def test_runs_side_by_side_share_the_due_members_and_never_send_one_twice(run, ben, settings):
    """Another run claimed the first batch (and is still sending it): this run takes the rest."""
    settings.RR_DIGEST_RUNS = 2
    members = [UserFactory() for _ in range(5)]
    PostFactory(author=ben)
    for m in members:
        FollowFactory(follower=m, followee=ben)
        make_due(m)
    assert actions.take_lease(holder="the other run", now=timezone.now())
    theirs = actions.claim_due(now=timezone.now(), after_id=0, limit=2)
    assert run(batch_size=2) == {"sent": 3}
    assert {m.to[0] for m in mail.outbox}.isdisjoint(
        {m.email for m in members if m.pk in {c.member_id for c in theirs}}
    )
    assert Digest.objects.count() == 5


def test_members_are_sent_in_batches_with_a_progress_line_each(run, ben):
    members = [UserFactory() for _ in range(5)]
    PostFactory(author=ben)
    for m in members:
        FollowFactory(follower=m, followee=ben)
        make_due(m)
    assert run(batch_size=2) == {"sent": 5}
    assert len(mail.outbox) == 5 and len({m.to[0] for m in mail.outbox}) == 5
    assert [re.sub(r" [\d.]+s$", "", line) for line in run.log] == [
        "digests: 2/5 (40%)",
        "digests: 4/5 (80%)",
        "digests: 5/5 (100%)",
    ]


def test_suspended_members_and_unverified_addresses_get_no_digest(run, ana, ben, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    cat = UserFactory(email="cat@example.org")
    dan = UserFactory(email="dan@example.org", is_active=False)
    for member in (ana, cat, dan):
        FollowFactory(follower=member, followee=ben) if member != ana else None
        EmailAddress.objects.create(user=member, email=member.email, verified=member != cat, primary=True)
        make_due(member)
    PostFactory(author=ben)
    assert run() == {"sent": 1, "skipped": 2}
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]


def test_a_refused_digest_is_failed_and_its_items_wait_for_the_next(run, ana, ben, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    PostFactory(author=ben, body="Still worth reading")
    make_due(ana)
    assert run() == {"failed": 1}
    assert DigestSchedule.objects.get(member=ana).last_sent_until is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_due(ana)
    assert run() == {"sent": 1}
    assert "Still worth reading" in mail.outbox[0].body


def test_every_member_gets_the_default_weekly_schedule_and_follows_their_time_zone(run):
    ana = UserFactory(profile__time_zone="America/New_York")
    run()
    schedule = DigestSchedule.objects.get(member=ana)
    assert (schedule.frequency, schedule.weekday, schedule.hour) == ("weekly", 0, 8)
    local = schedule.next_digest_at.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York"))
    assert (local.weekday(), local.hour, local.minute) == (0, 8, 0)
    ana.profile.time_zone = "Asia/Tokyo"
    ana.profile.save(update_fields=["time_zone"])
    run()
    schedule.refresh_from_db()
    local = schedule.next_digest_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Tokyo"))
    assert (schedule.time_zone, local.weekday(), local.hour) == ("Asia/Tokyo", 0, 8)
