"""Thin views: the skills page, rating, one assessment, and the staff framework upload."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from readingroom.core.ratelimit import check_rate
from readingroom.skills import actions, charts, queries
from readingroom.skills.forms import LEVEL_MEANINGS, AssessmentVisibilityForm, FrameworkUploadForm, RateSkillsForm
from readingroom.skills.loader import FrameworkError
from readingroom.skills.permissions import check_manage_frameworks, check_own_assessment, check_view_assessment


def _page(request, template: str, context: dict) -> HttpResponse:
    return render(request, template, {"nav": "learning", "levels": LEVEL_MEANINGS, **context})


def _radar(rows, *, previous: bool, title: str):
    series = []
    if previous:
        series.append(("Previous", [r.previous for r in rows]))
    series += [("Now", [r.now for r in rows]), ("Target", [r.target for r in rows])]
    return charts.radar_svg(labels=[r.area.name for r in rows], series=series, title=title)


def _suggestions(rows):
    return [{"row": row, "url": queries.goal_suggestion_url(row.area)} for row in queries.gaps(rows)]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    framework = queries.default_framework()
    context: dict = {"framework": framework, "history": [], "rows": []}
    if framework is not None:
        history = queries.own_history(request.user, framework)
        latest = history[0] if history else None
        previous = history[1] if len(history) > 1 else None
        rows = queries.comparison(queries.rated_areas(framework), latest, previous) if latest else []
        context.update(history=history, latest=latest, previous=previous, rows=rows, gaps=_suggestions(rows))
        if latest:
            context["chart"] = _radar(
                rows,
                previous=previous is not None,
                title="Radar chart of your skills: your latest rating"
                + (", the one before it" if previous else "")
                + " and your target, for each area. The table below gives the figures.",
            )
    return _page(request, "skills/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest) -> HttpResponse:
    framework = queries.default_framework()
    if framework is None:
        return redirect("skills:home")
    areas = queries.rated_areas(framework)
    history = queries.own_history(request.user, framework)[:1]
    initial = {}
    for rating in history[0].rating_list if history else []:
        initial[f"area_{rating.area_id}_now"] = rating.current
        initial[f"area_{rating.area_id}_target"] = rating.target
    form = RateSkillsForm(request.POST if request.method == "POST" else None, areas=areas, initial=initial)
    if request.method == "POST":
        check_rate("skills_assessment", request.user.pk, limit=60, period=3600)
        if form.is_valid():
            actions.create_assessment(
                owner=request.user,
                framework=framework,
                areas=areas,
                levels=form.levels(),
                note=form.cleaned_data["note"],
                visibility=form.cleaned_data["visibility"],
            )
            messages.success(request, "Your skills assessment is saved.")
            return redirect("skills:home")
    return _page(request, "skills/rate.html", {"framework": framework, "form": form})


@login_required
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    item = check_view_assessment(request.user, queries.assessment_for(request.user, pk))
    previous = queries.previous_visible(request.user, item)
    rows = queries.assessment_rows(item, previous)
    is_owner = item.owner_id == request.user.pk
    name = "your" if is_owner else f"{item.owner.profile.display_name}'s"
    context = {
        "assessment": item,
        "previous": previous,
        "rows": rows,
        "is_owner": is_owner,
        "chart": _radar(
            rows,
            previous=previous is not None,
            title=f"Radar chart of {name} skills assessment against the target. The table below gives the figures.",
        ),
        "visibility_form": AssessmentVisibilityForm(initial={"visibility": item.visibility}) if is_owner else None,
    }
    return _page(request, "skills/assessment.html", context)


@login_required
@require_POST
def assessment_visibility(request: HttpRequest, pk: int) -> HttpResponse:
    item = check_own_assessment(request.user, queries.assessment_for(request.user, pk))
    form = AssessmentVisibilityForm(request.POST)
    if form.is_valid():
        actions.set_assessment_visibility(assessment=item, visibility=form.cleaned_data["visibility"])
        messages.success(request, f"Now visible to: {item.get_visibility_display()}.")
    else:
        messages.error(request, "Choose who may see this assessment.")
    return redirect("skills:assessment", pk=item.pk)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = check_own_assessment(request.user, queries.assessment_for(request.user, pk))
    if request.method == "POST":
        actions.delete_assessment(assessment=item)
        messages.success(request, "The assessment is deleted.")
        return redirect("skills:home")
    return _page(request, "skills/delete.html", {"assessment": item})


@login_required
@require_http_methods(["GET", "POST"])
def frameworks(request: HttpRequest) -> HttpResponse:
    check_manage_frameworks(request.user)
    posted = request.method == "POST"
    form = FrameworkUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        upload.seek(0)
        try:
            framework = actions.load_framework(data=upload.read(), make_default=form.cleaned_data["make_default"])
        except FrameworkError as exc:  # checked by the form; kept for a file changed underneath
            form.add_error("file", exc.errors)
        else:
            messages.success(request, f"{framework.name} is loaded.")
            return redirect("skills:frameworks")
    return _page(request, "skills/frameworks.html", {"form": form, "frameworks": queries.active_frameworks()})
