"""The live process end to end: readingroom.asgi.application (origin check, session auth, the
conversation consumer) driven through a WebSocket communicator with a real session cookie.

Events reach the socket as they do in production in both modes: with REDIS_URL through
channels_redis (realtime.publish sends on commit), on the embedded defaults through the consumer's
poller (the in-memory layer cannot hear the web process). The tests are synchronous and drive the
socket with async_to_sync; the database is used through database_sync_to_async on committed data
(transactional tests), as channels and shared/STACK.md require.

channels.testing's WebsocketCommunicator cannot be imported here: the package's __init__ imports
daphne, which the project does not install. `Socket` below is its few methods, on the same asgiref
ApplicationCommunicator (and, as channels' does, it leaves the test's database connection open).
"""

from __future__ import annotations

import json
import os
from unittest import mock

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.test import Client

from readingroom.asgi import application
from readingroom.messaging import actions, realtime
from readingroom.messaging.consumers import Poller
from readingroom.messaging.tests.conftest import fresh
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
WAIT = 8  # seconds: the poller looks once a second, and the machine may be busy


@pytest.fixture(autouse=True)
def _own_layer(settings):
    """Each test process gets its own channel layer prefix on Redis (pytest-xdist workers share
    the server and their conversation ids overlap), and the poller starts clean."""
    layers = settings.CHANNEL_LAYERS
    if "redis" in layers["default"]["BACKEND"].lower():
        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw")
        config = {**layers["default"].get("CONFIG", {}), "prefix": f"rrtest{worker}{os.getpid()}"}
        settings.CHANNEL_LAYERS = {"default": {**layers["default"], "CONFIG": config}}
    Poller.watching.clear()
    Poller.task = None
    yield
    Poller.watching.clear()
    Poller.task = None


class Socket(ApplicationCommunicator):
    """A browser's WebSocket to the live process (channels.testing.WebsocketCommunicator's shape)."""

    def __init__(self, path: str, headers: list[tuple[bytes, bytes]]):
        scope = {"type": "websocket", "path": path, "query_string": b"", "headers": headers, "subprotocols": []}
        super().__init__(application, scope)

    async def send_input(self, message):
        with mock.patch("channels.db.close_old_connections", lambda: None):
            return await super().send_input(message)

    async def receive_output(self, timeout=1):
        with mock.patch("channels.db.close_old_connections", lambda: None):
            return await super().receive_output(timeout)

    async def connect(self, timeout=1) -> bool:
        await self.send_input({"type": "websocket.connect"})
        answer = await self.receive_output(timeout)
        assert answer["type"] in ("websocket.accept", "websocket.close"), answer
        return answer["type"] == "websocket.accept"

    async def receive_json_from(self, timeout=1):
        frame = await self.receive_output(timeout)
        assert frame["type"] == "websocket.send", frame
        return json.loads(frame["text"])

    async def disconnect(self, timeout=1) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": 1000})
        await self.wait(timeout)


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def socket(conversation_id: int, *, user=None, origin: str = "http://localhost") -> Socket:
    headers = [(b"origin", origin.encode()), (b"host", b"localhost")]
    if user is not None:
        headers.append((b"cookie", f"sessionid={session_cookie(user)}".encode()))
    return Socket(f"/ws/conversations/{conversation_id}/", headers)


@database_sync_to_async
def send(sender, conversation, body="Live!"):
    return actions.send_message(sender=fresh(sender), conversation=conversation, body=body).pk


@database_sync_to_async
def leave(user, conversation):
    actions.leave(user=fresh(user), conversation=conversation)


def conversation_of(ana, ben, *more):
    return actions.start_conversation(sender=fresh(ana), recipients=[ben, *more], body="Hello")


def test_the_layer_is_the_one_this_mode_expects():
    """Redis when REDIS_URL is set (events sent directly), else in-memory (the poller relays)."""
    layer = get_channel_layer()
    assert realtime.cross_process(layer) is bool(os.environ.get("REDIS_URL"))


def test_anonymous_strangers_foreign_origins_and_missing_conversations_are_refused(ana, ben, cas):
    conversation = conversation_of(ana, ben)
    attempts = [
        socket(conversation.pk),  # anonymous
        socket(conversation.pk, user=cas),  # signed in, not in it
        socket(conversation.pk, user=ana, origin="https://evil.example"),  # another site's page
        socket(conversation.pk + 1000, user=ana),  # no such conversation
    ]
    staff = UserFactory(is_staff=True, is_superuser=True)
    attempts.append(socket(conversation.pk, user=staff))  # staff do not read others' messages

    async def scenario():
        answers = []
        for communicator in attempts:
            connected = await communicator.connect(timeout=WAIT)
            answers.append(connected)
            await communicator.disconnect()
        return answers

    assert async_to_sync(scenario)() == [False] * len(attempts)
    assert Poller.watching == {}


def test_a_participant_hears_that_a_message_arrived_and_nothing_of_its_words(ana, ben):
    conversation = conversation_of(ana, ben)
    communicator = socket(conversation.pk, user=ben)

    async def scenario():
        connected = await communicator.connect(timeout=WAIT)
        assert connected
        message_id = await send(ana, conversation, "A private word")
        event = await communicator.receive_json_from(timeout=WAIT)
        own_id = await send(ben, conversation, "And mine")
        own_event = await communicator.receive_json_from(timeout=WAIT)
        await communicator.disconnect()
        return message_id, event, own_id, own_event

    message_id, event, own_id, own_event = async_to_sync(scenario)()
    assert event == {"changed": message_id}
    assert own_event == {"changed": own_id}
    assert Poller.watching == {}


def test_a_socket_of_a_conversation_hears_nothing_of_another(ana, ben, cas):
    watched = conversation_of(ana, ben)
    elsewhere = conversation_of(ana, cas)
    communicator = socket(watched.pk, user=ben)

    async def scenario():
        assert await communicator.connect(timeout=WAIT)
        await send(ana, elsewhere, "Not for Ben")
        later = await send(ana, watched, "For Ben")
        event = await communicator.receive_json_from(timeout=WAIT)
        nothing_more = await communicator.receive_nothing(timeout=1.5)
        await communicator.disconnect()
        return later, event, nothing_more

    later, event, nothing_more = async_to_sync(scenario)()
    assert event == {"changed": later} and nothing_more


def test_after_leaving_the_next_event_closes_the_socket(ana, ben, cas):
    group = conversation_of(ana, ben, cas)
    communicator = socket(group.pk, user=cas)

    async def scenario():
        assert await communicator.connect(timeout=WAIT)
        first = await send(ana, group, "Before Cas leaves")
        heard = await communicator.receive_json_from(timeout=WAIT)
        await leave(cas, group)
        await send(ben, group, "After Cas left")
        closing = await communicator.receive_output(timeout=WAIT)
        await communicator.disconnect()  # the browser's side of the closing handshake
        return first, heard, closing

    first, heard, closing = async_to_sync(scenario)()
    assert heard == {"changed": first}
    assert closing == {"type": "websocket.close", "code": 4404}
    assert Poller.watching == {}
