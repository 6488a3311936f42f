"""The permission matrix for groups: who may see a group, read and list its posts, like and post in
it, see its members, moderate it and manage it, for public, private and hidden groups.

POLICY below is the single statement of the rules; the tests are generated from it (one case per
object type × group privacy × principal × action) and drive the real pages through the test client.
A denied page or POST answers 404 (an anonymous visitor to a sign-in page is sent to sign in
instead), never 403 or 500, and a denied POST leaves the group unchanged. A denied "list" means the
object's unique text is absent from every listing page that could show it. A group's posts never
appear in the local timeline or on their author's profile page, for anyone.

The people (one world per module, built once through the real actions and removed afterwards; each
case's posts and changes are made inside the case's own transaction): anonymous; member (signed
in, not in the group); requester (a pending join request: asked to join the private group; in the
public and hidden groups the request is left over from when they were private); group_member;
moderator; owner; banned (was a member, removed with a ban); blocked (a group member whom the
posts' author, another member, blocked); admin (is_staff, not in the group).

Generated cases: 531 (9 principals × 59 object/action rows), plus the case-count check and
checks that need people of their own: a group's moderators reach no other group's requests,
invitations, bans or pins through their own group's pages, and an author who was banned from a
group can no longer edit what they posted in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from readingroom.accounts.models import Follow
from readingroom.digests import actions as digest_actions
from readingroom.digests import tasks as digest_tasks
from readingroom.digests.models import DigestSchedule
from readingroom.groups import actions as group_actions
from readingroom.groups.models import (
    Group,
    GroupBan,
    Invitation,
    JoinRequest,
    Membership,
    PinnedResource,
    Privacy,
    Role,
)
from readingroom.network import actions as network_actions
from readingroom.posts import actions as post_actions
from readingroom.posts.models import Bookmark, Hashtag, HashtagFollow, Like, Post
from readingroom.testing.factories import UserFactory

PRINCIPALS = ("anonymous", "member", "requester", "group_member", "moderator", "owner", "banned", "blocked", "admin")
PRIVACIES = tuple(Privacy.values)


def row(*flags: int) -> dict[str, bool]:
    """One policy row, in PRINCIPALS order: 1 = allowed, 0 = denied."""
    assert len(flags) == len(PRINCIPALS)
    return dict(zip(PRINCIPALS, map(bool, flags), strict=True))


#                           anon member requester group_member moderator owner banned blocked admin
ANYONE = row(1, 1, 1, 1, 1, 1, 1, 1, 1)
MEMBERS = row(0, 0, 0, 1, 1, 1, 0, 1, 0)  # the group's members ("blocked" is one)
MEMBERS_AND_STAFF = row(0, 0, 0, 1, 1, 1, 0, 1, 1)  # staff know a hidden group exists, no more
MODERATORS = row(0, 0, 0, 0, 1, 1, 0, 0, 0)  # owners and moderators
OWNERS = row(0, 0, 0, 0, 0, 1, 0, 0, 0)
REQUESTER = row(0, 0, 1, 0, 0, 0, 0, 0, 0)
STAFF = row(0, 0, 0, 0, 0, 0, 0, 0, 1)
NOBODY = row(0, 0, 0, 0, 0, 0, 0, 0, 0)
# The posts' author blocked "blocked": their posts are hidden from them, in the group as anywhere.
PUBLIC_POST = row(1, 1, 1, 1, 1, 1, 1, 0, 1)  # a public group's post: anyone (banned included)
SIGNED_IN_PUBLIC_POST = row(0, 1, 1, 1, 1, 1, 1, 0, 1)
MEMBERS_POST = row(0, 0, 0, 1, 1, 1, 0, 0, 0)  # a private or hidden group's post: its members


def _content(audience: dict[str, bool], signed_in: dict[str, bool]) -> dict[str, dict[str, bool]]:
    # view = the group's posts page, the post's page and its thread; list = the group timeline,
    # the hashtag timeline, search (never the local timeline or the author's profile); interact =
    # like and bookmark (boosting a group post is refused to everyone); post = a new post or a
    # reply in the group (readers who are not members are refused, others get 404); edit = its
    # author's alone (none of these people); delete = its author and site staff, who may remove a
    # post they may not read without being shown it (group moderators remove members, not posts).
    return {
        "view": audience,
        "list": audience,
        "interact": signed_in,
        "post": MEMBERS,
        "edit": NOBODY,
        "delete": STAFF,
    }


MODERATION = ("requests", "invitations", "bans", "resources", "remove")

POLICY: dict[tuple[str, str], dict[str, dict[str, bool]]] = {
    # The group's about page (name, about, code of conduct, pinned resources), and its card in the
    # directory (listing, search by name and by tag).
    ("group_page", "public"): {"view": ANYONE, "list": ANYONE},
    ("group_page", "private"): {"view": ANYONE, "list": ANYONE},
    ("group_page", "hidden"): {"view": MEMBERS_AND_STAFF, "list": MEMBERS},
    # A post (and a reply in its thread) by a member of the group.
    ("group_content", "public"): _content(PUBLIC_POST, SIGNED_IN_PUBLIC_POST),
    ("group_content", "private"): _content(MEMBERS_POST, MEMBERS_POST),
    ("group_content", "hidden"): _content(MEMBERS_POST, MEMBERS_POST),
    # The members list: whoever may read the group's content.
    ("members", "public"): {"view": ANYONE},
    ("members", "private"): {"view": MEMBERS},
    ("members", "hidden"): {"view": MEMBERS},
    # Moderation pages, GET and POST: join requests (list, approve), invitation links (list, make,
    # revoke), bans (list with reasons, lift), pinned resources (list, pin, unpin), removing a member.
    **{("moderation", p): dict.fromkeys(MODERATION, MODERATORS) for p in PRIVACIES},
    # Owners only: members' roles, the group's settings, deleting it.
    **{("management", p): {"roles": OWNERS, "edit": OWNERS, "delete": OWNERS} for p in PRIVACIES},
    # Notifications: an @mention in a group post reaches those who may read it; a join request
    # reaches the group's moderators; an approval, the member let in.
    ("notifications", "public"): {"mention": SIGNED_IN_PUBLIC_POST},
    ("notifications", "private"): {"mention": MEMBERS_POST, "join_request": MODERATORS, "approval": REQUESTER},
    ("notifications", "hidden"): {"mention": MEMBERS_POST},
    # The email digest of someone who follows the author and the post's hashtag.
    ("digest", "public"): {"list": SIGNED_IN_PUBLIC_POST},
    ("digest", "private"): {"list": MEMBERS_POST},
    ("digest", "hidden"): {"list": MEMBERS_POST},
}

TOKEN = "zqxgroupmatrix"  # unique text: present only where the object is shown
HASHTAG = "zqxgroupmatrixtag"
QUIET = {
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "RR_RATE_LIMITS_ENABLED": False,
}


@dataclass
class World:
    users: dict[str, object] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # privacy → a usable invitation link's token

    def principal(self, name: str):
        return None if name == "anonymous" else self.users[name]


def _name(privacy: str) -> str:
    return f"{privacy.title()} group {TOKEN}name{privacy}"


def _tag(privacy: str) -> str:
    return f"{TOKEN}tag{privacy}"


def build_world() -> World:
    """Three groups of the same people, one per privacy, through the real actions."""
    w = World()
    for name in ("owner", "moderator", "group_member", "blocked", "poster", "listed", "member", "requester", "banned"):
        w.users[name] = UserFactory(profile__display_name=f"{name.title()} {TOKEN}{name}", password=None)
    w.users["admin"] = UserFactory(is_staff=True, password=None, profile__display_name="Admin")
    owner = w.users["owner"]
    for privacy in PRIVACIES:
        group = group_actions.create_group(
            creator=owner,
            name=_name(privacy),
            privacy=privacy,
            summary=f"Summary {TOKEN}summary{privacy}",
            about=f"About {TOKEN}about{privacy}",
            conduct="Be kind.",
            tags=[_tag(privacy)],
        )
        invitation, token = group_actions.create_invitation(
            actor=owner, group=group, days=30, note=f"Note {TOKEN}invnote"
        )
        for name in ("moderator", "group_member", "blocked", "poster", "listed", "banned"):
            group_actions.accept_invitation(user=w.users[name], token=token, accept_conduct=True)
        group_actions.set_role(
            actor=owner, membership=Membership.objects.get(group=group, user=w.users["moderator"]), role=Role.MODERATOR
        )
        group_actions.remove_member(
            actor=owner,
            membership=Membership.objects.get(group=group, user=w.users["banned"]),
            ban=True,
            reason=f"Reason {TOKEN}banreason",
        )
        message = f"Let me in {TOKEN}joinmessage"
        if privacy == Privacy.PRIVATE:
            group_actions.request_to_join(user=w.users["requester"], group=group, message=message, accept_conduct=True)
        else:  # asked while the group was private
            JoinRequest.objects.create(group=group, user=w.users["requester"], message=message)
        group_actions.pin_resource(
            actor=owner, group=group, title=f"Reading list {TOKEN}resource", url="https://example.org/list"
        )
        w.groups[privacy] = group
        w.tokens[privacy] = token
    network_actions.block(blocker=w.users["poster"], blocked=w.users["blocked"])
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(**QUIET):
        w = build_world()
    yield w
    with django_db_blocker.unblock():
        Group.objects.filter(pk__in=[g.pk for g in w.groups.values()]).delete()
        get_user_model().objects.filter(pk__in=[u.pk for u in w.users.values()]).delete()


# --- Helpers --------------------------------------------------------------------------------------


def fresh(w: World, name: str):
    """The user anew from the database: the world's objects cache memberships across cases."""
    return get_user_model().objects.select_related("profile").get(pk=w.users[name].pk)


def fresh_group(w: World, privacy: str) -> Group:
    return Group.objects.get(pk=w.groups[privacy].pk)


def reads_group(privacy: str, principal: str) -> bool:
    """May read the group's content (the rule of its members list), blocks aside."""
    return POLICY[("members", privacy)]["view"][principal]


def sees_group(privacy: str, principal: str) -> bool:
    """May know the group exists (its about page)."""
    return POLICY[("group_page", privacy)]["view"][principal]


def _assert_denied(response, principal: str) -> None:
    """404 for members; an anonymous visitor to a sign-in page may be sent to sign in instead."""
    if principal == "anonymous" and response.status_code == 302:
        assert reverse("account_login") in response["Location"]
        return
    assert response.status_code == 404, f"expected 404, got {response.status_code}"


def _text(response) -> str:
    return response.content.decode() if response.status_code == 200 else ""


def _search_results(response) -> str:
    """The search page's results only: the page also repeats the query in its title and box."""
    return _text(response).partition('id="search-results"')[2]


def _get(client, url: str, principal: str, allowed: bool, *, shown: str = ""):
    response = client.get(url)
    if allowed:
        assert response.status_code == 200, (url, response.status_code)
        assert shown in _text(response), url
    else:
        _assert_denied(response, principal)
        if shown:
            assert shown not in _text(response), url
    return response


def _post(client, url: str, data: dict, principal: str, allowed: bool, *, ok: tuple[int, ...] = (302,)):
    response = client.post(url, data)
    if allowed:
        assert response.status_code in ok, (url, response.status_code)
    else:
        _assert_denied(response, principal)
    return response


def publish(w: World, capture, privacy: str, body: str = f"Group news #{HASHTAG} {TOKEN}gpost", **kwargs) -> Post:
    with capture(execute=True):
        return post_actions.create_post(
            author=fresh(w, "poster"), body=body, visibility="public", group=fresh_group(w, privacy), **kwargs
        )


def publish_thread(w: World, capture, privacy: str) -> tuple[Post, Post]:
    root = publish(w, capture, privacy)
    with capture(execute=True):
        reply = post_actions.create_post(
            author=fresh(w, "poster"), body=f"And a reply {TOKEN}reply", visibility="public", reply_to=root
        )
    assert reply.group_id == root.group_id
    return root, reply


# --- Checks per object type -----------------------------------------------------------------------


def check_group_page(client, w, capture, privacy, action, principal, allowed):
    group = w.groups[privacy]
    if action == "view":
        _get(client, reverse("groups:about", args=[group.slug]), principal, allowed, shown=f"{TOKEN}about{privacy}")
        # The posts page: members read it; other visitors of a listed group are sent to its about page.
        response = client.get(reverse("posts:group", args=[group.slug]))
        if not allowed:
            _assert_denied(response, principal)
        elif not reads_group(privacy, principal):
            assert response.status_code == 302
            assert response["Location"] == reverse("groups:about", args=[group.slug])
        else:
            assert response.status_code == 200
        return
    name, tag = f"{TOKEN}name{privacy}", _tag(privacy)
    url = reverse("groups:directory")
    for params in ({}, {"q": name}, {"q": tag}, {"tag": tag}, {"sort": "newest"}, {"sort": "largest"}):
        response = client.get(url, params)
        assert response.status_code == 200, params
        listed = _text(response).rpartition("</search>")[2]  # the filters repeat the query
        assert (name in listed) is allowed, params
        assert (tag in listed) is allowed, params


def check_group_content(client, w, capture, privacy, action, principal, allowed):
    group = w.groups[privacy]
    if action == "view":
        root, reply = publish_thread(w, capture, privacy)
        response = client.get(reverse("posts:group", args=[group.slug]))
        if allowed:
            assert response.status_code == 200 and f"{TOKEN}gpost" in _text(response)
        elif reads_group(privacy, principal):  # the author blocked them: the page, without the post
            assert response.status_code == 200 and f"{TOKEN}gpost" not in _text(response)
        elif sees_group(privacy, principal):
            assert response.status_code == 302
            assert response["Location"] == reverse("groups:about", args=[group.slug])
        else:
            _assert_denied(response, principal)
        for post, shown in ((root, f"{TOKEN}gpost"), (root, f"{TOKEN}reply"), (reply, f"{TOKEN}reply")):
            _get(client, reverse("posts:detail", args=[post.pk]), principal, allowed, shown=shown)
        _get(client, reverse("posts:history", args=[root.pk]), principal, allowed)
        return
    if action == "list":
        root = publish(w, capture, privacy)
        token = f"{TOKEN}gpost"
        home = allowed and MEMBERS[principal]  # fanned out to members' home timelines only
        pages = {
            reverse("posts:group", args=[group.slug]): allowed,
            reverse("posts:hashtag", args=[HASHTAG]): allowed,
            reverse("posts:local"): False,
            reverse("network:profile", args=[w.users["poster"].profile.handle]): False,
            reverse("posts:home"): home,
        }
        for url, expected in pages.items():
            response = client.get(url)
            assert response.status_code in (200, 302, 404), url
            assert (token in _text(response)) is expected, url
        for params in ({"q": token}, {"q": token, "show": "posts", "sort": "relevance"}, {"q": f"#{HASHTAG}"}):
            response = client.get(reverse("search:search"), params)
            assert response.status_code == 200
            assert (token in _search_results(response)) is allowed, params
        return
    if action == "interact":
        root = publish(w, capture, privacy)
        user = w.principal(principal)
        with capture(execute=True):
            like = client.post(reverse("posts:like", args=[root.pk]), {"state": "on"})
            mark = client.post(reverse("posts:bookmark", args=[root.pk]), {"state": "on"})
            boost = client.post(reverse("posts:boost", args=[root.pk]), {"state": "on"})
        if allowed:
            assert like.status_code == 302 and mark.status_code == 302
            assert Like.objects.filter(user=user, post=root).exists()
            assert Bookmark.objects.filter(user=user, post=root).exists()
            assert boost.status_code == 302  # refused with a message: group posts stay in their group
        else:
            for response in (like, mark, boost):
                _assert_denied(response, principal)
            assert not Like.objects.filter(post=root).exists()
            assert not Bookmark.objects.filter(post=root).exists()
            root.refresh_from_db()
            assert root.likes_count == 0
        assert not Post.objects.filter(boost_of=root).exists()
        return
    if action == "edit":
        root = publish(w, capture, privacy)
        url = reverse("posts:edit", args=[root.pk])
        _get(client, url, principal, allowed)
        _post(client, url, {"body": "Rewritten by someone", "visibility": "public"}, principal, allowed)
        root.refresh_from_db()
        assert (root.body == "Rewritten by someone") is allowed
        assert root.edits.exists() is allowed
        return
    if action == "delete":
        root = publish(w, capture, privacy)
        url = reverse("posts:delete", args=[root.pk])
        response = _get(client, url, principal, allowed)
        # Only someone who may read the post is shown it on the way to deleting it.
        assert (f"{TOKEN}gpost" in _text(response)) is (
            allowed and POLICY[("group_content", privacy)]["view"][principal]
        )
        with capture(execute=True):
            _post(client, url, {}, principal, allowed)
        assert Post.objects.filter(pk=root.pk).exists() is not allowed
        return
    # post: a new post in the group, and a reply to a post of the group.
    root = publish(w, capture, privacy, body=f"A question for the group {TOKEN}root")
    attempts = [
        ({"body": f"Posted by someone {TOKEN}new", "visibility": "public", "group": group.pk}, True),
        ({"body": f"Replied by someone {TOKEN}answer", "visibility": "public", "reply_to": root.pk}, False),
    ]
    sees_root = POLICY[("group_content", privacy)]["view"][principal]
    for data, to_group in attempts:
        with capture(execute=True):
            response = client.post(reverse("posts:create"), data)
        made = Post.objects.filter(body=data["body"])
        reachable = reads_group(privacy, principal) if to_group else sees_root
        if allowed and reachable:
            assert response.status_code == 302, data
            assert made.get().group_id == group.pk
        elif principal != "anonymous" and reachable:  # a reader, not a member: refused, kept in the form
            assert response.status_code == 200, data
            assert "Join " in _text(response) and data["body"] in _text(response)
            assert not made.exists()
        else:
            _assert_denied(response, principal)
            assert not made.exists()


def check_members(client, w, capture, privacy, action, principal, allowed):
    _get(client, reverse("groups:members", args=[w.groups[privacy].slug]), principal, allowed, shown=f"{TOKEN}listed")


def _snapshot(group: Group):
    return (
        sorted(Membership.objects.filter(group=group).values_list("user_id", "role")),
        sorted(JoinRequest.objects.filter(group=group).values_list("user_id", flat=True)),
        sorted(Invitation.objects.filter(group=group).values_list("pk", "revoked_at", "uses")),
        sorted(GroupBan.objects.filter(group=group).values_list("user_id", "reason")),
        sorted(PinnedResource.objects.filter(group=group).values_list("pk", "title")),
        Group.objects.filter(pk=group.pk).values_list("name", "privacy", "about", "members_count").first(),
    )


def check_moderation(client, w, capture, privacy, action, principal, allowed):
    group = fresh_group(w, privacy)
    slug = group.slug
    before = _snapshot(group)
    if action == "requests":
        request = JoinRequest.objects.get(group=group, user=w.users["requester"])
        response = _get(
            client, reverse("groups:requests", args=[slug]), principal, allowed, shown=f"{TOKEN}joinmessage"
        )
        assert (f"{TOKEN}requester" in _text(response)) is allowed
        with capture(execute=True):
            _post(
                client,
                reverse("groups:answer_request", args=[slug, request.pk]),
                {"decision": "approve"},
                principal,
                allowed,
            )
        joined = Membership.objects.filter(group=group, user=w.users["requester"]).exists()
        assert joined is allowed
        assert JoinRequest.objects.filter(pk=request.pk).exists() is not allowed
    elif action == "invitations":
        url = reverse("groups:invitations", args=[slug])
        _get(client, url, principal, allowed, shown=f"{TOKEN}invnote")
        response = _post(client, url, {"days": "7", "max_uses": "3", "note": "Another"}, principal, allowed, ok=(200,))
        assert ("/groups/invite/" in _text(response)) is allowed
        invitation = Invitation.objects.filter(group=group, note=f"Note {TOKEN}invnote").get()
        _post(client, reverse("groups:revoke_invitation", args=[slug, invitation.pk]), {}, principal, allowed)
        invitation.refresh_from_db()
        assert (invitation.revoked_at is not None) is allowed
        assert Invitation.objects.filter(group=group).count() == (2 if allowed else 1)
    elif action == "bans":
        _get(client, reverse("groups:bans", args=[slug]), principal, allowed, shown=f"{TOKEN}banreason")
        banned = w.users["banned"]
        _post(client, reverse("groups:unban", args=[slug, banned.pk]), {}, principal, allowed)
        assert GroupBan.objects.filter(group=group, user=banned).exists() is not allowed
    elif action == "resources":
        url = reverse("groups:resources", args=[slug])
        _get(client, url, principal, allowed, shown="Pin a resource")
        data = {"title": "Another list", "url": "https://example.org/another", "note": "x"}
        _post(client, url, data, principal, allowed)
        assert PinnedResource.objects.filter(group=group, title="Another list").exists() is allowed
        pinned = PinnedResource.objects.get(group=group, title=f"Reading list {TOKEN}resource")
        _post(client, reverse("groups:unpin", args=[slug, pinned.pk]), {}, principal, allowed)
        assert PinnedResource.objects.filter(pk=pinned.pk).exists() is not allowed
    else:  # remove (and ban) a member
        listed = w.users["listed"]
        url = reverse("groups:remove", args=[slug, listed.profile.handle])
        _get(client, url, principal, allowed, shown=f"{TOKEN}listed")
        _post(client, url, {"ban": "on", "reason": "Spam"}, principal, allowed)
        assert Membership.objects.filter(group=group, user=listed).exists() is not allowed
        assert GroupBan.objects.filter(group=group, user=listed).exists() is allowed
    if not allowed:
        assert _snapshot(group) == before


def check_management(client, w, capture, privacy, action, principal, allowed):
    group = fresh_group(w, privacy)
    slug = group.slug
    before = _snapshot(group)
    if action == "roles":
        listed = w.users["listed"]
        url = reverse("groups:set_role", args=[slug, listed.profile.handle])
        _post(client, url, {"role": Role.MODERATOR}, principal, allowed)
        role = Membership.objects.get(group=group, user=listed).role
        assert role == (Role.MODERATOR if allowed else Role.MEMBER)
    elif action == "edit":
        url = reverse("groups:edit", args=[slug])
        _get(client, url, principal, allowed, shown=f"{TOKEN}about{privacy}")
        data = {"name": "Renamed by someone", "privacy": privacy, "about": "Rewritten", "tags": _tag(privacy)}
        _post(client, url, data, principal, allowed)
        group.refresh_from_db()
        assert (group.name == "Renamed by someone" and group.about == "Rewritten") is allowed
    else:
        url = reverse("groups:delete", args=[slug])
        _get(client, url, principal, allowed)
        publish(w, capture, privacy)
        with capture(execute=True):
            _post(client, url, {}, principal, allowed)
        assert Group.objects.filter(pk=group.pk).exists() is not allowed
        assert Post.objects.filter(body__contains=f"{TOKEN}gpost").exists() is not allowed
    if not allowed:
        assert _snapshot(group) == before


def _notifications_page(client, principal: str) -> str:
    response = client.get(reverse("notifications:list"))
    if principal == "anonymous":
        _assert_denied(response, principal)
    else:
        assert response.status_code == 200
    return _text(response)


def check_notifications(client, w, capture, privacy, action, principal, allowed):
    group = w.groups[privacy]
    if action == "mention":
        handles = " ".join(f"@{w.users[p].profile.handle}" for p in PRINCIPALS if p != "anonymous")
        mail.outbox = []
        publish(w, capture, privacy, body=f"Hello {handles} {TOKEN}mention")
        assert (f"{TOKEN}mention" in _notifications_page(client, principal)) is allowed
        user = w.principal(principal)
        if user is not None and not allowed:
            assert not [m for m in mail.outbox if user.email in m.to and f"{TOKEN}mention" in m.body]
        return
    if action == "approval":
        request = JoinRequest.objects.get(group=group, user=w.users["requester"])
        with capture(execute=True):
            group_actions.answer_request(actor=fresh(w, "owner"), join_request=request, approve=True)
        page = _notifications_page(client, principal)
        assert (f"You are now a member of {_name(privacy)}" in page) is allowed
        return
    page = _notifications_page(client, principal)  # join_request: made when the world was built
    assert (f"asked to join {_name(privacy)}" in page) is allowed


def check_digest(client, w, capture, privacy, action, principal, allowed):
    """Every signed-in principal follows the author and the post's hashtag, and a digest is due."""
    poster = w.users["poster"]
    people = [p for p in PRINCIPALS if p != "anonymous"]
    tag, _ = Hashtag.objects.get_or_create(name=HASHTAG)
    for name in people:
        Follow.objects.get_or_create(follower=w.users[name], followee=poster)  # a follow row despite the block
        HashtagFollow.objects.get_or_create(user=w.users[name], hashtag=tag)
    publish(w, capture, privacy, body=f"Digest-worthy #{HASHTAG} {TOKEN}digest")
    user = w.principal(principal)
    if user is not None:
        digest_actions.save_digest_settings(member=user, frequency="daily", weekday=0, hour=8)
        DigestSchedule.objects.filter(member=user).update(next_digest_at=timezone.now() - timedelta(minutes=1))
    mail.outbox = []
    with override_settings(ACCOUNT_EMAIL_VERIFICATION="none"):
        digest_tasks.run_due_digests(log=lambda line: None)
    sent = [m for m in mail.outbox if user is not None and user.email in m.to]
    texts = [m.body + "".join(str(a[0]) for a in getattr(m, "alternatives", [])) for m in sent]
    assert any(f"{TOKEN}digest" in t for t in texts) is allowed


CHECKS = {
    "group_page": check_group_page,
    "group_content": check_group_content,
    "members": check_members,
    "moderation": check_moderation,
    "management": check_management,
    "notifications": check_notifications,
    "digest": check_digest,
}


def _cases():
    for (obj, privacy), actions in POLICY.items():
        for action, allowed_by in actions.items():
            for principal in PRINCIPALS:
                verdict = "allowed" if allowed_by[principal] else "denied"
                yield pytest.param(
                    obj,
                    privacy,
                    action,
                    principal,
                    allowed_by[principal],
                    id=f"{obj}[{privacy}]-{principal}-{action}-{verdict}",
                )


CASES = list(_cases())


@pytest.mark.django_db
@pytest.mark.parametrize(("obj", "privacy", "action", "principal", "allowed"), CASES)
def test_the_group_policy_table_holds_for(
    client, world, django_capture_on_commit_callbacks, obj, privacy, action, principal, allowed
):
    user = world.principal(principal)
    if user is not None:
        client.force_login(user)
    CHECKS[obj](client, world, django_capture_on_commit_callbacks, privacy, action, principal, allowed)


def test_the_module_docstring_reports_the_number_of_generated_cases():
    assert f"Generated cases: {len(CASES)} " in __doc__


@pytest.mark.django_db
def test_moderators_reach_no_other_groups_requests_invitations_bans_or_pins(client, world):
    """Every moderation page takes its object's id under the moderator's own group: another
    group's request, invitation link, ban, pin or member, named through it, is a 404 and unchanged."""
    stranger, asker, outcast = (UserFactory() for _ in range(3))
    other = group_actions.create_group(creator=stranger, name="Another group", privacy=Privacy.PRIVATE)
    request = group_actions.request_to_join(user=asker, group=other, message="Please")
    invitation, token = group_actions.create_invitation(actor=stranger, group=other)
    group_actions.accept_invitation(user=outcast, token=token)
    pinned = group_actions.pin_resource(actor=stranger, group=other, title="Theirs", url="https://example.org/t")
    GroupBan.objects.create(group=other, user=asker, reason="Theirs", banned_by=stranger)
    before = _snapshot(other)
    client.force_login(world.users["owner"])
    own = world.groups[Privacy.PUBLIC].slug
    attempts = [
        (reverse("groups:answer_request", args=[own, request.pk]), {"decision": "approve"}),
        (reverse("groups:revoke_invitation", args=[own, invitation.pk]), {}),
        (reverse("groups:remove", args=[own, outcast.profile.handle]), {"ban": "on", "reason": "x"}),
        (reverse("groups:set_role", args=[own, outcast.profile.handle]), {"role": Role.OWNER}),
    ]
    for url, data in attempts:
        assert client.post(url, data).status_code == 404, url
    # Lifting a ban and unpinning answer with their page whatever the id; another group's stay.
    assert client.post(reverse("groups:unban", args=[own, asker.pk])).status_code == 302
    assert client.post(reverse("groups:unpin", args=[own, pinned.pk])).status_code == 302
    assert _snapshot(other) == before


@pytest.mark.django_db
def test_an_author_banned_from_a_group_can_no_longer_edit_their_posts_in_it(
    client, world, django_capture_on_commit_callbacks
):
    owner, author = world.users["owner"], UserFactory()
    group = fresh_group(world, Privacy.PUBLIC)
    _, token = group_actions.create_invitation(actor=owner, group=group)
    group_actions.accept_invitation(user=author, token=token, accept_conduct=True)
    with django_capture_on_commit_callbacks(execute=True):
        post = post_actions.create_post(author=author, body="Before the ban", visibility="public", group=group)
    client.force_login(author)
    url = reverse("posts:edit", args=[post.pk])
    assert client.get(url).status_code == 200
    group_actions.remove_member(
        actor=fresh(world, "owner"), membership=Membership.objects.get(group=group, user=author), ban=True, reason="x"
    )
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "Spam after the ban", "visibility": "public"}).status_code == 404
    post.refresh_from_db()
    assert post.body == "Before the ban" and not post.edits.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("posts:delete", args=[post.pk])).status_code == 302  # still theirs to delete
    assert not Post.objects.filter(pk=post.pk).exists()
