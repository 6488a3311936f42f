"""The balance area in a real browser: a member takes the stage check-in, reads their stage and
advice, sets a weekly time and sees the balance panel with a suggestion; every page passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from readingroom.pln.checkin import QUESTIONS
from readingroom.pln.models import StageCheckIn, TimeIntention
from readingroom.testing.browser import assert_accessible
from tests.browser.helpers import csp_errors, log_in, make_member

pytestmark = pytest.mark.browser


def test_a_member_checks_in_sets_a_weekly_time_and_reads_their_balance(page, live_server, transactional_db):
    ana = make_member("ana", "Ana Archivist")
    log_in(page, live_server, ana.email)
    page.goto(f"{live_server.url}/learning/")
    page.get_by_role("navigation", name="Learning").get_by_role("link", name="Balance").click()
    expect(page.get_by_role("heading", level=1, name="Your network balance")).to_be_visible()
    page.get_by_role("link", name="Take the stage check-in").click()

    expect(page.get_by_role("heading", level=1, name="Where is your network now?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="See my stage").click()  # nothing answered: told what to do
    expect(page.get_by_role("alert")).to_contain_text("Please answer the questions marked below")
    for question in QUESTIONS:
        option = next(o for o in question.options if o.stage == "evaluation")
        page.get_by_role("group", name=question.text).get_by_role("radio", name=option.label).check()
    page.get_by_role("button", name="See my stage").click()

    expect(page.get_by_role("heading", level=1, name="Your network is at the Evaluation stage")).to_be_visible()
    expect(page.get_by_role("heading", name="Towards depth: commit to a few")).to_be_visible()
    assert StageCheckIn.objects.get(owner=ana).stage == "evaluation"
    assert_accessible(page)

    page.get_by_role("link", name="See your balance").click()
    expect(page.locator("#pln-latest-stage")).to_contain_text("Evaluation")
    page.get_by_label("Minutes a week").fill("90")
    page.get_by_role("button", name="Save weekly time").click()
    expect(page.get_by_text("Your weekly time is saved.")).to_be_visible()
    expect(page.locator("#pln-time")).to_contain_text("You planned 90 minutes a week.")
    assert TimeIntention.objects.get(owner=ana).minutes_per_week == 90
    expect(page.get_by_role("heading", level=3, name="Reply to one post this week")).to_be_visible()
    expect(page.get_by_role("img", name="Posts read and contributions per week")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Posts read")
    assert_accessible(page)
    assert csp_errors(page) == []
