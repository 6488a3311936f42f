"""Goals, their steps, reflections and evidence, "ask my network", plans and plan templates.

Each operation does what the matching page does (readingroom/goals/views*.py) through the same
actions, queries and permission checks: someone else's private goal is a 404, never a 403."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field, StrictBool
from pydantic.json_schema import SkipJsonSchema

from readingroom.api.auth import MEMBER_READ, MEMBER_WRITE
from readingroom.api.common import OBJECT_READ_ERRORS, READ_ERRORS, WRITE_ERRORS, viewer
from readingroom.api.pagination import list_window, page_body
from readingroom.api.schemas import BodyId, Day, Id, Input, Text
from readingroom.core.jsontypes import Percent
from readingroom.core.ratelimit import check_rate
from readingroom.goals import actions, plan_actions, queries, rules
from readingroom.goals.models import GoalEvidence, GoalStatus, Reflection, Step
from readingroom.goals.permissions import (
    can_edit_goal,
    check_can_see_goal,
    check_can_see_template,
    check_owns_goal,
    check_owns_plan,
)
from readingroom.learning.models import LearningVisibility

router = Router(tags=["Goals"])

StatusCode = Literal[tuple(GoalStatus.values)]  # type: ignore[valid-type]
GoalVisibility = Literal[tuple(LearningVisibility.values)]  # type: ignore[valid-type]

# --- Schemas -------------------------------------------------------------------------------------


class GoalCreateIn(Input):
    title: Text(200, min_length=1)  # type: ignore[valid-type]
    why: Text(4000) = ""  # type: ignore[valid-type]
    success_criteria: Text(4000) = ""  # type: ignore[valid-type]
    target_date: Day | None = Field(None, description="From 2000 to twenty years from today.")
    status: StatusCode = GoalStatus.PLANNED
    visibility: GoalVisibility = LearningVisibility.PRIVATE
    skill_areas: list[BodyId] = Field(default_factory=list, max_length=50, description="Top-level area ids.")
    progress_override: Percent | None = Field(None, description="0-100, or null to follow the steps.")
    plan_id: BodyId | None = None


class GoalUpdateIn(Input):
    title: Text(200, min_length=1) | None = None  # type: ignore[valid-type]
    why: Text(4000) | None = None  # type: ignore[valid-type]
    success_criteria: Text(4000) | None = None  # type: ignore[valid-type]
    target_date: Day | None = None
    status: StatusCode | None = None
    visibility: GoalVisibility | None = None
    skill_areas: list[BodyId] | None = Field(None, max_length=50)
    progress_override: Percent | None = None
    plan_id: BodyId | None = None


class GoalStatusIn(Input):
    status: StatusCode


class GoalStepIn(Input):
    title: Text(200, min_length=1)  # type: ignore[valid-type]
    due_date: Day | None = None


class GoalStepPatchIn(Input):
    title: Text(200, min_length=1) | None = None  # type: ignore[valid-type]
    due_date: Day | None = None


class GoalStepToggleIn(Input):
    done: StrictBool


class GoalStepMoveIn(Input):
    direction: Literal["up", "down"]


class GoalReflectionIn(Input):
    body: Text(10000, min_length=1)  # type: ignore[valid-type]
    written_on: Day | None = Field(None, description="Defaults to today; not in the future.")


class GoalReflectionPatchIn(Input):
    body: Text(10000, min_length=1) | None = None  # type: ignore[valid-type]
    written_on: Day | None = None


class GoalLinkEvidenceIn(Input):
    url: Text(500, min_length=1)  # type: ignore[valid-type]
    title: Text(200) = ""  # type: ignore[valid-type]
    note: Text(1000) = ""  # type: ignore[valid-type]


class GoalPostEvidenceIn(Input):
    post: Text(500, min_length=1) = Field(description="One of your posts: its id or its address.")  # type: ignore[valid-type]
    note: Text(1000) = ""  # type: ignore[valid-type]


class GoalAskIn(Input):
    body: Text(settings.RR_POST_MAX_CHARS) | None = Field(  # type: ignore[valid-type]
        None, description="Defaults to the suggested text with a link to the goal."
    )
    visibility: Literal["members", "followers"]


class PlanStartIn(Input):
    started_on: Day | None = Field(None, description="Defaults to today.")


class GoalListQuery(Input):
    status: StatusCode | SkipJsonSchema[None] = None
    max_id: Id | SkipJsonSchema[None] = Field(None, description="Only items older than this cursor (the `next` link).")


class GoalsCursorQuery(Input):
    max_id: Id | SkipJsonSchema[None] = Field(None, description="Only items older than this cursor (the `next` link).")


class GoalSkillAreaOut(Schema):
    id: int
    name: str


class GoalOut(Schema):
    id: int
    url: str
    title: str
    why: str
    success_criteria: str
    target_date: Day | None
    status: str
    visibility: str
    skill_areas: list[GoalSkillAreaOut]
    progress: int
    progress_override: int | None
    steps_total: int
    steps_done: int
    overdue: bool
    plan_id: int | None
    owner: str = Field(description="The owner's handle.")
    is_owner: bool
    created_at: datetime
    updated_at: datetime
    achieved_at: datetime | None


class GoalPage(Schema):
    items: list[GoalOut]
    next_url: str | None
    next_max_id: int | None


class GoalStepOut(Schema):
    id: int
    title: str
    due_date: Day | None
    done: bool
    done_at: datetime | None
    position: int


class GoalStepChangeOut(Schema):
    step: GoalStepOut
    goal: GoalOut


class GoalReflectionOut(Schema):
    id: int
    written_on: date
    body: str
    body_html: str
    created_at: datetime
    edited_at: datetime | None


class GoalEvidenceOut(Schema):
    id: int
    kind: str
    title: str
    url: str = Field(description="The link, the file's download address, or the post's page.")
    note: str
    created_at: datetime


class GoalAskOut(Schema):
    post_id: int
    post_url: str


class PlanOut(Schema):
    id: int
    title: str
    description: str
    template_id: int | None
    started_on: date
    created_at: datetime
    goals: list[GoalOut]


class PlanPage(Schema):
    items: list[PlanOut]
    next_url: str | None
    next_max_id: int | None


class PlanTemplateStepOut(Schema):
    title: str
    due_offset_days: int | None


class PlanTemplateGoalOut(Schema):
    id: int
    title: str
    why: str
    success_criteria: str
    target_offset_weeks: int | None
    steps: list[PlanTemplateStepOut]


class PlanTemplateOut(Schema):
    id: int
    slug: str
    title: str
    summary: str
    description: str
    duration_weeks: int | None
    published: bool
    goals: list[PlanTemplateGoalOut]


class PlanTemplatePage(Schema):
    items: list[PlanTemplateOut]
    next_url: str | None
    next_max_id: int | None


# --- Presenting ----------------------------------------------------------------------------------


def _abs(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _goal(request, goal) -> dict:
    return {
        "id": goal.pk,
        "url": _abs(request, goal.get_absolute_url()),
        "title": goal.title,
        "why": goal.why,
        "success_criteria": goal.success_criteria,
        "target_date": goal.target_date,
        "status": goal.status,
        "visibility": goal.visibility,
        "skill_areas": [{"id": a.pk, "name": a.name} for a in goal.skill_areas.all()],
        "progress": goal.progress,
        "progress_override": goal.progress_override,
        "steps_total": goal.steps_total,
        "steps_done": goal.steps_done,
        "overdue": queries.is_overdue(goal),
        "plan_id": goal.plan_id,
        "owner": goal.owner.profile.handle,
        "is_owner": can_edit_goal(viewer(request), goal),
        "created_at": goal.created_at,
        "updated_at": goal.updated_at,
        "achieved_at": goal.achieved_at,
    }


def _fresh_goal(request, goal_id: int) -> dict:
    return _goal(request, check_can_see_goal(viewer(request), goal_id))


def _step(step) -> dict:
    fields = ("id", "title", "due_date", "done", "done_at", "position")
    return {name: getattr(step, name) for name in fields}


def _reflection(reflection) -> dict:
    fields = ("id", "written_on", "body", "body_html", "created_at", "edited_at")
    return {name: getattr(reflection, name) for name in fields}


def _evidence(request, item) -> dict:
    if item.kind == "file":
        url = _abs(request, f"{item.goal.get_absolute_url()}evidence/{item.pk}/file")
    elif item.kind == "post":
        url = _abs(request, f"/posts/{item.post_id}")
    else:
        url = item.url
    fields = ("id", "kind", "title", "note", "created_at")
    return {**{name: getattr(item, name) for name in fields}, "url": url}


def _plan(request, plan) -> dict:
    goals = [_goal(request, g) for g in queries.plan_goals(plan)]
    fields = ("id", "title", "description", "template_id", "started_on", "created_at")
    return {**{name: getattr(plan, name) for name in fields}, "goals": goals}


def _template(template) -> dict:
    goals = [
        {
            "id": g.pk,
            "title": g.title,
            "why": g.why,
            "success_criteria": g.success_criteria,
            "target_offset_weeks": g.target_offset_weeks,
            "steps": [{"title": s.title, "due_offset_days": s.due_offset_days} for s in g.steps.all()],
        }
        for g in template.goals.all()
    ]
    fields = ("id", "slug", "title", "summary", "description", "duration_weeks", "published")
    return {**{name: getattr(template, name) for name in fields}, "goals": goals}


def _own_plan(user, plan_id):
    if plan_id is None:
        return None
    return check_owns_plan(user, plan_id)


# --- Goals ---------------------------------------------------------------------------------------


@router.get("/goals", response={200: GoalPage, **READ_ERRORS}, auth=MEMBER_READ, url_name="goals")
def list_goals(request: HttpRequest, response: HttpResponse, query: Query[GoalListQuery]):
    """Your goals, newest first (20 a page), optionally of one status."""
    page = queries.goals_page(viewer(request), status=query.status, before=query.max_id)
    items = [_goal(request, g) for g in page.items]
    return page_body(request, response, list_window(page), items, forward=False)


@router.post("/goals", response={201: GoalOut, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="goals")
def create_goal(request: HttpRequest, payload: GoalCreateIn):
    """Set a goal. Private unless `visibility` says otherwise."""
    user = viewer(request)
    data = payload.model_dump()
    plan = _own_plan(user, data.pop("plan_id"))
    goal = actions.create_goal(owner=user, plan=plan, **data)
    return Status(201, _fresh_goal(request, goal.pk))


@router.get("/goals/{goal_id}", response={200: GoalOut, **OBJECT_READ_ERRORS}, auth=MEMBER_READ, url_name="goal")
def get_goal(request: HttpRequest, goal_id: Id):
    """A goal you may see: your own, or one its owner shared with you (404 otherwise)."""
    return _fresh_goal(request, goal_id)


@router.patch("/goals/{goal_id}", response={200: GoalOut, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="goal")
def update_goal(request: HttpRequest, payload: GoalUpdateIn, goal_id: Id):
    """Change the fields you send; `null` clears target_date, progress_override and plan_id."""
    user = viewer(request)
    goal = check_owns_goal(user, goal_id)
    changes = payload.model_dump(exclude_unset=True)
    for required in ("title", "status", "visibility", "skill_areas", "why", "success_criteria"):
        if required in changes and changes[required] is None:
            del changes[required]
    if "plan_id" in changes:
        changes["plan"] = _own_plan(user, changes.pop("plan_id"))
    actions.update_goal(goal=goal, editor=user, **changes)
    return _fresh_goal(request, goal.pk)


@router.delete("/goals/{goal_id}", response={204: None, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="goal")
def delete_goal(request: HttpRequest, goal_id: Id):
    """Delete a goal with its steps, reflections and evidence."""
    user = viewer(request)
    actions.delete_goal(goal=check_owns_goal(user, goal_id), editor=user)
    return Status(204, None)


@router.post(
    "/goals/{goal_id}/status", response={200: GoalOut, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="goal_status"
)
def set_status(request: HttpRequest, payload: GoalStatusIn, goal_id: Id):
    """Planned, active, achieved (records when) or set aside."""
    user = viewer(request)
    actions.set_goal_status(goal=check_owns_goal(user, goal_id), editor=user, status=payload.status)
    return _fresh_goal(request, goal_id)


# --- Steps ---------------------------------------------------------------------------------------


@router.get(
    "/goals/{goal_id}/steps",
    response={200: list[GoalStepOut], **OBJECT_READ_ERRORS},
    auth=MEMBER_READ,
    url_name="goal_steps",
)
def list_steps(request: HttpRequest, goal_id: Id):
    """The goal's checklist in order (at most 100 steps)."""
    return [_step(s) for s in queries.steps(check_can_see_goal(viewer(request), goal_id))]


@router.post(
    "/goals/{goal_id}/steps",
    response={201: GoalStepChangeOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="goal_steps",
)
def add_step(request: HttpRequest, payload: GoalStepIn, goal_id: Id):
    user = viewer(request)
    step = actions.add_step(goal=check_owns_goal(user, goal_id), editor=user, **payload.model_dump())
    return Status(201, {"step": _step(step), "goal": _fresh_goal(request, goal_id)})


def _own_step(user, goal_id: int, step_id: int) -> Step:
    goal = check_owns_goal(user, goal_id)
    step = get_object_or_404(Step, pk=step_id, goal=goal)
    step.goal = goal
    return step


@router.patch(
    "/goals/{goal_id}/steps/{step_id}",
    response={200: GoalStepOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="goal_step",
)
def edit_step(request: HttpRequest, payload: GoalStepPatchIn, goal_id: Id, step_id: Id):
    user = viewer(request)
    step = _own_step(user, goal_id, step_id)
    changes = payload.model_dump(exclude_unset=True)
    title = changes.get("title") or step.title
    due_date = changes.get("due_date", step.due_date)
    return _step(actions.edit_step(step=step, editor=user, title=title, due_date=due_date))


@router.delete(
    "/goals/{goal_id}/steps/{step_id}", response={204: None, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="goal_step"
)
def delete_step(request: HttpRequest, goal_id: Id, step_id: Id):
    user = viewer(request)
    actions.delete_step(step=_own_step(user, goal_id, step_id), editor=user)
    return Status(204, None)


@router.post(
    "/goals/{goal_id}/steps/{step_id}/toggle",
    response={200: GoalStepChangeOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="goal_step_toggle",
)
def toggle_step(request: HttpRequest, payload: GoalStepToggleIn, goal_id: Id, step_id: Id):
    """Tick (`done: true`) or untick a step; sending the same twice changes nothing."""
    user = viewer(request)
    step = actions.set_step_done(step=_own_step(user, goal_id, step_id), editor=user, done=payload.done)
    return {"step": _step(step), "goal": _fresh_goal(request, goal_id)}


@router.post(
    "/goals/{goal_id}/steps/{step_id}/move",
    response={200: list[GoalStepOut], **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="goal_step_move",
)
def move_step(request: HttpRequest, payload: GoalStepMoveIn, goal_id: Id, step_id: Id):
    """Swap a step with the one above or below; answers the checklist in its new order."""
    user = viewer(request)
    step = _own_step(user, goal_id, step_id)
    actions.move_step(step=step, editor=user, direction=payload.direction)
    return [_step(s) for s in queries.steps(step.goal)]


# --- Reflections ---------------------------------------------------------------------------------


@router.get(
    "/goals/{goal_id}/reflections",
    response={200: list[GoalReflectionOut], **OBJECT_READ_ERRORS},
    auth=MEMBER_READ,
    url_name="goal_reflections",
)
def list_reflections(request: HttpRequest, goal_id: Id):
    """The goal's journal, newest first."""
    return [_reflection(r) for r in queries.reflections(check_can_see_goal(viewer(request), goal_id))]


@router.post(
    "/goals/{goal_id}/reflections",
    response={201: GoalReflectionOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="goal_reflections",
)
def add_reflection(request: HttpRequest, payload: GoalReflectionIn, goal_id: Id):
    """A dated Markdown entry (rendered and sanitised as on the page)."""
    user = viewer(request)
    reflection = actions.add_reflection(goal=check_owns_goal(user, goal_id), editor=user, **payload.model_dump())
    return Status(201, _reflection(reflection))


def _own_reflection(user, goal_id: int, reflection_id: int) -> Reflection:
    goal = check_owns_goal(user, goal_id)
    reflection = get_object_or_404(Reflection, pk=reflection_id, goal=goal)
    reflection.goal = goal
    return reflection


@router.patch(
    "/goals/{goal_id}/reflections/{reflection_id}",
    response={200: GoalReflectionOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="goal_reflection",
)
def edit_reflection(request: HttpRequest, payload: GoalReflectionPatchIn, goal_id: Id, reflection_id: Id):
    user = viewer(request)
    reflection = _own_reflection(user, goal_id, reflection_id)
    reflection = actions.edit_reflection(
        reflection=reflection,
        editor=user,
        body=payload.body if payload.body is not None else reflection.body,
        written_on=payload.written_on,
    )
    return _reflection(reflection)


@router.delete(
    "/goals/{goal_id}/reflections/{reflection_id}",
    response={204: None, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="goal_reflection",
)
def delete_reflection(request: HttpRequest, goal_id: Id, reflection_id: Id):
    user = viewer(request)
    actions.delete_reflection(reflection=_own_reflection(user, goal_id, reflection_id), editor=user)
    return Status(204, None)


# --- Evidence ------------------------------------------------------------------------------------


@router.get(
    "/goals/{goal_id}/evidence",
    response={200: list[GoalEvidenceOut], **OBJECT_READ_ERRORS},
    auth=MEMBER_READ,
    url_name="goal_evidence",
)
def list_evidence(request: HttpRequest, goal_id: Id):
    """Links, files and posts (a post only if you may see it). CPD entries are read from the CPD log."""
    user = viewer(request)
    goal = check_can_see_goal(user, goal_id)
    items = queries.evidence(goal, user)
    for item in items:
        item.goal = goal
    return [_evidence(request, item) for item in items]


@router.post(
    "/goals/{goal_id}/evidence/link",
    response={201: GoalEvidenceOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="goal_evidence_link",
)
def add_link(request: HttpRequest, payload: GoalLinkEvidenceIn, goal_id: Id):
    user = viewer(request)
    goal = check_owns_goal(user, goal_id)
    item = actions.add_link_evidence(goal=goal, editor=user, **payload.model_dump())
    return Status(201, _evidence(request, item))


@router.post(
    "/goals/{goal_id}/evidence/post",
    response={201: GoalEvidenceOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="goal_evidence_post",
)
def add_post(request: HttpRequest, payload: GoalPostEvidenceIn, goal_id: Id):
    """One of your own posts (not a boost), by id or address."""
    user = viewer(request)
    goal = check_owns_goal(user, goal_id)
    item = actions.add_post_evidence(goal=goal, editor=user, post_ref=payload.post, note=payload.note)
    return Status(201, _evidence(request, item))


@router.delete(
    "/goals/{goal_id}/evidence/{evidence_id}",
    response={204: None, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="goal_evidence_item",
)
def delete_evidence(request: HttpRequest, goal_id: Id, evidence_id: Id):
    user = viewer(request)
    goal = check_owns_goal(user, goal_id)
    item = get_object_or_404(GoalEvidence, pk=evidence_id, goal=goal)
    item.goal = goal
    actions.delete_evidence(evidence=item, editor=user)
    return Status(204, None)


# --- Ask my network ------------------------------------------------------------------------------


@router.post("/goals/{goal_id}/ask", response={201: GoalAskOut, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="goal_ask")
def ask_network(request: HttpRequest, payload: GoalAskIn, goal_id: Id):
    """Post about the goal, linking to it. A members goal allows a members or followers post; a
    followers goal a followers post; a private or mentors goal none (422 goal_not_shared)."""
    user = viewer(request)
    goal = check_owns_goal(user, goal_id)
    body = payload.body or actions.ask_network_text(goal, _abs(request, goal.get_absolute_url()))
    if rules.post_visibilities_for(goal.visibility):
        check_rate("post", user.id, limit=30, period=300)
    post = actions.ask_network(goal=goal, author=user, body=body, visibility=payload.visibility)
    return Status(201, {"post_id": post.pk, "post_url": _abs(request, f"/posts/{post.pk}")})


# --- Plans and templates -------------------------------------------------------------------------


@router.get("/plans", response={200: PlanPage, **READ_ERRORS}, auth=MEMBER_READ, url_name="plans")
def list_plans(request: HttpRequest, response: HttpResponse, query: Query[GoalsCursorQuery]):
    """Your plans, newest first, each with its goals."""
    page = queries.plans_page(viewer(request), before=query.max_id)
    return page_body(request, response, list_window(page), [_plan(request, p) for p in page.items], forward=False)


@router.get("/plans/{plan_id}", response={200: PlanOut, **OBJECT_READ_ERRORS}, auth=MEMBER_READ, url_name="plan")
def get_plan(request: HttpRequest, plan_id: Id):
    return _plan(request, check_owns_plan(viewer(request), plan_id))


@router.get(
    "/plan-templates", response={200: PlanTemplatePage, **READ_ERRORS}, auth=MEMBER_READ, url_name="plan_templates"
)
def list_templates(request: HttpRequest, response: HttpResponse, query: Query[GoalsCursorQuery]):
    """Published plan templates (organisers also see drafts)."""
    page = queries.templates_for(viewer(request), before=query.max_id)
    return page_body(request, response, list_window(page), [_template(t) for t in page.items], forward=False)


@router.get(
    "/plan-templates/{template_id}",
    response={200: PlanTemplateOut, **OBJECT_READ_ERRORS},
    auth=MEMBER_READ,
    url_name="plan_template",
)
def get_template(request: HttpRequest, template_id: Id):
    return _template(check_can_see_template(viewer(request), template_id))


@router.post(
    "/plan-templates/{template_id}/start",
    response={201: PlanOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="plan_template_start",
)
def start_plan(request: HttpRequest, payload: PlanStartIn, template_id: Id):
    """Copy a published template into a plan you own; dates count from `started_on`."""
    user = viewer(request)
    template = check_can_see_template(user, template_id)
    plan = plan_actions.start_plan(template=template, owner=user, started_on=payload.started_on)
    return Status(201, _plan(request, plan))
