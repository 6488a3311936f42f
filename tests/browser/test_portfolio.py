"""A portfolio in a real browser: a member builds one from a goal and a CPD entry, downloads the
PDF and finds the goal in its text, shares it by link, a signed-out visitor reads it, and the
revoked link is a 404."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from readingroom.portfolio.tests.factories import CPDEntryFactory, GoalFactory
from readingroom.portfolio.tests.pdftext import pdf_text
from readingroom.testing.browser import assert_accessible
from tests.browser.helpers import csp_errors, log_in, make_member, new_context, new_page

pytestmark = pytest.mark.browser


def test_a_member_builds_exports_shares_and_revokes_a_portfolio(page, chromium_browser, live_server, transactional_db):
    ana = make_member("ana", "Ana Archivist")
    GoalFactory(owner=ana, title="Catalogue in BIBFRAME")
    CPDEntryFactory(owner=ana, title="Linked data webinar")
    log_in(page, live_server, ana.email)

    page.goto(f"{live_server.url}/learning/portfolios/")
    page.get_by_role("link", name="New portfolio").click()
    page.get_by_label("Title").fill("Chartership portfolio")
    page.get_by_label("Introduction").fill("I am a *cataloguer*.")
    page.get_by_role("button", name="Create portfolio").click()
    expect(page.get_by_role("heading", level=1, name="Chartership portfolio")).to_be_visible()

    page.get_by_role("link", name="Add from my goals").click()
    page.get_by_role("button", name=re.compile(r"^Add\W+Catalogue in BIBFRAME$")).click()
    expect(page.get_by_text("Added “Catalogue in BIBFRAME”.")).to_be_visible()
    page.get_by_role("link", name="Back to the portfolio").click()
    page.get_by_role("link", name="Add from my CPD entries").click()
    page.get_by_role("button", name=re.compile(r"^Add\W+Linked data webinar$")).click()
    page.get_by_role("link", name="Back to the portfolio").click()
    page.get_by_label("Heading").fill("Reflective statement")
    page.get_by_role("button", name="Add section").click()
    items = page.locator(".pf-builder-item")
    expect(items).to_have_count(3)
    page.get_by_role("button", name=re.compile(r"^Move up\W+item 3$")).click()
    expect(items.nth(1)).to_contain_text("Reflective statement")
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    pdf = open(download_info.value.path(), "rb").read()  # noqa: PTH123, SIM115
    assert pdf.startswith(b"%PDF")
    assert "Catalogue in BIBFRAME" in pdf_text(pdf)

    page.get_by_role("link", name="Share links").click()
    page.get_by_label("Label").fill("Assessment panel")
    page.get_by_role("button", name="Create link").click()
    share_url = page.get_by_label("Share link").input_value()
    assert "/p/" in share_url
    assert_accessible(page)

    visitor_context = new_context(chromium_browser)
    visitor = new_page(visitor_context)
    visitor.goto(share_url)
    expect(visitor.get_by_role("heading", level=1, name="Chartership portfolio")).to_be_visible()
    expect(visitor.get_by_role("heading", level=2, name="Catalogue in BIBFRAME")).to_be_visible()
    expect(visitor.get_by_role("link", name="Log in")).to_be_visible()  # signed out
    assert_accessible(visitor)

    page.get_by_role("button", name=re.compile(r"^Revoke\s+link Assessment panel$")).click()
    expect(page.get_by_text("Link revoked")).to_be_visible()
    response = visitor.goto(share_url)
    assert response.status == 404
    assert csp_errors(page) == [] and csp_errors(visitor) == []
    visitor_context.close()
