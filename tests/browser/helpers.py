"""Helpers for the browser tests: members made through the real actions, logging in through the
real login form, and pages that collect console errors."""

from __future__ import annotations

from collections.abc import Sequence

from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from readingroom.accounts import actions as account_actions
from readingroom.posts import actions as post_actions
from readingroom.testing.factories import PASSWORD, ProfileFactory, UserFactory

CSP_MARKER = "Content Security Policy"


def make_member(handle: str, display_name: str, *, interests: Sequence = (), **profile_fields):
    user = UserFactory(email=f"{handle}@example.org", profile=None)
    ProfileFactory(user=user, handle=handle, display_name=display_name, **profile_fields)
    user.refresh_from_db()
    # Sign-up verifies the address; members made here are already verified, so they can log in.
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if interests:
        account_actions.set_interests(profile=user.profile, vocabulary_ids=[i.pk for i in interests], free_tags=[])
    return user


def publish(author, body: str, **kwargs):
    return post_actions.create_post(author=author, body=body, visibility="public", **kwargs)


def log_in(page, live_server, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name="Home")).to_be_visible()


def csp_errors(page) -> list[str]:
    return [e for e in page.console_errors if CSP_MARKER in e]


def new_page(context):
    """A page in `context` that collects console errors (CSP violations appear there)."""
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    return page


def new_context(browser, **options):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-GB", **options)
    context.set_default_timeout(10_000)
    return context
