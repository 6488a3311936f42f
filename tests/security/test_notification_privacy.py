"""Notifications never leak what the recipient may not see, and blocked or muted members never
notify. Each case drives the real actions (with their on-commit callbacks) and then looks at every
place a notification shows: the page, opening it, the header count and the email."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from readingroom.core.models import Visibility
from readingroom.network import actions as network_actions
from readingroom.notifications import emails, queries
from readingroom.notifications.models import Notification
from readingroom.posts import actions as post_actions
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "zqxnotifysecret"


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def _run(action, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(**kwargs)

    return _run


@pytest.fixture
def people(db):
    ana = UserFactory(profile__handle="ana", profile__display_name="Ana")
    ben = UserFactory(profile__handle="ben", profile__display_name="Ben")
    return ana, ben


def _make_hidden(case: str, run, ana, ben, post) -> None:
    """Make Ben's post mentioning Ana something Ana may no longer see."""
    if case == "post deleted":
        post_actions.delete_post(post=post, actor=ben)
    elif case == "author blocks recipient":
        network_actions.block(blocker=ben, blocked=ana)
    elif case == "recipient blocks author":
        network_actions.block(blocker=ana, blocked=ben)
    elif case == "post narrowed to followers":
        post_actions.edit_post(post=post, editor=ben, body=post.body, visibility=Visibility.FOLLOWERS)
    elif case == "recipient stops following":
        network_actions.unfollow(follower=ana, followee=ben)
    elif case == "author suspended":
        ben.is_active = False
        ben.save(update_fields=["is_active"])
    elif case == "mention edited out":
        post_actions.edit_post(post=post, editor=ben, body=f"No mention now {SECRET}")


HIDING = [
    "post deleted",
    "author blocks recipient",
    "recipient blocks author",
    "post narrowed to followers",
    "recipient stops following",
    "author suspended",
    "mention edited out",
]


@pytest.mark.parametrize("case", HIDING)
def test_a_notification_about_a_post_the_recipient_can_no_longer_see_never_shows(client, run, people, case, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # hold the email job
    ana, ben = people
    visibility = Visibility.PUBLIC
    if case == "recipient stops following":
        network_actions.follow(follower=ana, followee=ben)
        visibility = Visibility.FOLLOWERS
    post = run(post_actions.create_post, author=ben, body=f"Hello @ana {SECRET}", visibility=visibility)
    notification = Notification.objects.get(recipient=ana, kind="mention")
    client.force_login(ana)
    assert SECRET in client.get(reverse("notifications:list")).content.decode()

    _make_hidden(case, run, ana, ben, post)

    page = client.get(reverse("notifications:list"))
    assert page.status_code == 200 and SECRET not in page.content.decode() and "Ben" not in page.content.decode()
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    assert client.get(reverse("notifications:list"), {"kind": "mention"}).context["page"].items == []
    assert emails.send_notification_email.call(notification.pk).startswith("skipped")
    assert mail.outbox == []


def _mention(run, actor, recipient):
    run(post_actions.create_post, author=actor, body=f"Hi @{recipient.profile.handle}", visibility="public")


def _reply(run, actor, recipient):
    parent = post_actions.create_post(author=recipient, body="A question", visibility="public")
    run(post_actions.create_post, author=actor, body="An answer", visibility="public", reply_to=parent)


def _like(run, actor, recipient):
    run(post_actions.like, user=actor, post=post_actions.create_post(author=recipient, body="x", visibility="public"))


def _boost(run, actor, recipient):
    run(post_actions.boost, user=actor, post=post_actions.create_post(author=recipient, body="x", visibility="public"))


def _follow(run, actor, recipient):
    run(network_actions.follow, follower=actor, followee=recipient)


def _follow_request(run, actor, recipient):
    recipient.profile.locked = True
    recipient.profile.save(update_fields=["locked"])
    run(network_actions.follow, follower=actor, followee=recipient)


ACTIVITIES = {
    "mention": _mention,
    "reply": _reply,
    "like": _like,
    "boost": _boost,
    "follow": _follow,
    "follow_request": _follow_request,
}


@pytest.mark.parametrize("activity", list(ACTIVITIES))
def test_every_kind_of_activity_notifies_when_nothing_stands_in_the_way(run, people, activity):
    ana, ben = people
    ACTIVITIES[activity](run, ben, ana)
    assert [n.kind for n in queries.notification_page(viewer=ana).items] == [activity]


@pytest.mark.parametrize("activity", list(ACTIVITIES))
@pytest.mark.parametrize("relation", ["recipient blocks actor", "actor blocks recipient", "recipient mutes actor"])
def test_blocked_and_muted_members_never_notify(run, people, activity, relation):
    ana, ben = people
    if relation == "recipient blocks actor":
        network_actions.block(blocker=ana, blocked=ben)
    elif relation == "actor blocks recipient":
        network_actions.block(blocker=ben, blocked=ana)
    else:
        network_actions.mute(muter=ana, muted=ben)
    try:
        ACTIVITIES[activity](run, ben, ana)
    except Exception as refused:  # across a block the action itself is refused (404 or RelationshipRefused)
        assert relation != "recipient mutes actor", refused
    assert not Notification.objects.filter(recipient=ana).exists()
    assert queries.unread_count(ana) == 0
    assert mail.outbox == []
