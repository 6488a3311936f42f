"""Direct messages: conversations of two to twenty members, their messages, each participant's
read position and unread count, and each member's choice of who may message them.

A conversation is read only by its participants (messaging/permissions.py). Each participant row
carries the conversation's latest activity and the member's unread count, so a member's inbox is
one indexed range of their own rows, whatever the size of the message table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from readingroom.core.files import private_storage

MAX_PARTICIPANTS = 20


class WhoMayMessage(models.TextChoices):
    EVERYONE = "everyone", "Any member"
    FOLLOWING = "following", "Only people I follow"
    NOBODY = "nobody", "Nobody"


class MessagePreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", primary_key=True)
    who_may_message = models.CharField(max_length=10, choices=WhoMayMessage.choices, default=WhoMayMessage.EVERYONE)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.who_may_message}"


class Conversation(models.Model):
    title = models.CharField(max_length=80, blank=True)  # small groups may name theirs
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # A one-to-one conversation's two member ids, "low:high": the pair has one conversation.
    pair_key = models.CharField(max_length=41, null=True, blank=True, unique=True)
    created_at = models.DateTimeField()
    last_message_at = models.DateTimeField()
    last_message = models.ForeignKey("Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return self.title or f"Conversation {self.pk}"

    @property
    def is_group(self) -> bool:
        return self.pair_key is None


class Participant(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    # Copied from the conversation on every message so the inbox pages by this row's own index.
    last_message_at = models.DateTimeField()
    last_read_message_id = models.BigIntegerField(default=0)
    unread_count = models.PositiveIntegerField(default=0)
    muted = models.BooleanField(default=False)  # no notifications; still counted as unread

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="participant_unique")]
        indexes = [models.Index(fields=["user", "-last_message_at", "-id"], name="participant_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.conversation_id}"

    @property
    def active(self) -> bool:
        return self.left_at is None


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=settings.RR_MESSAGE_MAX_CHARS, blank=True)
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)  # the sender took it back: "message deleted"
    # Hidden by a moderator (deleted_at is set with it, so every reader and live client drops it).
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["conversation", "-id"], name="message_conversation_idx"),
            # Deletions are rare: the live process's poll for them reads this small partial index.
            models.Index(fields=["deleted_at"], condition=Q(deleted_at__isnull=False), name="message_deleted_idx"),
        ]

    def __str__(self) -> str:
        return f"Message {self.pk} in {self.conversation_id}"


class MessageAttachment(models.Model):
    """A file sent in a conversation: checked by content, stored outside MEDIA_ROOT, served only to
    the conversation's participants."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="messages/%Y/%m/", storage=private_storage, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    alt_text = models.CharField(max_length=1500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
