"""Who may see which profile and which profile fields. Private things answer 404, never 403."""

from __future__ import annotations

from django.http import Http404

from readingroom.accounts import queries
from readingroom.accounts.models import Profile
from readingroom.core.models import Visibility


def _is_owner(viewer, profile: Profile) -> bool:
    return bool(viewer is not None and viewer.is_authenticated and viewer.pk == profile.user_id)


def can_view_profile(viewer, profile: Profile) -> bool:
    if _is_owner(viewer, profile):
        return True
    authenticated = viewer is not None and viewer.is_authenticated
    if authenticated and viewer.is_staff:
        return True
    if not profile.user.is_active:  # suspended members disappear for everyone else
        return False
    if authenticated and queries.is_blocked_either_way(viewer, profile.user):
        return False
    if profile.visibility == Visibility.PUBLIC:
        return True
    if profile.visibility == Visibility.MEMBERS:
        return authenticated
    if profile.visibility == Visibility.FOLLOWERS:
        return authenticated and queries.is_following(viewer, profile.user)
    return False


def check_view_profile(viewer, profile: Profile | None) -> Profile:
    if profile is None or not can_view_profile(viewer, profile):
        raise Http404("No such member")
    return profile


def visible_field(viewer, profile: Profile, field: str) -> bool:
    """Hidden fields are shown to their owner only."""
    return _is_owner(viewer, profile) or profile.shows(field)


def can_edit_profile(user, profile: Profile) -> bool:
    return _is_owner(user, profile)


def needs_onboarding(user) -> bool:
    """A signed-in member who has neither finished nor skipped through onboarding."""
    if user is None or not user.is_authenticated:
        return False
    try:
        profile = user.profile  # cached on the user object for the rest of the request
    except Profile.DoesNotExist:
        return True
    return profile.onboarded_at is None
