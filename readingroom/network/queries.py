"""Read paths for people pages: directory, suggestions, relationship lists and states.

Profile visibility is decided by accounts.permissions.can_view_profile for one profile; lists
use visible_profiles_q, the same rule as a query condition, so a list never shows a member
whose profile page would answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from readingroom.accounts.models import Block, Follow, FollowRequest, Interest, Mute, Profile, User, handle_matches
from readingroom.accounts.permissions import visible_field
from readingroom.core.models import Visibility
from readingroom.core.pagination import Page, page_from

DIRECTORY_PAGE_SIZE = 24
LIST_PAGE_SIZE = 30
# The directory card shows these optional fields only when the member lets others see them.
CARD_FIELDS = ("sector", "career_stage", "location", "interests", "organisation", "job_title")


def _authenticated(viewer) -> bool:
    return viewer is not None and getattr(viewer, "is_authenticated", False)


def visible_profiles_q(viewer, *, user: str = "user", profile: str = "") -> Q:
    """can_view_profile's rule as a condition. `user` is the path to the member's User from the
    queried model, `profile` the prefix to their Profile's fields ("" when querying Profile)."""
    visibility = f"{profile}visibility"
    active = Q(**{f"{user}__is_active": True})
    if not _authenticated(viewer):
        return active & Q(**{visibility: Visibility.PUBLIC})
    if viewer.is_staff:
        return Q(**{f"{user}__isnull": False})
    followees = Follow.objects.filter(follower_id=viewer.pk).values("followee_id")
    by_rule = (
        active
        & not_blocked_q(viewer, user=user)
        & (
            Q(**{f"{visibility}__in": [Visibility.PUBLIC, Visibility.MEMBERS]})
            | Q(**{visibility: Visibility.FOLLOWERS, f"{user}__in": followees})
        )
    )
    return Q(**{user: viewer.pk}) | by_rule


def not_blocked_q(viewer, *, user: str) -> Q:
    if not _authenticated(viewer):
        return Q()
    return ~Q(**{f"{user}__in": Block.objects.filter(blocker_id=viewer.pk).values("blocked_id")}) & ~Q(
        **{f"{user}__in": Block.objects.filter(blocked_id=viewer.pk).values("blocker_id")}
    )


def shown_q(name: str, viewer) -> Q:
    """Profiles whose field `name` others may see (or the viewer's own): filters must not reveal
    a hidden field by matching on it."""
    hidden = Q(hidden_fields__icontains=f'"{name}"')
    own = Q(user_id=viewer.pk) if _authenticated(viewer) else Q(pk__in=[])
    return ~hidden | own


def relationship_annotations(viewer, *, user_ref: str) -> dict[str, Any]:
    """Exists() flags for the follow buttons on a list of members (no query per member)."""
    if not _authenticated(viewer):
        return {}
    return {
        "viewer_follows": Exists(Follow.objects.filter(follower_id=viewer.pk, followee_id=OuterRef(user_ref))),
        "viewer_requested": Exists(FollowRequest.objects.filter(requester_id=viewer.pk, target_id=OuterRef(user_ref))),
    }


def decorate_people(profiles, viewer, *, fields=CARD_FIELDS) -> None:
    """Attach `visible` (field -> shown to this viewer) and `rel` (for the follow buttons)."""
    for p in profiles:
        p.visible = {name: visible_field(viewer, p, name) for name in fields}
        p.rel = Relationship(
            following=getattr(p, "viewer_follows", False),
            requested=getattr(p, "viewer_requested", False),
            is_self=_authenticated(viewer) and viewer.pk == p.user_id,
        )


# --- Relationship state -----------------------------------------------------------------------


@dataclass(frozen=True)
class Relationship:
    following: bool = False
    requested: bool = False
    followed_by: bool = False
    blocking: bool = False
    blocked_by: bool = False
    muting: bool = False
    is_self: bool = False


def relationship(viewer, other) -> Relationship:
    """How the viewer stands with another member, in one query."""
    if not _authenticated(viewer) or other is None:
        return Relationship()
    if viewer.pk == other.pk:
        return Relationship(is_self=True)
    me, them = viewer.pk, other.pk
    flags = (
        User.objects.filter(pk=them)
        .annotate(
            following=Exists(Follow.objects.filter(follower_id=me, followee_id=them)),
            requested=Exists(FollowRequest.objects.filter(requester_id=me, target_id=them)),
            followed_by=Exists(Follow.objects.filter(follower_id=them, followee_id=me)),
            blocking=Exists(Block.objects.filter(blocker_id=me, blocked_id=them)),
            blocked_by=Exists(Block.objects.filter(blocker_id=them, blocked_id=me)),
            muting=Exists(Mute.objects.filter(muter_id=me, muted_id=them)),
        )
        .values("following", "requested", "followed_by", "blocking", "blocked_by", "muting")
        .first()
    )
    return Relationship(**flags) if flags else Relationship()


# --- Profiles ---------------------------------------------------------------------------------


def profile_page_profile(handle: str) -> Profile | None:
    """The profile for its page: user, links and interests loaded (any case of the handle)."""
    if not handle or len(handle) > 31:
        return None
    return (
        Profile.objects.select_related("user")
        .prefetch_related("interests", "links")
        .filter(handle_matches(handle.removeprefix("@")))
        .first()
    )


def active_profile(handle: str) -> Profile | None:
    """An active member's profile by handle, for write actions (no visibility check here)."""
    if not handle or len(handle) > 31:
        return None
    return Profile.objects.select_related("user").filter(handle_matches(handle), user__is_active=True).first()


def any_profile(handle: str) -> Profile | None:
    """A profile by handle even if its member is suspended: for undoing a follow, block or mute."""
    if not handle or len(handle) > 31:
        return None
    return Profile.objects.select_related("user").filter(handle_matches(handle)).first()


def directory_interest_choices(selected_slug: str = "") -> list[Interest]:
    """The vocabulary, plus the interest being filtered on when it is a member's free tag."""
    wanted = Q(in_vocabulary=True)
    if selected_slug and len(selected_slug) <= 60:
        wanted |= Q(slug=selected_slug)
    return list(Interest.objects.filter(wanted).order_by("name"))


# --- Directory --------------------------------------------------------------------------------


@dataclass
class DirectoryFilters:
    q: str = ""
    sector: str = ""
    career_stage: str = ""
    interest: str = ""
    country: str = ""
    open_to_mentoring: bool = False
    seeking_mentor: bool = False
    open_to_collaborate: bool = False


def directory_filter_q(viewer, f: DirectoryFilters) -> Q:
    cond = Q()
    if f.q:
        cond &= (
            Q(display_name__icontains=f.q)
            | Q(handle__icontains=f.q)
            | Q(headline__icontains=f.q)
            | (Q(organisation__icontains=f.q) & shown_q("organisation", viewer))
        )
    if f.sector:
        cond &= Q(sector=f.sector) & shown_q("sector", viewer)
    if f.career_stage:
        cond &= Q(career_stage=f.career_stage) & shown_q("career_stage", viewer)
    if f.country:
        cond &= Q(country=f.country) & shown_q("location", viewer)
    if f.interest:
        tagged = Profile.interests.through.objects.filter(interest__slug=f.interest).values("profile_id")
        cond &= Q(user_id__in=tagged) & shown_q("interests", viewer)
    for flag in ("open_to_mentoring", "seeking_mentor", "open_to_collaborate"):
        if getattr(f, flag):
            cond &= Q(**{flag: True})
    return cond


def listable_people(viewer) -> QuerySet[Profile]:
    """Who may appear in a list of people (directory, search): discoverable, active, visible to
    the viewer, no block either way."""
    return (
        Profile.objects.filter(discoverable=True, user__is_active=True)
        .filter(visible_profiles_q(viewer))
        .filter(not_blocked_q(viewer, user="user"))
    )


def people_page(rows: QuerySet[Profile], viewer, *, after: int | None) -> Page[Profile]:
    """One page of person cards from `rows`: newest members first, keyset-paged by user id, with the
    viewer's relationship flags and interests (2 queries)."""
    rows = (
        rows.annotate(**relationship_annotations(viewer, user_ref="user_id"))
        .prefetch_related("interests")
        .order_by("-user_id")
    )
    if after is not None:
        rows = rows.filter(user_id__lt=after)
    page = page_from(list(rows[: DIRECTORY_PAGE_SIZE + 1]), size=DIRECTORY_PAGE_SIZE, key=lambda p: p.user_id)
    decorate_people(page.items, viewer)
    return page


def directory(*, viewer, filters: DirectoryFilters, after: int | None = None) -> Page[Profile]:
    """Discoverable, active, visible members, newest first, keyset-paged by user id (2 queries)."""
    return people_page(listable_people(viewer).filter(directory_filter_q(viewer, filters)), viewer, after=after)


# --- Suggestions --------------------------------------------------------------------------------


@dataclass
class Suggestion:
    profile: Profile
    shared_interests: list[Interest]
    followed_by_count: int = 0

    @property
    def reason(self) -> str:
        if self.shared_interests:
            return "Shares your interest in " + _and_list([i.name for i in self.shared_interests])
        people = "person" if self.followed_by_count == 1 else "people"
        return f"Followed by {self.followed_by_count} {people} you follow"


def _and_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _suggestable(viewer, *, member: str, profile: str) -> Q:
    """Conditions for suggesting the member whose user id is at `member` (their Profile's fields
    at prefix `profile`): discoverable, active, visible to any member, not the viewer, not
    already followed or requested, and not blocked either way."""
    followed = Follow.objects.filter(follower_id=viewer.pk).values("followee_id")
    requested = FollowRequest.objects.filter(requester_id=viewer.pk).values("target_id")
    return (
        Q(**{f"{profile}discoverable": True, f"{profile}user__is_active": True})
        & Q(**{f"{profile}visibility__in": [Visibility.PUBLIC, Visibility.MEMBERS]})
        & ~Q(**{member: viewer.pk})
        & ~Q(**{f"{member}__in": followed})
        & ~Q(**{f"{member}__in": requested})
        & not_blocked_q(viewer, user=member)
    )


def suggested_people(*, viewer, limit: int = 12) -> list[Suggestion]:
    """Members sharing the most interests first, then friends of friends.

    At most 5 queries: the viewer's interests; one aggregate over the interest links of members
    sharing them and, when that leaves room, one over the follows made by people the viewer
    follows (each touching only rows that can match); then the chosen profiles and their
    shared interests."""
    if not _authenticated(viewer):
        return []
    # A literal id list (not a subquery) lets SQLite drive the ranking join from the interest
    # index instead of scanning every member's interests.
    my_interests = list(
        Profile.interests.through.objects.filter(profile_id=viewer.pk).values_list("interest_id", flat=True)
    )
    ranked = _rank_by_shared_interests(viewer, my_interests, limit) if my_interests else []
    if len(ranked) < limit:
        ranked += _rank_friends_of_friends(viewer, limit - len(ranked), exclude=[pk for pk, _ in ranked])
    if not ranked:
        return []
    profiles = (
        Profile.objects.filter(user_id__in=[pk for pk, _ in ranked])
        .prefetch_related(
            Prefetch("interests", queryset=Interest.objects.filter(id__in=my_interests), to_attr="shared_list")
        )
        .in_bulk(field_name="user_id")
    )
    suggestions = []
    for pk, score in ranked:
        if (p := profiles.get(pk)) is not None:
            # The shared interests explain an interest match; a friend-of-friend shows a count.
            is_interest_match = score is None
            suggestions.append(Suggestion(p, p.shared_list if is_interest_match else [], score or 0))
    decorate_people([s.profile for s in suggestions], viewer)
    return suggestions


def _rank_by_shared_interests(viewer, my_interests: list[int], limit: int) -> list[tuple[int, None]]:
    rows = (
        Profile.interests.through.objects.filter(interest_id__in=my_interests)
        .filter(_suggestable(viewer, member="profile_id", profile="profile__"))
        # Interests a member hides are not used to rank them (the reason would reveal them).
        .exclude(profile__hidden_fields__icontains='"interests"')
        .values("profile_id")
        .annotate(shared=Count("interest_id"))
        .order_by("-shared", "-profile_id")
        .values_list("profile_id", flat=True)[:limit]
    )
    return [(pk, None) for pk in rows]


def _rank_friends_of_friends(viewer, limit: int, *, exclude: list[int]) -> list[tuple[int, int]]:
    my_followees = Follow.objects.filter(follower_id=viewer.pk).values("followee_id")
    rows = (
        Follow.objects.filter(follower_id__in=my_followees)
        .filter(_suggestable(viewer, member="followee_id", profile="followee__profile__"))
        .exclude(followee_id__in=exclude)
        .values("followee_id")
        .annotate(n=Count("follower_id"))
        .order_by("-n", "-followee_id")
        .values_list("followee_id", "n")[:limit]
    )
    return list(rows)


# --- Relationship lists -------------------------------------------------------------------------


def _follow_list(viewer, follows, *, member: str, after: int | None) -> Page[Profile]:
    """One page of the members at `member` ("follower" or "followee") of the given follows,
    showing only members whose profile the viewer may see."""
    rows = (
        follows.filter(visible_profiles_q(viewer, user=member, profile=f"{member}__profile__"))
        .select_related(f"{member}__profile")
        .annotate(**relationship_annotations(viewer, user_ref=f"{member}_id"))
        .order_by("-id")
    )
    if after is not None:
        rows = rows.filter(id__lt=after)
    page = page_from(list(rows[: LIST_PAGE_SIZE + 1]), size=LIST_PAGE_SIZE, key=lambda f: f.id)
    profiles = []
    for follow in page.items:
        profile = getattr(follow, member).profile
        profile.viewer_follows = getattr(follow, "viewer_follows", False)
        profile.viewer_requested = getattr(follow, "viewer_requested", False)
        profiles.append(profile)
    decorate_people(profiles, viewer, fields=("job_title", "organisation"))
    return Page(profiles, page.next_cursor)


def followers(*, viewer, user, after: int | None = None) -> Page[Profile]:
    """Who follows `user`. Callers check permissions.check_view_relationships first."""
    return _follow_list(viewer, Follow.objects.filter(followee_id=user.pk), member="follower", after=after)


def following(*, viewer, user, after: int | None = None) -> Page[Profile]:
    return _follow_list(viewer, Follow.objects.filter(follower_id=user.pk), member="followee", after=after)


def pending_follow_requests(*, user, after: int | None = None) -> Page[FollowRequest]:
    rows = (
        FollowRequest.objects.filter(target_id=user.pk, requester__is_active=True)
        .select_related("requester__profile")
        .order_by("-id")
    )
    if after is not None:
        rows = rows.filter(id__lt=after)
    return page_from(list(rows[: LIST_PAGE_SIZE + 1]), size=LIST_PAGE_SIZE, key=lambda r: r.id)


def pending_follow_request_count(*, user) -> int:
    return FollowRequest.objects.filter(target_id=user.pk, requester__is_active=True).count()


def blocked_members(*, user, after: int | None = None) -> Page[Block]:
    rows = Block.objects.filter(blocker_id=user.pk).select_related("blocked__profile").order_by("-id")
    if after is not None:
        rows = rows.filter(id__lt=after)
    return page_from(list(rows[: LIST_PAGE_SIZE + 1]), size=LIST_PAGE_SIZE, key=lambda b: b.id)


def muted_members(*, user, after: int | None = None) -> Page[Mute]:
    rows = Mute.objects.filter(muter_id=user.pk).select_related("muted__profile").order_by("-id")
    if after is not None:
        rows = rows.filter(id__lt=after)
    return page_from(list(rows[: LIST_PAGE_SIZE + 1]), size=LIST_PAGE_SIZE, key=lambda m: m.id)
