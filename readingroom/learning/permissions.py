"""The one rule for who may see a learning record, whatever its type.

Every learning app's `visible_to` is `filter(audience_q(viewer, owner_field=...))`, so goals, CPD
entries, assessments and their children are seen by the same people through pages, the API and
notifications. Private things answer 404 to everyone else (check_* raise Http404)."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from readingroom.accounts.models import Block, Follow
from readingroom.accounts.permissions import can_view_profile
from readingroom.accounts.queries import is_blocked_either_way
from readingroom.learning.models import LearningVisibility, Mentorship, MentorshipStatus


def mentee_ids(viewer):
    """Subquery: members whose active mentor the viewer is."""
    return Mentorship.objects.filter(mentor=viewer, status=MentorshipStatus.ACTIVE).values("mentee")


def audience_q(viewer, *, owner_field: str = "owner", visibility_field: str = "visibility") -> Q:
    """Q for records (with an owner and a LearningVisibility) the viewer may see.

    - the owner always;
    - nobody else sees a suspended (inactive) owner's records, nor across a block either way;
    - private: the owner only; mentors: the owner's active mentors; followers: the owner's
      followers and active mentors; members: anyone signed in.
    Anonymous viewers see nothing: learning records are shared with people, or by portfolio link.
    """
    if viewer is None or not viewer.is_authenticated:
        return Q(pk__in=[])
    owner = owner_field
    vis = visibility_field
    followed = Follow.objects.filter(follower=viewer).values("followee")
    mentees = mentee_ids(viewer)
    others = (
        Q(**{f"{owner}__is_active": True})
        & ~Q(**{f"{owner}__in": Block.objects.filter(blocker=viewer).values("blocked")})
        & ~Q(**{f"{owner}__in": Block.objects.filter(blocked=viewer).values("blocker")})
        & (
            Q(**{vis: LearningVisibility.MEMBERS})
            | Q(**{vis: LearningVisibility.FOLLOWERS, f"{owner}__in": followed})
            | Q(**{f"{vis}__in": [LearningVisibility.FOLLOWERS, LearningVisibility.MENTORS], f"{owner}__in": mentees})
        )
    )
    return Q(**{owner: viewer}) | others


def is_owner(viewer, owner_id: int) -> bool:
    return bool(viewer is not None and viewer.is_authenticated and viewer.id == owner_id)


# --- Mentors ---------------------------------------------------------------------------------


def can_pair(asker, other) -> bool:
    """A member may ask another to be their mentor when both are active, they are not the same
    person, neither blocks the other, and each may see the other's profile."""
    if asker is None or other is None or not asker.is_authenticated or asker.pk == other.pk:
        return False
    if not (asker.is_active and other.is_active):
        return False
    asker_profile, other_profile = getattr(asker, "profile", None), getattr(other, "profile", None)
    if asker_profile is None or other_profile is None or is_blocked_either_way(asker, other):
        return False
    return can_view_profile(asker, other_profile) and can_view_profile(other, asker_profile)


def check_mentorship_party(viewer, mentorship: Mentorship | None, *, as_mentor: bool = False) -> Mentorship:
    """The mentee or mentor of this mentorship (only the mentor when `as_mentor`); 404 otherwise."""
    if mentorship is None or viewer is None or not viewer.is_authenticated:
        raise Http404("No such mentorship")
    allowed = {mentorship.mentor_id} if as_mentor else {mentorship.mentor_id, mentorship.mentee_id}
    if viewer.pk not in allowed:
        raise Http404("No such mentorship")
    return mentorship
