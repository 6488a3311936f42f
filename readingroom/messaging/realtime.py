"""Live updates of conversations: after a message is committed, every open page of the
conversation hears "message N changed" and fetches what it may see (the page, not the event,
applies the visibility rule, so an event carries no content).

The web server (WSGI) publishes through the channel layer; the WebSocket process (ASGI,
messaging/consumers.py) relays to the browsers. With REDIS_URL the layer is Redis and crosses
processes at once; on the embedded defaults the channel layer is in-process, so the WebSocket
process instead polls the message table for new ids (one indexed query a second for all its
connections) and relays the same events.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def group_name(conversation_id: int) -> str:
    return f"conversation.{conversation_id}"


def publish(*, conversation_id: int, message_id: int) -> None:
    try:
        from asgiref.sync import async_to_sync
        from channels.layers import get_channel_layer
    except ImportError:  # pragma: no cover - channels is a runtime dependency
        return
    layer = get_channel_layer()
    if layer is None or not cross_process(layer):
        return  # the WebSocket process polls instead
    try:
        async_to_sync(layer.group_send)(
            group_name(conversation_id), {"type": "conversation.changed", "message_id": message_id}
        )
    except Exception:  # a live update is a courtesy: the message is saved, pages poll as a fallback
        log.warning("live update for conversation %s not sent", conversation_id, exc_info=True)


def cross_process(layer) -> bool:
    return type(layer).__name__ != "InMemoryChannelLayer"
