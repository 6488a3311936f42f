"""Who may read and write direct messages. Private things answer 404: check_* raise Http404.

- A conversation is read only by its active participants (someone who left no longer reads it).
- Starting a conversation with someone, or adding them to one, needs their consent by their
  preference (any member, only people they follow, nobody), active accounts on both sides, and
  no block either way. The same checks hold for each message in a one-to-one conversation, so a
  block, a suspension or a withdrawn consent ends the conversation at once; in a small group,
  each member's blocks hide the other's messages from them (queries mark them). Someone who has
  written in their one-to-one conversation (and is still in it) accepts replies there, whatever
  their preference says of new conversations: a member who accepts messages from nobody may still
  write to someone and hear back.
"""

from __future__ import annotations

from django.http import Http404

from readingroom.accounts.queries import is_blocked_either_way, is_following
from readingroom.messaging.models import Conversation, Message, MessagePreference, Participant, WhoMayMessage


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def participant(user, conversation: Conversation) -> Participant | None:
    """The member's active participation, read once per user object and conversation."""
    if not _signed_in(user):
        return None
    cache = user.__dict__.setdefault("_participations", {})
    if conversation.pk not in cache:
        cache[conversation.pk] = Participant.objects.filter(
            conversation=conversation, user=user, left_at__isnull=True
        ).first()
    return cache[conversation.pk]


def forget_participation(user, conversation: Conversation) -> None:
    if user is not None:
        user.__dict__.get("_participations", {}).pop(conversation.pk, None)


def can_read(user, conversation: Conversation) -> bool:
    return participant(user, conversation) is not None


def check_can_read(user, conversation: Conversation) -> None:
    if not can_read(user, conversation):
        raise Http404("No such conversation")


def sender_suspended(message: Message) -> bool:
    """A suspended member's messages read as hidden, in place, while the suspension lasts."""
    return message.sender_id is not None and not message.sender.is_active


def withheld_from(message: Message, blocked: set[int]) -> bool:
    """Whether a message's words are kept from a reader who is in a block (either way) with the
    members in `blocked`: the sender is one of them, or suspended. Inbox rows and the API use it."""
    return message.sender_id in blocked or sender_suspended(message)


def preference(user) -> str:
    found = MessagePreference.objects.filter(user=user).values_list("who_may_message", flat=True).first()
    return found or WhoMayMessage.EVERYONE


def may_message(
    sender,
    recipient,
    *,
    conversation: Conversation | None = None,
    blocked: bool | None = None,
    recipient_follows: bool | None = None,
) -> bool:
    """Whether `sender` may start a conversation with `recipient` (or add them to one); with their
    one-to-one `conversation`, whether the sender may write to them there. A page that already
    knows whether they block one another, and whether the recipient follows the sender, passes
    `blocked` / `recipient_follows` and saves those queries (the profile page does)."""
    if not (_signed_in(sender) and recipient is not None and recipient.is_active) or sender.pk == recipient.pk:
        return False
    if blocked is None:
        blocked = is_blocked_either_way(sender, recipient)
    if getattr(recipient, "profile", None) is None or blocked:
        return False

    def follows() -> bool:
        return is_following(recipient, sender) if recipient_follows is None else recipient_follows

    if sender.limited_at is not None and not follows():
        # A limited account (moderation) reaches only its followers, or those who wrote to it.
        return conversation is not None and _has_written_in(recipient, conversation)
    wanted = preference(recipient)
    if wanted == WhoMayMessage.EVERYONE or (wanted == WhoMayMessage.FOLLOWING and follows()):
        return True
    return conversation is not None and _has_written_in(recipient, conversation)


def _has_written_in(user, conversation: Conversation) -> bool:
    """The member is in the conversation and has written in it: they asked for replies."""
    return (
        Participant.objects.filter(conversation=conversation, user=user, left_at__isnull=True).exists()
        and Message.objects.filter(conversation=conversation, sender=user).exists()
    )


def can_send(user, conversation: Conversation) -> bool:
    """Active participants send; in a one-to-one conversation only while the other may still be messaged."""
    if participant(user, conversation) is None:
        return False
    if conversation.is_group:
        return True
    other = (
        Participant.objects.filter(conversation=conversation).exclude(user=user).select_related("user__profile").first()
    )
    return other is not None and may_message(user, other.user, conversation=conversation)
