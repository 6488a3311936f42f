"""Notifications: the list, the unread count, marking read. Through the notifications app's
queries and actions, as its pages (readingroom/notifications/views.py) do."""

from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from readingroom.api.auth import MEMBER_READ, MEMBER_WRITE
from readingroom.api.common import READ_ERRORS, WRITE_ERRORS, present, viewer
from readingroom.api.errors import ApiError
from readingroom.api.pagination import list_window, page_body
from readingroom.api.schemas import Id, Input, Text
from readingroom.core.ratelimit import check_rate
from readingroom.notifications import actions, kinds, queries

router = Router(tags=["Notifications"])


class NotificationActorOut(Schema):
    handle: str
    display_name: str
    url: str


class NotificationOut(Schema):
    id: int
    kind: str
    text: str = Field(description='e.g. "Ana Example and 4 others liked your post"')
    url: str = Field(description="The page of what it is about.")
    excerpt: str
    actors: list[NotificationActorOut] = Field(description="The latest few, newest first.")
    actor_count: int
    unread: bool
    updated_at: datetime = Field(description="The latest activity.")


class NotificationPage(Schema):
    """One page, latest activity first. Follow `next_url` (also in the Link header) for older ones."""

    items: list[NotificationOut]
    next_url: str | None
    next_max_id: int | None


class NotificationQuery(Input):
    kind: Text(30) | SkipJsonSchema[None] = Field(None, description="Only this kind, e.g. `mention`.")  # type: ignore[valid-type]
    max_id: Id | SkipJsonSchema[None] = Field(None, description="Only notifications older than this cursor.")


class UnreadOut(Schema):
    count: int = Field(description=f"Counted up to {queries.UNREAD_CAP}.")
    label: str = Field(description='As the site shows it, e.g. "99+".')


class ReadAllIn(Input):
    kind: Text(30) | None = Field(None, description="Only this kind.")  # type: ignore[valid-type]
    up_to: Id | None = Field(None, description="Only up to this position (the newest you have seen).")


class ReadAllOut(Schema):
    marked: int


def _profile_url(out, handle: str) -> str:
    return out.url(reverse("network:profile", args=[handle])) if handle else ""


def _kind(slug: str | None, *, location: str) -> str | None:
    if slug and kinds.get(slug) is None:
        names = ", ".join(k.slug for k in kinds.all_kinds())
        message = f"Unknown kind of notification: choose one of {names}."
        fields = [{"field": "kind", "location": location, "code": "invalid_choice", "message": message}]
        raise ApiError(422, "validation_failed", message, fields=fields)
    return slug or None


@router.get(
    "/notifications",
    response={200: NotificationPage, **READ_ERRORS},
    auth=MEMBER_READ,
    url_name="notifications",
)
def notifications(request: HttpRequest, response: HttpResponse, query: Query[NotificationQuery]):
    """Your notifications, latest activity first; reading them does not mark them read."""
    user = viewer(request)
    page = queries.notification_page(viewer=user, kind=_kind(query.kind, location="query"), before=query.max_id)
    out = present(request)
    items = [
        {
            "id": n.pk,
            "kind": n.kind,
            "text": n.description.text,
            "url": out.url(n.description.url),
            "excerpt": n.description.excerpt,
            "actors": [
                {"handle": a.handle, "display_name": a.display_name, "url": _profile_url(out, a.handle)}
                for a in n.actors
            ],
            "actor_count": max(n.actor_total, len(n.actors)),
            "unread": n.read_at is None,
            "updated_at": n.updated_at,
        }
        for n in page.items
    ]
    return page_body(request, response, list_window(page), items, forward=False)


@router.get(
    "/notifications/unread-count",
    response={200: UnreadOut, **READ_ERRORS},
    auth=MEMBER_READ,
    url_name="notifications_unread",
)
def unread_count(request: HttpRequest):
    count = queries.unread_count(viewer(request))
    return {"count": count, "label": queries.badge_label(count)}


@router.post(
    "/notifications/{notification_id}/read",
    response={204: None, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="notification_read",
)
def mark_read(request: HttpRequest, notification_id: Id):
    user = viewer(request)
    check_rate("notifications", user.pk, limit=600, period=300)
    if not actions.mark_read(member=user, notification_id=notification_id):
        raise Http404("No such notification")
    return Status(204, None)


@router.post(
    "/notifications/read-all",
    response={200: ReadAllOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="notifications_read_all",
)
def mark_all_read(request: HttpRequest, payload: ReadAllIn):
    """Mark your unread notifications read (of one kind, up to a position, when given)."""
    user = viewer(request)
    check_rate("notifications", user.pk, limit=600, period=300)
    kind = _kind(payload.kind, location="body")
    return {"marked": actions.mark_all_read(member=user, kind=kind, up_to=payload.up_to)}
