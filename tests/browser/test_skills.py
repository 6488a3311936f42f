"""Skills in a real browser: a member rates their skills twice, sees the radar (an SVG image with
its accessible name) and the table of previous and current levels, and the gaps as suggested goals."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from readingroom.skills import actions, loader, queries
from readingroom.skills.models import SkillFramework
from readingroom.testing.browser import assert_accessible
from tests.browser.helpers import csp_errors, log_in, make_member

pytestmark = pytest.mark.browser


def _rate(page, areas, now: dict, target: dict, *, check: bool = False) -> None:
    page.get_by_role("link", name="Rate my skills").click()
    expect(page.get_by_role("heading", level=1, name="Rate my skills")).to_be_visible()
    if check:
        assert_accessible(page)
    for area in areas:
        group = page.get_by_role("group", name=area.name)
        group.get_by_label("Now").select_option(str(now.get(area.pk, 1)))
        group.get_by_label("Target").select_option(str(target.get(area.pk, 2)))
    page.get_by_role("button", name="Save my assessment").click()
    expect(page.get_by_text("Your skills assessment is saved.")).to_be_visible()


def test_a_member_rates_skills_twice_and_sees_the_radar(page, live_server, transactional_db):
    framework = SkillFramework.objects.filter(slug="library-and-information").first() or actions.load_framework(
        data=loader.DEFAULT_FRAMEWORK_PATH.read_bytes(), make_default=True
    )
    areas = queries.rated_areas(framework)
    research = next(a for a in areas if a.code == "research-data")
    ana = make_member("ana", "Ana Archivist")
    log_in(page, live_server, ana.email)
    page.goto(f"{live_server.url}/learning/skills/")
    expect(page.get_by_text("You have not rated your skills yet.")).to_be_visible()

    _rate(page, areas, now={}, target={}, check=True)
    _rate(page, areas, now={research.pk: 2}, target={research.pk: 4})

    radar = page.get_by_role("img", name="Radar chart of your skills")
    expect(radar).to_be_visible()
    assert page.locator("figure.skills-radar svg[role=img]").count() == 1
    table = page.get_by_role("table", name="Your levels by area")
    row = table.get_by_role("row", name=research.name)
    expect(row.get_by_role("cell")).to_have_text(["1", "2", "4", "2"])  # previous, now, target, gap
    expect(table.get_by_role("columnheader", name="Previous")).to_be_visible()

    gaps = page.get_by_role("region", name="Suggested goals")
    expect(gaps.get_by_role("listitem").first).to_contain_text(f"{research.name}: now 2, target 4 (gap of 2)")
    link = gaps.get_by_role("link", name=f"Set a goal for {research.name}")
    expect(link).to_have_attribute("href", re.compile(rf"^/learning/goals/new/\?skill_area={research.pk}&title=Build"))
    expect(page.get_by_role("region", name="Your assessments").get_by_role("listitem")).to_have_count(2)
    assert_accessible(page)
    assert csp_errors(page) == []

    page.get_by_role("link", name="Open this assessment").click()
    expect(page.get_by_role("heading", level=1, name="Your skills assessment")).to_be_visible()
    page.get_by_role("radio", name="Me and my mentors").check()
    page.get_by_role("button", name="Save who may see it").click()
    expect(page.get_by_text("Now visible to: Me and my mentors.")).to_be_visible()
    assert_accessible(page)
