"""Every read path for groups: the directory, a member's groups, member lists, requests,
invitations and bans. Lists page by keyset, never OFFSET."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.http import Http404

from readingroom.accounts.models import Block
from readingroom.core.pagination import Page, key_moment, moment_key, parse_pair_cursor
from readingroom.groups.models import (
    Group,
    GroupBan,
    GroupTag,
    Invitation,
    JoinRequest,
    Membership,
    PinnedResource,
    Privacy,
    Role,
)
from readingroom.groups.permissions import can_read_content

DIRECTORY_PAGE = 20
MEMBERS_PAGE = 50
SIZES = {"small": (1, 19), "medium": (20, 199), "large": (200, None)}
SORTS = ("active", "largest", "newest")


def group_by_slug(slug: str) -> Group:
    if not slug or len(slug) > 60:
        raise Http404("No such group")
    found = Group.objects.filter(slug=slug).first()
    if found is None:
        raise Http404("No such group")
    return found


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    tag: str = ""
    sector: str = ""
    size: str = ""
    sort: str = "active"
    mine: bool = False


def _sort_key(group: Group, sort: str) -> int:
    """The cursor's key: the member count, or the moment in whole microseconds since 1970
    (integer arithmetic, so a key turns back into exactly the moment it was made from)."""
    if sort == "largest":
        return group.members_count
    return moment_key(group.last_activity_at if sort == "active" else group.created_at)


def _key_value(key: int, sort: str) -> int | datetime | None:
    """What the key stands for in the sort's field; None for a moment no calendar holds."""
    if sort == "largest":
        return key
    return key_moment(key)


parse_directory_cursor = parse_pair_cursor  # "<sort value>.<id>"


def directory(viewer, filters: DirectoryFilters, *, after: tuple[int, int] | None = None) -> Page[Group]:
    """Listed groups, most active (or largest, or newest) first; each with the viewer's role."""
    qs = Group.objects.listed_to(viewer)
    if filters.mine and viewer.is_authenticated:
        qs = qs.filter(memberships__user=viewer)
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(summary__icontains=filters.q) | Q(tags__name=filters.q.lower()))
    if filters.tag:
        qs = qs.filter(pk__in=GroupTag.objects.filter(name=filters.tag).values("group"))
    if filters.sector:
        qs = qs.filter(sector=filters.sector)
    if filters.size in SIZES:
        low, high = SIZES[filters.size]
        qs = qs.filter(members_count__gte=low)
        if high is not None:
            qs = qs.filter(members_count__lte=high)
    sort = filters.sort if filters.sort in SORTS else "active"
    field = {"active": "last_activity_at", "largest": "members_count", "newest": "created_at"}[sort]
    value = _key_value(after[0], sort) if after is not None else None
    if after is not None and value is not None:  # a cursor out of any calendar is ignored
        qs = qs.filter(Q(**{f"{field}__lt": value}) | (Q(**{field: value}) & Q(pk__lt=after[1])))
    qs = qs.distinct().order_by(f"-{field}", "-pk").prefetch_related("tags")
    if viewer.is_authenticated:
        qs = qs.annotate(viewer_is_member=Exists(Membership.objects.filter(group=OuterRef("pk"), user=viewer)))
    rows = list(qs[: DIRECTORY_PAGE + 1])
    if len(rows) > DIRECTORY_PAGE:
        rows = rows[:DIRECTORY_PAGE]
        last = rows[-1]
        return Page(rows, f"{_sort_key(last, sort)}.{last.pk}")  # type: ignore[arg-type]
    return Page(rows, None)


def my_groups(user) -> list[Group]:
    """The member's groups, most recently active first (for the composer and the sidebar)."""
    if not user.is_authenticated:
        return []
    return list(Group.objects.filter(memberships__user=user).order_by("-last_activity_at", "-pk")[:100])


def members(group: Group, viewer, *, before: int | None = None, role: str = "") -> Page[Membership]:
    """Active members with their profiles, newest first by keyset on the membership id (the
    group's owners and moderators are also listed apart: `leaders`). Blocks either way hide the member."""
    qs = Membership.objects.filter(group=group, user__is_active=True).select_related("user__profile")
    if role:
        qs = qs.filter(role=role)
    if viewer is not None and viewer.is_authenticated:
        qs = qs.exclude(user__in=Block.objects.filter(blocker=viewer).values("blocked")).exclude(
            user__in=Block.objects.filter(blocked=viewer).values("blocker")
        )
    if before is not None:
        qs = qs.filter(pk__lt=before)
    rows = list(qs.order_by("-pk")[: MEMBERS_PAGE + 1])
    if len(rows) > MEMBERS_PAGE:
        rows = rows[:MEMBERS_PAGE]
        return Page(rows, rows[-1].pk)
    return Page(rows, None)


def leaders(group: Group) -> list[Membership]:
    """Owners, then moderators, for the group page's sidebar."""
    owners_first = Case(When(role=Role.OWNER, then=Value(0)), default=Value(1))
    return list(
        Membership.objects.filter(group=group, user__is_active=True, role__in=[Role.OWNER, Role.MODERATOR])
        .select_related("user__profile")
        .order_by(owners_first, "pk")[:20]
    )


def membership_for(group: Group, handle: str) -> Membership:
    found = (
        Membership.objects.filter(group=group, user__profile__handle__iexact=handle)
        .select_related("user__profile", "group")
        .first()
    )
    if found is None:
        raise Http404("No such member")
    return found


def join_requests(group: Group) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(group=group, user__is_active=True).select_related("user__profile").order_by("pk")


def join_request(group: Group, request_id: int) -> JoinRequest:
    found = JoinRequest.objects.filter(group=group, pk=request_id).select_related("user", "group").first()
    if found is None:
        raise Http404("No such request")
    return found


def has_requested(user, group: Group) -> bool:
    return user.is_authenticated and JoinRequest.objects.filter(group=group, user=user).exists()


def invitations(group: Group) -> list[Invitation]:
    """Links still usable, newest first."""
    return list(Invitation.objects.usable().filter(group=group)[:100])


def invitation(group: Group, pk: int) -> Invitation:
    found = Invitation.objects.filter(group=group, pk=pk).select_related("group").first()
    if found is None:
        raise Http404("No such invitation")
    return found


def bans(group: Group) -> QuerySet[GroupBan]:
    return GroupBan.objects.filter(group=group).select_related("user__profile").order_by("-pk")


def pinned_resources(group: Group, viewer) -> list[PinnedResource]:
    """The about page's pinned links: the group's content, so a private group keeps them for its members."""
    return list(group.resources.all()) if can_read_content(viewer, group) else []


def tags_in_use(limit: int = 30) -> list[str]:
    """The most used tags of listed (public and private) groups, for the directory's filter."""
    rows = (
        GroupTag.objects.exclude(group__privacy=Privacy.HIDDEN)
        .values("name")
        .annotate(n=Count("id"))
        .order_by("-n", "name")[:limit]
    )
    return [r["name"] for r in rows]
