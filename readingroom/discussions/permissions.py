"""Who may see and do what in a group's discussions. Private things answer 404: check_* raise Http404.

One rule per question, used by pages, the API, search, feeds and notifications:
- reading a topic and its replies: whoever may read the group's content (groups.permissions), while
  the topic is not deleted, not hidden by a moderator, and its author is not suspended;
  `visible_topics` / `visible_replies` are that rule as a query (a hidden reply, or one by a
  suspended member, is also out of them: in the topic page it stays as a placeholder, `is_withheld`);
- starting a topic and replying: the group's members, while the topic is open (not locked or
  archived; moderators may still reply to a locked one);
- editing or deleting a reply: its author (not in an archived topic), or a group moderator;
- pinning, locking, archiving, and accepting an answer for someone else: group moderators;
  accepting an answer: also the question's asker.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from readingroom.discussions.models import Reply, Topic
from readingroom.groups import permissions as group_rules

# A former member's (deleted account's) words stay; a suspended member's are gone while suspended.
_AUTHOR_OK = Q(author__isnull=True) | Q(author__is_active=True)


def visible_topics(viewer):
    """Topics the viewer may read, in every group (a query: search, feeds and the API use it)."""
    return (
        Topic.objects.live().filter(_AUTHOR_OK, hidden_at__isnull=True).filter(group_rules.content_q(viewer, "group"))
    )


def visible_replies(viewer):
    return (
        Reply.objects.filter(_AUTHOR_OK, hidden_at__isnull=True, topic__deleted_at__isnull=True)
        .filter(topic__hidden_at__isnull=True)
        .filter(Q(topic__author__isnull=True) | Q(topic__author__is_active=True))
        .filter(group_rules.content_q(viewer, "topic__group"))
    )


def _by_suspended(row: Topic | Reply) -> bool:
    """The row's author is suspended (needs row.author loaded, as every topic and reply read selects it)."""
    return row.author_id is not None and not row.author.is_active


def is_withheld(reply: Reply) -> bool:
    """A reply shown to nobody, in place, as a placeholder: hidden by a moderator or by a suspended member."""
    return reply.hidden_at is not None or _by_suspended(reply)


def can_read(viewer, topic: Topic) -> bool:
    return (
        topic.deleted_at is None
        and topic.hidden_at is None
        and not _by_suspended(topic)
        and group_rules.can_view_group(viewer, topic.group)
        and group_rules.can_read_content(viewer, topic.group)
    )


def check_can_read(viewer, topic: Topic) -> None:
    if not can_read(viewer, topic):
        raise Http404("No such topic")


def can_start_topic(user, group) -> bool:
    return group_rules.can_post(user, group)


def can_moderate(user, topic: Topic) -> bool:
    return group_rules.can_moderate(user, topic.group)


def can_reply(user, topic: Topic) -> bool:
    if topic.deleted_at is not None or not group_rules.can_post(user, topic.group):
        return False
    if topic.is_archived:
        return False
    return not topic.is_locked or can_moderate(user, topic)


def can_edit(user, reply: Reply) -> bool:
    # A deleted topic's replies are gone for everyone, their author and moderators included.
    if reply.deleted_at is not None or reply.topic.deleted_at is not None or not user.is_authenticated:
        return False
    if can_moderate(user, reply.topic):
        return True
    return reply.author_id == user.pk and not reply.topic.is_archived and group_rules.can_post(user, reply.topic.group)


def can_delete(user, reply: Reply) -> bool:
    return can_edit(user, reply)


def can_accept(user, topic: Topic) -> bool:
    if not topic.is_question or topic.deleted_at is not None or topic.is_archived or not user.is_authenticated:
        return False
    return can_moderate(user, topic) or (topic.author_id == user.pk and group_rules.can_post(user, topic.group))
