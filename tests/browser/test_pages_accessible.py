"""Every main page, with data on it, has no serious or critical axe violations and no CSP errors."""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from readingroom.accounts import actions as account_actions
from readingroom.discussions import actions as discussion_actions
from readingroom.groups import actions as group_actions
from readingroom.network import actions as network_actions
from readingroom.posts import actions as post_actions
from readingroom.testing.browser import axe_violations
from tests.browser.helpers import csp_errors, log_in, make_member, new_context, new_page, publish

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("RR_SHOTS_DIR") or Path(tempfile.gettempdir()) / "shots")
# Pages also kept as screenshots (besides home and profile) for a human look at the layout.
SCREENSHOTS = {
    "post detail",
    "directory",
    "people to follow",
    "blocked and muted",
    "signup",
    "group posts",
    "group about (not a member)",
    "groups directory",
    "discussions",
    "topic",
}
# Pages that answer something other than 200 on purpose.
STATUSES = {"not found": 404, "start a topic (not a member)": 403}


def _populate(vocabulary):
    """A member with posts (one edited, one with a reply), followers, following, a pending
    follow request, a block and a mute."""
    member = make_member(
        "rosa",
        "Rosa Reference",
        interests=vocabulary[:2],
        headline="Reference librarian",
        sector="academic",
        career_stage="mid_career",
        open_to_mentoring=True,
    )
    friend = make_member("sam", "Sam Systems", interests=vocabulary[:1], sector="public", open_to_collaborate=True)
    fan = make_member("uma", "Uma User")
    asker = make_member("viv", "Viv Volunteer")
    blocked, muted = make_member("wes", "Wes Whoever"), make_member("xan", "Xan Noisy")
    network_actions.follow(follower=member, followee=friend)
    network_actions.follow(follower=friend, followee=member)
    network_actions.follow(follower=fan, followee=member)
    account_actions.update_profile(
        profile=member.profile,
        data={"locked": True, "bio": "I help people **find things**. Ask me about [open access](https://example.org)."},
    )
    network_actions.follow(follower=asker, followee=member)  # locked now: a pending request
    network_actions.block(blocker=member, blocked=blocked)
    network_actions.mute(muter=member, muted=muted)
    publish(friend, "New discovery layer goes live today. #uklibchat")
    post = publish(member, "Tonight's #uklibchat is about reference interviews. Join us!")
    post_actions.edit_post(post=post, editor=member, body="Tonight's #uklibchat is about reference interviews.")
    publish(friend, "Count me in. @rosa", reply_to=post)
    post_actions.like(user=friend, post=post)
    return member, post, _populate_groups(member, friend, fan, asker)


def _png(colour: tuple[int, int, int], size: tuple[int, int]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return SimpleUploadedFile("picture.png", buffer.getvalue(), content_type="image/png")


def _populate_groups(owner, friend, fan, asker) -> dict:
    """A private cohort the member owns (a banner, a picture, a moderator, a post, a pinned resource,
    a link that still works, a join request and a ban), and someone else's public group with an
    invitation link."""
    cohort = group_actions.create_group(
        creator=owner,
        name="Cohort 2027",
        privacy="private",
        summary="Next year's MLIS cohort",
        about="Notes, questions and **moral support** for the [2027 cohort](https://example.org/cohort).",
        conduct="Be kind. What is said in the cohort stays in the cohort.",
        sector="academic",
        tags=["cohort 2027", "mlis"],
        avatar=_png((200, 120, 40), (120, 120)),
        banner=_png((40, 90, 120), (1200, 300)),
        banner_alt="The cohort at the library school's open day",
    )
    _, token = group_actions.create_invitation(actor=owner, group=cohort, max_uses=30, note="First-week email")
    for user in (friend, fan):
        group_actions.accept_invitation(user=user, token=token, accept_conduct=True)
    group_actions.set_role(actor=owner, membership=cohort.memberships.get(user=friend), role="moderator")
    group_actions.remove_member(actor=owner, membership=cohort.memberships.get(user=fan), ban=True, reason="Spam links")
    group_actions.request_to_join(user=asker, group=cohort, message="I start in September.", accept_conduct=True)
    group_actions.pin_resource(
        actor=owner, group=cohort, title="Reading list", url="https://example.org/reading", note="Week one"
    )
    post_actions.create_post(
        author=friend, body="Who else starts the cataloguing module?", group=cohort, visibility="public"
    )
    zines = group_actions.create_group(
        creator=friend,
        name="Zine librarians",
        privacy="public",
        summary="Collecting, cataloguing and lending zines",
        conduct="Credit zine makers.",
        tags=["zines", "cataloguing"],
    )
    post_actions.create_post(author=friend, body="Zine swap on Saturday!", group=zines, visibility="public")
    _, zines_token = group_actions.create_invitation(actor=friend, group=zines)
    return {
        "cohort": cohort.slug,
        "zines": zines.slug,
        "invitation": zines_token,
        **_populate_discussions(owner, friend, cohort, zines),
    }


def _populate_discussions(owner, friend, cohort, zines) -> dict:
    """In the cohort: a pinned topic and an answered question with an image, a quoted and edited
    reply, an answer to a reply and a deleted one; in the public group, a topic of its own."""
    rules = discussion_actions.start_topic(
        author=friend, group=cohort, title="Read this first: how we use this forum", body="Be kind. Use tags."
    )
    discussion_actions.set_flags(actor=owner, topic=rules, pinned=True)
    question = discussion_actions.start_topic(
        author=owner,
        group=cohort,
        title="Where do zines go in the catalogue?",
        body="Do you shelve them by **maker** or by subject?\n\n# What I tried\n\nBoth, badly.",
        kind="question",
        tags="cataloguing, zines",
        attachments=[(_png((200, 200, 90), (300, 200)), "Our zine shelf, sorted by colour")],
    )
    answer = discussion_actions.reply(author=friend, topic=question, body="By maker: readers ask for makers.")
    discussion_actions.edit_reply(editor=friend, reply=answer, body="By maker: readers ask for makers first.")
    discussion_actions.reply(
        author=owner, topic=question, body="> By maker: readers ask for makers first.\n\nThanks!", parent=answer
    )
    regret = discussion_actions.reply(author=friend, topic=question, body="Off-topic, sorry.")
    discussion_actions.delete_reply(actor=friend, reply=regret)
    discussion_actions.accept_answer(actor=owner, topic=question, reply=answer)
    swap = discussion_actions.start_topic(
        author=friend, group=zines, title="Zine swap logistics", body="Tables from 10am.", tags="events"
    )
    return {"question": question.pk, "swap": swap.pk}


def _pages(live_server, post, groups) -> dict[str, str]:
    base = live_server.url
    cohort, zines = f"{base}/groups/{groups['cohort']}", f"{base}/groups/{groups['zines']}"
    question = f"{cohort}/topics/{groups['question']}"
    return {
        "home": f"{base}/",
        "local": f"{base}/local",
        "hashtag": f"{base}/tags/uklibchat",
        "post detail": f"{base}/posts/{post.pk}",
        "edit post": f"{base}/posts/{post.pk}/edit",
        "history": f"{base}/posts/{post.pk}/history",
        "bookmarks": f"{base}/bookmarks",
        "profile": f"{base}/@rosa",
        "other profile": f"{base}/@sam",
        "followers": f"{base}/@rosa/followers",
        "following": f"{base}/@rosa/following",
        "directory": f"{base}/people/?q=s&sector=public&interest=cataloguing&open_to_collaborate=on",
        "directory with an invalid filter": f"{base}/people/?sector=nonsense",
        "follow requests": f"{base}/settings/follow-requests/",
        "blocked and muted": f"{base}/settings/blocked-and-muted/",
        "profile edit": f"{base}/settings/profile/",
        "account": f"{base}/settings/account/",
        "people to follow": f"{base}/welcome/people/",
        "not found": f"{base}/@nobody-here",
        "groups directory": f"{base}/groups/",
        "groups directory filtered": f"{base}/groups/?q=zine&tag=cataloguing&sort=newest",
        "start a group": f"{base}/groups/new",
        "group posts": cohort,
        "group about": f"{cohort}/about",
        "group members": f"{cohort}/members",
        "group requests": f"{cohort}/requests",
        "group invitations": f"{cohort}/invitations",
        "group resources": f"{cohort}/resources",
        "group bans": f"{cohort}/bans",
        "group settings": f"{cohort}/settings",
        "group posts (not a member)": zines,
        "group about (not a member)": f"{zines}/about",
        "join a group": f"{zines}/join",
        "invitation": f"{base}/groups/invite/{groups['invitation']}",
        "discussions": f"{cohort}/topics/",
        "discussions filtered": f"{cohort}/topics/?sort=top&tag=zines&unanswered=on",
        "discussions search": f"{cohort}/topics/?q=maker",
        "start a topic": f"{cohort}/topics/new",
        "topic": f"{question}/",
        "topic with a quote in the composer": f"{question}/?quote=2",
        "edit the opening post": f"{question}/r/1/edit",
        "delete a reply": f"{question}/r/3/delete",
        "reply history": f"{question}/r/2/history",
        "discussions (not a member)": f"{zines}/topics/",
        "topic (not a member)": f"{zines}/topics/{groups['swap']}/",
        "start a topic (not a member)": f"{zines}/topics/new",
    }


def _anonymous_pages(live_server, post, groups) -> dict[str, str]:
    base = live_server.url
    return {
        "login": f"{base}/accounts/login/",
        "signup": f"{base}/accounts/signup/",
        "password reset": f"{base}/accounts/password/reset/",
        "local (anonymous)": f"{base}/local",
        "post detail (anonymous)": f"{base}/posts/{post.pk}",
        "profile (anonymous)": f"{base}/@sam",
        "groups directory (anonymous)": f"{base}/groups/",
        "group posts (anonymous)": f"{base}/groups/{groups['zines']}",
        "group about (anonymous)": f"{base}/groups/{groups['cohort']}/about",
        "invitation (anonymous)": f"{base}/groups/invite/{groups['invitation']}",
        "discussions (anonymous)": f"{base}/groups/{groups['zines']}/topics/",
        "topic (anonymous)": f"{base}/groups/{groups['zines']}/topics/{groups['swap']}/",
    }


def _check(page, pages: dict[str, str]) -> dict[str, list]:
    found = {}
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == STATUSES.get(name, 200), f"{name}: {response.status}"
        expect(page.locator("h1")).to_have_count(1)
        if name in SCREENSHOTS:
            page.screenshot(path=SHOTS / f"{name.replace(' ', '-')}.png", full_page=True)
        if violations := axe_violations(page):
            found[name] = violations
    return found


def test_every_main_page_is_accessible_and_keeps_to_the_content_security_policy(
    page, chromium_browser, live_server, vocabulary
):
    member, post, groups = _populate(vocabulary)
    log_in(page, live_server, member.email)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "home.png", full_page=True)
    page.goto(f"{live_server.url}/@rosa")
    page.screenshot(path=SHOTS / "profile.png", full_page=True)

    violations = _check(page, _pages(live_server, post, groups))
    # The invitations page as it shows a new link, once.
    page.goto(f"{live_server.url}/groups/{groups['cohort']}/invitations")
    page.get_by_role("button", name="Make a link").click()
    expect(page.locator("#new-link")).to_have_value(re.compile("/groups/invite/"))
    if found := axe_violations(page):
        violations["group invitations with a new link"] = found
    # Starting a topic with nothing filled in: the errors beside their fields.
    page.goto(f"{live_server.url}/groups/{groups['cohort']}/topics/new")
    page.get_by_role("button", name="Start the topic").click()
    expect(page.get_by_text("Title is required.")).to_be_visible()
    if found := axe_violations(page):
        violations["start a topic with errors"] = found

    anonymous = new_context(chromium_browser)
    try:
        anon_page = new_page(anonymous)
        violations |= _check(anon_page, _anonymous_pages(live_server, post, groups))
        anon_csp = csp_errors(anon_page)
    finally:
        anonymous.close()

    assert violations == {}
    assert csp_errors(page) == [] and anon_csp == []


def test_the_messages_pages_are_accessible_and_keep_to_the_content_security_policy(page, live_server, vocabulary):
    from readingroom.messaging import actions as message_actions

    member = make_member("rosa", "Rosa Reference")
    friend, other = make_member("sam", "Sam Systems"), make_member("uma", "Uma User")
    pair = message_actions.start_conversation(sender=friend, recipients=[member], body="Are you at **the** meetup?")
    message_actions.send_message(sender=member, conversation=pair, body="Yes, see you there.")
    gone = message_actions.send_message(sender=member, conversation=pair, body="Wrong words")
    message_actions.delete_message(actor=member, message=gone)
    group = message_actions.start_conversation(
        sender=member,
        recipients=[friend, other],
        body="Slides attached",
        title="Conference team",
        attachments=[(_png((20, 90, 160), (200, 120)), "Our poster in blue")],
    )
    log_in(page, live_server, member.email)
    base = live_server.url
    violations = _check(
        page,
        {
            "messages inbox": f"{base}/messages/",
            "messages inbox (unread)": f"{base}/messages/?unread=1",
            "new message": f"{base}/messages/new?to=sam",
            "conversation": f"{base}/messages/{pair.pk}/",
            "group conversation": f"{base}/messages/{group.pk}/",
            "messages settings": f"{base}/messages/settings",
        },
    )
    page.goto(f"{base}/messages/new")
    page.get_by_role("button", name="Send").click()  # the form's errors
    if found := axe_violations(page):
        violations["new message with errors"] = found
    assert violations == {}
    assert csp_errors(page) == []
