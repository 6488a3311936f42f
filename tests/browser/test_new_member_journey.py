"""The whole new-member journey through the real pages, from sign-up to blocking someone."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from readingroom.accounts.models import User
from readingroom.network import actions as network_actions
from readingroom.testing.browser import assert_accessible
from tests.browser.helpers import csp_errors, log_in, make_member, new_context, new_page, publish

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a long and unguessable passphrase"


def _sign_up(page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Join"))
    assert_accessible(page)
    page.get_by_label("Display name").fill("Nia Newcomer")
    page.get_by_label("Handle").fill("nia")
    page.get_by_label("Email").fill("nia@example.org")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password (again)").fill(NEW_PASSWORD)
    page.get_by_label("I have read the code of conduct and agree to follow it").check()
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", level=1, name="Check your email")).to_be_visible()
    assert_accessible(page)


def _confirm_email(page) -> None:
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1, name="Confirm your email address")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm my address").click()


def _onboard(page, *, follow_name: str, interest_name: str) -> None:
    expect(page.get_by_text("Step 1 of 3")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Sector").select_option(label="Academic library")
    page.get_by_label("Career stage").select_option(label="New professional")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_text("Step 2 of 3")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(interest_name, exact=True).check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_text("Step 3 of 3")).to_be_visible()
    assert_accessible(page)
    card = page.locator(".person-card", has_text=follow_name)
    card.get_by_role("button", name=re.compile(f"^Follow {follow_name}")).click()
    expect(card.get_by_text("Following")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Finish").click()
    expect(page.get_by_role("heading", level=1, name="Home")).to_be_visible()


def test_a_new_member_signs_up_onboards_posts_gets_a_reply_and_blocks_the_replier(
    page, chromium_browser, live_server, vocabulary
):
    cataloguing = vocabulary[0]
    bea = make_member("bea", "Bea Archivist", interests=[cataloguing])
    make_member("dev", "Dev Curator", interests=[cataloguing])
    cal = make_member("cal", "Cal Cataloguer")
    publish(bea, "Our reading room reopens on Monday after the refurbishment.")

    _sign_up(page, live_server)
    _confirm_email(page)
    _onboard(page, follow_name="Bea Archivist", interest_name=cataloguing.name)

    # B's earlier post was merged into the newcomer's home timeline when they followed B.
    expect(page.locator(".post", has_text="reading room reopens on Monday")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Post", exact=True).fill("Hello everyone! First time joining #uklibchat tonight.")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Post by Nia Newcomer")).to_be_visible()
    assert_accessible(page)
    post_url = page.url

    nia = User.objects.get(email="nia@example.org")
    network_actions.follow(follower=cal, followee=nia)
    cal_context = new_context(chromium_browser)
    try:
        cal_page = new_page(cal_context)
        log_in(cal_page, live_server, cal.email)
        new_post = cal_page.locator(".post", has_text="First time joining")
        expect(new_post).to_be_visible()
        expect(new_post.get_by_role("link", name="#uklibchat")).to_be_visible()
        new_post.get_by_role("link", name="Reply").click()
        cal_page.get_by_label("Post", exact=True).fill("Welcome aboard, Nia! See you at #uklibchat.")
        cal_page.get_by_role("button", name="Reply", exact=True).click()
        expect(cal_page.get_by_role("region", name="Replies")).to_contain_text("Welcome aboard, Nia!")
        assert csp_errors(cal_page) == []
    finally:
        cal_context.close()

    page.goto(post_url)
    replies = page.get_by_role("region", name="Replies")
    expect(replies.get_by_text("Welcome aboard, Nia!")).to_be_visible()
    assert_accessible(page)

    replies.get_by_role("link", name="Cal Cataloguer").click()
    expect(page.get_by_role("heading", level=1, name="Cal Cataloguer")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Block Cal Cataloguer").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Blocked and muted", re.I))).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("You blocked")
    expect(page.get_by_role("region", name="Blocked")).to_contain_text("@cal")
    assert_accessible(page)

    page.goto(f"{live_server.url}/@cal")
    expect(page.get_by_role("heading", level=1, name="Not found")).to_be_visible()
    assert_accessible(page)
    page.goto(post_url)
    expect(page.get_by_role("region", name="Replies")).not_to_contain_text("Welcome aboard")
    assert csp_errors(page) == []
