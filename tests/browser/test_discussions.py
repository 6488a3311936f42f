"""A group's discussions in a real browser: an owner makes a private cohort and an invitation
link; one member joins by it and asks a question, a second member joins and answers, and the
asker accepts that answer, which the topic then shows as accepted."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from readingroom.discussions.models import Topic
from readingroom.testing.browser import assert_accessible
from tests.browser.helpers import csp_errors, log_in, make_member, new_context, new_page

pytestmark = pytest.mark.browser

GROUP = "Cohort 2027"
QUESTION = "Where do zines go in the catalogue?"


def _create_private_group(page, live_server) -> str:
    page.goto(f"{live_server.url}/groups/new")
    expect(page.get_by_role("heading", level=1, name="Start a group")).to_be_visible()
    page.get_by_label("Name", exact=True).fill(GROUP)
    page.get_by_role("group", name="Who can see and join it").get_by_label(re.compile("^Private")).check()
    page.get_by_label("Code of conduct").fill("Be kind.")
    page.get_by_role("button", name="Start the group").click()
    expect(page.get_by_role("heading", level=1, name=GROUP)).to_be_visible()
    expect(page.locator(".group-header")).to_contain_text("Private group")
    return page.url


def _make_invitation_link(page) -> str:
    page.get_by_role("navigation", name=GROUP).get_by_role("link", name="Invitations").click()
    expect(page.get_by_role("heading", level=2, name="Make an invitation link")).to_be_visible()
    page.get_by_role("button", name="Make a link").click()
    link_field = page.locator("#new-link")
    expect(link_field).to_have_value(re.compile(r"/groups/invite/[\w-]+$"))
    return link_field.input_value()


def _join(page, link: str) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", level=1, name=f"You are invited to join {GROUP}")).to_be_visible()
    page.get_by_label("I have read the code of conduct and will follow it").check()
    page.get_by_role("button", name=f"Join {GROUP}").click()
    expect(page.get_by_role("status")).to_contain_text(f"Welcome to {GROUP}.")


def _open_discussions(page) -> None:
    page.get_by_role("navigation", name=GROUP).get_by_role("link", name="Discussions").click()
    expect(page.get_by_role("heading", level=2, name="Discussions", exact=True)).to_be_visible()


def test_a_member_asks_a_question_in_a_private_cohort_another_answers_and_the_asker_accepts_it(
    page, chromium_browser, live_server, transactional_db
):
    ana = make_member("ana", "Ana Archivist")
    ben = make_member("ben", "Ben Bibliographer")
    cal = make_member("cal", "Cal Cataloguer")

    log_in(page, live_server, ana.email)
    _create_private_group(page, live_server)
    link = _make_invitation_link(page)
    assert csp_errors(page) == []

    ben_context = new_context(chromium_browser)
    cal_context = new_context(chromium_browser)
    try:
        # Ben joins by the link and asks a question.
        ben_page = new_page(ben_context)
        log_in(ben_page, live_server, ben.email)
        _join(ben_page, link)
        _open_discussions(ben_page)
        expect(ben_page.get_by_text("No topics yet.")).to_be_visible()
        assert_accessible(ben_page)
        ben_page.get_by_role("link", name="Start a topic").click()
        expect(ben_page.get_by_role("heading", level=2, name="Start a topic")).to_be_visible()
        form = ben_page.get_by_role("form", name="Start a topic")
        form.get_by_label("Title").fill(QUESTION)
        form.get_by_role("group", name="What kind of topic").get_by_label(re.compile("^Question")).check()
        form.get_by_label("Tags").fill("cataloguing, zines")
        form.get_by_label("Opening post").fill("Do you shelve them by **maker** or by subject?")
        assert_accessible(ben_page)
        form.get_by_role("button", name="Start the topic").click()
        expect(ben_page.get_by_role("heading", level=1, name=QUESTION)).to_be_visible()
        expect(ben_page.get_by_role("status")).to_contain_text("Your topic is started.")
        expect(ben_page.locator(".topic-header")).to_contain_text("Question")
        topic_url = ben_page.url.split("#")[0]
        assert Topic.objects.get(title=QUESTION).group.name == GROUP

        # Cal joins by the same link, finds the question in the list and answers it.
        cal_page = new_page(cal_context)
        log_in(cal_page, live_server, cal.email)
        _join(cal_page, link)
        _open_discussions(cal_page)
        row = cal_page.locator(".topic-row", has_text=QUESTION)
        expect(row).to_contain_text("Question")
        expect(row).to_contain_text("by Ben Bibliographer")
        row.get_by_role("link", name=QUESTION, exact=True).click()
        expect(cal_page.get_by_role("heading", level=1, name=QUESTION)).to_be_visible()
        composer = cal_page.get_by_role("form", name="Reply to this topic")
        composer.get_by_label("Your reply").fill("By maker: readers ask for makers first.")
        composer.get_by_role("button", name="Post reply").click()
        expect(cal_page.get_by_role("status")).to_contain_text("Your reply is posted.")
        answer = cal_page.locator("article#r2")
        expect(answer).to_contain_text("By maker: readers ask for makers first.")
        expect(answer).to_contain_text("Cal Cataloguer")
        expect(answer.get_by_role("button", name="Accept this answer")).to_have_count(0)  # not the asker
        assert_accessible(cal_page)
        assert csp_errors(cal_page) == []

        # Ben sees the reply as new, and accepts it.
        ben_page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Discussions").click()
        expect(ben_page.get_by_role("heading", level=2, name="Discussions", exact=True)).to_be_visible()
        expect(ben_page.locator(".topic-row", has_text=QUESTION)).to_contain_text("1 new")
        ben_page.goto(topic_url)
        answer = ben_page.locator("article#r2")
        expect(answer).to_contain_text("By maker")
        answer.get_by_role("button", name="Accept this answer").click()
        expect(ben_page.get_by_role("status")).to_contain_text("You accepted Cal Cataloguer's reply as the answer.")
        answer = ben_page.locator("article#r2")
        expect(answer).to_contain_text("Accepted answer")
        expect(answer.get_by_role("button", name="Clear the accepted answer")).to_be_visible()
        expect(ben_page.locator(".topic-header")).to_contain_text("Answered")
        expect(ben_page.locator(".accepted-note")).to_contain_text("Cal Cataloguer's reply is the accepted answer.")
        assert_accessible(ben_page)
        assert csp_errors(ben_page) == []
    finally:
        ben_context.close()
        cal_context.close()

    topic = Topic.objects.get(title=QUESTION)
    assert topic.accepted_reply is not None and topic.accepted_reply.author == cal

    # The owner sees it answered in the list.
    page.goto(f"{live_server.url}/groups/{topic.group.slug}/topics/")
    expect(page.locator(".topic-row", has_text=QUESTION)).to_contain_text("Answered")
    assert csp_errors(page) == []
