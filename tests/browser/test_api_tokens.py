"""A member makes a personal access token in settings, copies it, and a script outside the
browser uses it to post and read the home timeline. The tokens page and the API documentation
page pass axe and raise no CSP errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from readingroom.posts.models import Post
from readingroom.testing.browser import assert_accessible
from tests.browser.helpers import csp_errors, log_in, make_member, new_context, new_page, publish

pytestmark = pytest.mark.browser

# What a member's own script might look like: the standard library only, the token from the environment.
SCRIPT = r"""
import json, os, sys, urllib.request

base, token = sys.argv[1], os.environ["RR_TOKEN"]

def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.load(response)

status, post = call("POST", "/api/v1/posts", {"body": "Posted by my script #automation", "visibility": "members"})
assert status == 201, status
status, home = call("GET", "/api/v1/timelines/home?limit=5")
print(json.dumps({"post": post, "home": [p["body"] for p in home["items"]]}))
"""


def test_a_member_creates_a_token_copies_it_and_a_script_posts_and_reads_home(
    chromium_browser, live_server, transactional_db
):
    member = make_member("tova", "Tova Token")
    friend = make_member("fen", "Fen Friend")
    from readingroom.network import actions as network_actions

    network_actions.follow(follower=member, followee=friend)
    publish(friend, "A post from a friend for the home timeline")

    context = new_context(chromium_browser, permissions=["clipboard-read", "clipboard-write"])
    page = new_page(context)
    log_in(page, live_server, member.email)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1, name="API tokens")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name").fill("My posting script")
    page.get_by_label("Read and write: also post, follow, like and change settings").check()
    page.get_by_role("button", name="Create token").click()

    expect(page.get_by_role("heading", name="Your new token “My posting script”")).to_be_visible()
    page.get_by_role("button", name="Copy token").click()
    expect(page.get_by_role("status")).to_have_text("Copied to the clipboard.")
    token = page.evaluate("navigator.clipboard.readText()")
    assert token.startswith("rr_") and token == page.get_by_label("Token", exact=True).input_value()
    expect(page.get_by_role("row", name="My posting script")).to_contain_text("Read and write")
    assert_accessible(page)
    assert csp_errors(page) == []

    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, live_server.url],
        env={**os.environ, "RR_TOKEN": token},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    output = json.loads(result.stdout)
    assert output["post"]["author"]["handle"] == "tova"
    assert output["home"][:2] == ["Posted by my script #automation", "A post from a friend for the home timeline"]
    assert Post.objects.filter(author=member, body="Posted by my script #automation", visibility="members").exists()

    # The token is now marked as used on the settings page; revoking it shuts the script out.
    page.goto(f"{live_server.url}/settings/tokens/")  # not reload(): that would post the form again
    expect(page.get_by_role("row", name="My posting script")).not_to_contain_text("Never")
    page.get_by_role("button", name="Revoke My posting script").click()
    expect(page.get_by_role("row", name="My posting script")).to_contain_text("Revoked")
    refused = subprocess.run(
        [sys.executable, "-c", SCRIPT, live_server.url],
        env={**os.environ, "RR_TOKEN": token},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode != 0 and "401" in refused.stderr
    context.close()


def test_the_api_documentation_works_under_the_csp_and_is_accessible(chromium_browser, live_server, transactional_db):
    member = make_member("dora", "Dora Docs")
    context = new_context(chromium_browser)
    page = new_page(context)
    log_in(page, live_server, member.email)
    page.get_by_role("link", name="API documentation").click()
    # Swagger UI renders the whole document (hundreds of operations) before its title: give it time.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Reading Room API", timeout=30_000)
    expect(page.locator(".opblock-tag-section").first).to_be_visible()
    # Open one operation, as a reader would.
    page.locator(".opblock-summary", has_text="/api/v1/timelines/local").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    assert_accessible(page)
    # "Try it out" runs as the signed-in member, through the session (with its CSRF token for writes).
    operation = page.locator("#operations-Posts-create_post")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.locator("textarea.body-param__text").fill('{"body": "Written in the API docs", "visibility": "public"}')
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status")).to_have_text("201")
    assert Post.objects.filter(author=member, body="Written in the API docs").exists()
    assert csp_errors(page) == [], csp_errors(page)
    assert page.console_errors == []
    context.close()
