"""Finding people: the directory and the last onboarding step (suggested people)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from readingroom.accounts.actions import complete_onboarding
from readingroom.accounts.permissions import needs_onboarding
from readingroom.core.http import cursor_param
from readingroom.network import queries
from readingroom.network.forms import DirectoryFilterForm

SUGGESTIONS_ON_ONBOARDING = 12


@login_required
@require_GET
def directory(request):
    selected = request.GET.get("interest", "")
    form = DirectoryFilterForm(request.GET or None, interests=queries.directory_interest_choices(selected))
    filters = form.filters() if form.is_bound else queries.DirectoryFilters()
    page = queries.directory(viewer=request.user, filters=filters, after=cursor_param(request, "after"))
    context = {"form": form, "page": page, "next_url": request.get_full_path(), "nav": "people"}
    if request.htmx and request.htmx.target == "directory-results":
        return render(request, "network/directory.html#results", context)
    return render(request, "network/directory.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def onboarding_people(request):
    """Step 3 of 3: follow a few people, then finish."""
    if request.method == "POST":
        complete_onboarding(user=request.user)
        return redirect("posts:home")
    context = {
        "suggestions": queries.suggested_people(viewer=request.user, limit=SUGGESTIONS_ON_ONBOARDING),
        "next_url": request.get_full_path(),
        "onboarding": needs_onboarding(request.user),
        "step": 3,
        "steps": 3,
        "nav": "settings",
    }
    return render(request, "network/onboarding_people.html", context)
