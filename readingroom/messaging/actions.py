"""Every write to direct messages: start a conversation, send, delete a message, read, leave,
add people, mute, and each member's preference. Keyword-only and atomic; notifications and live
updates go out on commit."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from readingroom.accounts.queries import blocked_ids
from readingroom.core import files
from readingroom.core.text import render_discussion
from readingroom.messaging import permissions as perms
from readingroom.messaging import realtime
from readingroom.messaging.models import (
    MAX_PARTICIPANTS,
    Conversation,
    Message,
    MessageAttachment,
    MessagePreference,
    Participant,
    WhoMayMessage,
)
from readingroom.notifications import actions as notifications

MAX_MESSAGE_FILES = 4


def clean_body(body: str, *, allow_empty: bool = False) -> str:
    body = (body or "").strip()
    limit = settings.RR_MESSAGE_MAX_CHARS
    if len(body) > limit:
        raise ValidationError(
            f"A message can be at most {limit:,} characters; this one has {len(body):,}.", code="too_long"
        )
    if not body and not allow_empty:
        raise ValidationError("Write a message before sending.", code="empty")
    return body


def clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if len(title) > 80:
        raise ValidationError("A conversation's name can be at most 80 characters.", code="title_long")
    return title


def _pair_key(a: int, b: int) -> str:
    low, high = sorted((a, b))
    return f"{low}:{high}"


def _render(body: str) -> str:
    # Mentions are not linked in messages: nobody outside the conversation is told of them.
    return render_discussion(body, mention_url=lambda name: None) if body else ""


def _refuse(recipients) -> None:
    names = ", ".join(f"@{r.profile.handle}" if getattr(r, "profile", None) else "this member" for r in recipients)
    raise ValidationError(f"You can’t message {names}: they don’t accept messages from you.", code="not_allowed")


@transaction.atomic
def start_conversation(
    *, sender, recipients: Sequence, body: str, title: str = "", attachments: Sequence[tuple[object, str]] = ()
) -> Conversation:
    """Message one member (their one conversation with the sender, made or reopened) or a small
    group (a new conversation of up to 20 people). Returns the conversation with the message in it."""
    wanted = {r.pk: r for r in recipients if r.pk != sender.pk}
    if not wanted:
        raise ValidationError("Choose who to message.", code="no_recipients")
    if len(wanted) + 1 > MAX_PARTICIPANTS:
        raise ValidationError(f"A conversation can have at most {MAX_PARTICIPANTS} people.", code="too_many")
    # Writing to someone again in their one-to-one conversation is a reply to them there.
    pair = None
    if len(wanted) == 1:
        pair = Conversation.objects.filter(pair_key=_pair_key(sender.pk, next(iter(wanted)))).first()
    refused = [r for r in wanted.values() if not perms.may_message(sender, r, conversation=pair)]
    if refused:
        _refuse(refused)
    body = clean_body(body, allow_empty=bool(attachments))
    title = clean_title(title)
    now = timezone.now()
    if len(wanted) == 1:
        (other,) = wanted.values()
        conversation, created = Conversation.objects.get_or_create(
            pair_key=_pair_key(sender.pk, other.pk),
            defaults={"created_by": sender, "created_at": now, "last_message_at": now},
        )
        if not created:  # either side may have left it: writing again reopens it for both
            Participant.objects.filter(conversation=conversation).update(left_at=None)
    else:
        conversation = Conversation.objects.create(created_by=sender, title=title, created_at=now, last_message_at=now)
    Participant.objects.bulk_create(
        [
            Participant(conversation=conversation, user_id=uid, joined_at=now, last_message_at=now)
            for uid in [sender.pk, *wanted]
        ],
        ignore_conflicts=True,
    )
    for user in [sender, *wanted.values()]:
        perms.forget_participation(user, conversation)
    send_message(sender=sender, conversation=conversation, body=body, attachments=attachments)
    return conversation


@transaction.atomic
def send_message(*, sender, conversation: Conversation, body: str, attachments: Sequence[tuple[object, str]] = ()):
    if not perms.can_read(sender, conversation):
        perms.check_can_read(sender, conversation)
    if not perms.can_send(sender, conversation):
        raise PermissionDenied("You can’t send messages in this conversation any more.")
    body = clean_body(body, allow_empty=bool(attachments))
    checked = files.check_attachments(attachments, limit=MAX_MESSAGE_FILES)
    now = timezone.now()
    message = Message.objects.create(
        conversation=conversation, sender=sender, body=body, body_html=_render(body), created_at=now
    )
    for position, item in enumerate(checked):
        attachment = MessageAttachment(
            message=message,
            original_name=item.name,
            content_type=item.content_type,
            size=item.file.size,
            alt_text=item.alt_text,
            position=position,
        )
        attachment.file.save(item.stored_name, item.file, save=False)
        attachment.save()
    Conversation.objects.filter(pk=conversation.pk).update(last_message=message, last_message_at=now)
    conversation.last_message, conversation.last_message_at = message, now
    if not conversation.is_group:  # writing again brings a one-to-one conversation back for whoever left it
        Participant.objects.filter(conversation=conversation, left_at__isnull=False).update(left_at=None)
    active = Participant.objects.filter(conversation=conversation, left_at__isnull=True)
    # Everyone else has one more unread message, but not those in a block with the sender (in a
    # small group their messages are hidden from each other).
    others, hidden = active.exclude(user=sender), blocked_ids(sender)
    if hidden:
        others.filter(user_id__in=hidden).update(last_message_at=now)
        others = others.exclude(user_id__in=hidden)
    others.update(last_message_at=now, unread_count=F("unread_count") + 1)
    active.filter(user=sender).update(last_message_at=now, last_read_message_id=message.pk, unread_count=0)
    _tell_on_commit(conversation.pk, message.pk, sender.pk)
    return message


def _tell_on_commit(conversation_id: int, message_id: int, sender_id: int) -> None:
    def tell() -> None:
        recipients = Participant.objects.filter(
            conversation_id=conversation_id, left_at__isnull=True, muted=False
        ).exclude(user_id=sender_id)
        for user_id in recipients.values_list("user_id", flat=True):
            notifications.notify(kind="message", recipient_id=user_id, actor_id=sender_id, subject_id=conversation_id)
        realtime.publish(conversation_id=conversation_id, message_id=message_id)

    transaction.on_commit(tell)


@transaction.atomic
def delete_message(*, actor, message: Message) -> Message:
    """The sender takes a message back: its words and files go; "message deleted" stays in place."""
    perms.check_can_read(actor, message.conversation)
    if message.sender_id != actor.pk or message.deleted_at is not None:
        raise PermissionDenied("You can only delete your own messages.")
    names = list(MessageAttachment.objects.filter(message=message).values_list("file", flat=True))
    MessageAttachment.objects.filter(message=message).delete()
    if names:
        storage = MessageAttachment._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(n) for n in names])
    message.body, message.body_html, message.deleted_at = "", "", timezone.now()
    message.save(update_fields=["body", "body_html", "deleted_at"])
    # Unread counts of those who had not read it yet drop by one.
    Participant.objects.filter(
        conversation_id=message.conversation_id, last_read_message_id__lt=message.pk, unread_count__gt=0
    ).exclude(user=actor).exclude(user_id__in=blocked_ids(actor)).update(unread_count=F("unread_count") - 1)
    conversation_id, message_id = message.conversation_id, message.pk
    transaction.on_commit(lambda: realtime.publish(conversation_id=conversation_id, message_id=message_id))
    return message


def mark_read(*, user, conversation: Conversation, up_to: int | None = None) -> int:
    """Read up to message `up_to` (the latest when None); returns the unread count left."""
    mine = perms.participant(user, conversation)
    if mine is None:
        return 0
    with transaction.atomic():
        # Read afresh, under a lock: the member's read position may have moved since `mine` was
        # loaded (their own message, another tab), and it never moves backwards.
        row = Participant.objects.select_for_update().filter(pk=mine.pk)
        last_read, unread = row.values_list("last_read_message_id", "unread_count").get()
        latest = Conversation.objects.filter(pk=conversation.pk).values_list("last_message_id", flat=True).get() or 0
        target = latest if up_to is None else max(0, min(int(up_to), latest))
        if target > last_read:
            unread = (
                Message.objects.filter(conversation=conversation, pk__gt=target, deleted_at__isnull=True)
                .exclude(sender=user)
                .exclude(sender_id__in=blocked_ids(user))  # hidden from them: never counted
                .count()
            )
            row.update(last_read_message_id=target, unread_count=unread)
            last_read = target
    mine.last_read_message_id, mine.unread_count = last_read, unread
    return unread


@transaction.atomic
def leave(*, user, conversation: Conversation) -> None:
    """Leave a conversation: it leaves the member's inbox and they stop reading it. A one-to-one
    conversation comes back when either side writes again."""
    mine = perms.participant(user, conversation)
    if mine is None:
        perms.check_can_read(user, conversation)
        return
    Participant.objects.filter(pk=mine.pk).update(left_at=timezone.now(), unread_count=0)
    perms.forget_participation(user, conversation)  # its notifications stop showing: the loader checks


@transaction.atomic
def add_people(*, actor, conversation: Conversation, users: Sequence) -> int:
    """Add members to a small-group conversation (never to a one-to-one), up to 20 in all."""
    perms.check_can_read(actor, conversation)
    if not conversation.is_group:
        raise ValidationError("Start a new conversation to talk with more people.", code="one_to_one")
    current = set(
        Participant.objects.filter(conversation=conversation, left_at__isnull=True).values_list("user_id", flat=True)
    )
    new = {u.pk: u for u in users if u.pk not in current}
    if len(current) + len(new) > MAX_PARTICIPANTS:
        raise ValidationError(f"A conversation can have at most {MAX_PARTICIPANTS} people.", code="too_many")
    refused = [u for u in new.values() if not perms.may_message(actor, u)]
    if refused:
        _refuse(refused)
    now = timezone.now()
    latest = conversation.last_message_id or 0
    for uid in new:
        # Someone added sees the conversation from now on, not as unread history.
        Participant.objects.update_or_create(
            conversation=conversation,
            user_id=uid,
            defaults={
                "left_at": None,
                "joined_at": now,
                "last_message_at": conversation.last_message_at,
                "last_read_message_id": latest,
                "unread_count": 0,
            },
        )
    return len(new)


@transaction.atomic
def set_muted(*, user, conversation: Conversation, muted: bool) -> None:
    perms.check_can_read(user, conversation)
    Participant.objects.filter(conversation=conversation, user=user).update(muted=bool(muted))
    perms.forget_participation(user, conversation)


@transaction.atomic
def set_preference(*, user, who_may_message: str) -> MessagePreference:
    if who_may_message not in WhoMayMessage.values:
        raise ValidationError("Choose any member, only people you follow, or nobody.", code="preference")
    found, _ = MessagePreference.objects.update_or_create(user=user, defaults={"who_may_message": who_may_message})
    return found


def set_message_hidden(*, message: Message, hidden: bool) -> Message:
    """Moderation's tool (readingroom.moderation decides who and records why): a hidden message
    reads as removed for everyone in the conversation, live clients included (it counts as a
    deletion, which they already follow), and its words stay on the row for the audit until it is
    unhidden or deleted."""
    if hidden and message.hidden_at is None:
        message.hidden_at = message.deleted_at = timezone.now()
    elif not hidden and message.hidden_at is not None:
        if message.deleted_at == message.hidden_at:  # not also taken back by its sender
            message.deleted_at = None
        message.hidden_at = None
    else:
        return message
    message.save(update_fields=["hidden_at", "deleted_at"])
    conversation_id, message_id = message.conversation_id, message.pk
    transaction.on_commit(lambda: realtime.publish(conversation_id=conversation_id, message_id=message_id))
    return message
