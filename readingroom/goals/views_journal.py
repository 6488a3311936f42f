"""A goal's reflections, evidence and "ask my network" pages. The goal is checked first (its
owner for changes; its audience for the evidence file), and every child is looked up through it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from readingroom.core.pagination import parse_cursor
from readingroom.core.ratelimit import check_rate
from readingroom.goals import actions, queries, rules
from readingroom.goals.forms import (
    AskNetworkForm,
    FileEvidenceForm,
    LinkEvidenceForm,
    PostEvidenceForm,
    ReflectionForm,
    apply_errors,
)
from readingroom.goals.models import EvidenceKind, GoalEvidence, Reflection
from readingroom.goals.permissions import check_can_see_goal, check_owns_goal
from readingroom.learning.files import file_response
from readingroom.learning.models import LearningVisibility
from readingroom.posts.models import Post

NAV = {"nav": "learning", "learning_nav": "goals"}


def _reflection_page(request, goal, form, reflection=None) -> HttpResponse:
    context = {**NAV, "goal": goal, "form": form, "reflection": reflection, "prompts": rules.REFLECTION_PROMPTS}
    return render(request, "goals/reflection_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reflection_add(request: HttpRequest, pk: int) -> HttpResponse:
    goal = check_owns_goal(request.user, pk)
    form = ReflectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_reflection(goal=goal, editor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Your reflection is saved.")
            return redirect(f"{goal.get_absolute_url()}#reflections")
    return _reflection_page(request, goal, form)


def _own_reflection(request, pk: int, reflection_id: int) -> Reflection:
    goal = check_owns_goal(request.user, pk)
    reflection = get_object_or_404(Reflection, pk=reflection_id, goal=goal)
    reflection.goal = goal
    return reflection


@login_required
@require_http_methods(["GET", "POST"])
def reflection_edit(request: HttpRequest, pk: int, reflection_id: int) -> HttpResponse:
    reflection = _own_reflection(request, pk, reflection_id)
    if request.method == "POST":
        form = ReflectionForm(request.POST)
        if form.is_valid():
            try:
                actions.edit_reflection(reflection=reflection, editor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Your reflection is updated.")
                return redirect(f"{reflection.goal.get_absolute_url()}#reflections")
    else:
        form = ReflectionForm(initial={"written_on": reflection.written_on, "body": reflection.body})
    return _reflection_page(request, reflection.goal, form, reflection)


@login_required
@require_http_methods(["GET", "POST"])
def reflection_delete(request: HttpRequest, pk: int, reflection_id: int) -> HttpResponse:
    reflection = _own_reflection(request, pk, reflection_id)
    if request.method == "POST":
        actions.delete_reflection(reflection=reflection, editor=request.user)
        messages.success(request, "The reflection is deleted.")
        return redirect(f"{reflection.goal.get_absolute_url()}#reflections")
    return render(request, "goals/reflection_delete.html", {**NAV, "goal": reflection.goal, "reflection": reflection})


# --- Evidence ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Three small forms on one page; `kind` says which was sent, the other two stay empty."""
    goal = check_owns_goal(request.user, pk)
    posts = queries.recent_own_posts(request.user)
    kind = request.POST.get("kind") if request.method == "POST" else None
    forms_ = {
        EvidenceKind.LINK: LinkEvidenceForm(request.POST if kind == "link" else None, prefix="link"),
        EvidenceKind.FILE: FileEvidenceForm(
            request.POST if kind == "file" else None, request.FILES if kind == "file" else None, prefix="file"
        ),
        EvidenceKind.POST: PostEvidenceForm(request.POST if kind == "post" else None, prefix="post", posts=posts),
    }
    form = forms_.get(kind)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if kind == EvidenceKind.LINK:
                actions.add_link_evidence(goal=goal, editor=request.user, **data)
            elif kind == EvidenceKind.FILE:
                actions.add_file_evidence(goal=goal, editor=request.user, **data)
            else:
                actions.add_post_evidence(goal=goal, editor=request.user, post_ref=data["post_ref"], note=data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The evidence is added.")
            return redirect(f"{goal.get_absolute_url()}#evidence")
    context = {
        **NAV,
        "goal": goal,
        "link_form": forms_[EvidenceKind.LINK],
        "file_form": forms_[EvidenceKind.FILE],
        "post_form": forms_[EvidenceKind.POST],
        "has_posts": bool(posts),
    }
    return render(request, "goals/evidence_form.html", context)


@login_required
def evidence_file(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    goal = check_can_see_goal(request.user, pk)
    evidence = get_object_or_404(GoalEvidence.objects.select_related("file"), pk=evidence_id, goal=goal, kind="file")
    return file_response(evidence.file)


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    goal = check_owns_goal(request.user, pk)
    evidence = get_object_or_404(GoalEvidence, pk=evidence_id, goal=goal)
    evidence.goal = goal
    actions.delete_evidence(evidence=evidence, editor=request.user)
    messages.success(request, "The evidence is removed.")
    return redirect(f"{goal.get_absolute_url()}#evidence")


# --- Ask my network ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def ask_network(request: HttpRequest, pk: int) -> HttpResponse:
    goal = check_owns_goal(request.user, pk)
    allowed = rules.post_visibilities_for(goal.visibility)
    goal_url = request.build_absolute_uri(goal.get_absolute_url())
    form = None
    if allowed:
        initial = {"body": actions.ask_network_text(goal, goal_url), "visibility": allowed[0]}
        form = AskNetworkForm(request.POST or None, allowed=allowed, initial=initial)
        if request.method == "POST" and form.is_valid():
            check_rate("post", request.user.id, limit=30, period=300)
            try:
                post = actions.ask_network(goal=goal, author=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Your post is published.")
                return redirect(f"{reverse('goals:ask', args=[goal.pk])}?posted={post.pk}#asked")
    posted = _posted(request, goal)
    context = {**NAV, "goal": goal, "form": form, "allowed": allowed, "posted": posted}
    return render(request, "goals/ask.html", context)


def _posted(request, goal):
    """The post just made (from ?posted=), only if it is the member's own."""
    post_id = parse_cursor(request.GET.get("posted"))
    return Post.objects.filter(pk=post_id, author=request.user).first() if post_id else None


@login_required
@require_POST
def share_goal(request: HttpRequest, pk: int) -> HttpResponse:
    """From the ask page: widen the goal's audience to followers or members, on purpose."""
    goal = check_owns_goal(request.user, pk)
    visibility = request.POST.get("visibility")
    if visibility in (LearningVisibility.FOLLOWERS, LearningVisibility.MEMBERS):
        actions.update_goal(goal=goal, editor=request.user, visibility=visibility)
        messages.success(request, f"The goal is now shared with {goal.get_visibility_display().lower()}.")
    return redirect("goals:ask", pk=goal.pk)
