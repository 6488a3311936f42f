"""Thin views: the learning overview and the mentors pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from readingroom.core.ratelimit import check_rate
from readingroom.learning import actions, hub, queries
from readingroom.learning.forms import AskMentorForm
from readingroom.learning.permissions import check_mentorship_party


@login_required
def overview(request):
    """The learning area's front page: one card per learning app (see learning.hub)."""
    cards = []
    for section in hub.sections():
        summary = section.summary(request.user) if section.summary else None
        cards.append({"section": section, "summary": summary})
    return render(request, "learning/overview.html", {"cards": cards, "nav": "learning", "learning_nav": "overview"})


@login_required
def mentors(request: HttpRequest) -> HttpResponse:
    lists = queries.open_mentorships(request.user)
    return render(request, "learning/mentors.html", {"lists": lists, "nav": "learning"})


@login_required
@require_http_methods(["GET", "POST"])
def ask_mentor(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = AskMentorForm(request.POST, asker=request.user)
        check_rate("mentor_ask", request.user.pk, limit=30, period=3600)
        if form.is_valid():
            mentor = form.cleaned_data["mentor"]
            try:
                actions.ask_mentor(mentee=request.user, mentor=mentor, message=form.cleaned_data["message"])
            except actions.MentorshipRefused as exc:
                form.add_error("handle", str(exc))
            else:
                messages.success(request, f"We asked {mentor.profile.display_name} to be your mentor.")
                return redirect("learning:mentors")
    else:
        handle = request.GET.get("handle", "")[:31]
        form = AskMentorForm(initial={"handle": handle} if handle else None, asker=request.user)
    return render(request, "learning/ask_mentor.html", {"form": form, "nav": "learning"})


def _respond(request: HttpRequest, pk: int, *, as_mentor: bool, act, done: str) -> HttpResponse:
    mentorship = check_mentorship_party(request.user, queries.mentorship_for(request.user, pk), as_mentor=as_mentor)
    check_rate("mentorship", request.user.pk, limit=120, period=3600)
    try:
        act(mentorship)
    except actions.MentorshipRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("learning:mentors")


@login_required
@require_POST
def accept_mentorship(request: HttpRequest, pk: int) -> HttpResponse:
    return _respond(
        request,
        pk,
        as_mentor=True,
        act=lambda m: actions.accept_mentorship(mentorship=m, mentor=request.user),
        done="You are now their mentor.",
    )


@login_required
@require_POST
def decline_mentorship(request: HttpRequest, pk: int) -> HttpResponse:
    return _respond(
        request,
        pk,
        as_mentor=True,
        act=lambda m: actions.decline_mentorship(mentorship=m, mentor=request.user),
        done="You declined the ask.",
    )


@login_required
@require_POST
def end_mentorship(request: HttpRequest, pk: int) -> HttpResponse:
    return _respond(
        request,
        pk,
        as_mentor=False,
        act=lambda m: actions.end_mentorship(mentorship=m, member=request.user),
        done="The mentorship has ended.",
    )
