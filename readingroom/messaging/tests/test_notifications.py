"""The "message" notification kind: one grouped notification per conversation for each recipient,
none for a muted conversation or across a block or a mute, and gone from the list of someone who
left. Read through the notifications app's own list query, as the notifications page reads it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from readingroom.messaging import actions
from readingroom.messaging.tests.conftest import fresh, say
from readingroom.notifications import queries as notification_queries
from readingroom.notifications.models import Notification
from readingroom.testing.factories import BlockFactory, MuteFactory, UserFactory

pytestmark = pytest.mark.django_db


def listed(user) -> list:
    """The member's message notifications as the notifications page lists them."""
    return [n for n in notification_queries.notification_page(viewer=fresh(user)).items if n.kind == "message"]


def start(committing, sender, *recipients, body="Hello", **kwargs):
    with committing():
        return actions.start_conversation(sender=fresh(sender), recipients=list(recipients), body=body, **kwargs)


def test_a_burst_of_messages_is_one_notification_per_conversation(ana, ben, cas, committing):
    with_ana = start(committing, ana, ben)
    for n in range(3):
        with committing():
            say(ana, with_ana, f"More {n}")
    group = start(committing, cas, ben, ana, title="Zine club")
    with committing():
        say(ana, group, "Me too")
    shown = listed(ben)
    assert sorted(n.subject_id for n in shown) == sorted([with_ana.pk, group.pk])
    by_subject = {n.subject_id: n for n in shown}
    assert by_subject[with_ana.pk].description.text == "Ana Archivist sent you a message"
    assert by_subject[with_ana.pk].description.url == reverse("messaging:conversation", args=[with_ana.pk])
    group_text = by_subject[group.pk].description.text
    assert "Ana Archivist" in group_text and "Cas Cataloguer" in group_text and "“Zine club”" in group_text
    assert Notification.objects.filter(recipient=ben, kind="message").count() == 2


def test_the_sender_is_not_notified_of_their_own_message(ana, ben, committing):
    start(committing, ana, ben)
    assert listed(ana) == [] and not Notification.objects.filter(recipient=ana).exists()


def test_a_notification_names_no_words_of_the_message(ana, ben, committing):
    mail.outbox = []
    start(committing, ana, ben, body="The secret shelf mark is QZ 123")
    (shown,) = listed(ben)
    assert "QZ 123" not in shown.description.text and "QZ 123" not in shown.description.excerpt
    assert all("QZ 123" not in m.body for m in mail.outbox)


def test_a_muted_conversation_stays_quiet(ana, ben, cas, committing):
    group = start(committing, ana, ben, cas)
    actions.set_muted(user=fresh(ben), conversation=group, muted=True)
    Notification.objects.all().delete()
    with committing():
        say(ana, group, "Quietly")
    assert listed(ben) == [] and [n.subject_id for n in listed(cas)] == [group.pk]


def test_a_blocked_or_muted_sender_in_a_group_notifies_nobody_who_blocks_or_mutes_them(ana, ben, cas, committing):
    dee = UserFactory()
    group = start(committing, cas, ana, ben, dee)
    Notification.objects.all().delete()
    BlockFactory(blocker=ben, blocked=ana)
    MuteFactory(muter=cas, muted=ana)
    with committing():
        say(ana, group, "Hello all")
    assert listed(ben) == [] and listed(cas) == []
    assert not Notification.objects.filter(recipient__in=[ben, cas]).exists()
    assert [n.subject_id for n in listed(dee)] == [group.pk]


def test_the_sender_blocked_by_the_recipient_after_notifying_them_leaves_their_list(ana, ben, committing):
    start(committing, ana, ben)
    assert len(listed(ben)) == 1
    BlockFactory(blocker=ben, blocked=ana)
    assert listed(ben) == []


def test_someone_who_left_no_longer_sees_the_conversations_notification(ana, ben, cas, committing):
    group = start(committing, ana, ben, cas, title="Reading group")
    assert [n.subject_id for n in listed(ben)] == [group.pk]
    actions.leave(user=fresh(ben), conversation=group)
    assert listed(ben) == []
    found = Notification.objects.filter(recipient=ben, kind="message").first()
    assert found is None or notification_queries.notification_for(fresh(ben), found.pk) is None
    with committing():
        say(ana, group, "After Ben left")
    assert listed(ben) == [] and [n.subject_id for n in listed(cas)] == [group.pk]
