"""Direct messages: the inbox, starting a conversation, reading and sending its messages, deleting
one's own, read state and unread counts, leaving, adding people, muting, and who may message you.

Each operation does what the matching page does (readingroom/messaging/urls.py) through the same
action, query and permission check (messaging.actions, .queries, .permissions): a conversation is
read by its active participants only, and is a 404 to everyone else (someone who left included);
what a participant may see but not do (send in a one-to-one conversation after a block, a
suspension or a withdrawn consent; delete someone else's message) is a 403. Attachments are sent
from the pages only (the API takes no uploads); the API lists them with their pages' addresses."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field, StrictBool, ValidationInfo, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from readingroom.accounts.queries import blocked_ids
from readingroom.api.auth import MEMBER_READ, MEMBER_WRITE
from readingroom.api.common import OBJECT_READ_ERRORS, READ_ERRORS, WRITE_ERRORS, present, viewer
from readingroom.api.endpoints.groups import _invalid
from readingroom.api.errors import ApiError
from readingroom.api.pagination import after_body
from readingroom.api.present import Presenter
from readingroom.api.schemas import BodyId, Id, Input, MemberOut, Text
from readingroom.core.pagination import MAX_ID, key_moment
from readingroom.core.ratelimit import check_rate
from readingroom.messaging import actions, queries
from readingroom.messaging import permissions as perms
from readingroom.messaging.forms import MAX_RECIPIENTS, members_by_handle
from readingroom.messaging.models import MAX_PARTICIPANTS, Conversation, Message, WhoMayMessage
from readingroom.notifications.kinds import excerpt

router = Router(tags=["Messages"])

WhoCode = Literal[tuple(WhoMayMessage.values)]  # type: ignore[valid-type]
MessageHandle = Annotated[str, Field(min_length=1, max_length=31, pattern=r"^@?[A-Za-z0-9_]{1,30}$")]
MessageBody = Text(settings.RR_MESSAGE_MAX_CHARS, min_length=1)
WHO_TEXT = "everyone: any member; following: only people you follow; nobody: no one may start a conversation."

# Which input an action's refusal is about (its ValidationError codes).
REFUSED_FIELDS = {
    "no_recipients": "recipients",
    "too_many": "recipients",
    "not_allowed": "recipients",
    "empty": "body",
    "too_long": "body",
    "title_long": "title",
    "preference": "who_may_message",
}


def _refused(exc: ValidationError, *, people: str = "recipients") -> ApiError:
    """An action's ValidationError as a 422 naming the field it is about."""
    field = REFUSED_FIELDS.get(getattr(exc, "code", None) or "", "__all__")
    return _invalid(exc, people if field == "recipients" else field)


# --- Schemas -------------------------------------------------------------------------------------


def _inbox_cursor(value: str | None) -> tuple[int, int] | None:
    """The inbox's cursor (queries.parse_inbox_cursor), only one whose key names a moment a calendar
    holds (the query would quietly start from the top; the API says so)."""
    parsed = queries.parse_inbox_cursor(value)
    if parsed is not None and key_moment(parsed[0]) is None:
        return None
    return parsed


class InboxQuery(Input):
    unread: bool = Field(False, description="Only conversations with unread messages.")
    after: Annotated[str, Field(max_length=41, pattern=r"^[0-9]+\.[0-9]+$")] | SkipJsonSchema[None] = Field(
        None, description="The cursor from `next_after` (the `next` link), for the same filter."
    )

    @field_validator("after")
    @classmethod
    def _a_cursor_of_this_list(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and _inbox_cursor(value) is None:
            raise ValueError("This is not a cursor of this list: follow next_url.")
        return value


class MessagesQuery(Input):
    before: Id | SkipJsonSchema[None] = Field(None, description="Only messages older than this id (the `next` link).")
    after: Annotated[int, Field(ge=0, le=MAX_ID)] | SkipJsonSchema[None] = Field(
        None, description="Only messages newer than this id (the `prev` link), oldest first; 0 reads from the first."
    )

    @model_validator(mode="after")
    def _one_direction(self):
        if self.before is not None and self.after is not None:
            raise ValueError("Use before or after, not both.")
        return self


class ConversationIn(Input):
    recipients: list[MessageHandle] = Field(
        min_length=1,
        max_length=MAX_RECIPIENTS,
        description="Handles of the people to message. One handle: your one conversation with them (made, or "
        f"reopened if either of you left it). More: a new small-group conversation (at most {MAX_PARTICIPANTS} "
        "people with you).",
    )
    body: MessageBody = Field(description="The first message, in Markdown.")  # type: ignore[valid-type]
    title: Text(80) = Field("", description="A name for a small group (ignored for one-to-one).")  # type: ignore[valid-type]


class MessageIn(Input):
    body: MessageBody = Field(description="Markdown. Attachments are sent from the conversation's page.")  # type: ignore[valid-type]


class ReadIn(Input):
    up_to: BodyId | None = Field(
        None, description="The id of the newest message you have been shown; left out or null: the latest."
    )


class PeopleIn(Input):
    handles: list[MessageHandle] = Field(min_length=1, max_length=MAX_RECIPIENTS)


class MuteIn(Input):
    muted: StrictBool = Field(description="Muted conversations still count as unread but send no notifications.")


class PreferenceIn(Input):
    who_may_message: WhoCode = Field(description=WHO_TEXT)


class LastMessageOut(Schema):
    id: int
    sender_handle: str | None = Field(description="Null when the sender's account is gone.")
    excerpt: str | None = Field(
        description="Up to 140 characters of its text; null when it was deleted or is hidden from you (a block)."
    )
    created_at: datetime


class InboxItemOut(Schema):
    id: int
    url: str = Field(description="The conversation's page.")
    title: str = Field(description="A small group's name; empty when it has none.")
    is_group: bool = Field(description="A small group (made for three or more people), not a one-to-one conversation.")
    participants: list[MemberOut] = Field(description="The other people in it now.")
    last_message: LastMessageOut | None
    last_message_at: datetime
    unread_count: int
    muted: bool


class InboxPage(Schema):
    """Your conversations, latest message first, 30 a page. Follow `next_url` (also in the Link header)."""

    items: list[InboxItemOut]
    next_url: str | None
    next_after: str | None


class ConversationOut(Schema):
    """A conversation, the people in it and where you stand. Its messages: GET …/messages."""

    id: int
    url: str = Field(description="The conversation's page.")
    title: str
    is_group: bool
    created_at: datetime
    last_message_at: datetime
    last_message_id: int | None
    participants: list[MemberOut] = Field(description="Everyone in it now, you included, in the order they joined.")
    can_send: bool = Field(
        description="False in a one-to-one conversation once either of you blocked the other, the other's "
        "account is suspended, or they no longer accept messages from you."
    )
    unread_count: int
    last_read_message_id: int = Field(description="0 when you have read none.")
    muted: bool


class AttachmentOut(Schema):
    name: str
    content_type: str
    size: int
    alt_text: str
    url: str = Field(description="The file, served to the conversation's participants (a signed-in session).")


class MessageOut(Schema):
    id: int
    sender_handle: str | None = Field(description="Null when the sender's account is gone.")
    body: str = Field(description="The Markdown source; empty when deleted or hidden.")
    body_html: str = Field(description="Empty when deleted or hidden.")
    created_at: datetime
    deleted: bool = Field(description="Its sender took it back.")
    hidden: bool = Field(description="You and its sender block one another (either way): its text is not shown.")
    attachments: list[AttachmentOut]


class MessagePage(Schema):
    """Messages oldest first, 40 at most. `next_url` (rel="next") reads older ones; `prev_url`
    (rel="prev") reads newer ones, for catching up."""

    items: list[MessageOut]
    next_url: str | None
    next_before: int | None
    prev_url: str | None
    prev_after: int | None


class ReadOut(Schema):
    unread_count: int = Field(description="Messages in this conversation you have still not read.")


class MessagesUnreadOut(Schema):
    unread_total: int = Field(description="Unread messages in all your conversations (muted ones included).")


class PeopleOut(Schema):
    added: int = Field(description="How many were not in it already.")
    participants: list[MemberOut]


class MuteOut(Schema):
    muted: bool


class PreferenceOut(Schema):
    who_may_message: WhoCode = Field(description=WHO_TEXT)


# --- Presenting ----------------------------------------------------------------------------------


def _handle(user) -> str | None:
    profile = getattr(user, "profile", None) if user is not None else None
    return profile.handle if profile is not None else None


def _conversation_url(out: Presenter, conversation: Conversation) -> str:
    return out.url(reverse("messaging:conversation", args=[conversation.pk]))


def _last_message(message: Message | None, hidden_senders: set[int]) -> dict | None:
    if message is None:
        return None
    shown = message.deleted_at is None and not perms.withheld_from(message, hidden_senders)
    return {
        "id": message.pk,
        "sender_handle": _handle(message.sender),
        "excerpt": excerpt(message.body) if shown else None,
        "created_at": message.created_at,
    }


def _inbox_item(out: Presenter, row, hidden_senders: set[int]) -> dict:
    conversation = row.conversation
    return {
        "id": conversation.pk,
        "url": _conversation_url(out, conversation),
        "title": conversation.title,
        "is_group": conversation.is_group,
        "participants": [out.member(p.user.profile) for p in conversation.others],
        "last_message": _last_message(conversation.last_message, hidden_senders),
        "last_message_at": row.last_message_at,
        "unread_count": row.unread_count,
        "muted": row.muted,
    }


def _conversation(request, conversation: Conversation) -> dict:
    user, out = viewer(request), present(request)
    mine = perms.participant(user, conversation)
    return {
        "id": conversation.pk,
        "url": _conversation_url(out, conversation),
        "title": conversation.title,
        "is_group": conversation.is_group,
        "created_at": conversation.created_at,
        "last_message_at": conversation.last_message_at,
        "last_message_id": conversation.last_message_id,
        "participants": [out.member(p.user.profile) for p in queries.participants(conversation)],
        "can_send": perms.can_send(user, conversation),
        "unread_count": mine.unread_count if mine else 0,
        "last_read_message_id": mine.last_read_message_id if mine else 0,
        "muted": mine.muted if mine else False,
    }


def _fresh(request, conversation: Conversation) -> dict:
    """The conversation as it is now (actions change the rows, not the objects in hand)."""
    user = viewer(request)
    perms.forget_participation(user, conversation)
    return _conversation(request, queries.conversation_for(user, conversation.pk))


def _attachment(out: Presenter, conversation_id: int, attachment) -> dict:
    url = reverse("messaging:attachment", args=[conversation_id, attachment.pk, attachment.original_name])
    return {
        "name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "alt_text": attachment.alt_text,
        "url": out.url(url),
    }


def _message(out: Presenter, message: Message) -> dict:
    deleted = message.deleted_at is not None
    hidden = bool(getattr(message, "hidden_for_viewer", False))
    shown = not (deleted or hidden)
    return {
        "id": message.pk,
        "sender_handle": _handle(message.sender),
        "body": message.body if shown else "",
        "body_html": out.html(message.body_html) if shown else "",
        "created_at": message.created_at,
        "deleted": deleted,
        "hidden": hidden,
        "attachments": [_attachment(out, message.conversation_id, a) for a in message.attachments.all()]
        if shown
        else [],
    }


def _members(handles: list[str], *, field: str) -> list:
    """The members these handles name, through the pages' own reading of a "To" field (any case,
    an @ allowed, each once): a handle nobody active has is a 422. Whether each may be messaged
    is the action's to say."""
    try:
        return members_by_handle(", ".join(handles), limit=MAX_RECIPIENTS)
    except ValidationError as exc:
        raise _invalid(exc, field) from exc


# --- The inbox -----------------------------------------------------------------------------------
# /conversations/unread is registered before /conversations/{conversation_id}: Django tries paths
# in order, and "unread" would otherwise be taken for an id (and refused).


@router.get("/conversations", response={200: InboxPage, **READ_ERRORS}, auth=MEMBER_READ, url_name="conversations")
def list_conversations(request: HttpRequest, response: HttpResponse, query: Query[InboxQuery]):
    """Your conversations, latest message first (30 a page), each with the other people in it,
    its latest message and your unread count. Conversations you left are not listed."""
    user, out = viewer(request), present(request)
    page = queries.inbox(user, after=_inbox_cursor(query.after), unread_only=query.unread)
    hidden_senders = blocked_ids(user) if page.items else set()
    items = [_inbox_item(out, row, hidden_senders) for row in page.items]
    return after_body(request, response, items, page.next_cursor)  # type: ignore[arg-type]


@router.post(
    "/conversations", response={201: ConversationOut, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="conversations"
)
def start_conversation(request: HttpRequest, payload: ConversationIn):
    """Message one member (your one conversation with them, made or reopened) or a small group (a
    new conversation). Each recipient must accept messages from you by their choice (any member,
    people they follow, nobody) and neither of you may block the other, else a 422 naming them.
    Attachments are sent from the pages only."""
    user = viewer(request)
    recipients = _members(payload.recipients, field="recipients")
    check_rate("message", user.pk, limit=60, period=300)
    try:
        conversation = actions.start_conversation(
            sender=user, recipients=recipients, body=payload.body, title=payload.title
        )
    except ValidationError as exc:
        raise _refused(exc) from exc
    return Status(201, _fresh(request, conversation))


@router.get(
    "/conversations/unread",
    response={200: MessagesUnreadOut, **READ_ERRORS},
    auth=MEMBER_READ,
    url_name="conversations_unread",
)
def unread_messages_total(request: HttpRequest):
    """How many messages you have not read, in all your conversations (the header's count)."""
    return {"unread_total": queries.unread_total(viewer(request))}


# --- A conversation ------------------------------------------------------------------------------


@router.get(
    "/conversations/{conversation_id}",
    response={200: ConversationOut, **OBJECT_READ_ERRORS},
    auth=MEMBER_READ,
    url_name="conversation",
)
def get_conversation(request: HttpRequest, conversation_id: Id):
    """A conversation you are in, its people and your read state; a 404 to everyone else."""
    return _conversation(request, queries.conversation_for(viewer(request), conversation_id))


@router.get(
    "/conversations/{conversation_id}/messages",
    response={200: MessagePage, **OBJECT_READ_ERRORS},
    auth=MEMBER_READ,
    url_name="conversation_messages",
)
def list_messages(request: HttpRequest, response: HttpResponse, query: Query[MessagesQuery], conversation_id: Id):
    """The latest 40 messages, oldest first; `before` reads the 40 before a message, `after` up to
    40 after one (for catching up). Reading does not mark anything read: POST …/read does."""
    user, out = viewer(request), present(request)
    conversation = queries.conversation_for(user, conversation_id)
    if query.after is not None:
        rows = queries.messages_after(user, conversation, query.after)
        older_than = None  # reading on past the oldest of these would meet what the client has already
    else:
        page = queries.messages_page(user, conversation, before=query.before)
        rows, older_than = page.messages, page.older_than
    newest = rows[-1].pk if rows else query.after
    next_url = _with(request, before=older_than) if older_than else None
    prev_url = _with(request, after=newest) if newest is not None else None
    links = [f'<{next_url}>; rel="next"'] if next_url else []
    if prev_url:
        links.append(f'<{prev_url}>; rel="prev"')
    if links:
        response["Link"] = ", ".join(links)
    return {
        "items": [_message(out, m) for m in rows],
        "next_url": next_url,
        "next_before": older_than,
        "prev_url": prev_url,
        "prev_after": newest,
    }


def _with(request, **cursor) -> str:
    """This address with the other cursor dropped (before and after do not go together)."""
    params = {k: v for k, v in request.GET.items() if k not in ("before", "after")}
    params.update({k: str(v) for k, v in cursor.items()})
    return request.build_absolute_uri(f"{request.path}?{urlencode(params)}")


@router.post(
    "/conversations/{conversation_id}/messages",
    response={201: MessageOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="conversation_messages",
)
def send_message(request: HttpRequest, payload: MessageIn, conversation_id: Id):
    """Send a message. In a one-to-one conversation that has ended (a block either way, a
    suspension, or the other no longer accepts messages from you) this is a 403."""
    user = viewer(request)
    conversation = queries.conversation_for(user, conversation_id)
    check_rate("message", user.pk, limit=60, period=300)
    try:
        message = actions.send_message(sender=user, conversation=conversation, body=payload.body)
    except ValidationError as exc:
        raise _refused(exc) from exc
    return Status(201, _message(present(request), message))


@router.delete(
    "/conversations/{conversation_id}/messages/{message_id}",
    response={204: None, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="conversation_message",
)
def delete_message(request: HttpRequest, conversation_id: Id, message_id: Id):
    """Take back a message you sent: its text and files go, "message deleted" stays in its place.
    Someone else's message (or one already deleted) is a 403."""
    user = viewer(request)
    conversation = queries.conversation_for(user, conversation_id)
    actions.delete_message(actor=user, message=queries.message_in(conversation, message_id))
    return Status(204, None)


@router.post(
    "/conversations/{conversation_id}/read",
    response={200: ReadOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="conversation_read",
)
def mark_conversation_read(request: HttpRequest, payload: ReadIn, conversation_id: Id):
    """Mark the conversation read up to a message (the latest when `up_to` is left out). Your read
    position never moves back."""
    user = viewer(request)
    conversation = queries.conversation_for(user, conversation_id)
    return {"unread_count": actions.mark_read(user=user, conversation=conversation, up_to=payload.up_to)}


@router.post(
    "/conversations/{conversation_id}/leave",
    response={204: None, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="conversation_leave",
)
def leave_conversation(request: HttpRequest, conversation_id: Id):
    """Leave the conversation: it leaves your inbox and you no longer read it (a 404 from then on).
    A one-to-one conversation comes back when either of you writes again."""
    user = viewer(request)
    actions.leave(user=user, conversation=queries.conversation_for(user, conversation_id))
    return Status(204, None)


@router.post(
    "/conversations/{conversation_id}/people",
    response={200: PeopleOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="conversation_people",
)
def add_people(request: HttpRequest, payload: PeopleIn, conversation_id: Id):
    """Add people to a small-group conversation (never to a one-to-one: start a new one), up to
    20 in all. Each must accept messages from you, else a 422 naming them. They see the
    conversation from now on, with nothing unread."""
    user = viewer(request)
    conversation = queries.conversation_for(user, conversation_id)
    members = _members(payload.handles, field="handles")
    try:
        added = actions.add_people(actor=user, conversation=conversation, users=members)
    except ValidationError as exc:
        raise _refused(exc, people="handles") from exc
    out = present(request)
    return {"added": added, "participants": [out.member(p.user.profile) for p in queries.participants(conversation)]}


@router.put(
    "/conversations/{conversation_id}/mute",
    response={200: MuteOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="conversation_mute",
)
def mute_conversation(request: HttpRequest, payload: MuteIn, conversation_id: Id):
    """Mute or unmute: a muted conversation sends no notifications (its messages still count as unread)."""
    user = viewer(request)
    actions.set_muted(user=user, conversation=queries.conversation_for(user, conversation_id), muted=payload.muted)
    return {"muted": payload.muted}


# --- Who may message you -------------------------------------------------------------------------


@router.get("/me/messaging", response={200: PreferenceOut, **READ_ERRORS}, auth=MEMBER_READ, url_name="my_messaging")
def get_messaging_preference(request: HttpRequest):
    """Who may start a conversation with you (or add you to one)."""
    return {"who_may_message": perms.preference(viewer(request))}


@router.put("/me/messaging", response={200: PreferenceOut, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="my_messaging")
def set_messaging_preference(request: HttpRequest, payload: PreferenceIn):
    """Choose who may start a conversation with you. It also ends one-to-one conversations with
    those it leaves out: they can no longer send in them."""
    try:
        found = actions.set_preference(user=viewer(request), who_may_message=payload.who_may_message)
    except ValidationError as exc:
        raise _refused(exc) from exc
    return {"who_may_message": found.who_may_message}
