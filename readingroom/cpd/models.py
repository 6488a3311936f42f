"""The CPD log: dated learning activities with hours (in quarter hours), reflections, evidence,
links to goals and skills areas; and each member's requirement (e.g. 20 h per 12 months)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from readingroom.goals.models import Goal
from readingroom.learning.models import EvidenceFile, LearningVisibility
from readingroom.skills.models import SkillArea

# Hours are stored as whole quarter hours: sums are exact integers and "to the quarter hour" is
# a constraint rather than a rounding rule. One entry holds at most 1,000 hours.
QUARTERS_PER_HOUR = 4
MAX_ENTRY_QUARTERS = 1000 * QUARTERS_PER_HOUR


class ActivityType(models.TextChoices):
    COURSE = "course", "Course"
    WEBINAR = "webinar", "Webinar"
    CONFERENCE = "conference", "Conference"
    READING = "reading", "Reading"
    HASHTAG_CHAT = "hashtag_chat", "Hashtag chat"
    MENTORING = "mentoring", "Mentoring"
    VOLUNTEERING = "volunteering", "Volunteering"
    WORK_PROJECT = "work_project", "Work project"
    WRITING = "writing", "Writing or presenting"
    TEACHING = "teaching", "Teaching"
    OTHER = "other", "Other"


class Delivery(models.TextChoices):
    ONLINE = "online", "Online"
    IN_PERSON = "in_person", "In person"
    BLENDED = "blended", "Both"


class CPDEntry(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)  # a range; null = one day
    activity_type = models.CharField(max_length=20, choices=ActivityType.choices)
    quarter_hours = models.PositiveIntegerField()
    provider = models.CharField(max_length=200, blank=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, blank=True)
    learned = models.TextField("what I learned", max_length=5000, blank=True)
    apply = models.TextField("how I will use it", max_length=5000, blank=True)
    visibility = models.CharField(max_length=10, choices=LearningVisibility.choices, default=LearningVisibility.PRIVATE)
    goals = models.ManyToManyField(Goal, blank=True, related_name="cpd_entries")
    skill_areas = models.ManyToManyField(SkillArea, blank=True, related_name="+")
    # sha256 of the entry's identity (dates, title, type, hours, provider), kept by cpd.actions:
    # an import run twice, or an export imported back, finds the rows already logged.
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["owner", "-started_on", "-id"], name="cpd_owner_date_idx")]
        constraints = [
            models.UniqueConstraint(fields=["owner", "fingerprint"], name="cpd_fingerprint_unique"),
            models.CheckConstraint(
                condition=Q(quarter_hours__gte=1) & Q(quarter_hours__lte=MAX_ENTRY_QUARTERS),
                name="cpd_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")), name="cpd_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def hours(self) -> float:
        return self.quarter_hours / QUARTERS_PER_HOUR


class CPDEvidence(models.Model):
    entry = models.ForeignKey(CPDEntry, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    file = models.ForeignKey(EvidenceFile, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file__isnull=False) & Q(url="")) | (Q(file__isnull=True) & ~Q(url="")),
                name="cpdevidence_link_or_file",
            )
        ]

    def __str__(self) -> str:
        return self.title or self.url or f"Evidence {self.pk}"


class CPDRequirement(models.Model):
    """What the member's professional body (or they themselves) ask for: hours per period."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True)
    label = models.CharField(max_length=120, blank=True)  # "CILIP revalidation"
    quarter_hours = models.PositiveIntegerField()
    period_months = models.PositiveSmallIntegerField(default=12)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter_hours__gte=1) & Q(quarter_hours__lte=MAX_ENTRY_QUARTERS),
                name="cpdrequirement_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(period_months__gte=1) & Q(period_months__lte=60), name="cpdrequirement_period_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quarter_hours / QUARTERS_PER_HOUR:g} h per {self.period_months} months"
