"""Who may see and change goals (and, through their goal, its steps, reflections and evidence),
and who may write plan templates. Anything a viewer may not see answers 404, never 403."""

from __future__ import annotations

from django.http import Http404

from readingroom.goals.models import Goal, Plan, PlanTemplate
from readingroom.learning.permissions import audience_q, is_owner


def visible_goals(viewer):
    """THE visibility rule for goals: the learning audience rule on the goal's owner and visibility.
    Steps, reflections and evidence are only ever reached through a goal from here."""
    return Goal.objects.filter(audience_q(viewer))


def can_edit_goal(viewer, goal: Goal) -> bool:
    return is_owner(viewer, goal.owner_id)


def check_can_see_goal(viewer, goal_id: int) -> Goal:
    goal = visible_goals(viewer).select_related("owner__profile", "plan").filter(pk=goal_id).first()
    if goal is None:
        raise Http404("No such goal.")
    return goal


def check_owns_goal(viewer, goal_id: int) -> Goal:
    """The member's own goal, for a change; someone else's goal is a 404 even if they may see it."""
    if viewer is None or not viewer.is_authenticated:
        raise Http404("No such goal.")
    goal = Goal.objects.select_related("plan").filter(pk=goal_id, owner=viewer).first()
    if goal is None:
        raise Http404("No such goal.")
    return goal


def check_owns_plan(viewer, plan_id: int) -> Plan:
    """Plans have no audience of their own: only their owner sees the plan page."""
    if viewer is None or not viewer.is_authenticated:
        raise Http404("No such plan.")
    plan = Plan.objects.filter(pk=plan_id, owner=viewer).first()
    if plan is None:
        raise Http404("No such plan.")
    return plan


def can_manage_templates(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_staff or user.has_perm("goals.publish_plantemplate"))
    )


def check_can_manage_templates(user) -> None:
    if not can_manage_templates(user):
        raise Http404("No such page.")


def check_can_see_template(user, template_id: int) -> PlanTemplate:
    """Published templates are for every member; drafts only for organisers."""
    rows = PlanTemplate.objects.all() if can_manage_templates(user) else PlanTemplate.objects.filter(published=True)
    template = rows.filter(pk=template_id).first()
    if template is None:
        raise Http404("No such template.")
    return template
