"""The profile page and its followers and following lists."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from readingroom.accounts.models import Profile
from readingroom.accounts.permissions import check_view_profile, visible_field
from readingroom.core.http import cursor_param
from readingroom.messaging.permissions import may_message
from readingroom.network import queries
from readingroom.network.permissions import check_view_relationships
from readingroom.posts import reading
from readingroom.posts.queries import profile_timeline

PROFILE_FIELDS = Profile.HIDEABLE_FIELDS


def _canonical_redirect(request, profile: Profile, handle: str, url_name: str):
    """Handles are case-insensitive; the canonical address uses the stored lower-case handle."""
    if handle == profile.handle:
        return None
    url = reverse(url_name, args=[profile.handle])
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


def _local_time(tz_name: str):
    try:
        return timezone.now().astimezone(ZoneInfo(tz_name))
    except (ZoneInfoNotFoundError, ValueError):
        return None


@require_GET
def profile(request, handle: str):
    viewer = request.user
    member = check_view_profile(viewer, queries.profile_page_profile(handle))
    if redirect := _canonical_redirect(request, member, handle, "network:profile"):
        return redirect
    page = profile_timeline(viewer=viewer, author=member.user, before=cursor_param(request, "before"))
    local_time = _local_time(member.time_zone)
    rel = queries.relationship(viewer, member.user)
    context = {
        "member": member,
        "visible": {name: visible_field(viewer, member, name) for name in PROFILE_FIELDS},
        "rel": rel,
        "may_message": may_message(
            viewer, member.user, blocked=rel.blocking or rel.blocked_by, recipient_follows=rel.followed_by
        ),
        "local_time": local_time,
        "local_time_label": local_time.strftime("%H:%M") if local_time else "",
        "languages": [lang.strip() for lang in member.languages.split(",") if lang.strip()],
        "page": page,
        "pager_url": reverse("network:profile", args=[member.handle]),
        "next_url": request.get_full_path(),
        "nav": "people",
    }
    response = render(request, "network/profile.html", context)
    if viewer.is_authenticated:
        reading.note_read(viewer.id, len(page.items))  # the balance panel counts what members read
    return response


def _relationship_list(request, handle: str, *, kind: str):
    viewer = request.user
    member = check_view_relationships(viewer, queries.profile_page_profile(handle))
    url_name = f"network:{kind}"
    if redirect := _canonical_redirect(request, member, handle, url_name):
        return redirect
    list_query = queries.followers if kind == "followers" else queries.following
    page = list_query(viewer=viewer, user=member.user, after=cursor_param(request, "after"))
    context = {
        "member": member,
        "kind": kind,
        "page": page,
        "can_remove": kind == "followers" and viewer.is_authenticated and viewer.pk == member.user_id,
        "next_url": request.get_full_path(),
        "nav": "people",
    }
    return render(request, "network/relationship_list.html", context)


@require_GET
def followers(request, handle: str):
    return _relationship_list(request, handle, kind="followers")


@require_GET
def following(request, handle: str):
    return _relationship_list(request, handle, kind="following")
