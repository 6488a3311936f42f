"""Notification emails, delivered to a real SMTP server (aiosmtpd, readingroom/testing/smtp.py)."""

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from readingroom.notifications import actions, emails, queries
from readingroom.notifications.models import Notification
from readingroom.testing.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"\s*<(https?://[^>]+)>")  # a long header is folded onto its own line


@pytest.fixture
def ana(db):
    return UserFactory(email="ana@example.org", profile__handle="ana", profile__display_name="Ana Archivist")


@pytest.fixture
def ben(db):
    return UserFactory(profile__handle="ben", profile__display_name="Ben Bloggs")


def email_jobs():
    """Email jobs in the database queue (fan-out jobs are queued there too)."""
    return DBTaskResult.objects.filter(task_path=emails.send_notification_email.module_path)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_a_mention_is_emailed_with_text_html_a_link_and_one_click_unsubscribe(smtp_server, mention, ana, ben, settings):
    settings.SITE_URL = "https://rr.example.org"
    post = mention(to=ana, by=ben, body="Have you seen the new finding aid, @ana?")
    [received] = smtp_server.received
    message = received.message
    assert received.recipients == ["ana@example.org"]
    assert message["Subject"] == "[Reading Room] Ben Bloggs mentioned you"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = LINK.fullmatch(message["List-Unsubscribe"]).group(1)
    assert unsubscribe_url.startswith("https://rr.example.org/notifications/unsubscribe/")
    assert f"<{unsubscribe_url}>".encode() in received.raw  # a plain URL, never an RFC 2047 encoded word
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    notification = Notification.objects.get()
    open_url = f"https://rr.example.org/notifications/{notification.pk}/"
    assert "Ben Bloggs mentioned you." in text and "Have you seen the new finding aid, @ana?" in text
    assert open_url in text and f'href="{open_url}"' in html and unsubscribe_url in text
    assert "Have you seen the new finding aid, @ana?" in html

    client = Client()
    client.force_login(ana)
    assert client.get(path_of(open_url))["Location"] == f"/posts/{post.pk}"  # and the notification is read
    assert queries.unread_count(ana) == 0


def test_one_click_unsubscribe_works_without_signing_in_or_a_csrf_token(smtp_server, mention, ana, ben):
    mention(to=ana, by=ben, body="Hello @ana")
    url = LINK.fullmatch(smtp_server.messages[0]["List-Unsubscribe"]).group(1)
    client = Client(enforce_csrf_checks=True)  # a mail provider's POST: no session, no CSRF token
    response = client.post(path_of(url), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "You are unsubscribed" in response.content.decode()
    assert queries.deliveries(ana)["mention"] == "in_app"
    assert queries.deliveries(ana)["reply"] == "email"  # only the kind the email was about

    mention(to=ana, by=ben, body="Hello again @ana")
    assert len(smtp_server.messages) == 1  # no second email
    assert queries.unread_count(ana) == 2  # still shown in the app


def test_the_unsubscribe_link_asks_for_confirmation_on_get_and_changes_nothing(smtp_server, mention, ana, ben, client):
    mention(to=ana, by=ben, body="Hello @ana")
    url = path_of(LINK.fullmatch(smtp_server.messages[0]["List-Unsubscribe"]).group(1))
    page = client.get(url).content.decode()
    assert "Stop emails about mentions?" in page and f'action="{url}"' in page
    assert queries.deliveries(ana)["mention"] == "email"


@pytest.mark.parametrize("token", ["nonsense", "a" * 300, "eyJtIjoxLCJrIjoibGlrZSJ9:forged"])
def test_a_forged_or_broken_unsubscribe_token_is_not_found(client, token):
    url = reverse("notifications:unsubscribe", args=[token])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_a_token_signed_for_another_member_or_kind_cannot_be_altered(ana, ben):
    token = emails.unsubscribe_token(member_id=ana.pk, kind="mention")
    assert emails.read_unsubscribe_token(token) == (ana.pk, "mention")
    payload, signature = token.rsplit(":", 1)
    assert emails.read_unsubscribe_token(f"{payload}x:{signature}") is None
    assert emails.read_unsubscribe_token(emails.unsubscribe_token(member_id=ana.pk, kind="nope")) is None


def test_likes_are_not_emailed_by_default_but_are_when_chosen(smtp_server, tell, ana, ben):
    tell("like", to=ana, by=ben, about=PostFactory(author=ana))
    assert smtp_server.messages == []
    actions.save_preferences(member=ana, deliveries={"like": "email"}, quiet=None)
    tell("like", to=ana, by=UserFactory(profile__display_name="Cat"), about=PostFactory(author=ana))
    [message] = smtp_server.wait_for(1)
    assert message["Subject"] == "[Reading Room] Cat liked your post"


def test_a_group_is_emailed_again_only_after_it_was_read(tell, ana):
    actions.save_preferences(member=ana, deliveries={"like": "email"}, quiet=None)
    post = PostFactory(author=ana)
    tell("like", to=ana, by=UserFactory(), about=post)
    tell("like", to=ana, by=UserFactory(), about=post)  # still unread: no second email
    assert len(mail.outbox) == 1
    actions.mark_all_read(member=ana)
    tell("like", to=ana, by=UserFactory(), about=post)
    assert len(mail.outbox) == 2


def test_running_the_email_task_twice_sends_one_email(mention, ana, ben):
    mention(to=ana, by=ben, body="Hi @ana")
    notification = Notification.objects.get()
    assert emails.send_notification_email.call(notification.pk) == "skipped: already emailed"
    assert len(mail.outbox) == 1


def test_a_follow_request_email_links_to_the_requests_page(smtp_server, tell, ana, ben, settings):
    settings.SITE_URL = "https://rr.example.org"
    tell("follow_request", to=ana, by=ben)
    [message] = smtp_server.messages
    assert message["Subject"] == "[Reading Room] Ben Bloggs asked to follow you"
    client = Client()
    client.force_login(ana)
    link = re.search(r"https://\S+/notifications/\d+/", message.get_body(("plain",)).get_content()).group(0)
    opened = client.get(path_of(link))
    assert opened["Location"] == "/settings/follow-requests/"


def test_no_email_about_a_post_deleted_before_the_task_ran(mention, ana, ben, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    post = mention(to=ana, by=ben, body="Hi @ana")
    [job] = email_jobs()
    post.delete()
    assert job.task.call(*job.args_kwargs["args"]) == "skipped: no longer visible"
    assert mail.outbox == []


def test_quiet_hours_defer_the_email_to_their_end_in_the_members_zone(mention, ana, ben, settings, monkeypatch):
    """With the database queue (production's backend), the job waits with run_after."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ana.profile.time_zone = "America/New_York"
    ana.profile.save(update_fields=["time_zone"])
    actions.save_preferences(member=ana, deliveries={}, quiet=(time(21, 0), time(8, 0)))
    now = datetime(2026, 7, 2, 3, 0, tzinfo=UTC)  # 23:00 in New York
    monkeypatch.setattr(timezone, "now", lambda: now)

    mention(to=ana, by=ben, body="Late-night question for @ana")

    [job] = email_jobs()
    assert job.run_after == datetime(2026, 7, 2, 12, 0, tzinfo=UTC)  # 08:00 in New York
    assert not email_jobs().ready().exists()  # the worker leaves it alone until then
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=9, minutes=1))
    assert email_jobs().ready().get() == job
    assert job.task.call(*job.args_kwargs["args"]) == "sent"
    assert mail.outbox[0].to == ["ana@example.org"]


def test_a_job_that_runs_in_quiet_hours_defers_itself_again(mention, ana, ben, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    mention(to=ana, by=ben, body="Hi @ana")  # queued outside quiet hours
    actions.save_preferences(member=ana, deliveries={}, quiet=(time(0, 0), time(23, 59)))
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 7, 2, 12, 0, tzinfo=UTC))  # 13:00 in London
    [first] = email_jobs()
    assert first.task.call(*first.args_kwargs["args"]) == "deferred: quiet hours"
    later = email_jobs().exclude(pk=first.pk).get()
    assert later.run_after == datetime(2026, 7, 2, 22, 59, tzinfo=UTC)
    assert mail.outbox == []


def test_with_a_backend_that_cannot_defer_quiet_hours_hold_the_email_back(mention, ana, ben, monkeypatch):
    """The immediate backend (tests, development) has no run_after: the email is not sent at night."""
    assert not emails.send_notification_email.get_backend().supports_defer
    actions.save_preferences(member=ana, deliveries={}, quiet=(time(0, 0), time(23, 59)))
    mention(to=ana, by=ben, body="Hi @ana")
    assert mail.outbox == []
    assert queries.unread_count(ana) == 1


def test_no_email_once_the_member_turned_email_off_or_read_it(mention, ana, ben, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    mention(to=ana, by=ben, body="Hi @ana")
    mention(to=ana, by=ben, body="Hi again @ana")
    first, second = email_jobs().order_by("enqueued_at")
    actions.mark_read(member=ana, notification_id=Notification.objects.order_by("position").first().pk)
    assert first.task.call(*first.args_kwargs["args"]) == "skipped: gone or already read"
    actions.save_preferences(member=ana, deliveries={"mention": "in_app"}, quiet=None)
    assert second.task.call(*second.args_kwargs["args"]) == "skipped: email turned off"
    assert mail.outbox == []
