"""Thin views for the member's own balance panel, stage check-in and weekly time."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from readingroom.core.ratelimit import check_rate
from readingroom.pln import actions, checkin, queries
from readingroom.pln.chart import weekly_svg
from readingroom.pln.forms import CheckInForm, TimeIntentionForm
from readingroom.pln.permissions import check_can_see_check_in

BASE = {"nav": "learning", "learning_nav": "balance"}


@login_required
@require_GET
def balance(request: HttpRequest) -> HttpResponse:
    figures = queries.balance_for(request.user)
    latest = queries.latest_check_in(request.user)
    context = {
        **BASE,
        "b": figures,
        "chart": weekly_svg(figures.weeks, label=_chart_label(figures)),
        "latest": latest,
        "latest_guide": checkin.guide(latest.stage) if latest else None,
        "history": queries.recent_check_ins(request.user),
        "time_form": TimeIntentionForm(initial={"minutes_per_week": figures.intention_minutes}),
        "seconds_per_page": queries.SECONDS_PER_PAGE,
        "seconds_per_post": queries.SECONDS_PER_POST,
    }
    return render(request, "pln/balance.html", context)


def _chart_label(b: queries.Balance) -> str:
    weeks = "; ".join(f"{w.label}: {w.posts_read} posts read, {w.contributions} contributions" for w in b.weeks)
    return f"Posts read and contributions per week, last 4 weeks. {weeks}."


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest) -> HttpResponse:
    form = CheckInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        check_rate("pln_check_in", request.user.pk, limit=30, period=300)
        if form.is_valid():
            record = actions.record_check_in(member=request.user, answers=form.cleaned_data)
            return redirect("pln:check_in_result", pk=record.pk)
    context = {**BASE, "form": form, "history": queries.recent_check_ins(request.user)}
    return render(request, "pln/check_in.html", context)


@login_required
@require_GET
def check_in_result(request: HttpRequest, pk: int) -> HttpResponse:
    record = check_can_see_check_in(request.user, queries.check_in_by_id(pk))
    context = {
        **BASE,
        "record": record,
        "guide": checkin.guide(record.stage),
        "stages": [checkin.guide(s) for s in checkin.STAGE_ORDER],
    }
    return render(request, "pln/check_in_result.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def time_intention(request: HttpRequest) -> HttpResponse:
    current = queries.time_intention(request.user)
    form = TimeIntentionForm(request.POST if request.method == "POST" else None, initial={"minutes_per_week": current})
    if request.method == "POST":
        check_rate("pln_time", request.user.pk, limit=60, period=300)
        if form.is_valid():
            actions.set_time_intention(member=request.user, minutes_per_week=form.cleaned_data["minutes_per_week"])
            messages.success(request, "Your weekly time is saved.")
            return redirect("pln:balance")
    return render(request, "pln/time_intention.html", {**BASE, "form": form, "current": current})
