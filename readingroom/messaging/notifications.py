"""The notification kind of direct messages. Its subject is the conversation, so a burst of
messages is one notification ("Ana sent 3 messages"); the loader shows it only while the
recipient is still in the conversation."""

from __future__ import annotations


def register_kinds() -> None:
    from readingroom.notifications import kinds
    from readingroom.notifications.kinds import Delivery, Grouping, Kind

    kinds.register(
        Kind(
            slug="message",
            label="Direct messages",
            default_delivery=Delivery.EMAIL,
            grouping=Grouping.SUBJECT,
            load=load_conversations,
            describe=describe_message,
            help_text="When someone sends you a direct message (a conversation you muted stays quiet).",
        )
    )


def load_conversations(viewer, notifications):
    from readingroom.messaging.models import Conversation, Participant

    ids = {n.subject_id for n in notifications}
    mine = Participant.objects.filter(user=viewer, left_at__isnull=True).values("conversation")
    found = {c.pk: c for c in Conversation.objects.filter(pk__in=ids).filter(pk__in=mine)}
    shown = []
    for n in notifications:
        n.subject = found.get(n.subject_id)
        if n.subject is not None:
            shown.append(n)
    return shown


def describe_message(viewer, notification):
    from django.urls import reverse

    from readingroom.notifications.kinds import Description, actors_text

    conversation = notification.subject
    where = f" in “{conversation.title}”" if conversation.title else ""
    return Description(
        text=f"{actors_text(notification)} sent you a message{where}",
        url=reverse("messaging:conversation", args=[conversation.pk]),
    )
