"""Every read path for direct messages: a member's inbox (keyset on the participant row's own
index), a conversation's messages newest first by id, messages after an id (for live updates),
participants, and the unread total for the header."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404

from readingroom.accounts.models import Block
from readingroom.core.pagination import Page, key_moment, moment_key, parse_pair_cursor
from readingroom.messaging import permissions as perms
from readingroom.messaging.models import Conversation, Message, MessageAttachment, Participant

INBOX_PAGE = 30
parse_inbox_cursor = parse_pair_cursor  # "<last message moment>.<participant id>"


def inbox(user, *, after: tuple[int, int] | None = None, unread_only: bool = False) -> Page[Participant]:
    """The member's conversations, latest message first; each row carries the conversation, its
    latest message and the other participants (for names and avatars)."""
    qs = Participant.objects.filter(user=user, left_at__isnull=True)
    if unread_only:
        qs = qs.filter(unread_count__gt=0)
    if after is not None:
        moment = key_moment(after[0])
        if moment is not None:
            qs = qs.filter(Q(last_message_at__lt=moment) | Q(last_message_at=moment, pk__lt=after[1]))
    others = Participant.objects.filter(left_at__isnull=True).exclude(user=user).select_related("user__profile")
    qs = (
        qs.select_related("conversation__last_message__sender__profile")
        .prefetch_related(Prefetch("conversation__participants", queryset=others, to_attr="others"))
        .order_by("-last_message_at", "-pk")
    )
    rows = list(qs[: INBOX_PAGE + 1])
    if len(rows) > INBOX_PAGE:
        rows = rows[:INBOX_PAGE]
        last = rows[-1]
        return Page(rows, f"{moment_key(last.last_message_at)}.{last.pk}")  # type: ignore[arg-type]
    return Page(rows, None)


# The header's badge runs on nearly every signed-in page: plain SQL (the same on SQLite and
# PostgreSQL) skips building the ORM aggregate each time; it reads the participant inbox index.
_UNREAD_SQL = (
    "SELECT COALESCE(SUM(unread_count), 0) FROM messaging_participant"
    " WHERE user_id = %s AND left_at IS NULL AND unread_count > 0"
)


def unread_total(user) -> int:
    if not user.is_authenticated:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_UNREAD_SQL, [user.pk])
        return int(cursor.fetchone()[0])


def conversation_for(user, conversation_id: int) -> Conversation:
    found = Conversation.objects.filter(pk=conversation_id).select_related("last_message").first()
    if found is None:
        raise Http404("No such conversation")
    perms.check_can_read(user, found)
    return found


def participants(conversation: Conversation) -> list[Participant]:
    return list(
        Participant.objects.filter(conversation=conversation, left_at__isnull=True)
        .select_related("user__profile")
        .order_by("joined_at", "pk")
    )


@dataclass
class MessagePage:
    messages: list[Message]  # oldest first, for reading
    older_than: int | None  # the id to ask for the page before, if there is one


def _messages(viewer, conversation):
    blocked = Block.objects.filter(
        Q(blocker=viewer, blocked=OuterRef("sender")) | Q(blocker=OuterRef("sender"), blocked=viewer)
    )
    return (
        Message.objects.filter(conversation=conversation)
        .select_related("sender__profile")
        .prefetch_related(Prefetch("attachments", queryset=MessageAttachment.objects.all()))
        .annotate(hidden_for_viewer=Exists(blocked))
    )


def messages_page(viewer, conversation: Conversation, *, before: int | None = None) -> MessagePage:
    """The latest messages (or those before id `before`), by keyset on the message id."""
    size = settings.RR_MESSAGES_PAGE_SIZE
    qs = _messages(viewer, conversation)
    if before is not None:
        qs = qs.filter(pk__lt=before)
    rows = _withhold(list(qs.order_by("-pk")[: size + 1]))
    older = rows[size - 1].pk if len(rows) > size else None
    return MessagePage(list(reversed(rows[:size])), older)


def _withhold(rows: list[Message]) -> list[Message]:
    for m in rows:
        m.from_suspended = perms.sender_suspended(m)
        if m.from_suspended:
            m.hidden_for_viewer = True
    return rows


def messages_after(viewer, conversation: Conversation, after: int, *, changed: int | None = None) -> list[Message]:
    """Messages newer than `after` (and the one that changed, e.g. was deleted), oldest first."""
    qs = _messages(viewer, conversation).filter(Q(pk__gt=after) | Q(pk=changed or 0))
    return _withhold(list(qs.order_by("pk")[: settings.RR_MESSAGES_PAGE_SIZE]))


def message_in(conversation: Conversation, message_id: int) -> Message:
    found = Message.objects.filter(conversation=conversation, pk=message_id).first()
    if found is None:
        raise Http404("No such message")
    found.conversation = conversation
    return found


def live_changes(conversation_ids: list[int], after: int, deleted_since) -> tuple[list[tuple[int, int]], object]:
    """What the live process's poll (once a second, on the embedded defaults) relays for these
    conversations: (conversation id, message id) of messages newer than `after`, and of messages
    deleted after `deleted_since`; with the latest deletion moment seen (to poll from next)."""
    if not conversation_ids:
        return [], deleted_since
    new = list(
        Message.objects.filter(pk__gt=after, conversation_id__in=conversation_ids)
        .order_by("pk")
        .values_list("conversation_id", "pk")[:1000]
    )
    deleted = list(
        Message.objects.filter(deleted_at__gt=deleted_since, conversation_id__in=conversation_ids)
        .order_by("deleted_at")
        .values_list("conversation_id", "pk", "deleted_at")[:1000]
    )
    latest = deleted[-1][2] if deleted else deleted_since
    return new + [(c, m) for c, m, _ in deleted], latest


def attachment_in(viewer, conversation: Conversation, attachment_id: int) -> MessageAttachment:
    """A file of a standing message in this conversation, unless its sender and the viewer are
    blocked either way (their messages are hidden from each other); else 404."""
    blocked = Block.objects.filter(
        Q(blocker=viewer, blocked=OuterRef("message__sender")) | Q(blocker=OuterRef("message__sender"), blocked=viewer)
    )
    found = (
        MessageAttachment.objects.filter(
            pk=attachment_id, message__conversation=conversation, message__deleted_at__isnull=True
        )
        .exclude(Exists(blocked))
        .only("file", "content_type", "original_name")
        .first()
    )
    if found is None:
        raise Http404("No such file")
    return found
