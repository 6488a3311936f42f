"""Content taken down by moderation is gone through every channel's one visibility rule: a hidden
post, topic, reply or message, and everything a suspended member wrote; a limited member reaches
only their followers. (The moderation app decides who may do this; these are the rules it relies on.)"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from readingroom.accounts import actions as account_actions
from readingroom.discussions import actions as discussion_actions
from readingroom.discussions import permissions as discussion_rules
from readingroom.discussions.tests.helpers import start
from readingroom.groups.tests.helpers import add_member, make_group
from readingroom.messaging import actions as message_actions
from readingroom.posts import actions as post_actions
from readingroom.posts import queries as post_queries
from readingroom.posts.models import Post
from readingroom.testing.factories import FollowFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def local_ids(viewer) -> list[int]:
    return [p.pk for p in post_queries.local_timeline(viewer=viewer).items]


def test_a_hidden_post_and_its_boosts_are_seen_by_nobody_until_unhidden():
    author, reader = UserFactory(), UserFactory()
    post = PostFactory(author=author, body="Spam spam spam")
    boost = post_actions.boost(user=reader, post=post)
    post_actions.set_post_hidden(post=post, hidden=True)

    for viewer in (None, reader, author):
        assert not Post.objects.visible_to(viewer).filter(pk__in=[post.pk, boost.pk]).exists()
    assert post.pk not in local_ids(reader)

    post_actions.set_post_hidden(post=post, hidden=False)
    assert Post.objects.visible_to(reader).filter(pk__in=[post.pk, boost.pk]).count() == 2


def test_a_limited_member_is_seen_only_by_their_followers():
    limited, follower, stranger = UserFactory(), UserFactory(), UserFactory()
    FollowFactory(follower=follower, followee=limited)
    post = PostFactory(author=limited, body="Buy my course")
    account_actions.limit_member(user=limited, limited=True)

    assert Post.objects.visible_to(follower).filter(pk=post.pk).exists()
    assert Post.objects.visible_to(limited).filter(pk=post.pk).exists()
    assert not Post.objects.visible_to(stranger).filter(pk=post.pk).exists()
    assert not Post.objects.visible_to(None).filter(pk=post.pk).exists()

    account_actions.limit_member(user=limited, limited=False)
    assert Post.objects.visible_to(stranger).filter(pk=post.pk).exists()


def test_a_limited_member_may_message_only_people_who_follow_them():
    limited, follower, stranger = UserFactory(), UserFactory(), UserFactory()
    FollowFactory(follower=follower, followee=limited)
    account_actions.limit_member(user=limited, limited=True)

    message_actions.start_conversation(sender=limited, recipients=[follower], body="Hello")
    with pytest.raises(ValidationError, match="don’t accept messages from you"):
        message_actions.start_conversation(sender=limited, recipients=[stranger], body="Hello")


def test_a_suspended_member_cannot_sign_in_and_their_posts_are_gone(client):
    member, reader = UserFactory(), UserFactory()
    post = PostFactory(author=member, body="Something to take down")
    client.force_login(member)
    account_actions.suspend_member(user=member)

    assert not client.get(reverse("posts:local")).wsgi_request.user.is_authenticated
    assert not Post.objects.visible_to(reader).filter(pk=post.pk).exists()
    account_actions.unsuspend_member(user=member)
    assert Post.objects.visible_to(reader).filter(pk=post.pk).exists()


def test_a_hidden_reply_is_a_placeholder_in_its_topic_and_gone_from_every_list(client):
    group = make_group(name="Zine librarians", privacy="public")
    asker, troll, reader = add_member(group), add_member(group), add_member(group)
    topic = start(asker, group, title="Shelving zines", body="How do you shelve them?")
    bad = discussion_actions.reply(author=troll, topic=topic, body="An insult worth hiding")
    discussion_actions.set_reply_hidden(reply=bad, hidden=True)

    client.force_login(reader)
    page = client.get(reverse("discussions:topic", args=[group.slug, topic.pk])).content.decode()
    assert "An insult worth hiding" not in page
    assert "This reply was hidden by a moderator." in page
    assert not discussion_rules.visible_replies(reader).filter(pk=bad.pk).exists()

    discussion_actions.set_reply_hidden(reply=bad, hidden=False)
    assert (
        "An insult worth hiding"
        in client.get(reverse("discussions:topic", args=[group.slug, topic.pk])).content.decode()
    )


def test_a_hidden_topic_or_one_by_a_suspended_member_answers_404_and_leaves_the_list(client):
    group = make_group(name="Archivists", privacy="public")
    author, reader = add_member(group), add_member(group)
    hidden = start(author, group, title="Hidden topic")
    client.force_login(reader)
    discussion_actions.set_topic_hidden(topic=hidden, hidden=True)
    assert client.get(reverse("discussions:topic", args=[group.slug, hidden.pk])).status_code == 404
    assert not discussion_rules.visible_topics(reader).filter(pk=hidden.pk).exists()

    discussion_actions.set_topic_hidden(topic=hidden, hidden=False)
    other = start(author, group, title="Another topic")
    account_actions.suspend_member(user=author)
    assert client.get(reverse("discussions:topic", args=[group.slug, other.pk])).status_code == 404
    assert "Another topic" not in client.get(reverse("discussions:list", args=[group.slug])).content.decode()


def test_replies_of_a_suspended_member_read_as_hidden_in_others_topics(client):
    group = make_group(name="Records managers", privacy="public")
    asker, suspended, reader = add_member(group), add_member(group), add_member(group)
    topic = start(asker, group)
    discussion_actions.reply(author=suspended, topic=topic, body="Words of a member now suspended")
    account_actions.suspend_member(user=suspended)
    client.force_login(reader)
    page = client.get(reverse("discussions:topic", args=[group.slug, topic.pk])).content.decode()
    assert "Words of a member now suspended" not in page
    assert "Hidden: from a suspended account." in page


def test_a_hidden_message_reads_as_removed_and_a_suspended_senders_messages_are_hidden(client):
    ana, ben = UserFactory(), UserFactory()
    conversation = message_actions.start_conversation(sender=ana, recipients=[ben], body="Nasty words here")
    message = conversation.messages.get()
    message_actions.set_message_hidden(message=message, hidden=True)
    client.force_login(ben)
    page = client.get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()
    assert "Nasty words here" not in page
    assert "Removed by a moderator" in page

    message_actions.set_message_hidden(message=message, hidden=False)
    assert "Nasty words here" in client.get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()
    account_actions.suspend_member(user=ana)
    page = client.get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()
    assert "Nasty words here" not in page
    assert "Hidden: from a suspended account." in page
