"""Discussions: a group's forum. A topic is a titled thread in one group; its replies are numbered
in order (the opening post is number 1), may answer an earlier reply, and keep their edit history.

Whether someone may read a topic is the group's content rule (groups.permissions.content_q) plus
a topic's own soft deletion; discussions/permissions.py holds it. Each member's read position
(TopicRead) gives "N new since your last visit", and their watch level (TopicWatch, GroupWatch)
decides which replies notify them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from readingroom.core.files import private_storage


class TopicKind(models.TextChoices):
    DISCUSSION = "discussion", "Discussion"
    QUESTION = "question", "Question: someone's answer can be marked as the accepted one"


class WatchLevel(models.TextChoices):
    ALL = "all", "Every reply"
    MENTIONS = "mentions", "Only when I'm mentioned or answered"
    MUTED = "muted", "Nothing (muted)"


class TopicQuerySet(models.QuerySet):
    def live(self) -> TopicQuerySet:
        return self.filter(deleted_at__isnull=True)


class Topic(models.Model):
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="topics")
    # A topic outlives its author's account (others' replies are in it): shown as a former member.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=150)
    kind = models.CharField(max_length=12, choices=TopicKind.choices, default=TopicKind.DISCUSSION)
    is_pinned = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False)  # no new replies
    is_archived = models.BooleanField(default=False)  # read-only and out of the default list
    accepted_reply = models.ForeignKey("Reply", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    last_activity_at = models.DateTimeField()
    last_number = models.PositiveIntegerField(default=1)  # the latest reply's number
    replies_count = models.PositiveIntegerField(default=0)  # live replies after the opening post
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)  # hidden by a moderator: listed nowhere

    objects = TopicQuerySet.as_manager()

    class Meta:
        indexes = [
            # Keyset over a group's topics by latest activity and by most replies.
            models.Index(fields=["group", "-last_activity_at", "-id"], name="topic_latest_idx"),
            models.Index(fields=["group", "-replies_count", "-id"], name="topic_top_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_question(self) -> bool:
        return self.kind == TopicKind.QUESTION

    @property
    def is_open(self) -> bool:
        return not (self.is_locked or self.is_archived)


class TopicTag(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=40)  # lower-case

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "name"], name="topic_tag_unique")]
        indexes = [models.Index(fields=["name", "topic"], name="topic_tag_name_idx")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Reply(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="replies")
    number = models.PositiveIntegerField()  # 1 is the opening post; never reused
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=settings.RR_REPLY_MAX_CHARS)
    body_html = models.TextField()
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    # Deleting keeps the row (and its number) so the thread and others' quotes still make sense.
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Hidden by a moderator: kept in place as a placeholder, like a deleted reply, and found nowhere else.
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "number"], name="reply_number_unique")]
        indexes = [models.Index(fields=["author", "-id"], name="reply_author_idx")]

    def __str__(self) -> str:
        return f"#{self.number} in {self.topic_id}"

    @property
    def is_opening(self) -> bool:
        return self.number == 1


class ReplyEdit(models.Model):
    """An earlier version of a reply, kept when it is edited (as posts keep theirs)."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="edits")
    body = models.TextField(max_length=settings.RR_REPLY_MAX_CHARS)
    body_html = models.TextField()
    title = models.CharField(max_length=150, blank=True)  # the topic's title then, for an opening post
    created_at = models.DateTimeField()  # when this version was first published

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Earlier version of {self.reply_id}"


class ReplyMention(models.Model):
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reply", "user"], name="reply_mention_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} mentioned in {self.reply_id}"


class Attachment(models.Model):
    """A file on a reply: checked by content, stored outside MEDIA_ROOT, served only by a view that
    has checked the reader may read the topic (a private group's slides are its members')."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="discussions/%Y/%m/", storage=private_storage, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    alt_text = models.CharField(max_length=1500, blank=True)  # required for images
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class TopicRead(models.Model):
    """How far a member has read a topic: the highest reply number they have been shown."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    last_read_number = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="topic_read_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.topic_id} to {self.last_read_number}"


class TopicWatch(models.Model):
    """A member's chosen level for one topic; starting or replying to a topic watches it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="watches")
    level = models.CharField(max_length=10, choices=WatchLevel.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="topic_watch_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} watches {self.topic_id}: {self.level}"


class GroupWatch(models.Model):
    """A member's level for a whole group's discussions: every new topic and reply, or muted."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=10, choices=WatchLevel.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="group_watch_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} watches group {self.group_id}: {self.level}"
