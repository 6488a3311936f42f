"""Groups: the moderators' and owners' work through the API: join requests, invitation links,
roles, removals and bans, pinned resources. Split from `groups` (the directory, a group, joining),
whose schemas and lookups these operations share; each does what the matching page does."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import AfterValidator, Field, StrictBool, StrictInt, WithJsonSchema

from readingroom.api.auth import MEMBER_READ, MEMBER_WRITE
from readingroom.api.common import OBJECT_READ_ERRORS, WRITE_ERRORS, form_invalid, present, viewer
from readingroom.api.endpoints.groups import (
    GroupMemberOut,
    ResourceOut,
    RoleCode,
    _invalid,
    _managed,
    _member_row,
    _resource,
)
from readingroom.api.errors import ApiError
from readingroom.api.schemas import GroupSlug, Handle, Id, Input, MemberOut, Text
from readingroom.core.ratelimit import check_rate
from readingroom.groups import actions, queries
from readingroom.groups import permissions as perms
from readingroom.groups.actions import INVITATION_DAYS
from readingroom.groups.forms import InvitationForm, RemoveForm, ResourceForm
from readingroom.groups.models import Group

router = Router(tags=["Groups"])


def _one_of_the_days(value: int) -> int:
    if value not in INVITATION_DAYS:
        raise ValueError("Choose how long the link works: 1, 7, 30 or 90 days.")
    return value


Days = Annotated[
    StrictInt, AfterValidator(_one_of_the_days), WithJsonSchema({"type": "integer", "enum": list(INVITATION_DAYS)})
]


class AnswerIn(Input):
    decision: Literal["approve", "decline"]


class InvitationIn(Input):
    days: Days = Field(7, description="How long the link works: 1, 7, 30 or 90 days.")
    max_uses: Annotated[StrictInt, Field(ge=1, le=1000)] | None = Field(None, description="Empty: no limit.")
    note: Text(120) = Field("", description="For the moderators: where the link went.")  # type: ignore[valid-type]


class RoleIn(Input):
    role: RoleCode


class RemoveIn(Input):
    ban: StrictBool = Field(False, description="Also bar them from rejoining.")
    reason: Text(500) = Field("", description="Required with a ban; moderators see it in the bans list.")  # type: ignore[valid-type]


class ResourceIn(Input):
    title: Text(120, min_length=1)  # type: ignore[valid-type]
    url: Text(500, min_length=1)  # type: ignore[valid-type]
    note: Text(300) = ""  # type: ignore[valid-type]


class JoinRequestOut(Schema):
    id: int
    member: MemberOut
    message: str
    conduct_accepted: bool
    created_at: datetime


class InvitationOut(Schema):
    id: int
    hint: str = Field(description="The token's first characters, to tell links apart.")
    note: str
    expires_at: datetime
    max_uses: int | None
    uses: int
    created_at: datetime


class NewInvitationOut(InvitationOut):
    token: str = Field(description="Shown this once: only its hash is stored.")
    url: str = Field(description="The invitation page to send; it shows the group and a button to join.")


class BanOut(Schema):
    user_id: int
    member: MemberOut
    reason: str
    created_at: datetime


def _invitation(invitation) -> dict:
    fields = ("id", "hint", "note", "expires_at", "max_uses", "uses", "created_at")
    return {name: getattr(invitation, name) for name in fields}


def _moderated(request, slug: str) -> Group:
    group = queries.group_by_slug(slug)
    perms.check_can_moderate(viewer(request), group)
    return group


# --- Join requests (moderators) ------------------------------------------------------------------


@router.get(
    "/groups/{slug}/requests",
    response={200: list[JoinRequestOut], **OBJECT_READ_ERRORS},
    auth=MEMBER_READ,
    url_name="group_requests",
)
def group_requests(request: HttpRequest, slug: GroupSlug):
    """Who asks to join, oldest first (the first 200), for the group's moderators."""
    group = _moderated(request, slug)
    out = present(request)
    return [
        {
            "id": r.pk,
            "member": out.member(r.user.profile),
            "message": r.message,
            "conduct_accepted": r.conduct_accepted_at is not None,
            "created_at": r.created_at,
        }
        for r in queries.join_requests(group)[:200]
    ]


@router.post(
    "/groups/{slug}/requests/{request_id}",
    response={204: None, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="group_request_answer",
)
def answer_group_request(request: HttpRequest, payload: AnswerIn, slug: GroupSlug, request_id: Id):
    """Let them in, or decline (they are not told of a decline)."""
    group = _moderated(request, slug)
    found = queries.join_request(group, request_id)
    actions.answer_request(actor=viewer(request), join_request=found, approve=payload.decision == "approve")
    return Status(204, None)


# --- Invitation links (moderators) ---------------------------------------------------------------


@router.get(
    "/groups/{slug}/invitations",
    response={200: list[InvitationOut], **OBJECT_READ_ERRORS},
    auth=MEMBER_READ,
    url_name="group_invitations",
)
def group_invitations(request: HttpRequest, slug: GroupSlug):
    """The links still usable, newest first. Their tokens are not stored, so not shown."""
    return [_invitation(i) for i in queries.invitations(_moderated(request, slug))]


@router.post(
    "/groups/{slug}/invitations",
    response={201: NewInvitationOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="group_invitations",
)
def create_group_invitation(request: HttpRequest, response: HttpResponse, payload: InvitationIn, slug: GroupSlug):
    """A new invitation link. The token and link are in this answer only."""
    group = _moderated(request, slug)
    data = payload.model_dump()
    form = InvitationForm({**data, "max_uses": "" if data["max_uses"] is None else data["max_uses"]})
    if not form.is_valid():
        raise form_invalid(form)
    check_rate("group_invite", viewer(request).pk, limit=60, period=3600)
    invitation, token = actions.create_invitation(actor=viewer(request), group=group, **form.cleaned_data)
    response["Cache-Control"] = "no-store"
    url = request.build_absolute_uri(reverse("groups:invite", args=[token]))
    return Status(201, {**_invitation(invitation), "token": token, "url": url})


@router.delete(
    "/groups/{slug}/invitations/{invitation_id}",
    response={204: None, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="group_invitation",
)
def revoke_group_invitation(request: HttpRequest, slug: GroupSlug, invitation_id: Id):
    """Revoke a link: it is a 404 from now on. Revoking twice changes nothing."""
    group = _moderated(request, slug)
    actions.revoke_invitation(actor=viewer(request), invitation=queries.invitation(group, invitation_id))
    return Status(204, None)


# --- Roles, removals and bans --------------------------------------------------------------------


@router.put(
    "/groups/{slug}/members/{handle}/role",
    response={200: GroupMemberOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="group_member_role",
)
def set_group_member_role(request: HttpRequest, payload: RoleIn, slug: GroupSlug, handle: Handle):
    """Make a member a moderator or an owner, or back (owners). The last owner cannot step down (403)."""
    group = _managed(request, slug)
    target = queries.membership_for(group, handle)
    actions.set_role(actor=viewer(request), membership=target, role=payload.role)
    return _member_row(request, target)


@router.post(
    "/groups/{slug}/members/{handle}/remove",
    response={204: None, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="group_member_remove",
)
def remove_group_member(request: HttpRequest, payload: RemoveIn, slug: GroupSlug, handle: Handle):
    """Remove a member, and with `ban` bar them from rejoining (a ban needs a reason). Moderators
    remove members, only owners remove moderators, nobody removes an owner (403)."""
    user = viewer(request)
    group = _moderated(request, slug)
    target = queries.membership_for(group, handle)
    if not perms.can_remove(user, target):
        raise ApiError(403, "forbidden", "You cannot remove this member.")
    form = RemoveForm(payload.model_dump())
    if not form.is_valid():
        raise form_invalid(form)
    try:
        actions.remove_member(actor=user, membership=target, **form.cleaned_data)
    except ValidationError as exc:
        raise _invalid(exc, "reason") from exc
    return Status(204, None)


@router.get(
    "/groups/{slug}/bans", response={200: list[BanOut], **OBJECT_READ_ERRORS}, auth=MEMBER_READ, url_name="group_bans"
)
def group_bans(request: HttpRequest, slug: GroupSlug):
    """Who is banned and why, newest first (the first 200), for the group's moderators."""
    out = present(request)
    return [
        {"user_id": b.user_id, "member": out.member(b.user.profile), "reason": b.reason, "created_at": b.created_at}
        for b in queries.bans(_moderated(request, slug))[:200]
    ]


@router.delete(
    "/groups/{slug}/bans/{user_id}", response={204: None, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="group_ban"
)
def lift_group_ban(request: HttpRequest, slug: GroupSlug, user_id: Id):
    """Lift a ban: they may ask to join again. A ban that is not there is a 404."""
    group = _moderated(request, slug)
    if not queries.bans(group).filter(user_id=user_id).exists():
        raise Http404("No such ban")
    actions.unban(actor=viewer(request), group=group, user_id=user_id)
    return Status(204, None)


# --- Pinned resources (moderators) ---------------------------------------------------------------


@router.get(
    "/groups/{slug}/resources",
    response={200: list[ResourceOut], **OBJECT_READ_ERRORS},
    auth=MEMBER_READ,
    url_name="group_resources",
)
def group_resources(request: HttpRequest, slug: GroupSlug):
    """The pinned links, in order, on the moderators' resources page (the about shows them to readers)."""
    return [_resource(r) for r in _moderated(request, slug).resources.all()]


@router.post(
    "/groups/{slug}/resources",
    response={201: ResourceOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="group_resources",
)
def pin_group_resource(request: HttpRequest, payload: ResourceIn, slug: GroupSlug):
    """Pin a link to the group's about page (at most 20)."""
    group = _moderated(request, slug)
    form = ResourceForm(payload.model_dump())
    if not form.is_valid():
        raise form_invalid(form)
    resource = actions.pin_resource(actor=viewer(request), group=group, **form.cleaned_data)
    return Status(201, _resource(resource))


@router.delete(
    "/groups/{slug}/resources/{resource_id}",
    response={204: None, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="group_resource",
)
def unpin_group_resource(request: HttpRequest, slug: GroupSlug, resource_id: Id):
    group = _moderated(request, slug)
    resource = group.resources.filter(pk=resource_id).first()
    if resource is None:
        raise Http404("No such resource")
    actions.unpin_resource(actor=viewer(request), resource=resource)
    return Status(204, None)
