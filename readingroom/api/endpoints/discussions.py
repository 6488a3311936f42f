"""Discussions: a group's forum through the API: the topic list (latest activity or most replies,
paged by cursor, or searched), starting, reading, editing and deleting a topic, the moderators'
pin, lock and archive, the accepted answer of a question, watch levels and read positions. The
replies of a topic are in discussion_replies, which shares this module's schemas and lookups.

Each operation does what the matching page does (readingroom/discussions/views.py) through the
same action, query and permission check (discussions.actions, .queries, .permissions): a topic a
caller may not read (a private or hidden group's, to outsiders; a deleted one) is a 404; what a
reader may see but not do (a non-member of a public group replying, a member pinning) is a 403."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field, StrictBool, StrictInt, ValidationInfo, field_validator
from pydantic.json_schema import SkipJsonSchema

from readingroom.api.auth import ANYONE, MEMBER_WRITE
from readingroom.api.common import ANYONE_SECURITY, OBJECT_READ_ERRORS, WRITE_ERRORS, present, viewer
from readingroom.api.endpoints.groups import TagName, _invalid
from readingroom.api.errors import ApiError
from readingroom.api.pagination import after_body
from readingroom.api.present import Presenter
from readingroom.api.schemas import GroupSlug, Id, Input, MemberOut, Text
from readingroom.core.pagination import key_moment
from readingroom.core.ratelimit import check_rate
from readingroom.discussions import actions, queries
from readingroom.discussions import permissions as perms
from readingroom.discussions.actions import MAX_TOPIC_TAGS
from readingroom.discussions.models import Reply, Topic, TopicKind, WatchLevel
from readingroom.groups import permissions as group_rules
from readingroom.groups import queries as group_queries
from readingroom.groups.models import Group

router = Router(tags=["Discussions"])

# A reply's number: a PositiveIntegerField, so at most the largest 32-bit integer (PostgreSQL's).
MAX_NUMBER = 2**31 - 1
Number = Annotated[int, Field(ge=1, le=MAX_NUMBER)]  # in a path or query string
BodyNumber = Annotated[StrictInt, Field(ge=1, le=MAX_NUMBER)]  # in a JSON body: a number, not "5" or true
KindCode = Literal[tuple(TopicKind.values)]  # type: ignore[valid-type]
LevelCode = Literal[tuple(WatchLevel.values)]  # type: ignore[valid-type]
TopicSort = Literal[queries.SORTS]  # type: ignore[valid-type]
ReplyBody = Text(settings.RR_REPLY_MAX_CHARS, min_length=1)
LEVELS_TEXT = "all: every reply; mentions: only when you are mentioned or answered; muted: nothing."

# Which input an action's refusal is about (its ValidationError codes), as the pages show them.
REFUSED_FIELDS = {
    "title_short": "title",
    "title_long": "title",
    "too_long": "body",
    "empty": "body",
    "kind": "kind",
    "bad_tag": "tags",
    "too_many_tags": "tags",
    "level": "level",
    "parent": "parent",
    "answer": "number",
}


def refused(exc: ValidationError, *, location: str = "body", field: str | None = None) -> ApiError:
    """An action's ValidationError as a 422 naming the field it is about."""
    error = _invalid(exc, field or REFUSED_FIELDS.get(getattr(exc, "code", None) or "", "__all__"))
    for item in error.extra["fields"]:
        item["location"] = location
    return error


# --- Schemas -------------------------------------------------------------------------------------


def _topic_cursor(value: str | None, sort: str) -> tuple[int, int] | None:
    """The list's cursor (queries.parse_topic_cursor); for `latest`, only one whose key names a
    moment a calendar holds (the query would quietly start from the top; the API says so)."""
    parsed = queries.parse_topic_cursor(value)
    if parsed is not None and sort == "latest" and key_moment(parsed[0]) is None:
        return None
    return parsed


class TopicListQuery(Input):
    sort: TopicSort = Field("latest", description="latest: latest activity first; top: most replies first.")
    tag: Text(40) = Field("", description="Only topics with this tag.")  # type: ignore[valid-type]
    archived: bool = Field(False, description="The group's archive instead of its open topics.")
    unanswered: bool = Field(False, description="Only questions without an accepted answer.")
    q: Text(100) = Field(  # type: ignore[valid-type]
        "",
        description="Words in a topic's title or replies (all of them): the group's 30 best matches, latest "
        "activity first, archived ones included, in `items` with no further pages; the other filters do not apply.",
    )
    after: Annotated[str, Field(max_length=41, pattern=r"^[0-9]+\.[0-9]+$")] | SkipJsonSchema[None] = Field(
        None, description="The cursor from `next_after` (the `next` link), for the same filters and order."
    )

    @field_validator("after")
    @classmethod
    def _a_cursor_of_this_order(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and _topic_cursor(value, info.data.get("sort", "latest")) is None:
            raise ValueError("This is not a cursor of this list: follow next_url.")
        return value


class TopicIn(Input):
    title: Text(150, min_length=1)  # type: ignore[valid-type]
    body: ReplyBody = Field(description="The opening post, in Markdown; @handles mention members.")  # type: ignore[valid-type]
    kind: KindCode = Field(
        TopicKind.DISCUSSION, description="question: its asker (or a moderator) may accept one reply as the answer."
    )
    tags: list[TagName] = Field(default_factory=list, max_length=MAX_TOPIC_TAGS)


class TopicPatchIn(Input):
    """Only the fields sent change; the opening post keeps its earlier version in its history."""

    title: Text(150, min_length=1) | None = None  # type: ignore[valid-type]
    tags: list[TagName] | None = Field(None, max_length=MAX_TOPIC_TAGS)
    body: ReplyBody | None = Field(None, description="The opening post's new Markdown.")  # type: ignore[valid-type]


class TopicFlagsIn(Input):
    """Only the flags sent change."""

    pinned: StrictBool | None = Field(None, description="Listed above the others (at most 10 are shown).")
    locked: StrictBool | None = Field(None, description="No new replies, except the moderators'.")
    archived: StrictBool | None = Field(None, description="Read-only, and listed in the archive only.")


class AcceptedAnswerIn(Input):
    number: BodyNumber | None = Field(description="The number of the reply that answers the question; null clears it.")


class TopicWatchIn(Input):
    level: LevelCode = Field(description=LEVELS_TEXT)


class TopicReadIn(Input):
    number: BodyNumber = Field(description="The highest reply number you have been shown (past the last: the last).")


class TopicWatchOut(Schema):
    level: LevelCode


class TopicOut(Schema):
    id: int
    url: str = Field(description="The topic's page.")
    title: str
    kind: KindCode
    tags: list[str]
    author: MemberOut | None = Field(description="Null when the author's account is gone.")
    replies_count: int = Field(description="Live replies after the opening post.")
    last_activity_at: datetime
    created_at: datetime
    is_pinned: bool
    is_locked: bool
    is_archived: bool
    accepted_reply: int | None = Field(description="The accepted answer's reply number (questions); else null.")
    unread: int | None = Field(
        description="Replies since you last read it; null if you never opened it, and for visitors."
    )


class TopicDetailOut(TopicOut):
    """A topic as its page shows it, and where you stand. Its replies: GET …/replies."""

    group: str = Field(description="The group's slug.")
    last_number: int = Field(description="The latest reply's number (the opening post is 1).")
    read_position: int | None = Field(
        description="The highest number you have read (0: never opened); null for visitors."
    )
    watch_level: LevelCode | None = Field(
        description="Yours for this topic (its own, else the group's, else mentions); null for visitors."
    )
    can_reply: bool
    can_accept: bool = Field(
        description="You may mark (or clear) its accepted answer: a question's asker, or a moderator."
    )
    can_moderate: bool = Field(description="You may pin, lock and archive it, and edit or delete any reply.")
    can_edit: bool = Field(description="You may edit the opening post (title, tags, text) and delete the topic.")


class TopicPage(Schema):
    """One page of a group's topics. Follow `next_url` (also in the Link header) for more."""

    items: list[TopicOut]
    pinned: list[TopicOut] = Field(
        description="The pinned topics (at most 10) that match the filters, on the first page of the open topics "
        "only; they are not repeated in `items`. Empty on later pages, in the archive and in a search."
    )
    next_url: str | None
    next_after: str | None


# --- Presenting ----------------------------------------------------------------------------------


def _accepted_numbers(topics: list[Topic]) -> dict[int, int]:
    """Reply id → number for the topics' accepted answers, in one query for a whole page."""
    ids = {t.accepted_reply_id for t in topics if t.accepted_reply_id}
    return dict(Reply.objects.filter(pk__in=ids).values_list("pk", "number")) if ids else {}


def author(out: Presenter, user) -> dict | None:
    return out.member(user.profile) if user is not None else None


def _topic(out: Presenter, topic: Topic, *, slug: str, accepted: dict[int, int]) -> dict:
    return {
        "id": topic.pk,
        "url": out.url(reverse("discussions:topic", args=[slug, topic.pk])),
        "title": topic.title,
        "kind": topic.kind,
        "tags": [t.name for t in topic.tags.all()],
        "author": author(out, topic.author),
        "replies_count": topic.replies_count,
        "last_activity_at": topic.last_activity_at,
        "created_at": topic.created_at,
        "is_pinned": topic.is_pinned,
        "is_locked": topic.is_locked,
        "is_archived": topic.is_archived,
        "accepted_reply": accepted.get(topic.accepted_reply_id) if topic.accepted_reply_id else None,
        "unread": queries.unread_count(topic),
    }


def _topics(request, topics: list[Topic], slug: str) -> list[dict]:
    out, accepted = present(request), _accepted_numbers(topics)
    return [_topic(out, t, slug=slug, accepted=accepted) for t in topics]


def _detail(request, topic: Topic) -> dict:
    user = viewer(request)
    member = user.is_authenticated
    position = queries.read_position(user, topic) if member else None
    topic.viewer_read = position or None  # as the lists' annotation: None when never opened
    opening = queries.reply_by_number(topic, 1)
    return {
        **_topic(present(request), topic, slug=topic.group.slug, accepted=_accepted_numbers([topic])),
        "group": topic.group.slug,
        "last_number": topic.last_number,
        "read_position": position,
        "watch_level": queries.watch_level(user, topic) if member else None,
        "can_reply": perms.can_reply(user, topic),
        "can_accept": perms.can_accept(user, topic),
        "can_moderate": perms.can_moderate(user, topic),
        "can_edit": perms.can_edit(user, opening),
    }


# --- Finding the group and the topic, as the pages do -------------------------------------------


def readable_group(request, slug: str) -> Group:
    group = group_queries.group_by_slug(slug)
    group_rules.check_can_read_content(viewer(request), group)
    return group


def found_topic(request, slug: str, topic_id: int) -> Topic:
    """The topic, if the caller may read it and it is in this group; otherwise a 404."""
    return queries.topic_by_id(viewer(request), group_queries.group_by_slug(slug), topic_id)


def _fresh(request, slug: str, topic_id: int) -> dict:
    """The topic as it is now (the actions change counters in the database, not on the object)."""
    return _detail(request, found_topic(request, slug, topic_id))


# --- The topic list ------------------------------------------------------------------------------


@router.get(
    "/groups/{slug}/topics",
    response={200: TopicPage, **OBJECT_READ_ERRORS},
    auth=ANYONE,
    openapi_extra=ANYONE_SECURITY,
    url_name="topics",
)
def list_topics(request: HttpRequest, response: HttpResponse, query: Query[TopicListQuery], slug: GroupSlug):
    """A group's topics, 30 a page, latest activity or most replies first, for whoever may read its
    posts (a private or hidden group's are a 404 to outsiders). Pinned topics come first, in
    `pinned`, on the first page; topics by members you blocked (or who blocked you) are left out."""
    user = viewer(request)
    group = readable_group(request, slug)
    if query.q.strip():
        found = queries.search_in_group(user, group, query.q)
        return {**after_body(request, response, _topics(request, found, slug), None), "pinned": []}
    try:
        tags = actions.clean_topic_tags([query.tag]) if query.tag else []
    except ValidationError as exc:
        raise refused(exc, location="query", field="tag") from exc
    filters = queries.TopicFilters(
        sort=query.sort, tag=tags[0] if tags else "", archived=query.archived, unanswered=query.unanswered
    )
    page = queries.topic_list(user, group, filters, after=_topic_cursor(query.after, query.sort))
    pinned = []
    if query.after is None and not filters.archived:
        pinned = [
            t
            for t in queries.pinned_topics(user, group)
            if (not filters.tag or filters.tag in {tag.name for tag in t.tags.all()})
            and (not filters.unanswered or (t.is_question and t.accepted_reply_id is None))
        ]
    body = after_body(request, response, _topics(request, page.items, slug), page.next_cursor)  # type: ignore[arg-type]
    return {**body, "pinned": _topics(request, pinned, slug)}


# --- A topic -------------------------------------------------------------------------------------


@router.post(
    "/groups/{slug}/topics", response={201: TopicDetailOut, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="topics"
)
def start_topic(request: HttpRequest, payload: TopicIn, slug: GroupSlug):
    """Start a topic in a group (its members; a non-member of a public group gets a 403). You watch
    it at every reply. Attachments are added in the pages only (the API takes no uploads)."""
    user = viewer(request)
    group = readable_group(request, slug)
    try:
        # The action's own checks first, so refused input does not count against the rate limit.
        actions.clean_title(payload.title)
        actions.clean_body(payload.body)
        actions.clean_topic_tags(payload.tags)
        check_rate("discussion", user.pk, limit=30, period=300)
        topic = actions.start_topic(
            author=user, group=group, title=payload.title, body=payload.body, kind=payload.kind, tags=payload.tags
        )
    except ValidationError as exc:
        raise refused(exc) from exc
    return Status(201, _fresh(request, slug, topic.pk))


@router.get(
    "/groups/{slug}/topics/{topic_id}",
    response={200: TopicDetailOut, **OBJECT_READ_ERRORS},
    auth=ANYONE,
    openapi_extra=ANYONE_SECURITY,
    url_name="topic",
)
def get_topic(request: HttpRequest, slug: GroupSlug, topic_id: Id):
    """A topic and where you stand in it. Reading it here does not move your read position."""
    return _detail(request, found_topic(request, slug, topic_id))


@router.patch(
    "/groups/{slug}/topics/{topic_id}",
    response={200: TopicDetailOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="topic",
)
def edit_topic(request: HttpRequest, payload: TopicPatchIn, slug: GroupSlug, topic_id: Id):
    """Change the opening post: its title, tags and text (its author while the topic is not archived,
    or a moderator; others get a 403). The earlier text and title are kept in reply 1's history."""
    topic = found_topic(request, slug, topic_id)
    opening = queries.reply_by_number(topic, 1)
    body = opening.body if payload.body is None else payload.body
    try:
        actions.edit_reply(editor=viewer(request), reply=opening, body=body, title=payload.title, tags=payload.tags)
    except ValidationError as exc:
        raise refused(exc) from exc
    return _fresh(request, slug, topic.pk)


@router.delete(
    "/groups/{slug}/topics/{topic_id}", response={204: None, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="topic"
)
def delete_topic(request: HttpRequest, slug: GroupSlug, topic_id: Id):
    """Delete the topic with its replies and files (the opening post's author, or a moderator):
    a 404 from then on."""
    actions.delete_topic(actor=viewer(request), topic=found_topic(request, slug, topic_id))
    return Status(204, None)


@router.post(
    "/groups/{slug}/topics/{topic_id}/moderation",
    response={200: TopicDetailOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="topic_moderation",
)
def moderate_topic(request: HttpRequest, payload: TopicFlagsIn, slug: GroupSlug, topic_id: Id):
    """Pin, lock or archive a topic, or undo it (the group's moderators; other readers get a 403)."""
    topic = found_topic(request, slug, topic_id)
    actions.set_flags(
        actor=viewer(request), topic=topic, pinned=payload.pinned, locked=payload.locked, archived=payload.archived
    )
    return _fresh(request, slug, topic.pk)


@router.put(
    "/groups/{slug}/topics/{topic_id}/accepted",
    response={200: TopicDetailOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="topic_accepted",
)
def accept_topic_answer(request: HttpRequest, payload: AcceptedAnswerIn, slug: GroupSlug, topic_id: Id):
    """Mark the reply that answers a question (its asker, or a moderator; a 403 for others and for
    a discussion topic), or clear it with null. A number no reply has is a 404; the opening post
    or a deleted reply a 422. Its author is told."""
    topic = found_topic(request, slug, topic_id)
    answer = None if payload.number is None else queries.reply_by_number(topic, payload.number)
    try:
        actions.accept_answer(actor=viewer(request), topic=topic, reply=answer)
    except ValidationError as exc:
        raise refused(exc) from exc
    return _fresh(request, slug, topic.pk)


# --- Watching and reading ------------------------------------------------------------------------


@router.put(
    "/groups/{slug}/topics/{topic_id}/watch",
    response={200: TopicWatchOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="topic_watch",
)
def watch_topic(request: HttpRequest, payload: TopicWatchIn, slug: GroupSlug, topic_id: Id):
    """Your level for this topic; it overrides the group's."""
    watch = actions.set_watch(user=viewer(request), topic=found_topic(request, slug, topic_id), level=payload.level)
    return {"level": watch.level}


@router.put(
    "/groups/{slug}/topics-watch",
    response={200: TopicWatchOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="group_topics_watch",
)
def watch_group_topics(request: HttpRequest, payload: TopicWatchIn, slug: GroupSlug):
    """Your level for the whole group's discussions (members; others who may read it get a 403).
    `all` also tells you of every new topic. A topic's own level overrides it."""
    watch = actions.set_group_watch(user=viewer(request), group=group_queries.group_by_slug(slug), level=payload.level)
    return {"level": watch.level}


@router.post(
    "/groups/{slug}/topics/{topic_id}/read",
    response={204: None, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="topic_read",
)
def mark_topic_read(request: HttpRequest, payload: TopicReadIn, slug: GroupSlug, topic_id: Id):
    """Note that you have read up to this reply number, for `unread`; it never moves back."""
    actions.mark_read(user=viewer(request), topic=found_topic(request, slug, topic_id), number=payload.number)
    return Status(204, None)
