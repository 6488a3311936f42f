"""The WebSocket end of live updates: a browser showing a conversation opens
/ws/conversations/<id>/ and hears {"changed": <message id>} whenever a message in it is sent or
deleted; the page then fetches what it may see over HTTP (the event carries no content).

Who may listen is the conversation's own rule (messaging.permissions), checked on connect with the
session's member. Events arrive through the channel layer: from the web server through Redis, or,
on the embedded defaults, from this process's own poller (one query a second for every open
conversation), because an in-process layer cannot hear another process.
"""

from __future__ import annotations

import asyncio
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.utils import timezone

from readingroom.messaging import realtime

log = logging.getLogger(__name__)
POLL_SECONDS = 1.0


class ConversationConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        conversation_id = self.scope["url_route"]["kwargs"]["conversation_id"]
        if user is None or not user.is_authenticated or not await _may_listen(user, conversation_id):
            await self.close(code=4404)  # the same answer for "no such conversation" and "not yours"
            return
        self.conversation_id = conversation_id
        self.group = realtime.group_name(conversation_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        if not realtime.cross_process(self.channel_layer):
            # The poller's starting point is fixed before the socket opens: a message sent just
            # after it opens is newer, so it is relayed.
            await Poller.start_from_latest()
            Poller.watch(conversation_id)
        await self.accept()

    async def disconnect(self, code):
        group = getattr(self, "group", None)
        if group is not None:
            await self.channel_layer.group_discard(group, self.channel_name)
            if not realtime.cross_process(self.channel_layer):
                Poller.unwatch(self.conversation_id)

    async def receive_json(self, content, **kwargs):
        pass  # listeners only: messages are sent over HTTP, where forms, limits and checks live

    async def conversation_changed(self, event):
        # Re-check on each event: a member who left or was blocked stops hearing at once.
        if not await _may_listen(self.scope["user"], self.conversation_id):
            await self.close(code=4404)
            return
        await self.send_json({"changed": event["message_id"]})


@database_sync_to_async
def _may_listen(user, conversation_id: int) -> bool:
    from readingroom.messaging import permissions
    from readingroom.messaging.models import Conversation

    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return False
    permissions.forget_participation(user, conversation)
    return permissions.can_read(user, conversation)


class Poller:
    """On the embedded defaults: one task per live process that looks for new messages in the
    conversations someone here is watching, and publishes them on the in-process layer."""

    watching: dict[int, int] = {}  # conversation id → open connections
    task: asyncio.Task | None = None
    last_id = 0
    deleted_since = None  # the latest deletion already relayed

    @classmethod
    async def start_from_latest(cls) -> None:
        """Before the first connection of a (re)started poller opens: later messages are news,
        earlier ones were on the page (not relayed again after a quiet spell)."""
        if cls.task is None or cls.task.done():
            cls.last_id = await _latest_message_id()
            cls.deleted_since = timezone.now()

    @classmethod
    def watch(cls, conversation_id: int) -> None:
        cls.watching[conversation_id] = cls.watching.get(conversation_id, 0) + 1
        if cls.task is None or cls.task.done():
            cls.task = asyncio.get_running_loop().create_task(cls.run())

    @classmethod
    def unwatch(cls, conversation_id: int) -> None:
        left = cls.watching.get(conversation_id, 0) - 1
        if left > 0:
            cls.watching[conversation_id] = left
        else:
            cls.watching.pop(conversation_id, None)

    @classmethod
    async def run(cls) -> None:
        layer = get_channel_layer()
        while cls.watching:
            try:
                changes, cls.deleted_since = await _changes(list(cls.watching), cls.last_id, cls.deleted_since)
                for conversation_id, message_id in changes:
                    await layer.group_send(
                        realtime.group_name(conversation_id), {"type": "conversation.changed", "message_id": message_id}
                    )
                    cls.last_id = max(cls.last_id, message_id)
            except Exception:  # keep relaying after a database hiccup
                log.warning("live poll failed", exc_info=True)
            await asyncio.sleep(POLL_SECONDS)
        cls.task = None


@database_sync_to_async
def _latest_message_id() -> int:
    from readingroom.messaging.models import Message

    return Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@database_sync_to_async
def _changes(conversation_ids: list[int], after: int, deleted_since):
    from readingroom.messaging import queries

    return queries.live_changes(conversation_ids, after, deleted_since or timezone.now())
