"""Discussions' notification kinds, written by the worker task after each reply commits: replies
for watchers (grouped per topic), mentions, new topics for group watchers, accepted answers. Each
is shown only while its recipient may still read the topic."""

import pytest
from django.core import mail

from readingroom.discussions import actions, tasks
from readingroom.discussions.models import Reply, TopicKind, WatchLevel
from readingroom.discussions.tests.helpers import start
from readingroom.groups import actions as group_actions
from readingroom.groups.tests.helpers import add_member, make_group
from readingroom.notifications import queries as notification_queries
from readingroom.notifications.models import Notification
from readingroom.testing.factories import BlockFactory, MuteFactory, UserFactory

pytestmark = pytest.mark.django_db


def kinds_of(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def listed(user) -> list[str]:
    """The texts of the member's notifications list, as the notifications page shows them."""
    return [n.description.text for n in notification_queries.notification_page(viewer=user).items]


def handle(user) -> str:
    return f"@{user.profile.handle}"


# --- replies to watched topics --------------------------------------------------------------------


def test_the_asker_hears_of_replies_grouped_in_one_notification_per_topic(committing, forum):
    asker = forum["asker"]
    with committing():
        topic = start(asker, forum["group"], title="Zines?")
    for replier in (forum["helper"], forum["moderator"]):
        with committing():
            actions.reply(author=replier, topic=topic, body="Try this")
    (notification,) = Notification.objects.filter(recipient=asker)
    assert notification.kind == "topic_reply" and notification.subject_id == topic.pk
    assert notification.actor_rows.count() == 2
    (text,) = listed(asker)
    assert "replied in “Zines?”" in text and " and " in text


def test_a_reply_tells_every_watcher_at_all_but_not_its_author_or_those_at_mentions_only(committing, forum):
    with committing():
        topic = start(forum["asker"], forum["group"])
    watcher, quiet = forum["helper"], forum["owner"]
    actions.set_watch(user=watcher, topic=topic, level=WatchLevel.ALL)
    actions.set_watch(user=quiet, topic=topic, level=WatchLevel.MENTIONS)
    with committing():
        actions.reply(author=forum["moderator"], topic=topic, body="An answer")
    assert kinds_of(forum["asker"]) == kinds_of(watcher) == ["topic_reply"]
    assert kinds_of(quiet) == [] and kinds_of(forum["moderator"]) == []


def test_a_group_watcher_at_all_hears_of_replies_unless_the_topic_is_muted(committing, forum):
    with committing():
        topic = start(forum["asker"], forum["group"])
        muted_topic = start(forum["asker"], forum["group"], title="Muted one")
    watcher = forum["helper"]
    actions.set_group_watch(user=watcher, group=forum["group"], level=WatchLevel.ALL)
    actions.set_watch(user=watcher, topic=muted_topic, level=WatchLevel.MUTED)
    with committing():
        actions.reply(author=forum["moderator"], topic=topic, body="Here")
        actions.reply(author=forum["moderator"], topic=muted_topic, body="And here")
    assert list(Notification.objects.filter(recipient=watcher).values_list("subject_id", flat=True)) == [topic.pk]


def test_whoever_was_answered_is_told_even_without_watching(committing, forum):
    with committing():
        topic = start(forum["asker"], forum["group"])
    helper = forum["helper"]
    with committing():
        first = actions.reply(author=helper, topic=topic, body="One idea")
    actions.set_watch(user=helper, topic=topic, level=WatchLevel.MENTIONS)
    with committing():
        actions.reply(author=forum["moderator"], topic=topic, body="Building on that", parent=first)
    assert kinds_of(helper) == ["topic_reply"]


def test_whoever_was_answered_but_muted_the_topic_is_not_told(committing, forum):
    with committing():
        topic = start(forum["asker"], forum["group"])
    helper = forum["helper"]
    with committing():
        first = actions.reply(author=helper, topic=topic, body="One idea")
    actions.set_watch(user=helper, topic=topic, level=WatchLevel.MUTED)
    with committing():
        actions.reply(author=forum["moderator"], topic=topic, body="Building on that", parent=first)
    assert kinds_of(helper) == []


def test_a_watcher_who_left_the_private_group_is_not_told(committing, forum):
    with committing():
        topic = start(forum["asker"], forum["group"])
    leaver = forum["helper"]
    actions.set_watch(user=leaver, topic=topic, level=WatchLevel.ALL)
    group_actions.leave(user=leaver, group=forum["group"])
    with committing():
        actions.reply(author=forum["moderator"], topic=topic, body="After they left")
    assert kinds_of(leaver) == []


def test_a_watcher_is_not_told_across_a_block(committing, forum):
    with committing():
        topic = start(forum["asker"], forum["group"])
    BlockFactory(blocker=forum["asker"], blocked=forum["helper"])
    with committing():
        actions.reply(author=forum["helper"], topic=topic, body="From someone blocked")
    assert kinds_of(forum["asker"]) == []


def test_an_edit_does_not_tell_watchers_again(committing, forum):
    with committing():
        topic = start(forum["asker"], forum["group"])
    with committing():
        answer = actions.reply(author=forum["helper"], topic=topic, body="An answer")
    Notification.objects.all().delete()
    with committing():
        actions.edit_reply(editor=forum["helper"], reply=answer, body="A better answer")
    assert not Notification.objects.exists()


def test_the_task_does_nothing_for_a_deleted_reply_or_topic(forum):
    topic = start(forum["asker"], forum["group"])
    answer = actions.reply(author=forum["helper"], topic=topic, body="Soon gone")
    actions.delete_reply(actor=forum["helper"], reply=answer)
    assert tasks.notify_watchers.call(reply_id=answer.pk, mentioned=[]) == 0
    opening = Reply.objects.get(topic=topic, number=1)
    actions.delete_topic(actor=forum["asker"], topic=topic)
    assert tasks.notify_watchers.call(reply_id=opening.pk, mentioned=[forum["helper"].pk]) == 0
    assert not Notification.objects.exists()


# --- mentions -------------------------------------------------------------------------------------


def test_a_mentioned_member_is_told_with_a_link_to_the_reply_and_by_email(committing, forum):
    helper = forum["helper"]
    with committing():
        topic = start(forum["asker"], forum["group"], title="Zines?", body=f"What do you think, {handle(helper)}?")
    (notification,) = Notification.objects.filter(recipient=helper)
    opening = Reply.objects.get(topic=topic, number=1)
    assert notification.kind == "topic_mention" and notification.subject_id == opening.pk
    (shown,) = notification_queries.notification_page(viewer=helper).items
    assert "mentioned you in “Zines?”" in shown.description.text
    assert shown.description.url.endswith(f"/topics/{topic.pk}/r/1")
    assert "What do you think" in shown.description.excerpt
    assert [m.to for m in mail.outbox] == [[helper.email]]


def test_a_mentioned_watcher_gets_the_mention_not_a_second_notification(committing, forum):
    with committing():
        topic = start(forum["asker"], forum["group"])
    with committing():
        actions.reply(author=forum["helper"], topic=topic, body=f"Over to you, {handle(forum['asker'])}")
    assert kinds_of(forum["asker"]) == ["topic_mention"]


def test_a_member_who_muted_the_topic_is_not_told_of_a_mention(committing, forum):
    with committing():
        topic = start(forum["asker"], forum["group"])
    helper = forum["helper"]
    actions.set_watch(user=helper, topic=topic, level=WatchLevel.MUTED)
    with committing():
        actions.reply(author=forum["moderator"], topic=topic, body=f"{handle(helper)} knows")
    assert kinds_of(helper) == []


def test_no_mention_crosses_a_block_either_way(committing, forum):
    helper, owner = forum["helper"], forum["owner"]
    BlockFactory(blocker=helper, blocked=forum["asker"])
    BlockFactory(blocker=forum["asker"], blocked=owner)
    with committing():
        start(forum["asker"], forum["group"], body=f"{handle(helper)} and {handle(owner)}, thoughts?")
    assert kinds_of(helper) == [] and kinds_of(owner) == []


def test_a_muted_author_does_not_notify(committing, forum):
    helper = forum["helper"]
    MuteFactory(muter=helper, muted=forum["asker"])
    with committing():
        start(forum["asker"], forum["group"], body=f"{handle(helper)}?")
    assert kinds_of(helper) == []


def test_a_member_who_may_not_read_the_topic_is_not_told_of_a_mention(committing, forum):
    outsider = UserFactory()
    with committing():
        start(forum["asker"], forum["group"], body=f"{handle(outsider)} would know")
    assert kinds_of(outsider) == []


def test_anyone_mentioned_in_a_public_groups_topic_may_read_it_and_is_told(committing):
    group = make_group(privacy="public")
    reader = UserFactory()
    with committing():
        start(add_member(group), group, body=f"{handle(reader)} would know")
    assert kinds_of(reader) == ["topic_mention"]


def test_a_new_mention_in_an_edit_is_told_once(committing, forum):
    helper = forum["helper"]
    with committing():
        topic = start(forum["asker"], forum["group"])
    opening = Reply.objects.get(topic=topic, number=1)
    for _ in range(2):
        with committing():
            actions.edit_reply(editor=forum["asker"], reply=opening, body=f"Any tips, {handle(helper)}?")
        opening.refresh_from_db()
    assert kinds_of(helper) == ["topic_mention"]
    assert Notification.objects.get(recipient=helper).actor_rows.count() == 1


def test_deleting_a_reply_forgets_its_mentions(committing, forum):
    with committing():
        topic = start(forum["asker"], forum["group"])
    with committing():
        answer = actions.reply(author=forum["moderator"], topic=topic, body=f"{handle(forum['helper'])} see this")
    assert kinds_of(forum["helper"]) == ["topic_mention"]
    actions.delete_reply(actor=forum["moderator"], reply=answer)
    assert kinds_of(forum["helper"]) == []


# --- new topics and accepted answers --------------------------------------------------------------


def test_a_group_watcher_at_all_hears_of_each_new_topic(committing, forum):
    watcher, quiet = forum["helper"], forum["owner"]
    actions.set_group_watch(user=watcher, group=forum["group"], level=WatchLevel.ALL)
    actions.set_group_watch(user=quiet, group=forum["group"], level=WatchLevel.MENTIONS)
    with committing():
        topic = start(forum["asker"], forum["group"], title="Zines?")
    (notification,) = Notification.objects.filter(recipient=watcher)
    assert (notification.kind, notification.subject_id) == ("topic_new", topic.pk)
    assert kinds_of(quiet) == [] and kinds_of(forum["asker"]) == []
    (text,) = listed(watcher)
    assert "started “Zines?” in Cataloguers" in text


def test_the_accepted_answers_author_is_told(committing, forum):
    with committing():
        topic = start(forum["asker"], forum["group"], title="Zines?", kind=TopicKind.QUESTION)
    with committing():
        answer = actions.reply(author=forum["helper"], topic=topic, body="Use local headings")
    Notification.objects.filter(recipient=forum["helper"]).delete()
    with committing():
        actions.accept_answer(actor=forum["asker"], topic=topic, reply=answer)
    assert kinds_of(forum["helper"]) == ["answer_accepted"]
    (text,) = listed(forum["helper"])
    assert "accepted your answer to “Zines?”" in text


def test_accepting_ones_own_answer_tells_nobody(committing, forum):
    with committing():
        topic = start(forum["moderator"], forum["group"], kind=TopicKind.QUESTION)
    with committing():
        answer = actions.reply(author=forum["moderator"], topic=topic, body="Answering myself")
    with committing():
        actions.accept_answer(actor=forum["moderator"], topic=topic, reply=answer)
    assert not Notification.objects.filter(kind="answer_accepted").exists()


# --- who still sees them --------------------------------------------------------------------------


def test_a_member_who_leaves_a_private_group_no_longer_sees_its_topic_notifications(committing, forum):
    leaver = forum["helper"]
    actions.set_group_watch(user=leaver, group=forum["group"], level=WatchLevel.ALL)
    with committing():
        topic = start(forum["asker"], forum["group"], body=f"{handle(leaver)}, see this", kind=TopicKind.QUESTION)
    with committing():
        answer = actions.reply(author=leaver, topic=topic, body="Seen")
    with committing():
        actions.reply(author=forum["moderator"], topic=topic, body="Me too", parent=answer)
        actions.accept_answer(actor=forum["asker"], topic=topic, reply=answer)
    assert kinds_of(leaver) == ["answer_accepted", "topic_mention", "topic_reply"]
    assert len(listed(leaver)) == 3
    group_actions.leave(user=leaver, group=forum["group"])
    assert listed(leaver) == []
    assert notification_queries.unread_count(leaver) == 3  # the rows stay; the loaders hide them


def test_deleting_a_topic_forgets_every_notification_about_it(committing, forum):
    helper = forum["helper"]
    actions.set_group_watch(user=helper, group=forum["group"], level=WatchLevel.ALL)
    with committing():
        topic = start(forum["asker"], forum["group"], body=f"{handle(helper)}?", kind=TopicKind.QUESTION)
    with committing():
        answer = actions.reply(author=helper, topic=topic, body="An answer")
        actions.reply(author=forum["moderator"], topic=topic, body=f"{handle(forum['asker'])} look")
        actions.accept_answer(actor=forum["asker"], topic=topic, reply=answer)
    assert Notification.objects.count() >= 4
    actions.delete_reply(actor=forum["asker"], reply=Reply.objects.get(topic=topic, number=1))
    assert not Notification.objects.exists()
    assert listed(helper) == [] and listed(forum["asker"]) == []


def test_a_deleted_topics_notifications_are_hidden_even_if_a_row_survived(committing, forum):
    """The loaders ask the one reading rule again, whatever the rows say."""
    with committing():
        topic = start(forum["asker"], forum["group"])
    with committing():
        actions.reply(author=forum["helper"], topic=topic, body="Hello")
    topic.deleted_at = topic.created_at
    topic.save(update_fields=["deleted_at"])
    assert kinds_of(forum["asker"]) == ["topic_reply"] and listed(forum["asker"]) == []


def test_the_kinds_are_offered_in_the_notification_settings():
    from readingroom.notifications import kinds

    slugs = {k.slug for k in kinds.all_kinds()}
    assert {"topic_reply", "topic_mention", "topic_new", "answer_accepted"} <= slugs
    assert set(actions.NOTIFICATION_KINDS) <= slugs
