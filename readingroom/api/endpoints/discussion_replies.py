"""Discussions: a topic's numbered replies through the API: pages of replies by number, replying,
reading, editing and deleting one reply, and its edit history. Split from `discussions` (the
topics), whose lookups and error mapping these operations share; each does what the topic page
does (readingroom/discussions/views.py) through the same action, query and permission check."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from readingroom.accounts import queries as account_queries
from readingroom.api.auth import ANYONE, MEMBER_WRITE
from readingroom.api.common import ANYONE_SECURITY, OBJECT_READ_ERRORS, WRITE_ERRORS, present, viewer
from readingroom.api.endpoints.discussions import BodyNumber, Number, ReplyBody, author, found_topic, refused
from readingroom.api.present import Presenter
from readingroom.api.schemas import GroupSlug, Id, Input, MemberOut
from readingroom.core.ratelimit import check_rate
from readingroom.discussions import actions, queries
from readingroom.discussions import permissions as perms
from readingroom.discussions.models import Attachment, Reply, Topic

router = Router(tags=["Discussions"])


# --- Schemas -------------------------------------------------------------------------------------


class TopicReplyQuery(Input):
    from_: Number | SkipJsonSchema[None] = Field(
        None,
        alias="from",
        description="Show the page that holds this reply number (pages are fixed runs: 1–50, 51–100, …); "
        "past the last reply, the last page. Left out: the first page.",
    )


class TopicReplyIn(Input):
    body: ReplyBody = Field(description="Markdown; @handles mention members.")  # type: ignore[valid-type]
    parent: BodyNumber | None = Field(
        None, description="The number of the reply this answers (its author is told); one that is not there is a 404."
    )


class TopicReplyEditIn(Input):
    body: ReplyBody = Field(description="The new Markdown; the earlier version is kept in the history.")  # type: ignore[valid-type]


class TopicAttachmentOut(Schema):
    name: str
    content_type: str
    size: int = Field(description="In bytes.")
    alt_text: str = Field(description="The description of an image (required for images).")
    url: str = Field(description="The file, served to whoever may read the topic (a session or the page's link).")


class TopicReplyOut(Schema):
    number: int = Field(description="Its place in the topic: 1 is the opening post. Never reused.")
    url: str = Field(description="Its permanent link: the page that shows it, at its anchor.")
    author: MemberOut | None = Field(description="Null when the account is gone, or when the reply is hidden.")
    parent: int | None = Field(description="The number of the reply this answers.")
    body: str | None = Field(description="The Markdown source; null when deleted or hidden.")
    body_html: str | None = Field(description="Null when deleted or hidden.")
    created_at: datetime
    edited_at: datetime | None
    deleted: bool = Field(description="Deleted replies keep their place and number, with no text or files.")
    hidden: bool = Field(description="By a member you blocked or who blocked you: no author, text or files.")
    attachments: list[TopicAttachmentOut]


class TopicReplyPage(Schema):
    """One page of a topic's replies, in number order. `next_url` and `previous_url` (also in the
    Link header, rel="next" and rel="prev") read on."""

    items: list[TopicReplyOut]
    start: int = Field(description="The first number of this page.")
    next_from: int | None
    previous_from: int | None
    next_url: str | None
    previous_url: str | None


class TopicReplyEditOut(Schema):
    body: str
    body_html: str
    title: str = Field(description="For the opening post: the topic's title then; else empty.")
    created_at: datetime = Field(description="When this version was first published.")


class TopicReplyHistoryOut(Schema):
    reply: TopicReplyOut
    edits: list[TopicReplyEditOut] = Field(
        description="Earlier versions, newest first (none shown for a hidden reply)."
    )


# --- Presenting ----------------------------------------------------------------------------------


def _attachment(out: Presenter, topic: Topic, attachment: Attachment) -> dict:
    url = reverse("discussions:attachment", args=[topic.group.slug, topic.pk, attachment.pk, attachment.original_name])
    return {
        "name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "alt_text": attachment.alt_text,
        "url": out.url(url),
    }


def _reply(out: Presenter, topic: Topic, found: Reply, *, hidden: bool) -> dict:
    deleted = found.deleted_at is not None
    shown = not (deleted or hidden)
    return {
        "number": found.number,
        "url": out.url(reverse("discussions:reply_link", args=[topic.group.slug, topic.pk, found.number])),
        "author": None if hidden else author(out, found.author),
        "parent": found.parent.number if found.parent_id else None,
        "body": found.body if shown else None,
        "body_html": out.html(found.body_html) if shown else None,
        "created_at": found.created_at,
        "edited_at": found.edited_at,
        "deleted": deleted,
        "hidden": hidden,
        "attachments": [_attachment(out, topic, a) for a in found.attachments.all()] if shown else [],
    }


def _hidden(user, found: Reply) -> bool:
    """As topic_page marks a reply: withheld by moderation, or its author and the reader block
    one another (either way)."""
    if perms.is_withheld(found):
        return True
    return found.author is not None and account_queries.is_blocked_either_way(user, found.author)


def _found_reply(request, slug: str, topic_id: int, number: int) -> tuple[Topic, Reply]:
    topic = found_topic(request, slug, topic_id)
    return topic, queries.reply_by_number(topic, number)


def _one(request, topic: Topic, found: Reply) -> dict:
    return _reply(present(request), topic, found, hidden=_hidden(viewer(request), found))


def _from_url(request, number: int | None) -> str | None:
    if number is None:
        return None
    params = {**request.GET.dict(), "from": str(number)}
    return request.build_absolute_uri(f"{request.path}?{urlencode(params)}")


# --- Replies -------------------------------------------------------------------------------------


@router.get(
    "/groups/{slug}/topics/{topic_id}/replies",
    response={200: TopicReplyPage, **OBJECT_READ_ERRORS},
    auth=ANYONE,
    openapi_extra=ANYONE_SECURITY,
    url_name="topic_replies",
)
def list_topic_replies(
    request: HttpRequest, response: HttpResponse, query: Query[TopicReplyQuery], slug: GroupSlug, topic_id: Id
):
    """A page of a topic's replies (50), deleted and hidden ones in place so the numbers read on.
    Reading them here does not move your read position: POST …/read does."""
    user = viewer(request)
    topic = found_topic(request, slug, topic_id)
    page = queries.topic_page(user, topic, start=query.from_ or 1)
    out = present(request)
    next_url, previous_url = _from_url(request, page.next_start), _from_url(request, page.previous_start)
    links = [f'<{url}>; rel="{rel}"' for url, rel in ((next_url, "next"), (previous_url, "prev")) if url]
    if links:
        response["Link"] = ", ".join(links)
    return {
        "items": [_reply(out, topic, r, hidden=r.hidden_for_viewer) for r in page.replies],
        "start": page.start,
        "next_from": page.next_start,
        "previous_from": page.previous_start,
        "next_url": next_url,
        "previous_url": previous_url,
    }


@router.post(
    "/groups/{slug}/topics/{topic_id}/replies",
    response={201: TopicReplyOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="topic_replies",
)
def post_topic_reply(request: HttpRequest, payload: TopicReplyIn, slug: GroupSlug, topic_id: Id):
    """Reply at the end of a topic, optionally answering an earlier reply (`parent`). The group's
    members reply while the topic is open (moderators also to a locked one); others who may read
    it, and everyone in a locked or archived topic, get a 403. Attachments: in the pages only."""
    user = viewer(request)
    topic = found_topic(request, slug, topic_id)
    parent = queries.reply_by_number(topic, payload.parent) if payload.parent is not None else None
    try:
        actions.clean_body(payload.body)  # first, so refused input does not count against the rate limit
        check_rate("discussion", user.pk, limit=30, period=300)
        new = actions.reply(author=user, topic=topic, body=payload.body, parent=parent)
    except ValidationError as exc:
        raise refused(exc) from exc
    return Status(201, _one(request, topic, queries.reply_by_number(topic, new.number)))


@router.get(
    "/groups/{slug}/topics/{topic_id}/replies/{number}",
    response={200: TopicReplyOut, **OBJECT_READ_ERRORS},
    auth=ANYONE,
    openapi_extra=ANYONE_SECURITY,
    url_name="topic_reply",
)
def get_topic_reply(request: HttpRequest, slug: GroupSlug, topic_id: Id, number: Number):
    return _one(request, *_found_reply(request, slug, topic_id, number))


@router.patch(
    "/groups/{slug}/topics/{topic_id}/replies/{number}",
    response={200: TopicReplyOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="topic_reply",
)
def edit_topic_reply(request: HttpRequest, payload: TopicReplyEditIn, slug: GroupSlug, topic_id: Id, number: Number):
    """Change a reply's text (its author while the topic is not archived, or a moderator; other
    readers get a 403). The earlier version is kept in its history. The opening post's title and
    tags: PATCH the topic."""
    topic, found = _found_reply(request, slug, topic_id, number)
    try:
        actions.edit_reply(editor=viewer(request), reply=found, body=payload.body)
    except ValidationError as exc:
        raise refused(exc) from exc
    return _one(request, topic, queries.reply_by_number(topic, number))


@router.delete(
    "/groups/{slug}/topics/{topic_id}/replies/{number}",
    response={204: None, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="topic_reply",
)
def delete_topic_reply(request: HttpRequest, slug: GroupSlug, topic_id: Id, number: Number):
    """Delete a reply (its author, or a moderator; a 403 for others and for one already deleted):
    it keeps its place and number with no text, files or history. Deleting reply 1 deletes the topic."""
    _, found = _found_reply(request, slug, topic_id, number)
    actions.delete_reply(actor=viewer(request), reply=found)
    return Status(204, None)


@router.get(
    "/groups/{slug}/topics/{topic_id}/replies/{number}/history",
    response={200: TopicReplyHistoryOut, **OBJECT_READ_ERRORS},
    auth=ANYONE,
    openapi_extra=ANYONE_SECURITY,
    url_name="topic_reply_history",
)
def topic_reply_history(request: HttpRequest, slug: GroupSlug, topic_id: Id, number: Number):
    """A reply and its earlier versions (the latest 50), for whoever may read the topic."""
    topic, found = _found_reply(request, slug, topic_id, number)
    hidden = _hidden(viewer(request), found)
    out = present(request)
    edits = [] if hidden else queries.edit_history(found)
    return {
        "reply": _reply(out, topic, found, hidden=hidden),
        "edits": [
            {"body": e.body, "body_html": out.html(e.body_html), "title": e.title, "created_at": e.created_at}
            for e in edits
        ],
    }
