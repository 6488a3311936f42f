"""Portfolios: a member's selection of goals, CPD entries, reflections, assessments, posts and
written sections, ordered, with an introduction; exported as PDF, HTML and JSON, and shared
read-only by links that expire and can be revoked."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from readingroom.cpd.models import CPDEntry
from readingroom.goals.models import Goal, Reflection
from readingroom.posts.models import Post
from readingroom.skills.models import Assessment

MAX_ITEMS = 500


class Portfolio(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    introduction = models.TextField(max_length=20000, blank=True)  # Markdown
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["owner", "-updated_at"], name="portfolio_owner_idx")]

    def __str__(self) -> str:
        return self.title


class ItemKind(models.TextChoices):
    GOAL = "goal", "Goal"
    CPD_ENTRY = "cpd_entry", "CPD entry"
    REFLECTION = "reflection", "Reflection"
    ASSESSMENT = "assessment", "Skills assessment"
    POST = "post", "Post"
    SECTION = "section", "Written section"


class PortfolioItem(models.Model):
    """One entry in a portfolio: a reference to one of the member's own records (exactly one of
    the foreign keys, per `kind`), or a written section (heading and body)."""

    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=ItemKind.choices)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    cpd_entry = models.ForeignKey(CPDEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    heading = models.CharField(max_length=200, blank=True)
    body = models.TextField(max_length=20000, blank=True)  # a section's Markdown, or a note on a record

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["portfolio", "position"], name="portfolioitem_order_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="goal", goal__isnull=False)
                    | Q(kind="cpd_entry", cpd_entry__isnull=False)
                    | Q(kind="reflection", reflection__isnull=False)
                    | Q(kind="assessment", assessment__isnull=False)
                    | Q(kind="post", post__isnull=False)
                    | Q(kind="section")
                ),
                name="portfolioitem_kind_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in portfolio {self.portfolio_id}"


class ShareLink(models.Model):
    """A read-only link to a portfolio. Only the token's sha256 is stored; the token is shown once."""

    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=120, blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_viewed_at = models.DateTimeField(null=True, blank=True)
    view_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.label or f"Share link {self.pk}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
