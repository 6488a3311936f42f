"""Digest schedules, the digests claimed and sent, and the lease that keeps runs one at a time.

See docs/adr/0009-digests.md. Every member with a profile has a schedule row (the worker adds
missing ones), so choosing who is due is one indexed query on `next_digest_at`, in UTC.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Frequency(models.TextChoices):
    OFF = "off", "Off"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class Weekday(models.IntegerChoices):  # Python's date.weekday() numbering
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


# Every member gets a weekly digest on Monday at 08:00 in their own time zone until they choose.
DEFAULT_FREQUENCY = Frequency.WEEKLY
DEFAULT_WEEKDAY = Weekday.MONDAY
DEFAULT_HOUR = 8


class DigestSchedule(models.Model):
    """A member's digest settings, and when their next digest is due (UTC).

    `time_zone` is the zone `next_digest_at` was computed in: when it differs from the profile's
    (the member moved), the worker computes it again. `last_sent_until` is the end of the last
    period sent, where the next period starts, so no item is sent twice."""

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=DEFAULT_FREQUENCY)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=DEFAULT_WEEKDAY)
    hour = models.PositiveSmallIntegerField(default=DEFAULT_HOUR)
    time_zone = models.CharField(max_length=64, default="UTC")
    next_digest_at = models.DateTimeField(null=True, blank=True)
    last_sent_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(hour__lte=23), name="digest_hour_range"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="digest_weekday_range"),
        ]
        # Who is due: WHERE next_digest_at <= now (members with digests off have none, so are not in it).
        indexes = [
            models.Index(fields=["next_digest_at"], name="digest_due_idx", condition=Q(next_digest_at__isnull=False))
        ]

    def __str__(self) -> str:
        return f"Digest schedule of {self.member_id}: {self.frequency}"


class DigestStatus(models.TextChoices):
    CLAIMED = "claimed", "Claimed"  # being built and sent; stays so if the worker crashed meanwhile
    SENT = "sent", "Sent"
    EMPTY = "empty", "Nothing to send"
    SKIPPED = "skipped", "Skipped"  # suspended member or no email address
    FAILED = "failed", "Failed"  # the mail server refused it


class Digest(models.Model):
    """One scheduled digest of one member, claimed before it is built. The unique (member, due_at)
    pair is the idempotency key: a slot can be claimed once, so never sent twice."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    due_at = models.DateTimeField()
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    status = models.CharField(max_length=10, choices=DigestStatus.choices, default=DigestStatus.CLAIMED)
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "due_at"], name="digest_slot_unique")]
        indexes = [models.Index(fields=["due_at"], name="digest_prune_idx")]

    def __str__(self) -> str:
        return f"Digest of {self.member_id} due {self.due_at:%Y-%m-%d %H:%M} ({self.status})"


class DigestRun(models.Model):
    """A single row (pk 1): the lease a run holds while it sends, and when a run was last queued,
    so several workers neither run two at once nor fill the queue with duplicates."""

    locked_until = models.DateTimeField(null=True, blank=True)
    holder = models.CharField(max_length=64, blank=True)
    queued_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Digest run lease until {self.locked_until}"
