"""The permission matrix: who may view, list, edit, delete and interact with what.

POLICY below is the single statement of the rules; the tests are generated from it (one case per
object type × visibility × principal × action) and drive the real pages through the test client.
A denied view/edit/delete/interact answers 404 (an anonymous visitor to a sign-in-only page is sent
to sign in instead), never 403 or 500, and a denied POST leaves the object unchanged. A denied
"list" means the object's text is absent from every listing page that could show it.

Generated cases: 301 (7 principals × 43 object/action rows), plus the URL-coverage meta-test and a
regression test for compiled queries shared between visitors and members.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from readingroom.accounts.models import FollowRequest, Profile
from readingroom.core.models import Visibility
from readingroom.network import actions as network_actions
from readingroom.notifications.models import Notification
from readingroom.posts import actions as post_actions
from readingroom.posts.models import Bookmark, Like, Post
from readingroom.testing.factories import UserFactory

PRINCIPALS = ("anonymous", "member", "follower", "blocked", "blocker", "author", "admin")


def row(*flags: int) -> dict[str, bool]:
    """One policy row, in PRINCIPALS order: 1 = allowed, 0 = denied."""
    assert len(flags) == len(PRINCIPALS)
    return dict(zip(PRINCIPALS, map(bool, flags), strict=True))


# "blocked" = the author blocked them; "blocker" = they blocked the author; "admin" = staff.
# "follower" is an accepted follower of the author; "member" is a signed-in, unrelated member.
#                                                anon member follower blocked blocker author admin
POLICY: dict[tuple[str, str], dict[str, dict[str, bool]]] = {
    # The author's profile page (view) and their card in the people directory (list).
    ("profile", "public"): {
        "view": row(1, 1, 1, 0, 0, 1, 1),
        "list": row(0, 1, 1, 0, 0, 1, 1),  # the directory is for signed-in members only
    },
    ("profile", "members"): {
        "view": row(0, 1, 1, 0, 0, 1, 1),
        "list": row(0, 1, 1, 0, 0, 1, 1),
    },
    ("profile", "followers"): {
        "view": row(0, 0, 1, 0, 0, 1, 1),
        "list": row(0, 0, 1, 0, 0, 1, 1),
    },
    # A top-level post: detail page; local, hashtag and profile timelines; edit; delete; like/bookmark.
    ("post", "public"): {
        "view": row(1, 1, 1, 0, 0, 1, 1),
        "list": row(1, 1, 1, 0, 0, 1, 1),
        "edit": row(0, 0, 0, 0, 0, 1, 0),
        "delete": row(0, 0, 0, 0, 0, 1, 1),  # staff may remove any post (moderation)
        "interact": row(0, 1, 1, 0, 0, 1, 1),
    },
    ("post", "members"): {
        "view": row(0, 1, 1, 0, 0, 1, 1),
        "list": row(0, 1, 1, 0, 0, 1, 1),
        "edit": row(0, 0, 0, 0, 0, 1, 0),
        "delete": row(0, 0, 0, 0, 0, 1, 1),
        "interact": row(0, 1, 1, 0, 0, 1, 1),
    },
    ("post", "followers"): {
        "view": row(0, 0, 1, 0, 0, 1, 0),  # staff do not read followers-only posts
        "list": row(0, 0, 1, 0, 0, 1, 0),  # hashtag and profile timelines; never the local timeline
        "edit": row(0, 0, 0, 0, 0, 1, 0),
        "delete": row(0, 0, 0, 0, 0, 1, 1),
        "interact": row(0, 0, 1, 0, 0, 1, 0),
    },
    # A post's earlier versions, seen by exactly those who may see the post.
    ("history", "public"): {"view": row(1, 1, 1, 0, 0, 1, 1)},
    ("history", "members"): {"view": row(0, 1, 1, 0, 0, 1, 1)},
    ("history", "followers"): {"view": row(0, 0, 1, 0, 0, 1, 0)},
    # The author's reply under a third party's public post: its own page, and the thread page.
    ("reply", "public"): {"view": row(1, 1, 1, 0, 0, 1, 1), "list": row(1, 1, 1, 0, 0, 1, 1)},
    ("reply", "members"): {"view": row(0, 1, 1, 0, 0, 1, 1), "list": row(0, 1, 1, 0, 0, 1, 1)},
    ("reply", "followers"): {"view": row(0, 0, 1, 0, 0, 1, 0), "list": row(0, 0, 1, 0, 0, 1, 0)},
    # The author's bookmarks appear on their own bookmarks page only.
    ("bookmarks", "own"): {"list": row(0, 0, 0, 0, 0, 1, 0)},
    # Follow requests to the (locked) author: listed to, approved and declined by the author only.
    ("follow_requests", "own"): {
        "list": row(0, 0, 0, 0, 0, 1, 0),
        "edit": row(0, 0, 0, 0, 0, 1, 0),  # approve
        "delete": row(0, 0, 0, 0, 0, 1, 0),  # decline
    },
    # Followers and following lists are as private as the profile.
    ("followers_list", "public"): {"view": row(1, 1, 1, 0, 0, 1, 1)},
    ("followers_list", "members"): {"view": row(0, 1, 1, 0, 0, 1, 1)},
    ("followers_list", "followers"): {"view": row(0, 0, 1, 0, 0, 1, 1)},
    ("following_list", "public"): {"view": row(1, 1, 1, 0, 0, 1, 1)},
    ("following_list", "members"): {"view": row(0, 1, 1, 0, 0, 1, 1)},
    ("following_list", "followers"): {"view": row(0, 0, 1, 0, 0, 1, 1)},
    # The author's notifications (a fan's like): listed, opened and marked read by the author only.
    ("notifications", "own"): {
        "list": row(0, 0, 0, 0, 0, 1, 0),
        "view": row(0, 0, 0, 0, 0, 1, 0),  # open: marks it read and goes to the post
        "edit": row(0, 0, 0, 0, 0, 1, 0),  # mark read
    },
}

# Every named page of the domain apps is either exercised by the matrix or exempt for a stated reason.
COVERED_URL_NAMES = {
    "network:profile",
    "network:directory",
    "network:followers",
    "network:following",
    "network:requests",
    "network:approve_request",
    "network:decline_request",
    "posts:detail",
    "posts:edit",
    "posts:history",
    "posts:delete",
    "posts:local",
    "posts:hashtag",
    "posts:bookmarks",
    "posts:like",
    "posts:bookmark",
    "notifications:list",
    "notifications:open",
    "notifications:mark_read",
    "search:search",
    # The API: the same rows, through /api/v1/ (test_api_permission_matrix.py).
    "api:v1:profile",
    "api:v1:followers",
    "api:v1:following",
    "api:v1:follow_requests",
    "api:v1:approve_request",
    "api:v1:decline_request",
    "api:v1:post",
    "api:v1:post_history",
    "api:v1:post_thread",
    "api:v1:post_like",
    "api:v1:post_bookmark",
    "api:v1:local",
    "api:v1:hashtag_timeline",
    "api:v1:profile_posts",
    "api:v1:bookmarks",
    "api:v1:notifications",
    "api:v1:notification_read",
    "api:v1:search",
    # Learning records: test_learning_permission_matrix.py (pages) and
    # test_learning_api_permission_matrix.py (the same rows through the API).
    "learning:overview",
    "learning:mentors",
    "learning:accept_mentorship",
    "learning:decline_mentorship",
    "learning:end_mentorship",
    "goals:list",
    "goals:detail",
    "goals:edit",
    "goals:delete",
    "goals:status",
    "goals:step_add",
    "goals:step_edit",
    "goals:step_toggle",
    "goals:step_move",
    "goals:step_delete",
    "goals:reflection_add",
    "goals:reflection_edit",
    "goals:reflection_delete",
    "goals:evidence_add",
    "goals:evidence_file",
    "goals:evidence_delete",
    "goals:ask",
    "goals:share",
    "goals:plan",
    "goals:plan_edit",
    "goals:plan_delete",
    "cpd:summary",
    "cpd:log",
    "cpd:export",
    "cpd:detail",
    "cpd:edit",
    "cpd:delete",
    "cpd:evidence_link",
    "cpd:evidence_upload",
    "cpd:evidence_file",
    "cpd:evidence_remove",
    "skills:home",
    "skills:assessment",
    "skills:assessment_visibility",
    "skills:assessment_delete",
    "portfolio:list",
    "portfolio:detail",
    "portfolio:edit",
    "portfolio:delete",
    "portfolio:add",
    "portfolio:add_item",
    "portfolio:add_section",
    "portfolio:edit_item",
    "portfolio:move_item",
    "portfolio:remove_item",
    "portfolio:preview",
    "portfolio:export_pdf",
    "portfolio:export_html",
    "portfolio:export_json",
    "portfolio:share",
    "portfolio:revoke_link",
    "portfolio:shared",
    "portfolio:shared_pdf",
    "pln:balance",
    "pln:check_in",
    "pln:check_in_result",
    "api:v1:goals",
    "api:v1:goal",
    "api:v1:goal_status",
    "api:v1:goal_steps",
    "api:v1:goal_step",
    "api:v1:goal_step_toggle",
    "api:v1:goal_step_move",
    "api:v1:goal_reflections",
    "api:v1:goal_reflection",
    "api:v1:goal_evidence",
    "api:v1:goal_evidence_link",
    "api:v1:goal_evidence_post",
    "api:v1:goal_evidence_item",
    "api:v1:goal_ask",
    "api:v1:plans",
    "api:v1:plan",
    "api:v1:cpd_entries",
    "api:v1:cpd_entry",
    "api:v1:cpd_export",
    "api:v1:skill_assessments",
    "api:v1:skill_assessment",
    "api:v1:portfolios",
    "api:v1:portfolio",
    "api:v1:portfolio_items",
    "api:v1:portfolio_item",
    "api:v1:portfolio_order",
    "api:v1:portfolio_export_json",
    "api:v1:portfolio_export_pdf",
    "api:v1:portfolio_share_links",
    "api:v1:portfolio_share_link",
    "api:v1:pln_check_ins",
    "api:v1:mentorships",
    "api:v1:mentorship_accept",
    "api:v1:mentorship_decline",
    "api:v1:mentorship_end",
    # Groups: test_group_permission_matrix.py.
    "groups:directory",
    "groups:about",
    "groups:members",
    "groups:requests",
    "groups:answer_request",
    "groups:invitations",
    "groups:revoke_invitation",
    "groups:bans",
    "groups:unban",
    "groups:resources",
    "groups:unpin",
    "groups:remove",
    "groups:set_role",
    "groups:edit",
    "groups:delete",
    "posts:group",
}
EXEMPT_URL_NAMES = {
    "accounts:onboarding": "acts on the signed-in member only; no object in the URL",
    "accounts:onboarding_interests": "acts on the signed-in member only",
    "accounts:profile_edit": "acts on the signed-in member only",
    "accounts:account": "acts on the signed-in member only",
    "accounts:conduct": "the site's code of conduct: public text, no object in the URL",
    "network:onboarding_people": "suggestions for the signed-in member (network tests cover blocks)",
    "network:blocks_mutes": "the signed-in member's own blocks and mutes only",
    "network:follow": "relationship write; network tests cover blocks and locked accounts",
    "network:unfollow": "relationship write on the signed-in member's own follow",
    "network:remove_follower": "relationship write on the signed-in member's own followers",
    "network:block": "blocking needs no visibility (one may block whom one cannot see)",
    "network:unblock": "the signed-in member's own block",
    "network:mute": "the signed-in member's own mute",
    "network:unmute": "the signed-in member's own mute",
    "posts:home": "the signed-in member's own home timeline",
    "posts:create": "creates a new post; replies re-check visibility (covered in posts tests)",
    "posts:follow_hashtag": "the signed-in member's own hashtag follows",
    "posts:boost": "same _toggle path and visibility check as like/bookmark (covered)",
    "notifications:badge": "the signed-in member's own unread count; visitors get an empty 204",
    "notifications:mark_all_read": "acts on the signed-in member's own notifications only",
    "notifications:settings": "the signed-in member's own preferences",
    "notifications:unsubscribe": "a signed token names the member and kind (notifications tests cover forgery)",
    "digests:settings": "the signed-in member's own digest settings",
    "digests:unsubscribe": "a signed token names the member (digests tests cover forgery and kind tokens)",
    "api:tokens": "the signed-in member's own tokens (api tests: another member's token is a 404 to revoke)",
    "api:revoke_token": "only the member's own token is revoked; others are a 404 (api tests)",
    "api:unknown": "answers 404 for any path the API does not have",
    "api:v1:openapi-json": "the API's description, the same for everyone",
    "api:v1:openapi-view": "the API's documentation page, the same for everyone",
    "api:v1:api-root": "links to the documentation, the same for everyone",
    "api:v1:me": "the token's own member only",
    "api:v1:my_profile": "the token's own member only (the profile page's form and action)",
    "api:v1:follow": "same checks as network:follow (exempt there); api tests cover blocks and locked accounts",
    "api:v1:unfollow": "the member's own follow",
    "api:v1:remove_follower": "the member's own followers",
    "api:v1:block": "blocking needs no visibility (one may block whom one cannot see)",
    "api:v1:unblock": "the member's own block",
    "api:v1:mute": "the member's own mute",
    "api:v1:unmute": "the member's own mute",
    "api:v1:blocks": "the member's own blocks",
    "api:v1:mutes": "the member's own mutes",
    "api:v1:posts": "creates a post; a reply re-checks visibility (api tests: replying to a hidden post is a 404)",
    "api:v1:post_unlike": "same path and check as post_like (covered)",
    "api:v1:post_boost": "same path and check as post_like (covered); followers-only is a 403 by design",
    "api:v1:post_unboost": "same path and check as post_like (covered)",
    "api:v1:post_unbookmark": "same path and check as post_bookmark (covered)",
    "api:v1:home": "the member's own home timeline",
    "api:v1:hashtag": "a hashtag's name and whether the member follows it",
    "api:v1:follow_tag": "the member's own hashtag follows",
    "api:v1:unfollow_tag": "the member's own hashtag follows",
    "api:v1:notifications_unread": "the member's own unread count",
    "api:v1:notifications_read_all": "acts on the member's own notifications only",
    # Learning: pages that act on the signed-in member's own records only, or on shared content.
    "learning:ask_mentor": "creates the member's own ask; learning tests cover whom one may ask (blocks, hidden)",
    "goals:create": "creates the member's own goal; a plan named in it must be their own (goals tests)",
    "goals:templates": "published plan templates, the same for every member; drafts for organisers (goals tests)",
    "goals:template": "a published template for every member; a draft is a 404 to non-organisers (goals tests)",
    "goals:template_start": "copies a published template into the member's own plan (goals tests: drafts 404)",
    "goals:template_create": "organisers only (goals tests: a member gets 404)",
    "goals:template_edit": "organisers only (goals tests: a member gets 404)",
    "goals:template_publish": "organisers only (goals tests: a member gets 404)",
    "goals:template_delete": "organisers only (goals tests: a member gets 404)",
    "goals:template_goal_add": "organisers only (goals tests: a member gets 404)",
    "goals:template_goal_edit": "organisers only (goals tests: a member gets 404)",
    "goals:template_goal_delete": "organisers only (goals tests: a member gets 404)",
    "cpd:add": "creates the member's own entry; linked goals must be their own (cpd tests)",
    "cpd:import": "creates the member's own entries from their CSV",
    "cpd:requirement": "the member's own requirement",
    "skills:rate": "creates the member's own assessment",
    "skills:frameworks": "staff-only framework upload (skills tests: members get 404)",
    "portfolio:create": "creates the member's own portfolio",
    "portfolio:import": "creates a new portfolio of the member's own; its records become their own",
    "pln:time": "the member's own weekly time",
    "api:v1:cpd_totals": "the token's own member's totals only",
    "api:v1:cpd_requirement": "the token's own member's requirement only",
    "api:v1:skill_frameworks": "the frameworks, the same for every member",
    "api:v1:skill_framework": "a framework, the same for every member",
    "api:v1:plan_templates": "published templates, the same for every member (drafts for organisers)",
    "api:v1:plan_template": "same check as goals:template (exempt there)",
    "api:v1:plan_template_start": "same check as goals:template_start (exempt there)",
    "api:v1:portfolio_import": "creates a new portfolio of the member's own",
    "api:v1:pln_balance": "the token's own member's balance only",
    "api:v1:pln_time": "the token's own member's weekly time only",
    # Groups: pages that act on the signed-in member's own membership, or on a secret link.
    "groups:create": "creates the member's own group",
    "groups:join": "acts on the signed-in member's own membership; groups tests cover hidden/banned",
    "groups:leave": "acts on the signed-in member's own membership; groups tests cover hidden/banned",
    "groups:home_preference": "acts on the signed-in member's own membership; groups tests cover hidden/banned",
    "groups:invite": "a token names the invitation; groups tests cover expired/revoked/used-up links",
    # Groups through the API: the same checks as the pages in test_group_permission_matrix.py;
    # readingroom/api/tests/test_groups.py drives each operation's denials.
    "api:v1:groups": "groups' listed_to, as the directory (page matrix: group_page list)",
    "api:v1:group": "the about page's rule (page matrix: group_page view); edit and delete for owners",
    "api:v1:group_posts": "the group page's rule (page matrix: group_content): private and hidden are 404s",
    "api:v1:group_members": "the members page's rule (page matrix: members): private and hidden are 404s",
    "api:v1:group_join": "acts on the member's own membership; api tests cover hidden (404) and banned (403)",
    "api:v1:group_leave": "acts on the member's own membership (api tests: the last owner may not leave)",
    "api:v1:group_home_preference": "the member's own membership (api tests: a non-member gets a 404)",
    "api:v1:group_requests": "the requests page's check (page matrix: moderation)",
    "api:v1:group_request_answer": "the requests page's check (page matrix: moderation)",
    "api:v1:group_invitations": "the invitations page's check (page matrix: moderation); api tests: non-moderators 404",
    "api:v1:group_invitation": "the revoke page's check (page matrix: moderation); api tests: non-moderators get a 404",
    "api:v1:group_invite": "a token names the invitation; api tests cover used-up and revoked links (404)",
    "api:v1:group_invitation_accept": "a token names the invitation; api tests cover used-up and revoked links",
    "api:v1:group_member_role": "the roles check (page matrix: management roles); api tests: a moderator gets a 404",
    "api:v1:group_member_remove": "the remove page's check (page matrix: moderation); api tests cover remove and ban",
    "api:v1:group_bans": "the bans page's check (page matrix: moderation); api tests: non-moderators get a 404",
    "api:v1:group_ban": "the unban page's check (page matrix: moderation); api tests: non-moderators get a 404",
    "api:v1:group_resources": "the resources page's check (page matrix: moderation); api tests cover pin and unpin",
    "api:v1:group_resource": "the unpin page's check (page matrix: moderation); api tests cover unpin",
    # Discussions through the API: discussions.permissions (who reads a topic is the group's content
    # rule); readingroom/api/tests/test_discussions.py drives every operation's 404s, 403s and 401s.
    "api:v1:topics": "the group content rule: private and hidden are 404s (api tests); starting needs membership",
    "api:v1:topic": "discussions' can_read (api tests: outsiders 404); edit and delete for the author or moderators",
    "api:v1:topic_moderation": "readers who are not moderators get a 403, outsiders a 404 (api tests)",
    "api:v1:topic_accepted": "the asker or a moderator; other readers a 403, outsiders a 404 (api tests)",
    "api:v1:topic_watch": "the member's own watch level on a topic they may read (api tests: outsiders 404)",
    "api:v1:group_topics_watch": "the member's own group watch level; non-members 403, outsiders 404 (api tests)",
    "api:v1:topic_read": "the member's own read position on a topic they may read (api tests: outsiders 404)",
    "api:v1:topic_replies": "discussions' can_read, as the topic (api tests: outsiders 404, non-members 403 to reply)",
    "api:v1:topic_reply": "discussions' can_read and can_edit (api tests: outsiders 404, others 403)",
    "api:v1:topic_reply_history": "discussions' can_read, as the topic (api tests: outsiders 404)",
    # Direct messages through the API: messaging.permissions (a conversation is read by its active
    # participants only); readingroom/api/tests/test_messages.py drives every operation's 404s, 403s and 401s.
    "api:v1:conversations": "the member's own inbox; starting checks each recipient's consent and blocks (api tests)",
    "api:v1:conversations_unread": "the member's own unread total",
    "api:v1:conversation": "messaging's can_read: non-participants and those who left get a 404 (api tests)",
    "api:v1:conversation_messages": "messaging's can_read (api tests: outsiders 404); can_send, else a 403",
    "api:v1:conversation_message": "messaging's can_read (api tests: outsiders 404); another's message a 403",
    "api:v1:conversation_read": "the member's own read position in a conversation they read (api tests: 404)",
    "api:v1:conversation_leave": "the member's own participation (api tests: outsiders 404)",
    "api:v1:conversation_people": "messaging's can_read and each one's consent (api tests: outsiders 404, 422)",
    "api:v1:conversation_mute": "the member's own participation (api tests: outsiders 404)",
    "api:v1:my_messaging": "the member's own messaging preference",
}

TOKEN = "zqxmatrixtoken"  # unique text: present only where the object is shown


@dataclass
class World:
    users: dict[str, object] = field(default_factory=dict)
    objects: dict[str, object] = field(default_factory=dict)

    def principal(self, name: str):
        return None if name == "anonymous" else self.users[name]


def _publish(capture, **kwargs) -> Post:
    with capture(execute=True):
        return post_actions.create_post(**kwargs)


def build_world(capture, *, profile_visibility: str = Visibility.PUBLIC) -> World:
    w = World()
    w.users["author"] = UserFactory(profile__display_name=f"Author {TOKEN}author")
    for name in ("member", "follower", "blocked", "blocker", "host", "fan", "idol"):
        w.users[name] = UserFactory(profile__display_name=f"{name.title()} {TOKEN}{name}")
    w.users["admin"] = UserFactory(is_staff=True)
    author = w.users["author"]
    with capture(execute=True):
        network_actions.follow(follower=w.users["follower"], followee=author)
        network_actions.follow(follower=w.users["fan"], followee=author)
        network_actions.follow(follower=author, followee=w.users["idol"])
        network_actions.follow(follower=w.users["blocked"], followee=author)  # ended by the block
        network_actions.block(blocker=author, blocked=w.users["blocked"])
        network_actions.block(blocker=w.users["blocker"], blocked=author)
    author.profile.visibility = profile_visibility
    author.profile.save(update_fields=["visibility"])
    return w


def _client_for(client, world: World, principal: str):
    user = world.principal(principal)
    if user is not None:
        client.force_login(user)
    return client


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


# --- Checks per (object type, action) --------------------------------------------------------


def check_profile(client, w, capture, vis, action, principal, allowed):
    author = w.users["author"]
    name = f"{TOKEN}author"
    if action == "view":
        response = client.get(reverse("network:profile", args=[author.profile.handle]))
        if allowed:
            assert response.status_code == 200 and name in _text(response)
        else:
            _assert_denied(response, principal)
            assert name not in _text(response)
    else:
        response = client.get(reverse("network:directory"))
        assert response.status_code in (200, 302)
        assert (name in _text(response)) is allowed
        # People search has the directory's audience (visitors search posts and hashtags only).
        response = client.get(reverse("search:search"), {"q": name})
        assert response.status_code == 200
        assert (name in _search_results(response)) is allowed


def _make_post(w, capture, vis) -> Post:
    return _publish(capture, author=w.users["author"], body=f"Hello #matrixtag {TOKEN}post", visibility=vis)


def check_post(client, w, capture, vis, action, principal, allowed):
    post = _make_post(w, capture, vis)
    token = f"{TOKEN}post"
    if action == "view":
        response = client.get(reverse("posts:detail", args=[post.pk]))
        if allowed:
            assert response.status_code == 200 and token in _text(response)
        else:
            _assert_denied(response, principal)
    elif action == "list":
        pages = {
            # Followers-only posts stay out of the local timeline for everyone (home timelines carry them).
            reverse("posts:local"): allowed and vis != Visibility.FOLLOWERS,
            reverse("posts:hashtag", args=["matrixtag"]): allowed,
            reverse("network:profile", args=[w.users["author"].profile.handle]): allowed,
        }
        for url, expected in pages.items():
            response = client.get(url)
            assert response.status_code in (200, 404), url
            assert (token in _text(response)) is expected, url
        # Search, newest first and by relevance: the same rule as the timelines.
        for params in ({"q": token}, {"q": token, "show": "posts", "sort": "relevance"}):
            response = client.get(reverse("search:search"), params)
            assert response.status_code == 200
            assert (token in _search_results(response)) is allowed, params
    elif action == "edit":
        url = reverse("posts:edit", args=[post.pk])
        response = client.get(url)
        if allowed:
            assert response.status_code == 200
        else:
            _assert_denied(response, principal)
        response = client.post(url, {"body": "Rewritten by someone", "visibility": vis})
        post.refresh_from_db()
        if allowed:
            assert response.status_code == 302 and post.body == "Rewritten by someone"
        else:
            _assert_denied(response, principal)
            assert post.body.endswith(token) and post.edits.count() == 0
    elif action == "delete":
        response = client.post(reverse("posts:delete", args=[post.pk]))
        if allowed:
            assert response.status_code == 302
            assert not Post.objects.filter(pk=post.pk).exists()
        else:
            _assert_denied(response, principal)
            assert Post.objects.filter(pk=post.pk).exists()
    elif action == "interact":
        like = client.post(reverse("posts:like", args=[post.pk]), {"state": "on"})
        mark = client.post(reverse("posts:bookmark", args=[post.pk]), {"state": "on"})
        user = w.principal(principal)
        if allowed:
            assert like.status_code == 302 and mark.status_code == 302
            assert Like.objects.filter(user=user, post=post).exists()
            assert Bookmark.objects.filter(user=user, post=post).exists()
        else:
            _assert_denied(like, principal)
            _assert_denied(mark, principal)
            assert not Like.objects.filter(post=post).exists()
            assert not Bookmark.objects.filter(post=post).exists()
            post.refresh_from_db()
            assert post.likes_count == 0


def check_history(client, w, capture, vis, action, principal, allowed):
    post = _publish(capture, author=w.users["author"], body=f"First draft {TOKEN}old", visibility=vis)
    post_actions.edit_post(post=post, editor=w.users["author"], body="Second draft")
    response = client.get(reverse("posts:history", args=[post.pk]))
    if allowed:
        assert response.status_code == 200 and f"{TOKEN}old" in _text(response)
    else:
        _assert_denied(response, principal)
        assert f"{TOKEN}old" not in _text(response)


def check_reply(client, w, capture, vis, action, principal, allowed):
    root = _publish(capture, author=w.users["host"], body="A public question", visibility=Visibility.PUBLIC)
    reply = _publish(capture, author=w.users["author"], body=f"An answer {TOKEN}reply", visibility=vis, reply_to=root)
    if action == "view":
        response = client.get(reverse("posts:detail", args=[reply.pk]))
        if allowed:
            assert response.status_code == 200 and f"{TOKEN}reply" in _text(response)
        else:
            _assert_denied(response, principal)
    else:
        response = client.get(reverse("posts:detail", args=[root.pk]))
        assert response.status_code == 200
        assert (f"{TOKEN}reply" in _text(response)) is allowed
        response = client.get(reverse("search:search"), {"q": f"{TOKEN}reply"})
        assert response.status_code == 200
        assert (f"{TOKEN}reply" in _search_results(response)) is allowed


def check_bookmarks(client, w, capture, vis, action, principal, allowed):
    post = _publish(capture, author=w.users["host"], body=f"Worth keeping {TOKEN}kept", visibility=Visibility.PUBLIC)
    post_actions.bookmark(user=w.users["author"], post=post)
    response = client.get(reverse("posts:bookmarks"))
    if principal == "anonymous":
        _assert_denied(response, principal)
    else:
        assert response.status_code == 200
    assert (f"{TOKEN}kept" in _text(response)) is allowed


def check_follow_requests(client, w, capture, vis, action, principal, allowed):
    author = w.users["author"]
    author.profile.locked = True
    author.profile.save(update_fields=["locked"])
    requester = UserFactory(profile__display_name=f"Requester {TOKEN}asker")
    network_actions.follow(follower=requester, followee=author)
    request = FollowRequest.objects.get(requester=requester, target=author)
    if action == "list":
        response = client.get(reverse("network:requests"))
        if principal == "anonymous":
            _assert_denied(response, principal)
        else:
            assert response.status_code == 200
        assert (f"{TOKEN}asker" in _text(response)) is allowed
        return
    url_name = "network:approve_request" if action == "edit" else "network:decline_request"
    followers_before = Profile.objects.get(pk=author.pk).followers_count
    with capture(execute=True):
        response = client.post(reverse(url_name, args=[request.pk]))
    still_pending = FollowRequest.objects.filter(pk=request.pk).exists()
    followers_after = Profile.objects.get(pk=author.pk).followers_count
    if allowed:
        assert response.status_code == 302 and not still_pending
    else:
        _assert_denied(response, principal)
        assert still_pending
        assert followers_after == followers_before


def check_relationship_list(client, w, capture, vis, action, principal, allowed, *, kind):
    shown = f"{TOKEN}fan" if kind == "followers" else f"{TOKEN}idol"
    response = client.get(reverse(f"network:{kind}", args=[w.users["author"].profile.handle]))
    if allowed:
        assert response.status_code == 200 and shown in _text(response)
    else:
        _assert_denied(response, principal)
        assert shown not in _text(response)


def check_notifications(client, w, capture, vis, action, principal, allowed):
    post = _publish(capture, author=w.users["author"], body="Worth a like", visibility=Visibility.PUBLIC)
    with capture(execute=True):
        post_actions.like(user=w.users["fan"], post=post)
    notification = Notification.objects.get(recipient=w.users["author"], kind="like")
    shown = f"{TOKEN}fan liked your post"
    if action == "list":
        response = client.get(reverse("notifications:list"))
        if principal == "anonymous":
            _assert_denied(response, principal)
        else:
            assert response.status_code == 200
        assert (shown in _text(response)) is allowed
        return
    if action == "view":
        response = client.get(reverse("notifications:open", args=[notification.pk]))
    else:
        response = client.post(reverse("notifications:mark_read", args=[notification.pk]))
    notification.refresh_from_db()
    if allowed:
        assert response.status_code == 302 and notification.read_at is not None
        if action == "view":
            assert response["Location"] == reverse("posts:detail", args=[post.pk])
    else:
        _assert_denied(response, principal)
        assert notification.read_at is None


CHECKS = {
    "profile": check_profile,
    "post": check_post,
    "history": check_history,
    "reply": check_reply,
    "bookmarks": check_bookmarks,
    "follow_requests": check_follow_requests,
    "followers_list": lambda *a: check_relationship_list(*a, kind="followers"),
    "following_list": lambda *a: check_relationship_list(*a, kind="following"),
    "notifications": check_notifications,
}


def _cases():
    for (obj, vis), actions in POLICY.items():
        for action, allowed_by in actions.items():
            for principal in PRINCIPALS:
                verdict = "allowed" if allowed_by[principal] else "denied"
                yield pytest.param(
                    obj,
                    vis,
                    action,
                    principal,
                    allowed_by[principal],
                    id=f"{obj}[{vis}]-{principal}-{action}-{verdict}",
                )


CASES = list(_cases())


@pytest.mark.django_db
@pytest.mark.parametrize(("obj", "vis", "action", "principal", "allowed"), CASES)
def test_the_policy_table_holds_for(client, django_capture_on_commit_callbacks, obj, vis, action, principal, allowed):
    profile_visibility = vis if obj in ("profile", "followers_list", "following_list") else Visibility.PUBLIC
    world = build_world(django_capture_on_commit_callbacks, profile_visibility=profile_visibility)
    _client_for(client, world, principal)
    CHECKS[obj](client, world, django_capture_on_commit_callbacks, vis, action, principal, allowed)


def test_the_module_docstring_reports_the_number_of_generated_cases():
    assert f"Generated cases: {len(CASES)} " in __doc__


def _url_names(resolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_page_of_the_domain_apps_is_in_the_matrix_or_explicitly_exempt():
    names = {
        n
        for n in _url_names(get_resolver())
        if n.split(":")[0]
        in (
            *("accounts", "network", "posts", "notifications", "search", "api", "digests"),
            *("learning", "skills", "goals", "cpd", "portfolio", "pln", "groups"),
        )
    }
    missing = names - COVERED_URL_NAMES - set(EXEMPT_URL_NAMES)
    assert not missing, f"Add these URL names to the permission matrix (or exempt them with a reason): {missing}"
    stale = (COVERED_URL_NAMES | set(EXEMPT_URL_NAMES)) - names
    assert not stale, f"These URL names no longer exist: {stale}"


@pytest.mark.django_db
def test_a_visitor_never_sees_members_posts_after_a_member_loaded_the_same_page(
    client, django_capture_on_commit_callbacks
):
    """Regression: compiled hydrate queries were cached without noting whether a viewer was signed in."""
    world = build_world(django_capture_on_commit_callbacks)
    _make_post(world, django_capture_on_commit_callbacks, Visibility.MEMBERS)
    url = reverse("posts:hashtag", args=["matrixtag"])
    for _ in range(2):  # member then visitor, then again, in one process
        client.force_login(world.users["member"])
        assert f"{TOKEN}post" in client.get(url).content.decode()
        client.logout()
        assert f"{TOKEN}post" not in client.get(url).content.decode()
