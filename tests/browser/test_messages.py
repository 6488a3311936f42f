"""Direct messages in a real browser: two members have the same conversation open; one sends a
message and the other sees it appear without a reload, over the live WebSocket (the live ASGI
app served by uvicorn in this process, since the test database lives in memory), or, with no
live process to reach, by polling the since URL."""

from __future__ import annotations

import copy
import socket
import threading
import time

import pytest
import uvicorn
from django.urls import reverse
from playwright.sync_api import expect

from readingroom.messaging import actions
from readingroom.testing.browser import assert_accessible
from tests.browser.helpers import csp_errors, log_in, make_member, new_context, new_page

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _point_pages_at(settings, port: int, *, poll_seconds: int) -> None:
    # The pages are on http://localhost:<port> (the live server), so the socket is opened on
    # localhost too: the session cookie is the browser's for that host name, whatever the port.
    settings.RR_LIVE_URL = f"ws://localhost:{port}/ws/"
    settings.RR_MESSAGES_POLL_SECONDS = poll_seconds
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)  # django-csp reads it on each response
    policy["DIRECTIVES"]["connect-src"] = ["'self'", f"ws://localhost:{port}"]
    settings.CONTENT_SECURITY_POLICY = policy


@pytest.fixture
def live_socket(settings):
    """readingroom.asgi.application under uvicorn in a background thread, on a free port."""
    from channels.layers import channel_layers

    from readingroom.asgi import application
    from readingroom.messaging.consumers import Poller

    port = _free_port()
    config = uvicorn.Config(
        application, host="127.0.0.1", port=port, ws="websockets", lifespan="off", log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-socket", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the live server did not start"
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(timeout=10)
    # The poller and the in-memory layer belong to the loop that has just closed.
    Poller.watching.clear()
    Poller.task = None
    channel_layers.backends.clear()


@pytest.fixture
def two_members(chromium_browser, live_server, transactional_db):
    ana = make_member("ana", "Ana Archivist")
    ben = make_member("ben", "Ben Bibliographer")
    conversation = actions.start_conversation(sender=ana, recipients=[ben], body="Are you at the conference?")
    contexts = [new_context(chromium_browser), new_context(chromium_browser)]
    try:
        yield ana, ben, conversation, [new_page(c) for c in contexts]
    finally:
        for context in contexts:
            context.close()


def test_a_message_arrives_over_the_websocket_without_a_reload(live_server, live_socket, settings, two_members):
    _point_pages_at(settings, live_socket, poll_seconds=600)  # polling could not deliver in time
    ana, ben, conversation, (ana_page, ben_page) = two_members
    url = live_server.url + reverse("messaging:conversation", args=[conversation.pk])
    for page, member in [(ana_page, ana), (ben_page, ben)]:
        log_in(page, live_server, member.email)
        page.goto(url)
        expect(page.locator("#conversation")).to_have_attribute("data-live", "socket")
    # Typed text would be lost by any reload: it proves the message below arrives in place.
    ana_page.get_by_label("Message", exact=True).fill("A draft that must survive")

    ben_page.get_by_label("Message", exact=True).fill("Yes! See you at the **zine** session.")
    ben_page.get_by_role("button", name="Send", exact=True).click()
    expect(ben_page.locator("#dm-list article").last).to_contain_text("See you at the zine session.")
    expect(ben_page.get_by_label("Message", exact=True)).to_have_value("")

    arrived = ana_page.locator("#dm-list article").last
    expect(arrived).to_contain_text("See you at the zine session.")
    expect(arrived.locator("strong")).to_have_text("zine")
    expect(ana_page.locator("#dm-announce")).to_have_text("New message from Ben Bibliographer")
    expect(ana_page.get_by_label("Message", exact=True)).to_have_value("A draft that must survive")
    expect(ana_page.locator("#conversation")).to_have_attribute("data-live", "socket")

    assert_accessible(ana_page)
    assert csp_errors(ana_page) == [] and csp_errors(ben_page) == []


def test_without_a_live_process_the_page_polls_for_new_messages(live_server, settings, two_members):
    _point_pages_at(settings, _free_port(), poll_seconds=1)  # nothing listens on this port
    ana, ben, conversation, (ana_page, _) = two_members
    log_in(ana_page, live_server, ana.email)
    ana_page.goto(live_server.url + reverse("messaging:conversation", args=[conversation.pk]))
    ana_page.get_by_label("Message", exact=True).fill("A draft that must survive")

    actions.send_message(sender=ben, conversation=conversation, body="Polling found me.")

    expect(ana_page.locator("#dm-list article").last).to_contain_text("Polling found me.")
    expect(ana_page.locator("#dm-announce")).to_have_text("New message from Ben Bibliographer")
    expect(ana_page.locator("#conversation")).to_have_attribute("data-live", "polling")
    expect(ana_page.get_by_label("Message", exact=True)).to_have_value("A draft that must survive")
    assert csp_errors(ana_page) == []
