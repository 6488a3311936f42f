"""Skills frameworks (areas and sub-areas) and members' self-assessments against them.

A framework is loaded from a documented file (docs/skills-framework-format.md); one written for
Reading Room ships as the default. A member rates each top-level area 0-4, now and as a target,
as often as they like; each assessment is kept, so progress shows against the previous one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from readingroom.learning.models import LearningVisibility
from readingroom.learning.permissions import audience_q

LEVEL_MIN = 0
LEVEL_MAX = 4


class SkillFramework(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(max_length=4000, blank=True)
    version = models.CharField(max_length=20, blank=True)
    # Exactly one framework is the default members assess against (enforced in actions).
    is_default = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class SkillArea(models.Model):
    """An area (parent is null) or a sub-area of one. Members rate areas; sub-areas describe them."""

    framework = models.ForeignKey(SkillFramework, on_delete=models.CASCADE, related_name="areas")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    description = models.TextField(max_length=2000, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # An area left out when its framework is re-loaded is retired, not deleted: past ratings of
    # it stay, and new assessments no longer ask about it.
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="skillarea_code_unique")]

    def __str__(self) -> str:
        return self.name


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """The one rule (learning.permissions.audience_q) for assessments, on pages and in the API."""
        return self.filter(audience_q(viewer))


class Assessment(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    framework = models.ForeignKey(SkillFramework, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(max_length=4000, blank=True)
    visibility = models.CharField(max_length=10, choices=LearningVisibility.choices, default=LearningVisibility.PRIVATE)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["owner", "framework", "-id"], name="assessment_owner_idx")]

    def __str__(self) -> str:
        return f"Assessment {self.pk} by {self.owner_id}"


class Rating(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    area = models.ForeignKey(SkillArea, on_delete=models.CASCADE, related_name="+")
    current = models.PositiveSmallIntegerField()
    target = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "area"], name="rating_one_per_area"),
            models.CheckConstraint(condition=Q(current__lte=LEVEL_MAX), name="rating_current_range"),
            models.CheckConstraint(condition=Q(target__lte=LEVEL_MAX), name="rating_target_range"),
        ]

    def __str__(self) -> str:
        return f"{self.area_id}: {self.current} now, {self.target} target"
