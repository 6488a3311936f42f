"""Every core action works as a plain HTML form when JavaScript is off."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from readingroom.accounts.models import Follow
from readingroom.discussions import actions as discussion_actions
from readingroom.discussions.models import Topic, TopicWatch
from readingroom.groups import actions as group_actions
from readingroom.groups.models import Membership
from readingroom.posts.models import Post
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


def test_a_member_without_javascript_joins_groups_by_invitation_and_from_the_about_page(
    no_js_page, live_server, transactional_db
):
    page = no_js_page
    owner = make_member("lee", "Lee Lecturer")
    member = make_member("jo", "Jo Librarian")
    cohort = group_actions.create_group(creator=owner, name="Cohort 2027", privacy="private", conduct="Be kind.")
    zines = group_actions.create_group(
        creator=owner, name="Zine librarians", privacy="public", conduct="Credit makers."
    )
    _, token = group_actions.create_invitation(actor=owner, group=cohort)

    log_in(page, live_server, member.email)
    page.goto(f"{live_server.url}/groups/invite/{token}")
    page.get_by_role("button", name="Join Cohort 2027").click()  # without accepting the code of conduct
    expect(page.get_by_text("Please read and accept the group's code of conduct to join.")).to_be_visible()
    page.get_by_label("I have read the code of conduct and will follow it").check()
    page.get_by_role("button", name="Join Cohort 2027").click()
    expect(page.get_by_role("heading", level=1, name="Cohort 2027")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Welcome to Cohort 2027.")
    page.get_by_label("Post", exact=True).fill("Hello cohort, no JavaScript here.")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_role("region", name="Posts")).to_contain_text("Hello cohort, no JavaScript here.")
    assert Post.objects.get(body="Hello cohort, no JavaScript here.").group_id == cohort.pk

    page.goto(f"{live_server.url}/groups/{zines.slug}/about")
    join = page.get_by_role("region", name="Join this group")
    join.get_by_label("I have read the code of conduct and will follow it").check()
    join.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Welcome to Zine librarians.")
    assert Membership.objects.filter(group=zines, user=member).exists()
    page.get_by_role("link", name="About", exact=True).click()
    page.get_by_label("Show this group's posts in my home timeline").uncheck()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Its posts stay here.")
    assert not Membership.objects.get(group=zines, user=member).show_in_home
    assert csp_errors(page) == []


def test_a_member_without_javascript_starts_a_question_quotes_an_answer_accepts_it_and_edits(
    no_js_page, live_server, transactional_db
):
    page = no_js_page
    owner = make_member("lee", "Lee Lecturer")
    member = make_member("jo", "Jo Librarian")
    cohort = group_actions.create_group(creator=owner, name="Cohort 2027", privacy="private")
    _, token = group_actions.create_invitation(actor=owner, group=cohort)
    group_actions.accept_invitation(user=member, token=token, accept_conduct=True)

    log_in(page, live_server, member.email)
    page.goto(f"{live_server.url}/groups/{cohort.slug}/topics/")
    page.get_by_role("link", name="Start a topic").click()
    form = page.get_by_role("form", name="Start a topic")
    form.get_by_label("Title").fill("Zines: by maker or by subject?")
    form.get_by_label(re.compile("^Question")).check()
    form.get_by_label("Opening post").fill("How do you shelve them?")
    form.get_by_role("button", name="Start the topic").click()
    expect(page.get_by_role("heading", level=1, name="Zines: by maker or by subject?")).to_be_visible()
    topic = Topic.objects.get(title="Zines: by maker or by subject?")
    discussion_actions.reply(author=owner, topic=topic, body="By maker: readers ask for makers first.")

    page.reload()
    page.locator("article#r2").get_by_role("link", name="Quote").click()
    composer = page.get_by_role("form", name="Reply to this topic")
    expect(composer).to_contain_text("Replying to Lee Lecturer")
    body = composer.get_by_label("Your reply")
    expect(body).to_have_value(re.compile(r"> By maker: readers ask for makers first\."))
    body.fill(body.input_value() + "That settles it, thank you.")
    composer.get_by_role("button", name="Post reply").click()
    expect(page.get_by_role("status")).to_contain_text("Your reply is posted.")
    mine = page.locator("article#r3")
    expect(mine).to_contain_text("in reply to Lee Lecturer #2")
    expect(mine.locator("blockquote")).to_contain_text("By maker")

    page.locator("article#r2").get_by_role("button", name="Accept this answer").click()
    expect(page.get_by_role("status")).to_contain_text("You accepted Lee Lecturer's reply as the answer.")
    expect(page.locator("article#r2")).to_contain_text("Accepted answer")

    page.locator("article#r3").get_by_role("link", name="Edit").click()
    page.get_by_label("Text").fill("That settles it: by maker.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("article#r3")).to_contain_text("That settles it: by maker.")
    page.locator("article#r3").get_by_role("link", name="edited").click()
    expect(page.get_by_role("heading", level=1, name="Edit history of reply #3")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("That settles it, thank you.")

    page.get_by_role("link", name="Back to #3 in the topic").click()
    page.get_by_label("Nothing (muted)").check()
    page.get_by_role("button", name="Save notification choice").click()
    expect(page.get_by_role("status")).to_contain_text("muted")
    assert TopicWatch.objects.get(topic=topic, user=member).level == "muted"
    assert csp_errors(page) == []


def test_a_member_without_javascript_messages_someone_from_their_profile(no_js_page, live_server, transactional_db):
    from readingroom.messaging.models import Message, MessagePreference, Participant

    page = no_js_page
    member = make_member("jo", "Jo Librarian")
    make_member("kim", "Kim Archivist")

    log_in(page, live_server, member.email)
    page.goto(f"{live_server.url}/@kim")
    page.get_by_role("link", name="Message Kim Archivist").click()
    expect(page.get_by_role("heading", level=1, name="New message")).to_be_visible()
    expect(page.get_by_label("To")).to_have_value("@kim")
    page.get_by_label("Message", exact=True).fill("Hello Kim, no JavaScript here.")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Kim Archivist")).to_be_visible()
    expect(page.locator("#dm-list article").last).to_contain_text("Hello Kim, no JavaScript here.")

    page.get_by_label("Message", exact=True).fill("A second one.")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#dm-list article").last).to_contain_text("A second one.")
    page.locator("#dm-list article").last.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("status")).to_contain_text("Your message is deleted.")
    expect(page.locator("#dm-list article").last).to_contain_text("Message deleted")
    assert Message.objects.filter(deleted_at__isnull=False).count() == 1

    page.get_by_role("button", name="Mute this conversation").click()
    expect(page.get_by_role("button", name="Unmute this conversation")).to_be_visible()
    assert Participant.objects.get(user=member).muted

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
    expect(page.get_by_role("heading", level=1, name="Messages")).to_be_visible()
    page.get_by_role("link", name="Choose who may message you").click()
    page.get_by_label("Only people I follow").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Your messages setting is saved.")
    assert MessagePreference.objects.get(user=member).who_may_message == "following"
    assert csp_errors(page) == []
