"""Every read the goals pages and API make, with their select_related/prefetch in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from readingroom.core.pagination import Page, page_from
from readingroom.goals import evidence_sources
from readingroom.goals.models import Goal, GoalEvidence, GoalStatus, Plan, PlanTemplate, Reflection, Step
from readingroom.goals.permissions import can_manage_templates
from readingroom.posts.models import Post

PAGE_SIZE = 20
OPEN_STATUSES = (GoalStatus.PLANNED, GoalStatus.ACTIVE)


def my_goals(owner, *, status: str | None = None) -> list[Goal]:
    """The member's goals for the list page: open ones by target date (undated last)."""
    rows = Goal.objects.filter(owner=owner).select_related("plan").prefetch_related("skill_areas")
    if status:
        rows = rows.filter(status=status)
    return sorted(rows, key=lambda g: (g.target_date is None, g.target_date or timezone.localdate(), g.pk))


@dataclass
class PlanGroup:
    plan: Plan | None
    goals: list[Goal] = field(default_factory=list)


def group_by_plan(goals: list[Goal]) -> list[PlanGroup]:
    """Goals grouped under their plan (newest plan first), goals outside any plan last."""
    groups: dict[int | None, PlanGroup] = {}
    for goal in goals:
        groups.setdefault(goal.plan_id, PlanGroup(goal.plan)).goals.append(goal)
    planned = sorted((g for k, g in groups.items() if k is not None), key=lambda g: -g.plan.pk)
    return planned + ([groups[None]] if None in groups else [])


def goals_page(owner, *, status: str | None = None, before: int | None = None) -> Page[Goal]:
    """The member's goals, newest first, by keyset (the API's list)."""
    rows = Goal.objects.filter(owner=owner).select_related("plan").prefetch_related("skill_areas")
    if status:
        rows = rows.filter(status=status)
    if before:
        rows = rows.filter(pk__lt=before)
    return page_from(list(rows.order_by("-id")[: PAGE_SIZE + 1]), size=PAGE_SIZE, key=lambda g: g.pk)


def is_overdue(goal: Goal) -> bool:
    return bool(goal.target_date and goal.status in OPEN_STATUSES and goal.target_date < timezone.localdate())


def steps(goal: Goal) -> list[Step]:
    return list(Step.objects.filter(goal=goal).order_by("position", "id"))


def reflections(goal: Goal) -> list[Reflection]:
    return list(Reflection.objects.filter(goal=goal).order_by("-written_on", "-id"))


def evidence(goal: Goal, viewer) -> list[GoalEvidence]:
    """The goal's evidence as this viewer may see it: a linked post only if they may see the post."""
    visible_posts = Post.objects.visible_to(viewer).values("pk")
    rows = (
        GoalEvidence.objects.filter(goal=goal)
        .filter(Q(post__isnull=True) | Q(post__in=visible_posts))
        .select_related("file", "post")
    )
    return list(rows.order_by("-id"))


def other_evidence(goal: Goal, viewer) -> list[dict]:
    """What higher apps registered (goals.evidence_sources), such as linked CPD entries."""
    return evidence_sources.gather(goal, viewer)


def recent_own_posts(owner, *, limit: int = 20) -> list[Post]:
    """Candidates for post evidence: the member's own posts and replies, not boosts."""
    return list(Post.objects.filter(author=owner, boost_of__isnull=True).order_by("-id")[:limit])


def plans(owner) -> list[Plan]:
    return list(Plan.objects.filter(owner=owner).order_by("-id"))


def plans_page(owner, *, before: int | None = None) -> Page[Plan]:
    rows = Plan.objects.filter(owner=owner)
    if before:
        rows = rows.filter(pk__lt=before)
    return page_from(list(rows.order_by("-id")[: PAGE_SIZE + 1]), size=PAGE_SIZE, key=lambda p: p.pk)


def plan_goals(plan: Plan) -> list[Goal]:
    return list(plan.goals.order_by("target_date", "id").prefetch_related("skill_areas"))


def templates_for(user, *, before: int | None = None) -> Page[PlanTemplate]:
    """Published templates for members; organisers see their drafts too."""
    rows = PlanTemplate.objects.all() if can_manage_templates(user) else PlanTemplate.objects.filter(published=True)
    if before:
        rows = rows.filter(pk__lt=before)
    rows = rows.prefetch_related("goals__steps")
    return page_from(list(rows.order_by("-id")[: PAGE_SIZE + 1]), size=PAGE_SIZE, key=lambda t: t.pk)


def template_goals(template: PlanTemplate):
    return list(template.goals.prefetch_related("steps", "skill_areas"))


def hub_summary(member) -> dict:
    """The learning overview's Goals card."""
    open_goals = list(Goal.objects.filter(owner=member, status__in=OPEN_STATUSES).order_by("target_date", "id"))
    active = sum(1 for g in open_goals if g.status == GoalStatus.ACTIVE)
    lines = [f"{active} active goal{'s' if active != 1 else ''}, {len(open_goals) - active} planned."]
    upcoming = [g for g in open_goals if g.target_date and g.target_date >= timezone.localdate()]
    if upcoming:
        lines.append(f"Next target date: {upcoming[0].target_date:%-d %B %Y} ({upcoming[0].title}).")
    if open_goals:
        overall = round(sum(g.progress for g in open_goals) / len(open_goals))
        lines.append(f"Overall progress: {overall}% across your open goals.")
    else:
        lines.append("No open goals yet: set one, or start a plan from a template.")
    return {"lines": lines}
