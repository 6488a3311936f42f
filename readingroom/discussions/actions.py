"""Every write to discussions: start a topic, reply, edit (keeping history), delete, pin, lock,
archive, accept an answer, read positions and watch levels. Actions re-check permissions (views
check too), are keyword-only and atomic; notifications go to the worker on commit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from readingroom.core import files
from readingroom.core.text import render_discussion
from readingroom.discussions import permissions as perms
from readingroom.discussions.models import (
    Attachment,
    GroupWatch,
    Reply,
    ReplyEdit,
    ReplyMention,
    Topic,
    TopicKind,
    TopicRead,
    TopicTag,
    TopicWatch,
    WatchLevel,
)
from readingroom.groups import actions as group_actions
from readingroom.groups import permissions as group_rules
from readingroom.notifications import actions as notifications
from readingroom.posts import content

MAX_TOPIC_TAGS = 5
NOTIFICATION_KINDS = ("topic_reply", "topic_mention", "topic_new", "answer_accepted")


def clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if len(title) < 3:
        raise ValidationError("Give the topic a title of at least 3 characters.", code="title_short")
    if len(title) > 150:
        raise ValidationError(f"A title can be at most 150 characters; this one has {len(title)}.", code="title_long")
    return title


def clean_body(body: str) -> str:
    body = (body or "").strip()
    limit = settings.RR_REPLY_MAX_CHARS
    if len(body) > limit:
        raise ValidationError(
            f"A reply can be at most {limit:,} characters; this one has {len(body):,}.", code="too_long"
        )
    if not body:
        raise ValidationError("Write something before posting.", code="empty")
    return body


def clean_kind(kind: str) -> str:
    if kind not in TopicKind.values:
        raise ValidationError("Choose a discussion or a question.", code="kind")
    return kind


def clean_topic_tags(raw: str | Iterable[str]) -> list[str]:
    too_many = ValidationError(f"A topic can have at most {MAX_TOPIC_TAGS} tags.", code="too_many_tags")
    try:
        tags = group_actions.clean_tags(raw) if raw else []
    except ValidationError as exc:
        if exc.code == "too_many_tags":  # past even a group's limit: the message is still a topic's
            raise too_many from exc
        raise
    if len(tags) > MAX_TOPIC_TAGS:
        raise too_many
    return tags


def clean_level(level: str) -> str:
    if level not in WatchLevel.values:
        raise ValidationError("Choose every reply, mentions only, or muted.", code="level")
    return level


def _clean_attachments(attachments: Sequence[tuple[object, str]]) -> list[files.CheckedAttachment]:
    return files.check_attachments(attachments, limit=settings.RR_MAX_ATTACHMENTS)


def _store_attachments(reply: Reply, cleaned: list[files.CheckedAttachment]) -> None:
    # Every file was checked in _clean_attachments, before anything was written.
    for position, checked in enumerate(cleaned):
        attachment = Attachment(
            reply=reply,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.file.size,
            alt_text=checked.alt_text,
            position=position,
        )
        attachment.file.save(checked.stored_name, checked.file, save=False)
        attachment.save()


def _render(body: str, author) -> tuple[str, dict]:
    mentions = content.mentionable(author, body)
    return render_discussion(body, mention_url=lambda name: _mention_url(mentions, name)), mentions


def _mention_url(mentions: dict, name: str) -> str | None:
    from django.urls import reverse

    found = mentions.get(name)
    return reverse("network:profile", args=[found[0]]) if found else None


def _sync_mentions(reply: Reply, mentions: dict, topic: Topic) -> set[int]:
    """Mention rows for members who may read the topic, skipping the author and blocks either way.
    Returns the ids newly mentioned (an edit that keeps a mention does not notify again)."""
    from readingroom.accounts.models import Block, User

    user_ids = {user_id for _, user_id in mentions.values()} - {reply.author_id}
    if user_ids:
        blocked = Block.objects.filter(blocker_id=reply.author_id, blocked_id__in=user_ids).values_list(
            "blocked_id", flat=True
        )
        blocking = Block.objects.filter(blocked_id=reply.author_id, blocker_id__in=user_ids).values_list(
            "blocker_id", flat=True
        )
        user_ids -= set(blocked) | set(blocking)
        readers = User.objects.filter(pk__in=user_ids)
        user_ids = {u.pk for u in readers if perms.can_read(u, topic)}
    existing = set(ReplyMention.objects.filter(reply=reply).values_list("user_id", flat=True))
    ReplyMention.objects.filter(reply=reply).exclude(user_id__in=user_ids).delete()
    ReplyMention.objects.bulk_create([ReplyMention(reply=reply, user_id=u) for u in user_ids - existing])
    return user_ids - existing


def _set_tags(topic: Topic, tags: list[str]) -> None:
    TopicTag.objects.filter(topic=topic).exclude(name__in=tags).delete()
    TopicTag.objects.bulk_create([TopicTag(topic=topic, name=t) for t in tags], ignore_conflicts=True)


@transaction.atomic
def start_topic(
    *,
    author,
    group,
    title: str,
    body: str,
    kind: str = TopicKind.DISCUSSION,
    tags: str | Iterable[str] = (),
    attachments: Sequence[tuple[object, str]] = (),
) -> Topic:
    """Open a topic in a group: its title, tags and opening post (reply number 1)."""
    group_rules.check_can_read_content(author, group)
    if not perms.can_start_topic(author, group):
        raise PermissionDenied(f"Join {group.name} to start a topic in it.")
    title, body, kind = clean_title(title), clean_body(body), clean_kind(kind)
    tags = clean_topic_tags(tags)
    cleaned = _clean_attachments(attachments)
    now = timezone.now()
    topic = Topic.objects.create(
        group=group, author=author, title=title, kind=kind, created_at=now, last_activity_at=now, last_number=1
    )
    html, mentions = _render(body, author)
    opening = Reply.objects.create(topic=topic, number=1, author=author, body=body, body_html=html, created_at=now)
    _store_attachments(opening, cleaned)
    _set_tags(topic, tags)
    mentioned = _sync_mentions(opening, mentions, topic)
    # Who starts a topic hears of every reply to it, until they choose otherwise.
    TopicWatch.objects.create(user=author, topic=topic, level=WatchLevel.ALL)
    TopicRead.objects.create(user=author, topic=topic, last_read_number=1)
    group_actions.note_activity(group.pk)
    _notify_on_commit(opening.pk, mentioned)
    return topic


@transaction.atomic
def reply(
    *,
    author,
    topic: Topic,
    body: str,
    parent: Reply | None = None,
    attachments: Sequence[tuple[object, str]] = (),
) -> Reply:
    """Add a reply (optionally answering an earlier one) at the end of a topic."""
    # The topic row is the numbering lock (on SQLite the IMMEDIATE transaction already is); its
    # flags are checked as locked, not as the caller loaded them (a moderator may just have closed it).
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    topic.is_locked, topic.is_archived, topic.deleted_at = locked.is_locked, locked.is_archived, locked.deleted_at
    perms.check_can_read(author, topic)
    if not perms.can_reply(author, topic):
        if not group_rules.can_post(author, topic.group):
            raise PermissionDenied(f"Join {topic.group.name} to reply.")
        raise PermissionDenied("This topic is closed to new replies.")
    body = clean_body(body)
    if parent is not None and (parent.topic_id != topic.pk or parent.deleted_at is not None):
        raise ValidationError("The reply you are answering is not in this topic.", code="parent")
    cleaned = _clean_attachments(attachments)
    now = timezone.now()
    number = locked.last_number + 1
    html, mentions = _render(body, author)
    new = Reply.objects.create(
        topic=topic, number=number, author=author, parent=parent, body=body, body_html=html, created_at=now
    )
    Topic.objects.filter(pk=topic.pk).update(
        last_number=number, replies_count=F("replies_count") + 1, last_activity_at=now
    )
    topic.last_number, topic.replies_count, topic.last_activity_at = number, locked.replies_count + 1, now
    _store_attachments(new, cleaned)
    mentioned = _sync_mentions(new, mentions, topic)
    # Replying watches the topic (as on Discourse), unless the member already chose a level.
    TopicWatch.objects.get_or_create(user=author, topic=topic, defaults={"level": WatchLevel.ALL})
    _advance_read(author.pk, topic.pk, number)
    group_actions.note_activity(topic.group_id)
    _notify_on_commit(new.pk, mentioned)
    return new


@transaction.atomic
def edit_reply(*, editor, reply: Reply, body: str, title: str | None = None, tags=None) -> Reply:
    """Replace a reply's text, keeping the previous version; the opening post also carries the
    topic's title and tags."""
    perms.check_can_read(editor, reply.topic)
    if not perms.can_edit(editor, reply):
        raise PermissionDenied("You cannot edit this reply.")
    body = clean_body(body)
    topic = reply.topic
    new_title = clean_title(title) if (title is not None and reply.is_opening) else topic.title
    changed = body != reply.body or new_title != topic.title
    if changed:
        ReplyEdit.objects.create(
            reply=reply,
            body=reply.body,
            body_html=reply.body_html,
            title=topic.title if reply.is_opening else "",
            created_at=reply.edited_at or reply.created_at,
        )
        html, mentions = _render(body, reply.author or editor)
        reply.body, reply.body_html, reply.edited_at = body, html, timezone.now()
        reply.save(update_fields=["body", "body_html", "edited_at"])
        mentioned = _sync_mentions(reply, mentions, topic)
        _notify_on_commit(reply.pk, mentioned, new_reply=False)
    if reply.is_opening:
        if new_title != topic.title:
            topic.title = new_title
            topic.save(update_fields=["title"])
        if tags is not None:
            _set_tags(topic, clean_topic_tags(tags))
    return reply


@transaction.atomic
def delete_reply(*, actor, reply: Reply) -> None:
    """Delete a reply, keeping its place in the thread. Deleting the opening post deletes the topic."""
    perms.check_can_read(actor, reply.topic)
    if not perms.can_delete(actor, reply):
        raise PermissionDenied("You cannot delete this reply.")
    if reply.is_opening:
        delete_topic(actor=actor, topic=reply.topic)
        return
    now = timezone.now()
    reply.body, reply.body_html, reply.deleted_at = "", "", now
    reply.save(update_fields=["body", "body_html", "deleted_at"])
    ReplyEdit.objects.filter(reply=reply).delete()  # a deleted reply's words are gone, history too
    ReplyMention.objects.filter(reply=reply).delete()
    _delete_attachments(Attachment.objects.filter(reply=reply))
    Topic.objects.filter(pk=reply.topic_id).update(replies_count=Greatest(F("replies_count") - 1, 0))
    Topic.objects.filter(pk=reply.topic_id, accepted_reply=reply).update(accepted_reply=None)
    notifications.forget_subjects(kind_slugs=["topic_mention"], subject_ids=[reply.pk])


@transaction.atomic
def delete_topic(*, actor, topic: Topic) -> None:
    perms.check_can_read(actor, topic)
    opening = Reply.objects.select_related("topic__group").get(topic=topic, number=1)
    if not perms.can_delete(actor, opening):
        raise PermissionDenied("You cannot delete this topic.")
    topic.deleted_at = timezone.now()
    topic.save(update_fields=["deleted_at"])
    _delete_attachments(Attachment.objects.filter(reply__topic=topic))
    reply_ids = list(Reply.objects.filter(topic=topic).values_list("pk", flat=True))
    notifications.forget_subjects(kind_slugs=["topic_reply", "topic_new", "answer_accepted"], subject_ids=[topic.pk])
    notifications.forget_subjects(kind_slugs=["topic_mention"], subject_ids=reply_ids)


def _delete_attachments(queryset) -> None:
    names = list(queryset.values_list("file", flat=True))
    queryset.delete()
    if names:
        storage = Attachment._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(n) for n in names])


@transaction.atomic
def set_flags(
    *, actor, topic: Topic, pinned: bool | None = None, locked: bool | None = None, archived: bool | None = None
) -> Topic:
    """Pin, lock or archive a topic (group moderators)."""
    perms.check_can_read(actor, topic)
    if topic.deleted_at is not None or not perms.can_moderate(actor, topic):
        raise PermissionDenied("Only the group's moderators can pin, lock or archive topics.")
    fields = []
    for name, value in (("is_pinned", pinned), ("is_locked", locked), ("is_archived", archived)):
        if value is not None and getattr(topic, name) != value:
            setattr(topic, name, bool(value))
            fields.append(name)
    if fields:
        topic.save(update_fields=fields)
    return topic


@transaction.atomic
def accept_answer(*, actor, topic: Topic, reply: Reply | None) -> Topic:
    """Mark (or, with None, clear) the accepted answer of a question topic."""
    perms.check_can_read(actor, topic)
    if not perms.can_accept(actor, topic):
        raise PermissionDenied("Only the asker or a moderator can accept an answer.")
    if reply is not None and (reply.topic_id != topic.pk or reply.is_opening or reply.deleted_at is not None):
        raise ValidationError("Choose a reply in this topic as the answer.", code="answer")
    topic.accepted_reply = reply
    topic.save(update_fields=["accepted_reply"])
    if reply is not None and reply.author_id:
        recipient, actor_id, topic_id = reply.author_id, actor.pk, topic.pk
        transaction.on_commit(
            lambda: notifications.notify(
                kind="answer_accepted", recipient_id=recipient, actor_id=actor_id, subject_id=topic_id
            )
        )
    return topic


def _advance_read(user_id: int, topic_id: int, number: int) -> None:
    updated = TopicRead.objects.filter(user_id=user_id, topic_id=topic_id, last_read_number__lt=number).update(
        last_read_number=number, updated_at=timezone.now()
    )
    if not updated:
        TopicRead.objects.get_or_create(user_id=user_id, topic_id=topic_id, defaults={"last_read_number": number})


def mark_read(*, user, topic: Topic, number: int) -> None:
    """Note that the member has been shown replies up to `number` (never moves backwards)."""
    if not user.is_authenticated or not perms.can_read(user, topic):
        return
    number = max(1, min(int(number), topic.last_number))
    with transaction.atomic():
        _advance_read(user.pk, topic.pk, number)


@transaction.atomic
def set_watch(*, user, topic: Topic, level: str) -> TopicWatch:
    perms.check_can_read(user, topic)
    level = clean_level(level)
    watch, _ = TopicWatch.objects.update_or_create(user=user, topic=topic, defaults={"level": level})
    return watch


@transaction.atomic
def set_group_watch(*, user, group, level: str) -> GroupWatch:
    group_rules.check_can_read_content(user, group)
    if group_rules.membership(user, group) is None:
        raise PermissionDenied(f"Join {group.name} to watch its discussions.")
    level = clean_level(level)
    watch, _ = GroupWatch.objects.update_or_create(user=user, group=group, defaults={"level": level})
    return watch


def _notify_on_commit(reply_id: int, mentioned: set[int], *, new_reply: bool = True) -> None:
    from readingroom.discussions import tasks

    mentioned_ids = sorted(mentioned)
    transaction.on_commit(
        lambda: tasks.notify_watchers.enqueue(reply_id=reply_id, mentioned=mentioned_ids, new_reply=new_reply)
    )


def delete_group_topics(group_id: int) -> None:
    """When a group is deleted its topics go with it: their notifications are forgotten, and their
    files deleted once the deletion commits (the rows go by the group's cascade)."""
    topic_ids = list(Topic.objects.filter(group_id=group_id).values_list("pk", flat=True))
    if not topic_ids:
        return
    reply_ids = list(Reply.objects.filter(topic_id__in=topic_ids).values_list("pk", flat=True))
    notifications.forget_subjects(kind_slugs=["topic_reply", "topic_new", "answer_accepted"], subject_ids=topic_ids)
    notifications.forget_subjects(kind_slugs=["topic_mention"], subject_ids=reply_ids)
    _delete_attachments(Attachment.objects.filter(reply__topic_id__in=topic_ids))


# Moderation's tools (readingroom.moderation decides who may use them and records why): hidden
# state lives on the row, so visible_topics / visible_replies, and with them every page, search,
# feed, notification and digest, drop it at once; unhiding brings it back as it was.
def set_topic_hidden(*, topic: Topic, hidden: bool) -> Topic:
    topic.hidden_at = timezone.now() if hidden else None
    topic.save(update_fields=["hidden_at"])
    return topic


def set_reply_hidden(*, reply: Reply, hidden: bool) -> Reply:
    """Hide one reply (the topic page keeps its place as a placeholder). Hiding the opening post
    hides the topic, as deleting it deletes the topic."""
    reply.hidden_at = timezone.now() if hidden else None
    reply.save(update_fields=["hidden_at"])
    if reply.is_opening:
        set_topic_hidden(topic=reply.topic, hidden=hidden)
    elif hidden:
        Topic.objects.filter(pk=reply.topic_id, accepted_reply=reply).update(accepted_reply=None)
    return reply
