"""PLN stage check-ins, a member's weekly time intention, and reading days for the private
balance panel. Nothing here is shown to anyone but the member."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Stage(models.TextChoices):
    IMMERSION = "immersion", "Immersion"
    EVALUATION = "evaluation", "Evaluation"
    KNOW_IT_ALL = "know_it_all", "Know-it-all"
    PERSPECTIVE = "perspective", "Perspective"
    BALANCE = "balance", "Balance"


class StageCheckIn(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict)  # question key -> chosen option key, validated by pln.checkin
    stage = models.CharField(max_length=12, choices=Stage.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["owner", "-id"], name="checkin_owner_idx")]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.stage}"


class TimeIntention(models.Model):
    """Minutes a week the member means to give their learning network."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True)
    minutes_per_week = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(minutes_per_week__lte=3000), name="timeintention_range")]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.minutes_per_week} min/week"


class ReadingDay(models.Model):
    """How much a member read on one day (timeline pages opened, posts shown), buffered in each
    web process and flushed about once a minute (pln.reading), so reading adds no write per page."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    pages = models.PositiveIntegerField(default=0)
    posts_seen = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "day"], name="readingday_unique")]

    def __str__(self) -> str:
        return f"{self.owner_id} on {self.day}"
