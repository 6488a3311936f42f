"""The permission matrix through the API: for every row of POLICY (test_permission_matrix.py),
each principal, holding a write token, gets from /api/v1/ what the pages give them.

Allowed: 200 (204 for writes that answer nothing) and the object's text present. Denied: 404,
never 403 — except that a visitor calling an operation that needs a member gets 401 (the API's
"sign in first", where a page redirects) — and a denied write changes nothing. A denied "list"
means the object's text is absent from every API list that could show it.
"""

from __future__ import annotations

import json

import pytest

from readingroom.accounts.models import FollowRequest, Profile
from readingroom.api import actions as api_actions
from readingroom.core.models import Visibility
from readingroom.network import actions as network_actions
from readingroom.notifications.models import Notification
from readingroom.posts import actions as post_actions
from readingroom.posts.models import Bookmark, Like, Post
from readingroom.testing.factories import UserFactory
from tests.security.test_permission_matrix import CASES, TOKEN, _make_post, _publish, build_world


class Api:
    def __init__(self, client, world, principal: str):
        self.client, self.principal = client, principal
        user = world.principal(principal)
        secret = api_actions.create_token(user=user, name="matrix", scope="write").secret if user else None
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}

    def get(self, path: str, params=None):
        return self.client.get(f"/api/v1/{path}", params or {}, **self.headers)

    def send(self, method: str, path: str, body: dict | None = None):
        data = json.dumps(body or {})
        return self.client.generic(method, f"/api/v1/{path}", data, content_type="application/json", **self.headers)


def _denied(response, principal: str, *, members_only: bool = False) -> None:
    expected = 401 if principal == "anonymous" and members_only else 404
    assert response.status_code == expected, f"expected {expected}, got {response.status_code}"
    assert response.json()["error"]["code"] in ("not_found", "not_authenticated")


def _listed(response) -> str:
    return response.content.decode() if response.status_code == 200 else ""


def api_profile(api, w, capture, vis, action, principal, allowed):
    handle, name = w.users["author"].profile.handle, f"{TOKEN}author"
    if action == "view":
        response = api.get(f"profiles/{handle}")
        if allowed:
            assert response.status_code == 200 and name in response.content.decode()
        else:
            _denied(response, principal)
    else:
        response = api.get("search", {"q": name, "type": "people"})
        assert response.status_code == 200
        assert (name in _listed(response)) is allowed


def api_post(api, w, capture, vis, action, principal, allowed):
    post = _make_post(w, capture, vis)
    token, members_only = f"{TOKEN}post", principal == "anonymous"
    if action == "view":
        response = api.get(f"posts/{post.pk}")
        assert (response.status_code == 200 and token in response.content.decode()) if allowed else True
        if not allowed:
            _denied(response, principal)
    elif action == "list":
        lists = {
            "timelines/local": allowed and vis != Visibility.FOLLOWERS,
            "timelines/tag/matrixtag": allowed,
            f"profiles/{w.users['author'].profile.handle}/posts": allowed,
            "search?q=" + token: allowed,
        }
        for path, expected in lists.items():
            path, _, query = path.partition("?")
            response = api.get(path, dict([query.split("=")]) if query else None)
            assert response.status_code in (200, 404), path
            assert (token in _listed(response)) is expected, path
    elif action == "edit":
        response = api.send("PATCH", f"posts/{post.pk}", {"body": "Rewritten by someone"})
        post.refresh_from_db()
        if allowed:
            assert response.status_code == 200 and post.body == "Rewritten by someone"
        else:
            _denied(response, principal, members_only=members_only)
            assert post.body.endswith(token) and post.edits.count() == 0
    elif action == "delete":
        response = api.send("DELETE", f"posts/{post.pk}")
        if allowed:
            assert response.status_code == 204 and not Post.objects.filter(pk=post.pk).exists()
        else:
            _denied(response, principal, members_only=members_only)
            assert Post.objects.filter(pk=post.pk).exists()
    elif action == "interact":
        like, mark = api.send("POST", f"posts/{post.pk}/like"), api.send("POST", f"posts/{post.pk}/bookmark")
        user = w.principal(principal)
        if allowed:
            assert like.status_code == 200 and mark.status_code == 200
            assert Like.objects.filter(user=user, post=post).exists()
            assert Bookmark.objects.filter(user=user, post=post).exists()
        else:
            _denied(like, principal, members_only=members_only)
            _denied(mark, principal, members_only=members_only)
            assert not Like.objects.filter(post=post).exists() and not Bookmark.objects.filter(post=post).exists()


def api_history(api, w, capture, vis, action, principal, allowed):
    post = _publish(capture, author=w.users["author"], body=f"First draft {TOKEN}old", visibility=vis)
    post_actions.edit_post(post=post, editor=w.users["author"], body="Second draft")
    response = api.get(f"posts/{post.pk}/history")
    if allowed:
        assert response.status_code == 200 and f"{TOKEN}old" in response.content.decode()
    else:
        _denied(response, principal)


def api_reply(api, w, capture, vis, action, principal, allowed):
    root = _publish(capture, author=w.users["host"], body="A public question", visibility=Visibility.PUBLIC)
    reply = _publish(capture, author=w.users["author"], body=f"An answer {TOKEN}reply", visibility=vis, reply_to=root)
    if action == "view":
        response = api.get(f"posts/{reply.pk}")
        if allowed:
            assert response.status_code == 200 and f"{TOKEN}reply" in response.content.decode()
        else:
            _denied(response, principal)
    else:
        response = api.get(f"posts/{root.pk}/thread")
        assert response.status_code == 200
        assert (f"{TOKEN}reply" in response.content.decode()) is allowed


def api_bookmarks(api, w, capture, vis, action, principal, allowed):
    post = _publish(capture, author=w.users["host"], body=f"Worth keeping {TOKEN}kept", visibility=Visibility.PUBLIC)
    post_actions.bookmark(user=w.users["author"], post=post)
    response = api.get("bookmarks")
    if principal == "anonymous":
        _denied(response, principal, members_only=True)
    assert (f"{TOKEN}kept" in _listed(response)) is allowed


def api_follow_requests(api, w, capture, vis, action, principal, allowed):
    author = w.users["author"]
    author.profile.locked = True
    author.profile.save(update_fields=["locked"])
    requester = UserFactory(profile__display_name=f"Requester {TOKEN}asker")
    network_actions.follow(follower=requester, followee=author)
    request = FollowRequest.objects.get(requester=requester, target=author)
    if action == "list":
        response = api.get("follow-requests")
        if principal == "anonymous":
            _denied(response, principal, members_only=True)
        assert (requester.profile.handle in _listed(response)) is allowed
        return
    verb = "approve" if action == "edit" else "decline"
    before = Profile.objects.get(pk=author.pk).followers_count
    with capture(execute=True):
        response = api.send("POST", f"follow-requests/{request.pk}/{verb}")
    pending = FollowRequest.objects.filter(pk=request.pk).exists()
    if allowed:
        assert response.status_code == 204 and not pending
    else:
        _denied(response, principal, members_only=principal == "anonymous")
        assert pending and Profile.objects.get(pk=author.pk).followers_count == before


def api_relationship_list(api, w, capture, vis, action, principal, allowed, *, kind):
    shown = w.users["fan" if kind == "followers" else "idol"].profile.handle
    response = api.get(f"profiles/{w.users['author'].profile.handle}/{kind}")
    if allowed:
        assert response.status_code == 200 and shown in response.content.decode()
    else:
        _denied(response, principal)


def api_notifications(api, w, capture, vis, action, principal, allowed):
    post = _publish(capture, author=w.users["author"], body="Worth a like", visibility=Visibility.PUBLIC)
    with capture(execute=True):
        post_actions.like(user=w.users["fan"], post=post)
    notification = Notification.objects.get(recipient=w.users["author"], kind="like")
    if action == "list":
        response = api.get("notifications")
        if principal == "anonymous":
            _denied(response, principal, members_only=True)
        assert (f"{TOKEN}fan liked your post" in _listed(response)) is allowed
        return
    # "view" (open) and "edit" (mark read) both mark it read; the API has the one operation.
    response = api.send("POST", f"notifications/{notification.pk}/read")
    notification.refresh_from_db()
    if allowed:
        assert response.status_code == 204 and notification.read_at is not None
    else:
        _denied(response, principal, members_only=principal == "anonymous")
        assert notification.read_at is None


API_CHECKS = {
    "profile": api_profile,
    "post": api_post,
    "history": api_history,
    "reply": api_reply,
    "bookmarks": api_bookmarks,
    "follow_requests": api_follow_requests,
    "followers_list": lambda *a: api_relationship_list(*a, kind="followers"),
    "following_list": lambda *a: api_relationship_list(*a, kind="following"),
    "notifications": api_notifications,
}
API_CASES = [case for case in CASES if case.values[0] in API_CHECKS]


def test_every_object_type_of_the_matrix_is_checked_through_the_api():
    assert {case.values[0] for case in CASES} <= set(API_CHECKS), "add an API check for the new object type"


@pytest.mark.django_db
@pytest.mark.parametrize(("obj", "vis", "action", "principal", "allowed"), API_CASES)
def test_the_api_answers_like_the_pages_for(
    client, django_capture_on_commit_callbacks, obj, vis, action, principal, allowed
):
    profile_visibility = vis if obj in ("profile", "followers_list", "following_list") else Visibility.PUBLIC
    world = build_world(django_capture_on_commit_callbacks, profile_visibility=profile_visibility)
    api = Api(client, world, principal)
    API_CHECKS[obj](api, world, django_capture_on_commit_callbacks, vis, action, principal, allowed)
