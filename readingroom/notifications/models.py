"""Notification rows, the members who caused them, and each member's delivery preferences.

A row is a *group*: every actor on the same (recipient, kind, subject) shares it, so forty likes
make one row, not forty. `position` is the id of the group's latest actor row: it only grows, so
newer activity sorts first and a group with new activity moves to the top, and it is the keyset
cursor of the list page. Subjects belong to higher apps (posts, members), so `subject_id` is a
plain integer whose meaning is the kind's: the higher app's loader turns it back into an object.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from readingroom.notifications.kinds import Delivery


class Notification(models.Model):
    # Indexed by the composite indexes below (recipient first), not on its own.
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=30)
    # The kind's subject (a post id for post kinds); for day-grouped kinds, the UTC day number.
    subject_id = models.BigIntegerField(default=0)
    position = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)  # the latest activity
    read_at = models.DateTimeField(null=True, blank=True)
    # The position an email was last sent for: a group is emailed again only after new activity.
    emailed_position = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "subject_id"], name="notification_group_unique")
        ]
        indexes = [
            # The list page: WHERE recipient = ? [AND kind = ?] AND position < ? ORDER BY position DESC.
            models.Index(fields=["recipient", "-position"], name="notification_list_idx"),
            models.Index(fields=["recipient", "kind", "-position"], name="notification_kind_idx"),
            # The header badge counts unread rows only; read ones (most rows) stay out of this index.
            models.Index(fields=["recipient"], name="notification_unread_idx", condition=Q(read_at__isnull=True)),
            # forget_subjects(): a deleted post's notifications, whoever received them.
            models.Index(fields=["subject_id", "kind"], name="notification_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} notification {self.pk} for {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationActor(models.Model):
    """One member in a notification group. Re-acting replaces the row, so its id (the group's
    position) is always the latest."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="actor_rows", db_index=False)
    # Its own index serves forget_actor(): everything a member caused, when they are blocked.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notification", "actor"], name="notification_actor_unique")]
        # The unique constraint's index serves lookups by notification; this one the latest actors.
        indexes = [models.Index(fields=["notification", "-id"], name="notification_actor_latest_idx")]

    def __str__(self) -> str:
        return f"{self.actor_id} in notification {self.notification_id}"


class NotificationPreference(models.Model):
    """A member's choice for one kind. No row means the kind's default delivery."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=30)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "kind"], name="notification_preference_unique")]
        indexes = [models.Index(fields=["kind", "delivery"], name="notification_pref_kind_idx")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.kind} → {self.delivery}"


class QuietHours(models.Model):
    """Local times (in the member's own time zone, Profile.time_zone) when no email is sent:
    emails wait until `end`. `start` later than `end` spans midnight (22:00 → 07:00)."""

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True)
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        verbose_name_plural = "quiet hours"
        constraints = [models.CheckConstraint(condition=~Q(start=models.F("end")), name="quiet_hours_not_empty")]

    def __str__(self) -> str:
        return f"{self.member_id}: quiet {self.start:%H:%M}-{self.end:%H:%M}"
