"""The digest settings page in a real browser: a member chooses a daily digest at an hour of their
day, the page confirms it, and it passes the accessibility checks."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from readingroom.digests.models import DigestSchedule
from readingroom.testing.browser import assert_accessible
from tests.browser.helpers import csp_errors, log_in, make_member

pytestmark = pytest.mark.browser


def test_a_member_sets_a_daily_digest_at_a_chosen_hour(page, live_server, transactional_db):
    ana = make_member("ana", "Ana Archivist", time_zone="America/Toronto")
    log_in(page, live_server, ana.email)
    page.goto(f"{live_server.url}/settings/notifications/")
    page.get_by_role("link", name="choose how often and when the digest comes").click()

    expect(page.get_by_role("heading", level=1, name="Email digest")).to_be_visible()
    expect(page.locator("#digest-status")).to_contain_text("You get a digest weekly, on Mondays at 08:00")
    expect(page.get_by_text("In your time zone, America/Toronto")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("radio", name="Daily").check()
    page.get_by_label("Time").select_option(label="07:00")
    page.get_by_role("button", name="Save digest settings").click()

    expect(page.get_by_text("Your digest settings are saved.")).to_be_visible()
    expect(page.locator("#digest-status")).to_contain_text("You get a digest daily at 07:00")
    expect(page.get_by_role("radio", name="Daily")).to_be_checked()
    expect(page.get_by_label("Time")).to_have_value("7")
    schedule = DigestSchedule.objects.get(member=ana)
    assert (schedule.frequency, schedule.hour, schedule.time_zone) == ("daily", 7, "America/Toronto")
    assert_accessible(page)

    page.get_by_label("Time").select_option(label="09:00")
    page.get_by_role("radio", name="Off: no digest emails").check()
    page.get_by_role("button", name="Save digest settings").click()
    expect(page.locator("#digest-status")).to_have_text("You get no digest.")
    assert csp_errors(page) == []
