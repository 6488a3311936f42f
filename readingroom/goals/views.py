"""Goal pages: the list, create/edit/delete, status, and the step checklist. Thin: parse, check
(goals.permissions), call an action, render the page or (htmx) the steps partial."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from readingroom.core.pagination import parse_cursor
from readingroom.goals import actions, queries, rules
from readingroom.goals.forms import GoalForm, StatusForm, StepForm, apply_errors
from readingroom.goals.models import GoalStatus, Step
from readingroom.goals.permissions import can_edit_goal, check_can_see_goal, check_owns_goal

NAV = {"nav": "learning", "learning_nav": "goals"}


@login_required
def goal_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in GoalStatus.values else ""
    goals = queries.my_goals(request.user, status=status or None)
    for goal in goals:
        goal.overdue = queries.is_overdue(goal)
    context = {
        **NAV,
        "groups": queries.group_by_plan(goals),
        "status": status,
        "statuses": GoalStatus.choices,
        "count": len(goals),
    }
    return render(request, "goals/list.html", context)


def _goal_fields(form: GoalForm) -> dict:
    data = form.cleaned_data
    fields = {
        "title": data["title"],
        "why": data["why"],
        "success_criteria": data["success_criteria"],
        "target_date": data["target_date"],
        "visibility": data["visibility"],
        "progress_override": data["progress_override"],
        "status": data["status"],
    }
    if "skill_areas" in form.fields:
        fields["skill_areas"] = list(data["skill_areas"])
    if "plan" in form.fields:
        fields["plan"] = data["plan"]
    return fields


def _prefill(request: HttpRequest) -> dict:
    """?skill_area=<id>&title=<text> from the skills page's suggested goals; anything odd is ignored."""
    initial = {}
    title = request.GET.get("title", "")[:200].strip()
    if title.isprintable() and title:
        initial["title"] = title
    area_id = parse_cursor(request.GET.get("skill_area"))
    if area_id and actions.goal_skill_areas().filter(pk=area_id).exists():
        initial["skill_areas"] = [area_id]
    plan_id = parse_cursor(request.GET.get("plan"))
    if plan_id:
        initial["plan"] = plan_id
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = GoalForm(request.POST, owner=request.user)
        if form.is_valid():
            try:
                goal = actions.create_goal(owner=request.user, **_goal_fields(form))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Your goal is saved.")
                return redirect("goals:detail", pk=goal.pk)
    else:
        form = GoalForm(owner=request.user, initial=_prefill(request))
    return render(request, "goals/form.html", {**NAV, "form": form, "goal": None})


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = check_owns_goal(request.user, pk)
    if request.method == "POST":
        form = GoalForm(request.POST, owner=request.user)
        if form.is_valid():
            try:
                actions.update_goal(goal=goal, editor=request.user, **_goal_fields(form))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Your goal is updated.")
                return redirect("goals:detail", pk=goal.pk)
    else:
        initial = {
            "title": goal.title,
            "why": goal.why,
            "success_criteria": goal.success_criteria,
            "target_date": goal.target_date,
            "status": goal.status,
            "visibility": goal.visibility,
            "progress_override": goal.progress_override,
            "skill_areas": list(goal.skill_areas.values_list("pk", flat=True)),
            "plan": goal.plan_id,
        }
        form = GoalForm(owner=request.user, initial=initial)
    return render(request, "goals/form.html", {**NAV, "form": form, "goal": goal})


@login_required
@require_http_methods(["GET", "POST"])
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    goal = check_owns_goal(request.user, pk)
    if request.method == "POST":
        actions.delete_goal(goal=goal, editor=request.user)
        messages.success(request, "The goal is deleted.")
        return redirect("goals:list")
    return render(request, "goals/delete.html", {**NAV, "goal": goal})


@login_required
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    goal = check_can_see_goal(request.user, pk)
    return render(request, "goals/detail.html", detail_context(request, goal))


def detail_context(request: HttpRequest, goal, **extra) -> dict:
    owner = can_edit_goal(request.user, goal)
    context = {
        **NAV,
        "goal": goal,
        "is_owner": owner,
        "overdue": queries.is_overdue(goal),
        "skill_areas": list(goal.skill_areas.all()),
        "steps": queries.steps(goal),
        "reflections": queries.reflections(goal),
        "evidence": queries.evidence(goal, request.user),
        "other_evidence": queries.other_evidence(goal, request.user),
        "can_ask": bool(rules.post_visibilities_for(goal.visibility)),
    }
    if owner:
        context.setdefault("step_form", StepForm())
        context["status_form"] = StatusForm(initial={"status": goal.status})
        context["statuses"] = GoalStatus.choices
    context.update(extra)
    return context


@login_required
@require_POST
def goal_status(request: HttpRequest, pk: int) -> HttpResponse:
    goal = check_owns_goal(request.user, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        actions.set_goal_status(goal=goal, editor=request.user, status=form.cleaned_data["status"])
        messages.success(request, f"The goal is now “{goal.get_status_display().lower()}”.")
    else:
        messages.error(request, "Choose a status from the list.")
    return redirect("goals:detail", pk=goal.pk)


# --- Steps ---------------------------------------------------------------------------------------


def _own_step(request: HttpRequest, pk: int, step_id: int) -> Step:
    goal = check_owns_goal(request.user, pk)
    step = get_object_or_404(Step, pk=step_id, goal=goal)
    step.goal = goal
    return step


def _steps_response(request: HttpRequest, goal) -> HttpResponse:
    if request.htmx:
        goal.refresh_from_db()
        context = {"goal": goal, "steps": queries.steps(goal), "is_owner": True}
        return render(request, "goals/_progress_steps.html", context)
    return redirect(f"{goal.get_absolute_url()}#steps")


@login_required
@require_http_methods(["GET", "POST"])
def step_add(request: HttpRequest, pk: int) -> HttpResponse:
    goal = check_owns_goal(request.user, pk)
    form = StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_step(goal=goal, editor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The step is added.")
            return redirect(f"{goal.get_absolute_url()}#steps")
    return render(request, "goals/step_form.html", {**NAV, "goal": goal, "form": form, "step": None})


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request: HttpRequest, pk: int, step_id: int) -> HttpResponse:
    step = _own_step(request, pk, step_id)
    if request.method == "POST":
        form = StepForm(request.POST)
        if form.is_valid():
            try:
                actions.edit_step(step=step, editor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "The step is updated.")
                return redirect(f"{step.goal.get_absolute_url()}#steps")
    else:
        form = StepForm(initial={"title": step.title, "due_date": step.due_date})
    return render(request, "goals/step_form.html", {**NAV, "goal": step.goal, "form": form, "step": step})


@login_required
@require_POST
def step_toggle(request: HttpRequest, pk: int, step_id: int) -> HttpResponse:
    """`done` says which way (on/off), so a double submit is harmless."""
    step = _own_step(request, pk, step_id)
    done = request.POST.get("done")
    actions.set_step_done(step=step, editor=request.user, done=(not step.done) if done is None else done == "on")
    return _steps_response(request, step.goal)


@login_required
@require_POST
def step_move(request: HttpRequest, pk: int, step_id: int) -> HttpResponse:
    step = _own_step(request, pk, step_id)
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        actions.move_step(step=step, editor=request.user, direction=direction)
    return _steps_response(request, step.goal)


@login_required
@require_POST
def step_delete(request: HttpRequest, pk: int, step_id: int) -> HttpResponse:
    step = _own_step(request, pk, step_id)
    actions.delete_step(step=step, editor=request.user)
    messages.success(request, "The step is deleted.")
    return _steps_response(request, step.goal)
