"""Groups: the directory, a group's about, settings, posts and members, joining and leaving, and
invitation links for whoever holds one. The moderators' work (requests, links, roles, removals
and bans, pinned resources) is in group_moderation, which shares this module's schemas.

Each operation does what the matching page does (readingroom/groups/views.py, and
posts.views.group for the posts) through the same form, action, query and permission check:
a hidden group is a 404 to everyone but its members and staff, a private group's posts and
members a 404 to outsiders, and the moderation lists a 404 to all but its moderators."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import AfterValidator, Field, StrictBool, ValidationInfo, field_validator
from pydantic.json_schema import SkipJsonSchema

from readingroom.api.auth import ANYONE, MEMBER_WRITE
from readingroom.api.common import (
    ANYONE_SECURITY,
    OBJECT_READ_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    form_invalid,
    present,
    viewer,
)
from readingroom.api.errors import ApiError
from readingroom.api.pagination import after_body, list_window, older, page_body
from readingroom.api.schemas import (
    PAGE_LIMIT_DEFAULT,
    PAGE_LIMIT_MAX,
    GroupSlug,
    Id,
    Input,
    ListQuery,
    MemberOut,
    PostOut,
    SectorCode,
    Text,
)
from readingroom.core.jsontypes import storable
from readingroom.core.ratelimit import check_rate
from readingroom.groups import actions, queries
from readingroom.groups import permissions as perms
from readingroom.groups.actions import MAX_TAGS
from readingroom.groups.forms import DirectoryForm, GroupForm, JoinForm
from readingroom.groups.models import Group, Privacy, Role
from readingroom.posts import queries as post_queries

router = Router(tags=["Groups"])

PrivacyCode = Literal[tuple(Privacy.values)]  # type: ignore[valid-type]
RoleCode = Literal[tuple(Role.values)]  # type: ignore[valid-type]
SizeCode = Literal[tuple(["", *queries.SIZES])]  # type: ignore[valid-type]
SortCode = Literal[queries.SORTS]  # type: ignore[valid-type]
# A tag as the settings form takes it (commas separate tags there, so none inside one).
TagName = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[^,]*$"), AfterValidator(storable)]
InvitationToken = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(storable)]


# --- Schemas -------------------------------------------------------------------------------------


class DirectoryQuery(Input):
    q: Text(100) = Field("", description="Words in the name or summary, or a tag.")  # type: ignore[valid-type]
    tag: Text(40) = ""  # type: ignore[valid-type]
    sector: SectorCode = ""
    size: SizeCode = Field("", description="small: under 20 members; medium: 20-199; large: 200 or more.")
    sort: SortCode = "active"
    mine: bool = Field(False, description="Only the groups you are a member of.")
    after: Annotated[str, Field(max_length=41, pattern=r"^[0-9]+\.[0-9]+$")] | SkipJsonSchema[None] = Field(
        None, description="The cursor from `next_after` (the `next` link), for the same filters and order."
    )

    @field_validator("after")
    @classmethod
    def _a_cursor_of_this_order(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and _directory_cursor(value, info.data.get("sort", "active")) is None:
            raise ValueError("This is not a cursor of this list: follow next_url.")
        return value


def _directory_cursor(value: str | None, sort: str) -> tuple[int, int] | None:
    """The page's cursor (groups.queries.parse_directory_cursor); for the time orders, only one whose
    key (microseconds since 1970) names a moment a calendar holds. The page quietly starts again
    from the top for any other; the API says so (422), as it does for every malformed cursor."""
    parsed = queries.parse_directory_cursor(value)
    if parsed is not None and sort != "largest":
        try:
            datetime(1970, 1, 1, tzinfo=UTC) + parsed[0] * timedelta(microseconds=1)
        except OverflowError:
            return None
    return parsed


class GroupPostsQuery(Input):
    max_id: Id | SkipJsonSchema[None] = Field(None, description="Only posts older than this cursor (the `next` link).")
    limit: Annotated[int, Field(ge=1, le=PAGE_LIMIT_MAX)] = PAGE_LIMIT_DEFAULT


class GroupIn(Input):
    name: Text(80, min_length=1)  # type: ignore[valid-type]
    privacy: PrivacyCode = Field(
        Privacy.PUBLIC,
        description="public: anyone reads it, any member joins; private: listed, members read it, join by request "
        "or invitation; hidden: not listed, join by invitation only.",
    )
    summary: Text(200) = Field("", description="One line, shown in the directory.")  # type: ignore[valid-type]
    about: Text(5000) = Field("", description="Markdown: what the group is for.")  # type: ignore[valid-type]
    conduct: Text(5000) = Field(  # type: ignore[valid-type]
        "", description="Markdown: the code of conduct members accept on joining; empty for none."
    )
    sector: SectorCode = ""
    tags: list[TagName] = Field(default_factory=list, max_length=MAX_TAGS)


class GroupPatchIn(Input):
    """Only the fields sent change; the same checks as the settings page apply."""

    name: Text(80, min_length=1) | None = None  # type: ignore[valid-type]
    privacy: PrivacyCode | None = None
    summary: Text(200) | None = None  # type: ignore[valid-type]
    about: Text(5000) | None = None  # type: ignore[valid-type]
    conduct: Text(5000) | None = None  # type: ignore[valid-type]
    sector: SectorCode | None = None
    tags: list[TagName] | None = Field(None, max_length=MAX_TAGS)
    banner_alt: Text(300) | None = Field(None, description="The banner's description (banners are set in the pages).")  # type: ignore[valid-type]


class JoinIn(Input):
    accept_conduct: StrictBool = Field(False, description="Required (true) when the group has a code of conduct.")
    message: Text(500) = Field("", description="For a private group: a note for its moderators.")  # type: ignore[valid-type]


class AcceptIn(Input):
    accept_conduct: StrictBool = Field(False, description="Required (true) when the group has a code of conduct.")


class HomePreferenceIn(Input):
    show_in_home: StrictBool


class GroupMembershipOut(Schema):
    role: RoleCode
    show_in_home: bool
    joined_at: datetime


class ResourceOut(Schema):
    id: int
    title: str
    url: str
    note: str
    position: int
    created_at: datetime


class GroupSummaryOut(Schema):
    slug: str
    name: str
    url: str
    avatar_url: str | None
    summary: str
    privacy: PrivacyCode
    sector: str
    tags: list[str]
    members_count: int
    posts_count: int
    created_at: datetime
    last_activity_at: datetime
    is_member: bool


class GroupOut(Schema):
    """A group's about page: what anyone who may see the group sees, and where you stand."""

    slug: str
    name: str
    url: str
    avatar_url: str | None
    banner_url: str | None
    banner_alt: str
    summary: str
    about: str = Field(description="The Markdown source of about_html.")
    about_html: str
    conduct: str = Field(description="The Markdown source of conduct_html.")
    conduct_html: str
    privacy: PrivacyCode
    sector: str
    tags: list[str]
    members_count: int
    posts_count: int
    created_at: datetime
    last_activity_at: datetime
    resources: list[ResourceOut] = Field(
        description="The links its moderators pinned; empty to those who may not read the group's posts."
    )
    membership: GroupMembershipOut | None = Field(description="Your membership; null when you are not a member.")
    has_requested: bool = Field(description="You asked to join and wait for an answer.")
    can_read: bool = Field(description="You may read its posts and members.")
    can_post: bool
    can_join: bool = Field(description="You may join at once (a public group).")
    can_request: bool = Field(description="You may ask to join (a private group).")
    can_moderate: bool
    can_manage: bool


class JoinOut(Schema):
    state: Literal["member", "requested"] = Field(description="Joined, or asked to join (a private group).")
    group: GroupOut


class GroupMemberOut(Schema):
    member: MemberOut
    role: RoleCode
    joined_at: datetime


class GroupPage(Schema):
    """One page of the directory. Follow `next_url` (also in the Link header) for more."""

    items: list[GroupSummaryOut]
    next_url: str | None
    next_after: str | None


class GroupPostPage(Schema):
    """One page, newest first. Follow `next_url` (also in the Link header) for older posts."""

    items: list[PostOut]
    next_url: str | None
    next_max_id: int | None


class GroupMemberPage(Schema):
    """One page, newest first. Follow `next_url` (also in the Link header) for more."""

    items: list[GroupMemberOut]
    next_url: str | None
    next_max_id: int | None


# --- Presenting ----------------------------------------------------------------------------------


def _membership(found) -> dict | None:
    if found is None:
        return None
    return {"role": found.role, "show_in_home": found.show_in_home, "joined_at": found.joined_at}


def _resource(resource) -> dict:
    fields = ("id", "title", "url", "note", "position", "created_at")
    return {name: getattr(resource, name) for name in fields}


def _common(request, group: Group) -> dict:
    out = present(request)
    return {
        "slug": group.slug,
        "name": group.name,
        "url": out.url(reverse("posts:group", args=[group.slug])),
        "avatar_url": out.media(group.avatar),
        "summary": group.summary,
        "privacy": group.privacy,
        "sector": group.sector,
        "tags": [t.name for t in group.tags.all()],
        "members_count": group.members_count,
        "posts_count": group.posts_count,
        "created_at": group.created_at,
        "last_activity_at": group.last_activity_at,
    }


def _group(request, group: Group) -> dict:
    """As groups.views.group_context and the about page show it."""
    user, out = viewer(request), present(request)
    return {
        **_common(request, group),
        "banner_url": out.media(group.banner),
        "banner_alt": group.banner_alt,
        "about": group.about,
        "about_html": out.html(group.about_html),
        "conduct": group.conduct,
        "conduct_html": out.html(group.conduct_html),
        "resources": [_resource(r) for r in queries.pinned_resources(group, user)],
        "membership": _membership(perms.membership(user, group)),
        "has_requested": queries.has_requested(user, group),
        "can_read": perms.can_read_content(user, group),
        "can_post": perms.can_post(user, group),
        "can_join": perms.can_join(user, group),
        "can_request": perms.can_request(user, group),
        "can_moderate": perms.can_moderate(user, group),
        "can_manage": perms.can_manage(user, group),
    }


def _fresh(request, slug: str) -> dict:
    """The group as it is now (counts change in the database, not on the object in hand)."""
    return _group(request, queries.group_by_slug(slug))


def _member_row(request, found) -> dict:
    return {"member": present(request).member(found.user.profile), "role": found.role, "joined_at": found.joined_at}


def _invalid(exc: ValidationError, field: str) -> ApiError:
    """An action's refusal, under the field the page shows it at."""
    message = " ".join(exc.messages)
    code = getattr(exc, "code", None) or "invalid"
    return ApiError(
        422,
        "validation_failed",
        message,
        fields=[{"field": field, "location": "body", "code": code, "message": message}],
    )


# --- Finding the group, as the views do ----------------------------------------------------------


def _viewable(request, slug: str) -> Group:
    group = queries.group_by_slug(slug)
    perms.check_can_view_group(viewer(request), group)
    return group


def _readable(request, slug: str) -> Group:
    group = queries.group_by_slug(slug)
    perms.check_can_read_content(viewer(request), group)
    return group


def _managed(request, slug: str) -> Group:
    group = queries.group_by_slug(slug)
    perms.check_can_manage(viewer(request), group)
    return group


def _group_form(data: dict) -> GroupForm:
    form = GroupForm(data)
    if not form.is_valid():
        raise form_invalid(form)
    return form


# --- The directory and the group -----------------------------------------------------------------


@router.get(
    "/groups",
    response={200: GroupPage, **READ_ERRORS},
    auth=ANYONE,
    openapi_extra=ANYONE_SECURITY,
    url_name="groups",
)
def list_groups(request: HttpRequest, response: HttpResponse, query: Query[DirectoryQuery]):
    """The group directory: public and private groups (hidden ones to their members), most active,
    largest or newest first, 20 a page, filtered as on the directory page."""
    user = viewer(request)
    data = {name: getattr(query, name) for name in ("q", "tag", "sector", "size", "sort")}
    data["mine"] = "on" if query.mine else ""
    form = DirectoryForm(data)
    if not form.is_valid():
        raise form_invalid(form, location="query")
    clean = form.cleaned_data
    filters = queries.DirectoryFilters(
        q=clean["q"],
        tag=clean["tag"],
        sector=clean["sector"],
        size=clean["size"],
        sort=clean["sort"] or "active",
        mine=clean["mine"],
    )
    page = queries.directory(user, filters, after=_directory_cursor(query.after, filters.sort))
    items = [{**_common(request, g), "is_member": bool(getattr(g, "viewer_is_member", False))} for g in page.items]
    return after_body(request, response, items, page.next_cursor)  # type: ignore[arg-type]


@router.post("/groups", response={201: GroupOut, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="groups")
def create_group(request: HttpRequest, payload: GroupIn):
    """Start a group; you are its first owner. Pictures and banners are set in the pages."""
    user = viewer(request)
    data = payload.model_dump()
    data["tags"] = ", ".join(payload.tags)
    form = _group_form(data)
    check_rate("group_create", user.pk, limit=10, period=86400)
    group = actions.create_group(creator=user, **form.cleaned_data)
    return Status(201, _fresh(request, group.slug))


@router.get(
    "/groups/{slug}",
    response={200: GroupOut, **OBJECT_READ_ERRORS},
    auth=ANYONE,
    openapi_extra=ANYONE_SECURITY,
    url_name="group",
)
def get_group(request: HttpRequest, slug: GroupSlug):
    """A group's about: anyone may see a public or private group's; a hidden group is a 404 to
    all but its members."""
    return _group(request, _viewable(request, slug))


@router.patch("/groups/{slug}", response={200: GroupOut, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="group")
def update_group(request: HttpRequest, payload: GroupPatchIn, slug: GroupSlug):
    """Change the group's settings (owners). Making a public group private makes its posts
    members-only from then on."""
    group = _managed(request, slug)
    data = {
        "name": group.name,
        "summary": group.summary,
        "privacy": group.privacy,
        "about": group.about,
        "conduct": group.conduct,
        "sector": group.sector,
        "tags": ", ".join(t.name for t in group.tags.all()),
        "banner_alt": group.banner_alt,
    }
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    if "tags" in changes:
        changes["tags"] = ", ".join(changes["tags"])
    form = _group_form({**data, **changes})
    actions.update_group(actor=viewer(request), group=group, **form.cleaned_data)
    return _fresh(request, group.slug)


@router.delete("/groups/{slug}", response={204: None, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="group")
def delete_group(request: HttpRequest, slug: GroupSlug):
    """Delete the group with its posts, memberships and invitations, for good (owners)."""
    actions.delete_group(actor=viewer(request), group=_managed(request, slug))
    return Status(204, None)


@router.get(
    "/groups/{slug}/posts",
    response={200: GroupPostPage, **OBJECT_READ_ERRORS},
    auth=ANYONE,
    openapi_extra=ANYONE_SECURITY,
    url_name="group_posts",
)
def group_posts(request: HttpRequest, response: HttpResponse, query: Query[GroupPostsQuery], slug: GroupSlug):
    """The group's posts, newest first: a public group's for anyone, a private or hidden one's
    for its members only (a 404 to others). Post to it with POST /posts and `group`."""
    user = viewer(request)
    group = _readable(request, slug)
    window = older(
        lambda before: post_queries.group_timeline(viewer=user, group=group, before=before),
        max_id=query.max_id,
        limit=query.limit,
    )
    out = present(request)
    return page_body(request, response, window, [out.post(p) for p in window.items], forward=False)


@router.get(
    "/groups/{slug}/members",
    response={200: GroupMemberPage, **OBJECT_READ_ERRORS},
    auth=ANYONE,
    openapi_extra=ANYONE_SECURITY,
    url_name="group_members",
)
def group_members(request: HttpRequest, response: HttpResponse, query: Query[ListQuery], slug: GroupSlug):
    """The group's members, newest first (50 a page), for whoever may read its posts."""
    group = _readable(request, slug)
    page = queries.members(group, viewer(request), before=query.max_id)
    items = [_member_row(request, m) for m in page.items]
    return page_body(request, response, list_window(page), items, forward=False)


# --- Joining and leaving -------------------------------------------------------------------------


@router.post("/groups/{slug}/join", response={200: JoinOut, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="group_join")
def join_group(request: HttpRequest, payload: JoinIn, slug: GroupSlug):
    """Join a public group, or ask to join a private one (`state` says which); both after
    accepting its code of conduct. A hidden group takes invitations only (403), as does a ban."""
    user = viewer(request)
    group = _viewable(request, slug)
    form = JoinForm(payload.model_dump())
    if not form.is_valid():
        raise form_invalid(form)
    check_rate("group_join", user.pk, limit=60, period=3600)
    accepted = form.cleaned_data["accept_conduct"]
    try:
        if perms.can_request(user, group):
            actions.request_to_join(
                user=user, group=group, message=form.cleaned_data["message"], accept_conduct=accepted
            )
            state = "requested"
        else:
            actions.join(user=user, group=group, accept_conduct=accepted)
            state = "member"
    except ValidationError as exc:
        raise _invalid(exc, "accept_conduct") from exc
    return {"state": state, "group": _fresh(request, group.slug)}


@router.post("/groups/{slug}/leave", response={204: None, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="group_leave")
def leave_group(request: HttpRequest, slug: GroupSlug):
    """Leave the group, or withdraw your request to join it. The last owner cannot leave (403)."""
    user = viewer(request)
    group = _viewable(request, slug)
    actions.withdraw_request(user=user, group=group)
    actions.leave(user=user, group=group)
    return Status(204, None)


@router.put(
    "/groups/{slug}/home",
    response={200: GroupMembershipOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="group_home_preference",
)
def set_group_home_preference(request: HttpRequest, payload: HomePreferenceIn, slug: GroupSlug):
    """Whether the group's posts also appear in your home timeline (members; others get a 404)."""
    group = _viewable(request, slug)
    found = actions.set_home_preference(user=viewer(request), group=group, show_in_home=payload.show_in_home)
    return _membership(found)


# --- Invitation links, for whoever holds one ----------------------------------------------------
# Registered last: Django tries paths in order, so a group whose slug is "invitations" keeps its
# /groups/invitations/posts and the like (a token is never one of those words).


@router.get(
    "/groups/invitations/{token}",
    response={200: GroupOut, **OBJECT_READ_ERRORS},
    auth=ANYONE,
    openapi_extra=ANYONE_SECURITY,
    url_name="group_invite",
)
def get_group_invitation(request: HttpRequest, token: InvitationToken):
    """The group an invitation link invites to, with its code of conduct, as the link's page shows
    it to whoever holds the link. Unknown, expired, used-up and revoked links are all a 404."""
    return _group(request, actions.invitation_for(token).group)


@router.post(
    "/groups/invitations/{token}/accept",
    response={200: JoinOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="group_invitation_accept",
)
def accept_group_invitation(request: HttpRequest, payload: AcceptIn, token: InvitationToken):
    """Join the group an invitation link invites to (a member already is one: nothing changes).
    Unknown, expired, used-up and revoked links are all a 404; a ban is a 403."""
    user = viewer(request)
    invitation = actions.invitation_for(token)
    check_rate("group_join", user.pk, limit=60, period=3600)
    try:
        actions.accept_invitation(user=user, token=token, accept_conduct=payload.accept_conduct)
    except ValidationError as exc:
        raise _invalid(exc, "accept_conduct") from exc
    return {"state": "member", "group": _fresh(request, invitation.group.slug)}
