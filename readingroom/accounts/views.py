"""Onboarding, profile editing and the account settings page. Thin: parse, check, act, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from readingroom.accounts import actions, queries
from readingroom.accounts.forms import OnboardingDetailsForm, OnboardingInterestsForm, ProfileForm
from readingroom.core.ratelimit import check_rate

ONBOARDING_STEPS = 3


def _onboarding_context(step: int, form, title: str) -> dict:
    return {"form": form, "step": step, "steps": ONBOARDING_STEPS, "title": title, "nav": "settings"}


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request):
    """Step 1 of 3: where and how the member works."""
    profile = actions.ensure_profile(user=request.user)
    if request.method == "POST" and "skip" in request.POST:
        return redirect("accounts:onboarding_interests")
    form = OnboardingDetailsForm(request.POST or None, instance=profile)
    if request.method == "POST":
        check_rate("profile_edit", request.user.pk, limit=60, period=300)
        if form.is_valid():
            actions.update_profile(profile=profile, data=form.cleaned_data)
            return redirect("accounts:onboarding_interests")
    return render(request, "accounts/onboarding.html", _onboarding_context(1, form, "About your work"))


@login_required
@require_http_methods(["GET", "POST"])
def onboarding_interests(request):
    """Step 2 of 3: interests. Step 3 (people to follow) belongs to the network app."""
    profile = actions.ensure_profile(user=request.user)
    next_step = reverse("network:onboarding_people")
    if request.method == "POST" and "skip" in request.POST:
        return redirect(next_step)
    form = OnboardingInterestsForm(request.POST or None, profile=profile)
    if request.method == "POST":
        check_rate("profile_edit", request.user.pk, limit=60, period=300)
        if form.is_valid():
            vocabulary_ids, free_tags = form.interest_choices()
            actions.set_interests(profile=profile, vocabulary_ids=vocabulary_ids, free_tags=free_tags)
            return redirect(next_step)
    return render(request, "accounts/onboarding_interests.html", _onboarding_context(2, form, "Your interests"))


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    actions.ensure_profile(user=request.user)
    profile = queries.profile_for_edit(request.user)
    if request.method != "POST":
        return _render_profile_edit(request, ProfileForm(instance=profile), profile)
    check_rate("profile_edit", request.user.pk, limit=30, period=300)
    form = ProfileForm(request.POST, request.FILES, instance=queries.profile_for_edit(request.user))
    if not form.is_valid():
        return _render_profile_edit(request, form, profile)
    vocabulary_ids, free_tags = form.interest_choices()
    try:
        actions.edit_profile(
            profile=form.instance,
            data=form.profile_data(),
            vocabulary_ids=vocabulary_ids,
            free_tags=free_tags,
            links=form.links(),
            avatar=form.cleaned_data["avatar"],
            remove_avatar=form.cleaned_data["remove_avatar"],
        )
    except ValidationError as error:
        form.add_error("avatar", error)
        return _render_profile_edit(request, form, profile)
    except IntegrityError:
        # Only the case-insensitive handle constraint can fail here: someone took it a moment ago.
        form.add_error("handle", "That handle is already taken. Please choose another.")
        return _render_profile_edit(request, form, profile)
    messages.success(request, "Your profile has been saved.")
    return redirect("accounts:profile_edit")


def _render_profile_edit(request, form: ProfileForm, profile):
    # `profile` is the saved state (the form's instance may hold rejected input).
    context = {"form": form, "profile": profile, "nav": "settings"}
    return render(request, "accounts/profile_edit.html", context)


@login_required
def account(request):
    profile = actions.ensure_profile(user=request.user)
    return render(request, "accounts/account.html", {"profile": profile, "nav": "settings"})


@require_GET
def conduct(request):
    """The site's code of conduct, accepted at sign-up. An association replaces the text by
    overriding the template accounts/conduct_text.html."""
    return render(request, "accounts/conduct.html")
