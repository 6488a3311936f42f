"""Profiles, followers/following lists, and the relationship writes (follow, block, mute, …),
each doing what its page does in readingroom/network/views through the same checks and actions."""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router
from ninja.responses import Status

from readingroom.accounts.permissions import check_view_profile
from readingroom.api.auth import ANYONE, MEMBER_READ, MEMBER_WRITE
from readingroom.api.common import ANYONE_SECURITY, OBJECT_READ_ERRORS, READ_ERRORS, WRITE_ERRORS, present, viewer
from readingroom.api.pagination import list_window, page_body
from readingroom.api.present import relationship_dict
from readingroom.api.schemas import (
    FollowRequestPage,
    Handle,
    Id,
    ListQuery,
    PersonPage,
    ProfileOut,
    RelatedMemberPage,
    RelationshipChangeOut,
)
from readingroom.core.ratelimit import check_rate
from readingroom.network import actions, queries
from readingroom.network.permissions import check_act_on_member, check_follow, check_view_relationships

router = Router(tags=["People"])


@router.get(
    "/profiles/{handle}",
    response={200: ProfileOut, **OBJECT_READ_ERRORS},
    auth=ANYONE,
    openapi_extra=ANYONE_SECURITY,
    url_name="profile",
)
def get_profile(request: HttpRequest, handle: Handle):
    """A member's profile, as their profile page shows it to you (hidden fields are null)."""
    user = viewer(request)
    member = check_view_profile(user, queries.profile_page_profile(handle))
    rel = queries.relationship(user, member.user) if user.is_authenticated else None
    return present(request).profile(member, user, rel)


def _people(request, response, handle: str, query: ListQuery, list_query):
    user = viewer(request)
    member = check_view_relationships(user, queries.profile_page_profile(handle))
    page = list_query(viewer=user, user=member.user, after=query.max_id)
    out = present(request)
    return page_body(request, response, list_window(page), [out.person(p) for p in page.items], forward=False)


@router.get(
    "/profiles/{handle}/followers",
    response={200: PersonPage, **OBJECT_READ_ERRORS},
    auth=ANYONE,
    openapi_extra=ANYONE_SECURITY,
    url_name="followers",
)
def followers(request: HttpRequest, response: HttpResponse, query: Query[ListQuery], handle: Handle):
    """Who follows this member (30 a page), as private as the profile."""
    return _people(request, response, handle, query, queries.followers)


@router.get(
    "/profiles/{handle}/following",
    response={200: PersonPage, **OBJECT_READ_ERRORS},
    auth=ANYONE,
    openapi_extra=ANYONE_SECURITY,
    url_name="following",
)
def following(request: HttpRequest, response: HttpResponse, query: Query[ListQuery], handle: Handle):
    """Whom this member follows (30 a page), as private as the profile."""
    return _people(request, response, handle, query, queries.following)


# --- Relationship writes --------------------------------------------------------------------------


def _changed(request, member) -> dict:
    rel = queries.relationship(viewer(request), member.user)
    state = "following" if rel.following else "requested" if rel.requested else "none"
    return {"state": state, "relationship": relationship_dict(rel)}


def _guard(request, bucket: str) -> None:
    # The same buckets as the pages: follows 100 an hour, other relationship changes 200.
    if bucket == "follow":
        check_rate("follow", viewer(request).id, limit=100, period=3600)
    else:
        check_rate("relationship", viewer(request).id, limit=200, period=3600)


def _relationship_write(verb: str, doc: str):
    def register(func):
        return router.post(
            f"/profiles/{{handle}}/{verb}",
            response={200: RelationshipChangeOut, **WRITE_ERRORS},
            auth=MEMBER_WRITE,
            url_name=verb.replace("-", "_"),
            description=doc,
        )(func)

    return register


@_relationship_write("follow", "Follow a member, or ask to when they approve followers (`state` says which).")
def follow(request: HttpRequest, handle: Handle):
    _guard(request, "follow")
    member = check_follow(viewer(request), queries.active_profile(handle))
    actions.follow(follower=viewer(request), followee=member.user)
    return _changed(request, member)


@_relationship_write("unfollow", "Stop following a member, or withdraw a follow request.")
def unfollow(request: HttpRequest, handle: Handle):
    _guard(request, "relationship")
    member = check_act_on_member(viewer(request), queries.any_profile(handle), allow_inactive=True)
    actions.unfollow(follower=viewer(request), followee=member.user)
    return _changed(request, member)


@_relationship_write("remove-follower", "End someone's follow of you.")
def remove_follower(request: HttpRequest, handle: Handle):
    _guard(request, "relationship")
    member = check_act_on_member(viewer(request), queries.any_profile(handle), allow_inactive=True)
    actions.remove_follower(user=viewer(request), follower=member.user)
    return _changed(request, member)


@_relationship_write("block", "Block a member: follows end both ways and neither sees the other.")
def block(request: HttpRequest, handle: Handle):
    _guard(request, "relationship")
    member = check_act_on_member(viewer(request), queries.active_profile(handle))
    actions.block(blocker=viewer(request), blocked=member.user)
    return _changed(request, member)


@_relationship_write("unblock", "Lift a block. Follows it ended stay ended.")
def unblock(request: HttpRequest, handle: Handle):
    _guard(request, "relationship")
    member = check_act_on_member(viewer(request), queries.any_profile(handle), allow_inactive=True)
    actions.unblock(blocker=viewer(request), blocked=member.user)
    return _changed(request, member)


@_relationship_write("mute", "Hide a member's posts from your home timeline; they are not told.")
def mute(request: HttpRequest, handle: Handle):
    _guard(request, "relationship")
    member = check_act_on_member(viewer(request), queries.active_profile(handle))
    actions.mute(muter=viewer(request), muted=member.user)
    return _changed(request, member)


@_relationship_write("unmute", "Show a muted member's posts again.")
def unmute(request: HttpRequest, handle: Handle):
    _guard(request, "relationship")
    member = check_act_on_member(viewer(request), queries.any_profile(handle), allow_inactive=True)
    actions.unmute(muter=viewer(request), muted=member.user)
    return _changed(request, member)


# --- The member's own lists: follow requests, blocks, mutes ----------------------------------------


@router.get(
    "/follow-requests", response={200: FollowRequestPage, **READ_ERRORS}, auth=MEMBER_READ, url_name="follow_requests"
)
def follow_requests(request: HttpRequest, response: HttpResponse, query: Query[ListQuery]):
    """People asking to follow you, newest first."""
    page = queries.pending_follow_requests(user=viewer(request), after=query.max_id)
    out = present(request)
    items = [{"id": r.pk, "requester": out.member(r.requester.profile), "created_at": r.created_at} for r in page.items]
    return page_body(request, response, list_window(page), items, forward=False)


def _answer(request, request_id: int, *, approve: bool):
    _guard(request, "relationship")
    answer = actions.approve_follow_request if approve else actions.decline_follow_request
    if not answer(target=viewer(request), request_id=request_id):
        raise Http404("No such follow request")
    return Status(204, None)


@router.post(
    "/follow-requests/{request_id}/approve",
    response={204: None, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="approve_request",
)
def approve_follow_request(request: HttpRequest, request_id: Id):
    return _answer(request, request_id, approve=True)


@router.post(
    "/follow-requests/{request_id}/decline",
    response={204: None, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="decline_request",
)
def decline_follow_request(request: HttpRequest, request_id: Id):
    """Drop a request; the requester is not told."""
    return _answer(request, request_id, approve=False)


def _related(request, response, page, attr: str):
    out = present(request)
    items = [{"member": out.member(getattr(row, attr).profile), "created_at": row.created_at} for row in page.items]
    return page_body(request, response, list_window(page), items, forward=False)


@router.get("/blocks", response={200: RelatedMemberPage, **READ_ERRORS}, auth=MEMBER_READ, url_name="blocks")
def blocks(request: HttpRequest, response: HttpResponse, query: Query[ListQuery]):
    """Members you block, most recent first."""
    page = queries.blocked_members(user=viewer(request), after=query.max_id)
    return _related(request, response, page, "blocked")


@router.get("/mutes", response={200: RelatedMemberPage, **READ_ERRORS}, auth=MEMBER_READ, url_name="mutes")
def mutes(request: HttpRequest, response: HttpResponse, query: Query[ListQuery]):
    """Members you mute, most recent first."""
    page = queries.muted_members(user=viewer(request), after=query.max_id)
    return _related(request, response, page, "muted")
