"""Search in the browser: a member finds another by interest and country from the header's
search box, narrows by country with the filters (htmx), opens the profile; the page passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from readingroom.testing.browser import assert_accessible
from tests.browser.helpers import csp_errors, log_in, make_member, publish

pytestmark = pytest.mark.browser


def test_a_member_finds_a_colleague_by_interest_and_country_and_opens_their_profile(page, live_server, vocabulary):
    literacy = vocabulary[2]  # Information literacy
    make_member("kiri", "Kiri Tutor", interests=[literacy], country="NZ", headline="Teaching librarian")
    make_member("gus", "Gus Guide", interests=[literacy], country="GB", headline="Subject librarian")
    make_member("nell", "Nell Nearby", country="NZ", headline="Systems librarian")
    viewer = make_member("ola", "Ola Outreach")
    publish(viewer, "Slides from my information literacy workshop are up #infolit")

    log_in(page, live_server, viewer.email)
    header_search = page.get_by_role("search", name="Site search")
    header_search.get_by_label("Search people, posts and hashtags").fill("information literacy")
    header_search.get_by_label("Search people, posts and hashtags").press("Enter")

    expect(page.get_by_role("heading", level=1, name="Search")).to_be_visible()
    people = page.get_by_role("region", name="People")
    expect(people.get_by_role("link", name="Kiri Tutor")).to_be_visible()
    expect(people.get_by_role("link", name="Gus Guide")).to_be_visible()
    expect(people.get_by_role("link", name="Nell Nearby")).to_have_count(0)
    expect(page.get_by_role("region", name="Posts, newest first")).to_contain_text("information literacy workshop")
    assert_accessible(page)

    # Choosing a country refreshes the results in place (htmx) and announces the new count.
    page.get_by_label("Country").select_option(label="New Zealand")
    expect(people.get_by_role("link", name="Gus Guide")).to_have_count(0)
    expect(people.get_by_role("link", name="Kiri Tutor")).to_be_visible()
    expect(page.locator("#search-status")).to_contain_text("Found 1 person")
    assert "country=NZ" in page.url  # the address can be shared or reloaded
    assert_accessible(page)

    people.get_by_role("link", name="Kiri Tutor").click()
    expect(page.get_by_role("heading", level=1, name="Kiri Tutor")).to_be_visible()
    assert csp_errors(page) == []


def test_the_search_page_works_without_javascript(chromium_browser, live_server, vocabulary):
    make_member("kiri", "Kiri Tutor", interests=[vocabulary[2]], country="NZ")
    viewer = make_member("ola", "Ola Outreach")
    context = chromium_browser.new_context(java_script_enabled=False, locale="en-GB")
    try:
        page = context.new_page()
        log_in(page, live_server, viewer.email)
        page.goto(f"{live_server.url}/search/")
        page.get_by_label("People, posts or hashtags").fill("kiri")
        page.get_by_label("Country").select_option(label="New Zealand")
        page.get_by_role("button", name="Search", exact=True).last.click()
        expect(page.get_by_role("region", name="People").get_by_role("link", name="Kiri Tutor")).to_be_visible()
        assert "country=NZ" in page.url
    finally:
        context.close()
