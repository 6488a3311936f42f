"""Notifications in a real browser: the header count rises without a reload, opening a notification
leads to the post, and the notifications and settings pages pass the accessibility checks."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from readingroom.posts import actions as post_actions
from readingroom.testing.browser import assert_accessible
from tests.browser.helpers import csp_errors, log_in, make_member, publish

pytestmark = pytest.mark.browser


def test_a_mentioned_member_sees_the_count_rise_live_opens_the_notification_and_replies(
    page, live_server, transactional_db, settings
):
    settings.RR_NOTIFICATIONS_POLL_SECONDS = 1  # the header polls every second instead of every 20
    ana = make_member("ana", "Ana Archivist")
    ben = make_member("ben", "Ben Bibliographer")
    log_in(page, live_server, ana.email)
    header_link = page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("^Notifications"))
    expect(header_link).to_have_accessible_name("Notifications")
    # Text typed now would be lost by any reload: it proves the count below arrives in place.
    composer = page.get_by_label("Post", exact=True)
    composer.fill("A draft that must survive")

    publish(ben, "Has anyone catalogued zines before? @ana might know.")

    expect(page.locator("#notification-badge .notification-count")).to_have_text("1")
    expect(header_link).to_have_accessible_name("Notifications, 1 unread")
    expect(page.locator("#notification-badge")).to_have_attribute("aria-live", "polite")
    expect(composer).to_have_value("A draft that must survive")

    header_link.click()
    expect(page.get_by_role("heading", level=1, name="Notifications")).to_be_visible()
    item = page.locator(".notification", has_text="Ben Bibliographer mentioned you")
    expect(item).to_contain_text("catalogued zines")
    expect(item).to_contain_text("New")
    assert_accessible(page)

    item.get_by_role("link", name="Ben Bibliographer mentioned you").click()
    expect(page.get_by_role("heading", level=1, name="Post by Ben Bibliographer")).to_be_visible()
    expect(page.locator("#notification-badge .notification-count")).to_have_count(0)  # opened, so read
    page.get_by_label("Post", exact=True).fill("Yes! Start with the zine librarians' code of conduct.")
    page.get_by_role("button", name="Reply", exact=True).click()
    expect(page.get_by_role("region", name="Replies")).to_contain_text("zine librarians' code of conduct")
    assert csp_errors(page) == []


def test_marking_notifications_read_with_htmx_and_the_settings_page(page, live_server, transactional_db, settings):
    settings.RR_NOTIFICATIONS_POLL_SECONDS = 1
    ana = make_member("ana", "Ana Archivist")
    fans = [make_member(f"fan{i}", f"Fan {i}") for i in range(3)]
    first, second = publish(ana, "First post"), publish(ana, "Second post")
    for fan in fans:
        post_actions.like(user=fan, post=first)
    post_actions.boost(user=fans[0], post=second)

    log_in(page, live_server, ana.email)
    expect(page.locator("#notification-badge .notification-count")).to_have_text("2")
    page.goto(f"{live_server.url}/notifications/")
    likes = page.locator(".notification", has_text="Fan 2 and 2 others liked your post")
    expect(likes).to_be_visible()
    assert_accessible(page)

    likes.get_by_role("button", name=re.compile("^Mark as read")).click()
    expect(page.locator(".notification", has_text="liked your post")).not_to_contain_text("New")
    expect(page.locator("#notification-badge .notification-count")).to_have_text("1")
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator("#notification-status")).to_have_text("All notifications are marked as read.")
    expect(page.locator("#notification-badge .notification-count")).to_have_count(0)
    expect(page.locator(".notification.unread")).to_have_count(0)

    page.get_by_role("link", name="Boosts").click()
    expect(page.locator(".notification")).to_have_count(1)
    expect(page.locator(".notification")).to_contain_text("Fan 0 boosted your post")

    page.get_by_role("link", name="Choose which notifications you get, and how").click()
    expect(page.get_by_role("heading", level=1, name="Notification settings")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Likes").get_by_label("Off").check()
    page.get_by_label("Quiet from").fill("22:00")
    page.get_by_label("Quiet until").fill("07:00")
    page.get_by_role("button", name="Save notification settings").click()
    expect(page.get_by_role("status")).to_contain_text("Your notification settings are saved.")
    expect(page.get_by_role("group", name="Likes").get_by_label("Off")).to_be_checked()
    expect(page.get_by_label("Quiet from")).to_have_value("22:00")
    assert_accessible(page)
    assert csp_errors(page) == []
