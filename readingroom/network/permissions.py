"""Who may see relationship lists and act on other members. Private things answer 404."""

from __future__ import annotations

from django.http import Http404

from readingroom.accounts.models import Profile
from readingroom.accounts.permissions import can_view_profile
from readingroom.accounts.queries import is_blocked_either_way


def can_view_relationships(viewer, profile: Profile) -> bool:
    """Followers and following lists are as private as the profile itself: a followers-only
    profile shows its lists to the owner and followers only (can_view_profile's rule)."""
    return can_view_profile(viewer, profile)


def check_view_relationships(viewer, profile: Profile | None) -> Profile:
    if profile is None or not can_view_relationships(viewer, profile):
        raise Http404("No such member")
    return profile


def can_follow(viewer, profile: Profile) -> bool:
    """Anyone signed in may follow (or ask to follow) an active member, except across a block.
    Followers-only profiles are 404 to non-followers, yet following is how one gets in."""
    if viewer is None or not viewer.is_authenticated or viewer.pk == profile.user_id:
        return False
    return profile.user.is_active and not is_blocked_either_way(viewer, profile.user)


def check_follow(viewer, profile: Profile | None) -> Profile:
    if profile is None or not can_follow(viewer, profile):
        raise Http404("No such member")
    return profile


def check_act_on_member(viewer, profile: Profile | None, *, allow_inactive: bool = False) -> Profile:
    """Blocking and muting need only an active member other than oneself: a member may block
    someone whose profile they cannot see (e.g. one who blocked them). Undoing (unfollow,
    unblock, unmute) works on suspended members too, so nothing is left stuck."""
    if profile is None or viewer.pk == profile.user_id:
        raise Http404("No such member")
    if not allow_inactive and not profile.user.is_active:
        raise Http404("No such member")
    return profile
