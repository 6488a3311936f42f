"""Background work of discussions: telling watchers, repliers and mentioned members of a reply.
A topic can have hundreds of watchers, so this runs in the worker, not the request."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from readingroom.discussions import permissions as perms
from readingroom.discussions import queries
from readingroom.discussions.models import GroupWatch, Reply, TopicWatch, WatchLevel
from readingroom.notifications import actions as notifications


@task()
def notify_watchers(*, reply_id: int, mentioned: list[int], new_reply: bool = True) -> int:
    """Notify about one reply; returns how many members were told."""
    found = Reply.objects.select_related("topic__group", "parent").filter(pk=reply_id, deleted_at__isnull=True).first()
    if found is None or found.author_id is None or found.topic.deleted_at is not None:
        return 0
    topic, author_id = found.topic, found.author_id
    levels = queries.watch_levels(topic, set(mentioned))
    told: set[int] = set()
    for user_id in mentioned:
        if levels.get(user_id) != WatchLevel.MUTED:
            notifications.notify(kind="topic_mention", recipient_id=user_id, actor_id=author_id, subject_id=found.pk)
            told.add(user_id)
    if not new_reply:
        return len(told)
    if found.is_opening:
        kind = "topic_new"
        wanted = set(
            GroupWatch.objects.filter(group_id=topic.group_id, level=WatchLevel.ALL).values_list("user_id", flat=True)
        )
    else:
        kind = "topic_reply"
        watchers = set(TopicWatch.objects.filter(topic=topic).values_list("user_id", "level"))
        chosen = {user_id: level for user_id, level in watchers}
        group_all = GroupWatch.objects.filter(group_id=topic.group_id, level=WatchLevel.ALL).values_list(
            "user_id", flat=True
        )
        wanted = {u for u, level in chosen.items() if level == WatchLevel.ALL}
        wanted |= {u for u in group_all if u not in chosen}  # a topic's own level overrides the group's
        # Whoever was answered hears of it unless they muted the topic.
        answered = found.parent.author_id if found.parent is not None else None
        if answered and chosen.get(answered) != WatchLevel.MUTED:
            wanted.add(answered)
    wanted -= told | {author_id}
    if not wanted:
        return len(told)
    readers = get_user_model().objects.filter(pk__in=wanted, is_active=True)
    for user in readers.iterator(chunk_size=500):
        if perms.can_read(user, topic):
            notifications.notify(kind=kind, recipient_id=user.pk, actor_id=author_id, subject_id=topic.pk)
            told.add(user.pk)
    return len(told)
