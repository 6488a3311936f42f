"""Plans (a member's set of goals) and plan templates: members browse published templates and
start a plan from one; organisers write, publish and unpublish them (404 for anyone else)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from readingroom.core.http import cursor_param
from readingroom.core.text import render_bio
from readingroom.goals import plan_actions, queries
from readingroom.goals.forms import PlanForm, StartPlanForm, TemplateForm, TemplateGoalForm, apply_errors, steps_text
from readingroom.goals.models import TemplateGoal
from readingroom.goals.permissions import (
    can_manage_templates,
    check_can_manage_templates,
    check_can_see_template,
    check_owns_plan,
)

NAV = {"nav": "learning", "learning_nav": "goals"}


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = check_owns_plan(request.user, pk)
    goals = queries.plan_goals(plan)
    for goal in goals:
        goal.overdue = queries.is_overdue(goal)
    return render(request, "goals/plan_detail.html", {**NAV, "plan": plan, "goals": goals})


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = check_owns_plan(request.user, pk)
    form = PlanForm(request.POST or None, initial={"title": plan.title, "description": plan.description})
    if request.method == "POST" and form.is_valid():
        try:
            plan_actions.update_plan(plan=plan, editor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The plan is updated.")
            return redirect("goals:plan", pk=plan.pk)
    return render(request, "goals/plan_form.html", {**NAV, "plan": plan, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = check_owns_plan(request.user, pk)
    if request.method == "POST":
        plan_actions.delete_plan(plan=plan, editor=request.user)
        messages.success(request, "The plan is deleted; its goals are still in your list.")
        return redirect("goals:list")
    return render(request, "goals/plan_delete.html", {**NAV, "plan": plan})


# --- Templates: members --------------------------------------------------------------------------


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    page = queries.templates_for(request.user, before=cursor_param(request))
    context = {**NAV, "page": page, "can_manage": can_manage_templates(request.user)}
    return render(request, "goals/template_list.html", context)


def _template_page(request, template, start_form=None) -> HttpResponse:
    context = {
        **NAV,
        "template": template,
        "description_html": render_bio(template.description),
        "goals": queries.template_goals(template),
        "start_form": start_form or StartPlanForm(),
        "can_manage": can_manage_templates(request.user),
    }
    return render(request, "goals/template_detail.html", context)


@login_required
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _template_page(request, check_can_see_template(request.user, pk))


@login_required
@require_POST
def template_start(request: HttpRequest, pk: int) -> HttpResponse:
    template = check_can_see_template(request.user, pk)
    form = StartPlanForm(request.POST)
    if form.is_valid():
        try:
            plan = plan_actions.start_plan(template=template, owner=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Your plan “{plan.title}” is started. Its goals are yours to change.")
            return redirect("goals:plan", pk=plan.pk)
    return _template_page(request, template, form)


# --- Templates: organisers -----------------------------------------------------------------------


def _template_initial(template) -> dict:
    fields = ("title", "summary", "description", "duration_weeks")
    return {name: getattr(template, name) for name in fields}


@login_required
@require_http_methods(["GET", "POST"])
def template_create(request: HttpRequest) -> HttpResponse:
    check_can_manage_templates(request.user)
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = plan_actions.create_template(author=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The template is saved as a draft. Add its goals, then publish it.")
            return redirect("goals:template", pk=template.pk)
    return render(request, "goals/template_form.html", {**NAV, "form": form, "template": None})


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    check_can_manage_templates(request.user)
    template = check_can_see_template(request.user, pk)
    form = TemplateForm(request.POST or None, initial=_template_initial(template))
    if request.method == "POST" and form.is_valid():
        try:
            plan_actions.update_template(template=template, editor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The template is updated.")
            return redirect("goals:template", pk=template.pk)
    return render(request, "goals/template_form.html", {**NAV, "form": form, "template": template})


@login_required
@require_POST
def template_publish(request: HttpRequest, pk: int) -> HttpResponse:
    check_can_manage_templates(request.user)
    template = check_can_see_template(request.user, pk)
    publish = request.POST.get("published") == "on"
    try:
        plan_actions.set_template_published(template=template, editor=request.user, published=publish)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "The template is published." if publish else "The template is unpublished.")
    return redirect("goals:template", pk=template.pk)


@login_required
@require_http_methods(["GET", "POST"])
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    check_can_manage_templates(request.user)
    template = check_can_see_template(request.user, pk)
    if request.method == "POST":
        plan_actions.delete_template(template=template, editor=request.user)
        messages.success(request, "The template is deleted. Plans members started from it are theirs to keep.")
        return redirect("goals:templates")
    return render(request, "goals/template_delete.html", {**NAV, "template": template})


def _template_goal_fields(form: TemplateGoalForm) -> dict:
    data = dict(form.cleaned_data)
    data["skill_areas"] = list(data.get("skill_areas") or [])
    return data


@login_required
@require_http_methods(["GET", "POST"])
def template_goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    check_can_manage_templates(request.user)
    template = check_can_see_template(request.user, pk)
    form = TemplateGoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan_actions.add_template_goal(template=template, editor=request.user, **_template_goal_fields(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The goal is added to the template.")
            return redirect("goals:template", pk=template.pk)
    context = {**NAV, "form": form, "template": template, "template_goal": None}
    return render(request, "goals/template_goal_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def template_goal_edit(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    check_can_manage_templates(request.user)
    template = check_can_see_template(request.user, pk)
    goal = get_object_or_404(TemplateGoal, pk=goal_id, template=template)
    initial = {
        "title": goal.title,
        "why": goal.why,
        "success_criteria": goal.success_criteria,
        "target_offset_weeks": goal.target_offset_weeks,
        "skill_areas": list(goal.skill_areas.values_list("pk", flat=True)),
        "steps": steps_text(goal),
    }
    form = TemplateGoalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan_actions.update_template_goal(goal=goal, editor=request.user, **_template_goal_fields(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The template's goal is updated.")
            return redirect("goals:template", pk=template.pk)
    context = {**NAV, "form": form, "template": template, "template_goal": goal}
    return render(request, "goals/template_goal_form.html", context)


@login_required
@require_POST
def template_goal_delete(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    check_can_manage_templates(request.user)
    template = check_can_see_template(request.user, pk)
    goal = get_object_or_404(TemplateGoal, pk=goal_id, template=template)
    plan_actions.delete_template_goal(goal=goal, editor=request.user)
    messages.success(request, "The goal is removed from the template.")
    return redirect("goals:template", pk=template.pk)
