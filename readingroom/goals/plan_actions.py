"""Writes to plans and plan templates: organisers write and publish templates; a member starts a
plan from one and owns the copy (goals and steps are copied, so later template edits change
nothing the member has)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from readingroom.goals import rules
from readingroom.goals.actions import goal_skill_areas
from readingroom.goals.models import Goal, Plan, PlanTemplate, Step, TemplateGoal, TemplateStep
from readingroom.goals.permissions import check_can_manage_templates


@transaction.atomic
def start_plan(*, template: PlanTemplate, owner, started_on: date | None = None) -> Plan:
    """Copy a published template into a plan the member owns: target dates count from the start."""
    if not template.published:
        raise Http404("No such template.")
    try:
        started_on = rules.clean_date(started_on, what="start date") or timezone.localdate()
    except ValidationError as exc:
        raise ValidationError({"started_on": exc.messages}) from exc
    plan = Plan.objects.create(
        owner=owner, title=template.title, description=template.summary, template=template, started_on=started_on
    )
    for source in template.goals.prefetch_related("steps", "skill_areas"):
        weeks = source.target_offset_weeks
        goal = Goal.objects.create(
            owner=owner,
            plan=plan,
            title=source.title,
            why=source.why,
            success_criteria=source.success_criteria,
            target_date=started_on + timedelta(weeks=weeks) if weeks is not None else None,
        )
        goal.skill_areas.set(list(source.skill_areas.all()))
        steps = [
            Step(
                goal=goal,
                title=s.title,
                position=index,
                due_date=started_on + timedelta(days=s.due_offset_days) if s.due_offset_days is not None else None,
            )
            for index, s in enumerate(source.steps.all())
        ]
        Step.objects.bulk_create(steps)
        Goal.objects.filter(pk=goal.pk).update(steps_total=len(steps))
    return plan


@transaction.atomic
def update_plan(*, plan: Plan, editor, title: str, description: str = "") -> Plan:
    if plan.owner_id != getattr(editor, "pk", None):
        raise Http404("No such plan.")
    errors = {}
    try:
        plan.title = rules.clean_text(title, limit=200, what="title", required=True)
    except ValidationError as exc:
        errors["title"] = exc.messages
    try:
        plan.description = rules.clean_text(description, limit=4000, what="description")
    except ValidationError as exc:
        errors["description"] = exc.messages
    if errors:
        raise ValidationError(errors)
    plan.save(update_fields=["title", "description"])
    return plan


@transaction.atomic
def delete_plan(*, plan: Plan, editor) -> None:
    """The plan goes; its goals stay the member's, outside any plan."""
    if plan.owner_id != getattr(editor, "pk", None):
        raise Http404("No such plan.")
    plan.delete()


# --- Templates (organisers) ----------------------------------------------------------------------


def _clean_template(title, summary, description, duration_weeks) -> dict:
    errors, data = {}, {}
    checks = {
        "title": lambda: rules.clean_text(title, limit=200, what="title", required=True),
        "summary": lambda: rules.clean_text(summary, limit=500, what="summary"),
        "description": lambda: rules.clean_text(description, limit=10000, what="description"),
    }
    for name, check in checks.items():
        try:
            data[name] = check()
        except ValidationError as exc:
            errors[name] = exc.messages
    if duration_weeks is not None and not 1 <= duration_weeks <= rules.MAX_OFFSET_WEEKS:
        errors["duration_weeks"] = [f"A plan lasts from 1 to {rules.MAX_OFFSET_WEEKS} weeks."]
    data["duration_weeks"] = duration_weeks
    if errors:
        raise ValidationError(errors)
    return data


def _unique_slug(title: str) -> str:
    base = slugify(title)[:60] or "plan"
    slug = base
    while PlanTemplate.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(6).lower()}"
    return slug


@transaction.atomic
def create_template(
    *, author, title: str, summary: str = "", description: str = "", duration_weeks: int | None = None
) -> PlanTemplate:
    check_can_manage_templates(author)
    data = _clean_template(title, summary, description, duration_weeks)
    return PlanTemplate.objects.create(author=author, slug=_unique_slug(data["title"]), **data)


@transaction.atomic
def update_template(
    *, template: PlanTemplate, editor, title: str, summary: str = "", description: str = "", duration_weeks=None
) -> PlanTemplate:
    check_can_manage_templates(editor)
    data = _clean_template(title, summary, description, duration_weeks)
    for name, value in data.items():
        setattr(template, name, value)
    template.updated_at = timezone.now()
    template.save(update_fields=[*data, "updated_at"])
    return template


@transaction.atomic
def set_template_published(*, template: PlanTemplate, editor, published: bool) -> PlanTemplate:
    check_can_manage_templates(editor)
    if published and not template.goals.exists():
        raise ValidationError("Add at least one goal before publishing the template.", code="empty")
    template.published = published
    template.updated_at = timezone.now()
    template.save(update_fields=["published", "updated_at"])
    return template


@transaction.atomic
def delete_template(*, template: PlanTemplate, editor) -> None:
    """Plans started from it stay their members' (Plan.template becomes empty)."""
    check_can_manage_templates(editor)
    template.delete()


def _clean_template_goal(title, why, success_criteria, target_offset_weeks, steps) -> dict:
    errors, data = {}, {}
    for name, value, limit, what in (
        ("title", title, 200, "title"),
        ("why", why, 4000, "reason it matters"),
        ("success_criteria", success_criteria, 4000, "success criteria"),
    ):
        try:
            data[name] = rules.clean_text(value, limit=limit, what=what, required=name == "title")
        except ValidationError as exc:
            errors[name] = exc.messages
    if target_offset_weeks is not None and not 0 <= target_offset_weeks <= rules.MAX_OFFSET_WEEKS:
        errors["target_offset_weeks"] = [f"Choose from 0 to {rules.MAX_OFFSET_WEEKS} weeks after the start."]
    data["target_offset_weeks"] = target_offset_weeks
    cleaned_steps = []
    if len(steps) > rules.MAX_STEPS:
        errors["steps"] = [f"A goal can have at most {rules.MAX_STEPS} steps."]
    for number, (step_title, offset) in enumerate(steps, start=1):
        step_title = (step_title or "").strip()
        if not step_title or len(step_title) > 200:
            errors.setdefault("steps", []).append(f"Step {number} needs a title of up to 200 characters.")
        elif offset is not None and not 0 <= offset <= rules.MAX_OFFSET_DAYS:
            errors.setdefault("steps", []).append(
                f"Step {number}: choose from 0 to {rules.MAX_OFFSET_DAYS} days after the start."
            )
        else:
            cleaned_steps.append((step_title, offset))
    if errors:
        raise ValidationError(errors)
    return {**data, "steps": cleaned_steps}


def _write_template_goal(goal: TemplateGoal, data: dict, skill_areas: Iterable) -> TemplateGoal:
    ids = {a if isinstance(a, int) else a.pk for a in skill_areas}
    allowed = set(goal_skill_areas().filter(pk__in=ids).values_list("pk", flat=True))
    if ids - allowed:
        raise ValidationError({"skill_areas": "Choose skills areas from the list."})
    steps = data.pop("steps")
    for name, value in data.items():
        setattr(goal, name, value)
    goal.save()
    goal.skill_areas.set(sorted(ids))
    goal.steps.all().delete()
    TemplateStep.objects.bulk_create(
        [TemplateStep(goal=goal, title=t, due_offset_days=d, position=i) for i, (t, d) in enumerate(steps)]
    )
    PlanTemplate.objects.filter(pk=goal.template_id).update(updated_at=timezone.now())
    return goal


@transaction.atomic
def add_template_goal(
    *,
    template: PlanTemplate,
    editor,
    title: str,
    why: str = "",
    success_criteria: str = "",
    target_offset_weeks: int | None = None,
    skill_areas: Iterable = (),
    steps: Sequence[tuple[str, int | None]] = (),
) -> TemplateGoal:
    check_can_manage_templates(editor)
    if template.goals.count() >= rules.MAX_TEMPLATE_GOALS:
        raise ValidationError(f"A template can have at most {rules.MAX_TEMPLATE_GOALS} goals.", code="too_many")
    data = _clean_template_goal(title, why, success_criteria, target_offset_weeks, steps)
    top = template.goals.aggregate(top=Max("position"))["top"]
    goal = TemplateGoal(template=template, position=0 if top is None else top + 1)
    return _write_template_goal(goal, data, skill_areas)


@transaction.atomic
def update_template_goal(
    *,
    goal: TemplateGoal,
    editor,
    title: str,
    why: str = "",
    success_criteria: str = "",
    target_offset_weeks: int | None = None,
    skill_areas: Iterable = (),
    steps: Sequence[tuple[str, int | None]] = (),
) -> TemplateGoal:
    check_can_manage_templates(editor)
    data = _clean_template_goal(title, why, success_criteria, target_offset_weeks, steps)
    return _write_template_goal(goal, data, skill_areas)


@transaction.atomic
def delete_template_goal(*, goal: TemplateGoal, editor) -> None:
    check_can_manage_templates(editor)
    goal.delete()
