"""POST endpoints that change a relationship, and the pages that list requests, blocks and mutes.

htmx requests get the relationship buttons back (plus a status line swapped out of band);
plain form posts are redirected back to where they came from.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from readingroom.accounts.permissions import can_view_profile
from readingroom.core.http import cursor_param, safe_next
from readingroom.core.ratelimit import check_rate
from readingroom.network import actions, queries
from readingroom.network.permissions import check_act_on_member, check_follow


def _name(request, member) -> str:
    """The display name only for those who may see the profile; the handle they typed otherwise."""
    return member.display_name if can_view_profile(request.user, member) else f"@{member.handle}"


def _respond(request, member, message: str, *, default_next: str | None = None):
    next_url = safe_next(request, default_next or reverse("network:profile", args=[member.handle]))
    if not request.htmx:
        messages.success(request, message)
        return redirect(next_url)
    context = {
        "person": member,
        "person_name": _name(request, member),
        "rel": queries.relationship(request.user, member.user),
        "compact": request.POST.get("compact") == "1",
        "next_url": next_url,
        "status_message": message,
    }
    return render(request, "network/_relationship_response.html", context)


def _write_guard(request, scope: str) -> None:
    # Rate-limit follow separately (brief: 100 an hour); the rest share a generous bucket.
    if scope == "follow":
        check_rate("follow", request.user.id, limit=100, period=3600)
    else:
        check_rate("relationship", request.user.id, limit=200, period=3600)


@login_required
@require_POST
def follow(request, handle: str):
    _write_guard(request, "follow")
    member = check_follow(request.user, queries.active_profile(handle))
    try:
        outcome = actions.follow(follower=request.user, followee=member.user)
    except actions.RelationshipRefused as refused:
        raise Http404(str(refused)) from refused
    if outcome == "requested":
        return _respond(request, member, f"You asked to follow {_name(request, member)}.")
    return _respond(request, member, f"You now follow {_name(request, member)}.")


@login_required
@require_POST
def unfollow(request, handle: str):
    _write_guard(request, "relationship")
    member = check_act_on_member(request.user, queries.any_profile(handle), allow_inactive=True)
    actions.unfollow(follower=request.user, followee=member.user)
    return _respond(request, member, f"You no longer follow {_name(request, member)}.")


@login_required
@require_POST
def remove_follower(request, handle: str):
    _write_guard(request, "relationship")
    member = check_act_on_member(request.user, queries.any_profile(handle), allow_inactive=True)
    actions.remove_follower(user=request.user, follower=member.user)
    messages.success(request, f"{_name(request, member)} no longer follows you.")
    return redirect(safe_next(request, reverse("network:directory")))


@login_required
@require_POST
def block(request, handle: str):
    _write_guard(request, "relationship")
    member = check_act_on_member(request.user, queries.active_profile(handle))
    name = _name(request, member)  # before the block, which hides the profile from the blocker too
    actions.block(blocker=request.user, blocked=member.user)
    messages.success(request, f"You blocked {name}. You will not see each other.")
    # The profile is now hidden from the blocker too, so go to the page where a block is undone.
    target = reverse("network:blocks_mutes")
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


@login_required
@require_POST
def unblock(request, handle: str):
    _write_guard(request, "relationship")
    member = check_act_on_member(request.user, queries.any_profile(handle), allow_inactive=True)
    actions.unblock(blocker=request.user, blocked=member.user)
    messages.success(request, f"You unblocked {_name(request, member)}.")
    return redirect(safe_next(request, reverse("network:blocks_mutes")))


@login_required
@require_POST
def mute(request, handle: str):
    _write_guard(request, "relationship")
    member = check_act_on_member(request.user, queries.active_profile(handle))
    actions.mute(muter=request.user, muted=member.user)
    return _respond(request, member, f"You muted {_name(request, member)}. Their posts will not appear in your home.")


@login_required
@require_POST
def unmute(request, handle: str):
    _write_guard(request, "relationship")
    member = check_act_on_member(request.user, queries.any_profile(handle), allow_inactive=True)
    actions.unmute(muter=request.user, muted=member.user)
    return _respond(
        request, member, f"You unmuted {_name(request, member)}.", default_next=reverse("network:blocks_mutes")
    )


@login_required
@require_GET
def follow_requests(request):
    page = queries.pending_follow_requests(user=request.user, after=cursor_param(request, "after"))
    return render(request, "network/follow_requests.html", {"page": page, "nav": "settings"})


@login_required
@require_POST
def answer_follow_request(request, request_id: int, *, approve: bool):
    _write_guard(request, "relationship")
    answer = actions.approve_follow_request if approve else actions.decline_follow_request
    if not answer(target=request.user, request_id=request_id):
        raise Http404("No such follow request")
    messages.success(request, "Request approved." if approve else "Request declined.")
    return redirect("network:requests")


@login_required
@require_GET
def blocks_mutes(request):
    context = {
        "blocks": queries.blocked_members(user=request.user, after=cursor_param(request, "blocks_after")),
        "mutes": queries.muted_members(user=request.user, after=cursor_param(request, "mutes_after")),
        "nav": "settings",
    }
    return render(request, "network/blocks_mutes.html", context)
