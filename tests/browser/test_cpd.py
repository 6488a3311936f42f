"""The CPD log in a real browser: a member sets a requirement, logs a webinar with hours and a
reflection, links it to a goal, and sees the 12-month total and the chart move; every page passes
the accessibility checks."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from readingroom.cpd.models import CPDEntry
from readingroom.goals.models import Goal
from readingroom.testing.browser import assert_accessible
from tests.browser.helpers import csp_errors, log_in, make_member

pytestmark = pytest.mark.browser


def test_a_member_logs_a_webinar_and_sees_the_total_and_chart_move(page, live_server, transactional_db):
    ana = make_member("ana", "Ana Archivist")
    goal = Goal.objects.create(owner=ana, title="Learn linked data")
    log_in(page, live_server, ana.email)

    page.goto(f"{live_server.url}/learning/cpd/requirement/")
    page.get_by_label("What it is for (optional)").fill("CILIP revalidation")
    page.get_by_label("Hours").fill("20")
    page.get_by_role("button", name="Save requirement").click()
    expect(page.get_by_text("Your requirement is saved.")).to_be_visible()
    expect(page.locator("#cpd-rolling")).to_contain_text("0 h logged in the last 12 months")
    expect(page.locator("#cpd-status")).to_contain_text("Behind: 20 h to go")
    chart = page.get_by_role("img", name="Hours per month by activity type")
    expect(chart).to_contain_text("No data")
    assert_accessible(page)

    # Another page's "Log this as CPD" link fills the form in.
    page.goto(f"{live_server.url}/learning/cpd/new/?title=Webinar%3A+BIBFRAME+basics&activity_type=webinar&hours=1.5")
    expect(page.get_by_label("Title")).to_have_value("Webinar: BIBFRAME basics")
    assert_accessible(page)
    page.get_by_label("Hours").fill("1.3")
    page.get_by_label("What I learned").fill("How BIBFRAME works and maps to MARC.")
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("alert")).to_contain_text("The entry was not saved.")
    expect(page.get_by_text("not a multiple of 0.25")).to_be_visible()
    expect(page.get_by_label("What I learned")).to_have_value("How BIBFRAME works and maps to MARC.")

    page.get_by_label("Hours").fill("1:45")
    page.get_by_label("How I will use it").fill("Describe our new acquisitions with it.")
    page.get_by_label("Online", exact=True).check()
    page.get_by_label("Learn linked data").check()
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_text("Logged: Webinar: BIBFRAME basics (1¾ h).")).to_be_visible()
    expect(page.get_by_role("link", name="Learn linked data")).to_be_visible()
    entry = CPDEntry.objects.get(owner=ana)
    assert entry.quarter_hours == 7 and list(entry.goals.all()) == [goal] and entry.delivery == "online"
    assert_accessible(page)

    page.get_by_role("navigation", name="Learning").get_by_role("link", name="CPD log").click()
    expect(page.locator("#cpd-rolling")).to_contain_text("1¾ h logged in the last 12 months")
    expect(page.locator("#cpd-status")).to_contain_text("On track")
    expect(page.get_by_role("img", name="Hours per month by activity type")).to_have_attribute(
        "aria-label", "Hours per month by activity type, " + chart_range(page) + ": 1¾ h in all"
    )
    page.get_by_text("Hours per month as a table").click()
    expect(page.get_by_role("table", name="Hours per month by activity type, last 12 months")).to_contain_text(
        "Webinar"
    )
    assert_accessible(page)
    assert csp_errors(page) == []


def chart_range(page) -> str:
    label = page.get_by_role("img", name="Hours per month by activity type").get_attribute("aria-label")
    return label.split(", ", 1)[1].split(":", 1)[0]
