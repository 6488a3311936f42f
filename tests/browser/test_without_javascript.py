"""Every core action works as a plain HTML form when JavaScript is off."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from readingroom.accounts.models import Follow
from tests.browser.helpers import csp_errors, log_in, make_member, new_context, new_page, publish

pytestmark = pytest.mark.browser


@pytest.fixture
def no_js_page(chromium_browser):
    context = new_context(chromium_browser, java_script_enabled=False)
    yield new_page(context)
    context.close()


def test_a_member_without_javascript_posts_likes_bookmarks_and_follows(no_js_page, live_server, transactional_db):
    page = no_js_page
    member = make_member("jo", "Jo Librarian")
    other = make_member("kim", "Kim Archivist")
    publish(other, "Looking for tips on cataloguing zines.")

    log_in(page, live_server, member.email)
    page.get_by_label("Post", exact=True).fill("Posting without any JavaScript at all.")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Post by Jo Librarian")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Your post is published.")

    page.goto(f"{live_server.url}/local")
    post = page.locator(".post", has_text="cataloguing zines")
    post.get_by_role("button", name="Like").click()
    post = page.locator(".post", has_text="cataloguing zines")
    expect(post.get_by_role("button", name="Like")).to_have_attribute("aria-pressed", "true")
    expect(post).to_contain_text("1 like")
    post.get_by_role("button", name="Bookmark").click()
    post = page.locator(".post", has_text="cataloguing zines")
    expect(post.get_by_role("button", name="Bookmark")).to_have_attribute("aria-pressed", "true")

    page.get_by_role("link", name="Bookmarks").click()
    expect(page.get_by_role("heading", level=1, name="Bookmarks")).to_be_visible()
    expect(page.locator(".post", has_text="cataloguing zines")).to_be_visible()

    page.goto(f"{live_server.url}/@kim")
    page.get_by_role("button", name="Follow Kim Archivist").click()
    expect(page.get_by_role("heading", level=1, name="Kim Archivist")).to_be_visible()
    expect(page.get_by_role("button", name="Unfollow Kim Archivist")).to_be_visible()
    assert Follow.objects.filter(follower=member, followee=other).exists()
    page.get_by_role("link", name="Home").click()
    expect(page.locator(".post", has_text="cataloguing zines")).to_be_visible()
    assert csp_errors(page) == []
