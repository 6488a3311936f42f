"""Read paths for members, profiles and the social graph, each with its related loading."""

from __future__ import annotations

from django.db.models import Q

from readingroom.accounts.models import Block, Follow, Interest, Mute, Profile, User, handle_matches


def profile_by_handle(handle: str) -> Profile | None:
    """The profile with this handle (any case), with its user, interests and links loaded."""
    if not handle or len(handle) > 30:
        return None
    return (
        Profile.objects.select_related("user")
        .prefetch_related("interests", "links")
        .filter(handle_matches(handle.lstrip("@")))
        .first()
    )


def profile_for_edit(user: User) -> Profile:
    """The member's own profile for the edit page (interests and links loaded once)."""
    return Profile.objects.select_related("user").prefetch_related("interests", "links").get(user=user)


def vocabulary_interests() -> list[Interest]:
    return list(Interest.objects.filter(in_vocabulary=True).order_by("name"))


def handle_taken(handle: str, *, exclude_user_id: int | None = None) -> bool:
    taken = Profile.objects.filter(handle_matches(handle))
    if exclude_user_id is not None:
        taken = taken.exclude(user_id=exclude_user_id)
    return taken.exists()


def _user_id(user) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


def is_blocked_either_way(a, b) -> bool:
    """True when either member blocks the other. Anonymous visitors are never blocked."""
    a_id, b_id = _user_id(a), _user_id(b)
    if a_id is None or b_id is None or a_id == b_id:
        return False
    return Block.objects.filter(Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)).exists()


def is_following(follower, followee) -> bool:
    follower_id, followee_id = _user_id(follower), _user_id(followee)
    if follower_id is None or followee_id is None:
        return False
    return Follow.objects.filter(follower_id=follower_id, followee_id=followee_id).exists()


def blocked_ids(user) -> set[int]:
    """Ids of members this member blocks or is blocked by (one query)."""
    user_id = _user_id(user)
    if user_id is None:
        return set()
    rows = Block.objects.filter(Q(blocker_id=user_id) | Q(blocked_id=user_id)).values_list("blocker_id", "blocked_id")
    return {other for pair in rows for other in pair if other != user_id}


def muted_ids(user) -> set[int]:
    user_id = _user_id(user)
    if user_id is None:
        return set()
    return set(Mute.objects.filter(muter_id=user_id).values_list("muted_id", flat=True))
