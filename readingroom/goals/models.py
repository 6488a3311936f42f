"""Learning goals, grouped in plans, with steps, evidence and a dated reflective journal; and
the plan templates organisers publish for members to start from (each member owns their copy)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from readingroom.learning.models import EvidenceFile, LearningVisibility
from readingroom.posts.models import Post
from readingroom.skills.models import SkillArea


class PlanTemplate(models.Model):
    """A published starting point ("Chartership in 12 months"); members copy it into a Plan."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500, blank=True)
    description = models.TextField(max_length=10000, blank=True)  # Markdown
    duration_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    published = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        permissions = [("publish_plantemplate", "Can publish plan templates")]

    def __str__(self) -> str:
        return self.title


class TemplateGoal(models.Model):
    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=200)
    why = models.TextField(max_length=4000, blank=True)
    success_criteria = models.TextField(max_length=4000, blank=True)
    # Target date = the day the member starts the plan + this many weeks.
    target_offset_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    skill_areas = models.ManyToManyField(SkillArea, blank=True, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class TemplateStep(models.Model):
    goal = models.ForeignKey(TemplateGoal, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(max_length=200)
    due_offset_days = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Plan(models.Model):
    """A member's set of goals, often started from a template."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=4000, blank=True)
    template = models.ForeignKey(PlanTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    started_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["owner", "-id"], name="plan_owner_idx")]

    def __str__(self) -> str:
        return self.title


class GoalStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    ACHIEVED = "achieved", "Achieved"
    SET_ASIDE = "set_aside", "Set aside"


class Goal(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="goals")
    title = models.CharField(max_length=200)
    why = models.TextField("why it matters", max_length=4000, blank=True)
    success_criteria = models.TextField("how I will know I have reached it", max_length=4000, blank=True)
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=GoalStatus.choices, default=GoalStatus.PLANNED)
    visibility = models.CharField(max_length=10, choices=LearningVisibility.choices, default=LearningVisibility.PRIVATE)
    skill_areas = models.ManyToManyField(SkillArea, blank=True, related_name="+")
    # Progress follows the steps (done / all) unless the member sets it by hand (0-100).
    progress_override = models.PositiveSmallIntegerField(null=True, blank=True)
    steps_total = models.PositiveSmallIntegerField(default=0)  # kept by goals.actions
    steps_done = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    achieved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "status", "-id"], name="goal_owner_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_override__isnull=True) | Q(progress_override__lte=100),
                name="goal_progress_range",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("goals:detail", args=[self.pk])

    @property
    def progress(self) -> int:
        if self.progress_override is not None:
            return self.progress_override
        if self.status == GoalStatus.ACHIEVED:
            return 100
        if not self.steps_total:
            return 0
        return round(100 * self.steps_done / self.steps_total)


class Step(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(max_length=200)
    due_date = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Reflection(models.Model):
    """A dated journal entry on a goal. Prompts (What happened? So what? Now what?) are offered by
    the form, not imposed: the entry is one Markdown text."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="reflections")
    written_on = models.DateField(default=timezone.localdate)
    body = models.TextField(max_length=10000)
    body_html = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-written_on", "-id"]

    def __str__(self) -> str:
        return f"Reflection of {self.written_on} on goal {self.goal_id}"


class EvidenceKind(models.TextChoices):
    LINK = "link", "Link"
    FILE = "file", "File"
    POST = "post", "One of my posts"


class GoalEvidence(models.Model):
    """Evidence toward a goal: a link, an uploaded file or one of the member's own posts. CPD
    entries link to goals from their side (cpd.CPDEntry.goals)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    file = models.ForeignKey(EvidenceFile, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    note = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="link", file__isnull=True, post__isnull=True)
                    | Q(kind="file", file__isnull=False, post__isnull=True)
                    | Q(kind="post", file__isnull=True, post__isnull=False)
                ),
                name="goalevidence_kind_matches",
            )
        ]

    def __str__(self) -> str:
        return self.title or f"{self.kind} evidence {self.pk}"
