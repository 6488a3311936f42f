"""The base of the learning stack: who may see a learning record, mentors, and private files.

Goals, CPD entries, assessments and portfolios are private by default. Their owner may open each
one to their mentors, their followers or all members; `learning.permissions.audience_q` is the one
rule that turns that choice into a query, and every learning app's visibility rule is built on it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from readingroom.core.files import private_storage  # noqa: F401  (its migrations name it here)


class LearningVisibility(models.TextChoices):
    PRIVATE = "private", "Only me"
    MENTORS = "mentors", "Me and my mentors"
    FOLLOWERS = "followers", "My followers and mentors"
    MEMBERS = "members", "Members: anyone signed in"


class MentorshipStatus(models.TextChoices):
    PENDING = "pending", "Asked"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


class Mentorship(models.Model):
    """A member (the mentee) names another member as their mentor; the mentor accepts.

    An active mentorship lets the mentor see what the mentee shared with "my mentors". Mentoring
    schemes (matching, cohorts) build on this later; this is the one-to-one relationship."""

    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=MentorshipStatus.choices, default=MentorshipStatus.PENDING)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "mentor"],
                condition=Q(status__in=["pending", "active"]),
                name="mentorship_one_open_per_pair",
            ),
            models.CheckConstraint(condition=~Q(mentee=models.F("mentor")), name="mentorship_not_self"),
        ]
        indexes = [
            models.Index(fields=["mentor", "status"], name="mentorship_mentor_idx"),
            models.Index(fields=["mentee", "status"], name="mentorship_mentee_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor_id} mentors {self.mentee_id} ({self.status})"


class EvidenceFile(models.Model):
    """An uploaded file (certificate, slides, notes) checked by content, stored privately."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="evidence/%Y/%m/", storage=private_storage, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["owner", "-id"], name="evidencefile_owner_idx")]

    def __str__(self) -> str:
        return self.original_name
