"""Groups in a real browser: a private cohort made through the form, joined by an invitation link
and posted to; and a public group found in the directory by tag, joined, whose next post reaches
the new member's home timeline."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from readingroom.groups import actions as group_actions
from readingroom.posts import actions as post_actions
from readingroom.posts.models import Post
from readingroom.testing.browser import assert_accessible
from tests.browser.helpers import csp_errors, log_in, make_member, new_context, new_page

pytestmark = pytest.mark.browser

CONDUCT = "Be kind. What is said in the cohort stays in the cohort."


def _create_private_group(page, live_server) -> str:
    """Member A starts a private cohort group through the form; returns the group page's URL."""
    page.goto(f"{live_server.url}/groups/")
    expect(page.get_by_role("heading", level=1, name="Groups")).to_be_visible()
    page.get_by_role("link", name="Start a group").click()
    expect(page.get_by_role("heading", level=1, name="Start a group")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Cohort 2027")
    page.get_by_label("One-line summary").fill("Next year's MLIS cohort")
    page.get_by_role("group", name="Who can see and join it").get_by_label(re.compile("^Private")).check()
    page.get_by_label("About", exact=True).fill("Notes, questions and **moral support** for the 2027 cohort.")
    page.get_by_label("Code of conduct").fill(CONDUCT)
    page.get_by_label("Tags", exact=True).fill("cohort 2027, mlis")
    page.get_by_role("button", name="Start the group").click()
    expect(page.get_by_role("heading", level=1, name="Cohort 2027")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Cohort 2027 is ready")
    expect(page.locator(".group-header")).to_contain_text("Private group")
    expect(page.locator(".group-header")).to_contain_text("You are owner")
    assert_accessible(page)
    return page.url


def _make_invitation_link(page) -> str:
    page.get_by_role("navigation", name="Cohort 2027").get_by_role("link", name="Invitations").click()
    expect(page.get_by_role("heading", level=2, name="Make an invitation link")).to_be_visible()
    page.get_by_label("The link works for").select_option(label="7 days")
    page.get_by_label("Note for yourself").fill("First-week email")
    page.get_by_role("button", name="Make a link").click()
    link_field = page.locator("#new-link")
    expect(link_field).to_have_attribute("readonly", "")
    expect(page.get_by_role("heading", level=2, name="Your new invitation link")).to_be_visible()
    expect(page.get_by_role("region", name="Links that still work")).to_contain_text("First-week email")
    assert_accessible(page)
    link = link_field.input_value()
    assert re.search(r"/groups/invite/[\w-]+$", link), link
    return link


def _join_by_invitation(page, link: str, group_url: str) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", level=1, name="You are invited to join Cohort 2027")).to_be_visible()
    expect(page.get_by_role("region", name="Code of conduct")).to_contain_text("stays in the cohort")
    assert_accessible(page)
    # The code of conduct must be accepted first.
    page.get_by_role("button", name="Join Cohort 2027").click()
    expect(page.get_by_text("Please read and accept the group's code of conduct to join.")).to_be_visible()
    page.get_by_label("I have read the code of conduct and will follow it").check()
    page.get_by_role("button", name="Join Cohort 2027").click()
    expect(page).to_have_url(group_url)
    expect(page.get_by_role("heading", level=1, name="Cohort 2027")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Welcome to Cohort 2027.")
    expect(page.locator(".group-header")).to_contain_text("You are a member")


def test_a_private_cohort_is_made_joined_by_invitation_posted_to_and_closed_to_outsiders(
    page, chromium_browser, live_server, transactional_db
):
    ana = make_member("ana", "Ana Archivist")
    ben = make_member("ben", "Ben Bibliographer")
    cal = make_member("cal", "Cal Cataloguer")

    log_in(page, live_server, ana.email)
    group_url = _create_private_group(page, live_server)
    link = _make_invitation_link(page)

    ben_context = new_context(chromium_browser)
    try:
        ben_page = new_page(ben_context)
        log_in(ben_page, live_server, ben.email)
        _join_by_invitation(ben_page, link, group_url)
        composer = ben_page.get_by_role("form", name="Post to the group")
        expect(composer).to_contain_text("Only the group's members can read this.")
        composer.get_by_label("Post", exact=True).fill("Hello cohort! Who else starts the cataloguing module?")
        composer.get_by_role("button", name="Post", exact=True).click()
        expect(ben_page).to_have_url(group_url)
        expect(ben_page.get_by_role("status")).to_contain_text("Your post is published.")
        posts = ben_page.get_by_role("region", name="Posts")
        expect(posts.locator(".post", has_text="Who else starts the cataloguing module?")).to_be_visible()
        assert_accessible(ben_page)
        assert csp_errors(ben_page) == []
    finally:
        ben_context.close()
    post = Post.objects.get(body__contains="Who else starts the cataloguing module?")
    assert post.group is not None and post.group.name == "Cohort 2027"

    page.goto(group_url)
    ben_post = page.get_by_role("region", name="Posts").locator(".post", has_text="cataloguing module")
    expect(ben_post).to_be_visible()
    expect(ben_post).to_contain_text("Ben Bibliographer")
    page.get_by_role("navigation", name="Cohort 2027").get_by_role("link", name="Members").click()
    expect(page.get_by_role("region", name="Members")).to_contain_text("Ben Bibliographer")
    assert_accessible(page)
    assert csp_errors(page) == []

    cal_context = new_context(chromium_browser)
    try:
        cal_page = new_page(cal_context)
        log_in(cal_page, live_server, cal.email)
        cal_page.goto(group_url)  # an outsider of a private group gets its about page
        expect(cal_page).to_have_url(f"{group_url}/about")
        expect(cal_page.get_by_role("heading", level=1, name="Cohort 2027")).to_be_visible()
        expect(cal_page.get_by_text("Only members can read this group's posts.")).to_be_visible()
        expect(cal_page.get_by_role("region", name="Code of conduct")).to_contain_text("stays in the cohort")
        tabs = cal_page.get_by_role("navigation", name="Cohort 2027")
        expect(tabs.get_by_role("link", name="Posts")).to_have_count(0)
        expect(tabs.get_by_role("link", name="About")).to_have_attribute("aria-current", "page")
        expect(cal_page.get_by_role("heading", level=2, name="Ask to join")).to_be_visible()
        expect(cal_page.get_by_role("main")).not_to_contain_text("cataloguing module")
        assert_accessible(cal_page)
        response = cal_page.goto(f"{live_server.url}/posts/{post.pk}")
        assert response.status == 404
        expect(cal_page.get_by_role("main")).not_to_contain_text("cataloguing module")
        response = cal_page.goto(f"{group_url}/members")
        assert response.status == 404
        assert csp_errors(cal_page) == []
    finally:
        cal_context.close()


def test_a_member_finds_a_public_group_by_tag_joins_it_and_its_next_post_reaches_their_home(
    page, live_server, transactional_db
):
    dev = make_member("dev", "Dev Curator")
    cal = make_member("cal", "Cal Cataloguer")
    zines = group_actions.create_group(
        creator=dev,
        name="Zine librarians",
        privacy="public",
        summary="Collecting, cataloguing and lending zines",
        conduct="Credit zine makers. No doxxing.",
        tags=["zines", "cataloguing"],
    )
    group_actions.create_group(creator=dev, name="Rare books", privacy="public", tags=["rare books"])

    log_in(page, live_server, cal.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Groups").click()
    expect(page.get_by_role("heading", level=1, name="Groups")).to_be_visible()
    main = page.get_by_role("main")
    main.get_by_label("Tag", exact=True).fill("zines")
    main.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"tag=zines"))
    groups = page.get_by_role("region", name="Groups")
    expect(groups.get_by_role("link", name="Zine librarians")).to_be_visible()
    expect(groups.get_by_role("link", name="Rare books")).to_have_count(0)
    expect(page.get_by_role("status")).to_have_text("Showing 1 group.")
    assert_accessible(page)

    groups.get_by_role("link", name="Zine librarians").click()
    expect(page.get_by_role("heading", level=1, name="Zine librarians")).to_be_visible()
    expect(page.get_by_role("form", name="Post to the group")).to_have_count(0)  # not a member yet
    page.get_by_role("link", name="Join the group").click()
    join = page.get_by_role("region", name="Join this group")
    join.get_by_label("I have read the code of conduct and will follow it").check()
    join.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Welcome to Zine librarians.")
    expect(page.get_by_role("form", name="Post to the group")).to_be_visible()

    # The owner's next post fans out to the members' home timelines (tasks run at once in tests).
    post_actions.create_post(author=dev, body="Zine swap at the library on Saturday!", visibility="public", group=zines)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    expect(page.get_by_role("heading", level=1, name="Home")).to_be_visible()
    swap = page.locator(".post", has_text="Zine swap at the library on Saturday!")
    expect(swap).to_be_visible()
    expect(swap.get_by_role("link", name="Zine librarians")).to_be_visible()
    assert_accessible(page)
    assert csp_errors(page) == []
