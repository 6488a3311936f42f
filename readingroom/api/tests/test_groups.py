"""Groups through the API: the same forms, actions, queries and permission checks as the pages.
A hidden group is a 404 to outsiders, a private group's posts and members too; the moderation
lists are a 404 to all but moderators."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from readingroom.core.ratelimit import check_rate
from readingroom.groups import actions as group_actions
from readingroom.groups.models import Group, GroupBan, Invitation, JoinRequest, Membership, PinnedResource
from readingroom.posts.models import Post
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def carol(db):
    return UserFactory(profile__handle="carol", profile__display_name="Carol Codex")


@pytest.fixture
def make_group(ada, django_capture_on_commit_callbacks):
    """make_group(privacy, owner=ada, **fields) → a group made through the action the pages use."""

    def make(privacy="public", owner=None, **fields):
        fields.setdefault("name", f"A {privacy} group")
        with django_capture_on_commit_callbacks(execute=True):
            return group_actions.create_group(creator=owner or ada, privacy=privacy, **fields)

    return make


def _add(group, user, role="member"):
    membership = Membership.objects.create(group=group, user=user, role=role)
    Group.objects.filter(pk=group.pk).update(members_count=group.members_count + 1)
    return membership


def _error(response) -> dict:
    return response.json()["error"]


def _fields(response) -> dict[str, str]:
    return {f["field"]: f["message"] for f in _error(response)["fields"]}


# --- The directory ---------------------------------------------------------------------------------


def test_the_directory_lists_public_and_private_groups_and_pages_by_cursor(api_for, ada, bob, make_group):
    groups = [make_group("public", name=f"Group {n}") for n in range(21)]
    make_group("private", name="Private circle")
    hidden = make_group("hidden", name="Hidden room")
    api = api_for(None)

    first = api.get("groups")
    assert first.status_code == 200
    body = first.json()
    assert len(body["items"]) == 20 and body["next_after"]
    assert f'<{body["next_url"]}>; rel="next"' in first["Link"]
    second = api.get(body["next_url"].removeprefix("http://testserver")).json()
    names = [g["name"] for g in body["items"] + second["items"]]
    assert second["next_url"] is None
    assert sorted(names) == sorted([g.name for g in groups] + ["Private circle"])
    assert names[0] == "Private circle"  # most active (newest) first
    assert body["items"][0]["privacy"] == "private" and body["items"][0]["is_member"] is False

    # A hidden group is listed to its members only.
    assert "Hidden room" not in [g["name"] for g in api_for(bob).get("groups", {"mine": "true"}).json()["items"]]
    mine = api_for(ada).get("groups", {"mine": "true", "q": "hidden"}).json()["items"]
    assert [(g["slug"], g["is_member"]) for g in mine] == [(hidden.slug, True)]


def test_the_directory_filters_as_the_page_does(api_for, ada, bob, make_group):
    make_group("public", name="Cataloguers", tags=["metadata"], sector="academic")
    big = make_group("public", name="Everyone", summary="All the catalogue people")
    Group.objects.filter(pk=big.pk).update(members_count=25)
    api = api_for(bob)

    def names(**params):
        response = api.get("groups", params)
        assert response.status_code == 200, response.json()
        return [g["name"] for g in response.json()["items"]]

    assert names(tag="#Metadata") == ["Cataloguers"]
    assert names(sector="academic") == ["Cataloguers"]
    assert names(q="people") == ["Everyone"]  # words in the summary
    assert names(q="catalogue") == ["Everyone", "Cataloguers"]
    assert names(size="medium") == ["Everyone"]
    assert names(sort="largest") == ["Everyone", "Cataloguers"]
    assert names(mine="true") == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"tag": "t" * 41}, "tag"),
        ({"sort": "random"}, "sort"),
        ({"after": "not-a-cursor"}, "after"),
        ({"after": "5.0"}, "after"),  # the page's own cursor check: ids start at 1
        ({"after": "999999999999999999.1"}, "after"),  # no such moment: a 422, not a server error
    ],
)
def test_a_bad_directory_query_is_a_422_naming_the_parameter(api_for, params, field):
    response = api_for(None).get("groups", params)
    assert response.status_code == 422
    assert _error(response)["code"] == "validation_failed"
    fields = _error(response)["fields"]
    assert {f["location"] for f in fields} == {"query"}
    assert any(f["field"] == field or f["field"].startswith(f"query.{field}.") for f in fields), fields


# --- Creating, reading, changing and deleting a group ------------------------------------------------


def test_a_member_creates_a_group_and_owns_it(api_for, ada):
    response = api_for(ada).post(
        "groups",
        {
            "name": "  Cohort   2027 ",
            "privacy": "private",
            "summary": "Next year's cohort",
            "about": "We read **together**.",
            "conduct": "Be kind.",
            "sector": "education",
            "tags": ["Cohort 2027", "#mlis", "mlis"],
        },
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    group = Group.objects.get(slug=data["slug"])
    assert group.name == data["name"] == "Cohort 2027" and data["slug"] == "cohort-2027"
    assert data["tags"] == ["cohort 2027", "mlis"] and data["privacy"] == "private"
    assert "<strong>together</strong>" in data["about_html"] and data["conduct"] == "Be kind."
    assert data["membership"]["role"] == "owner" and data["members_count"] == 1
    assert data["can_manage"] and data["can_post"] and not data["can_join"] and not data["can_request"]
    assert data["url"] == f"http://testserver{reverse('posts:group', args=[group.slug])}"
    assert Membership.objects.filter(group=group, user=ada, role="owner").exists()


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"name": "   "}, "name", "This field is required."),  # the page's form, which strips
        ({"name": ""}, "name", "at least 1 character"),
        ({}, "name", "Field required"),
        ({"name": "N" * 81}, "name", "at most 80 characters"),
        ({"name": "Club", "privacy": "secret"}, "privacy", "'public', 'private' or 'hidden'"),
        ({"name": "Club", "tags": ["no good!"]}, "tags", "is not a tag"),
        ({"name": "Club", "tags": ["a,b"]}, "tags.0", "String should match pattern"),
        ({"name": "Club", "tags": [f"t{n}" for n in range(11)]}, "tags", "at most 10 items"),
        ({"name": "Club", "sector": "space"}, "sector", "Input should be"),
    ],
)
def test_an_invalid_group_is_a_422_naming_the_field(api_for, ada, payload, field, message):
    response = api_for(ada).post("groups", payload)
    assert response.status_code == 422
    assert _error(response)["code"] == "validation_failed"
    assert message in _fields(response).get(field, ""), _error(response)
    assert not Group.objects.exists()


def test_a_read_token_cannot_write(api_for, ada, bob, make_group):
    group = make_group("public")
    for path, payload in (("groups", {"name": "Club"}), (f"groups/{group.slug}/join", {})):
        response = api_for(bob, "read").post(path, payload)
        assert response.status_code == 403 and _error(response)["code"] == "insufficient_scope"
    assert api_for(ada, "read").delete(f"groups/{group.slug}").status_code == 403
    assert Group.objects.count() == 1 and not Membership.objects.filter(user=bob).exists()
    assert api_for(bob, "read").get(f"groups/{group.slug}").status_code == 200  # reading is fine


def test_creating_groups_shares_the_pages_daily_limit(api_for, ada, settings):
    settings.RR_RATE_LIMITS_ENABLED = True
    cache.clear()
    for _ in range(10):  # what ten groups made through the page count
        check_rate("group_create", ada.pk, limit=10, period=86400)
    response = api_for(ada).post("groups", {"name": "One too many"})
    assert response.status_code == 429 and _error(response)["code"] == "rate_limited"
    assert not Group.objects.exists()


def test_a_group_shows_the_viewers_standing_and_its_pinned_resources(api_for, ada, bob, make_group):
    group = make_group("private", conduct="Be kind.")
    group_actions.pin_resource(actor=ada, group=group, title="Timetable", url="https://example.org/t")

    anonymous = api_for(None).get(f"groups/{group.slug}").json()
    outsider = api_for(bob).get(f"groups/{group.slug}").json()
    owner = api_for(ada).get(f"groups/{group.slug}").json()

    assert anonymous["membership"] is None and not anonymous["can_request"] and not anonymous["can_read"]
    assert outsider["can_request"] and not outsider["can_join"] and not outsider["can_read"]
    assert outsider["resources"] == [] and anonymous["resources"] == []  # a private group's content
    assert [r["title"] for r in owner["resources"]] == ["Timetable"]
    assert owner["membership"]["role"] == "owner" and owner["membership"]["show_in_home"] is True
    assert owner["can_moderate"] and owner["can_read"] and owner["conduct_html"].strip() == "<p>Be kind.</p>"


def test_owners_change_the_settings_and_others_get_a_404(api_for, ada, bob, make_group):
    group = make_group("public", tags=["old"], summary="Before")
    _add(group, bob, "moderator")

    assert api_for(bob).patch(f"groups/{group.slug}", {"name": "Mine now"}).status_code == 404
    response = api_for(ada).patch(f"groups/{group.slug}", {"name": "Renamed", "tags": ["new"], "privacy": "private"})

    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["name"] == "Renamed" and data["tags"] == ["new"] and data["privacy"] == "private"
    assert data["summary"] == "Before" and data["slug"] == group.slug  # what was not sent stays
    bad = api_for(ada).patch(f"groups/{group.slug}", {"name": " "})
    assert bad.status_code == 422 and "name" in _fields(bad)


def test_only_owners_delete_a_group_and_its_posts_go_with_it(api_for, ada, bob, make_group, publish):
    group = make_group("public")
    _add(group, bob, "moderator")
    post = publish(ada, "In the group", group=group)

    assert api_for(bob).delete(f"groups/{group.slug}").status_code == 404
    assert api_for(ada).delete(f"groups/{group.slug}").status_code == 204
    assert not Group.objects.exists() and not Post.objects.filter(pk=post.pk).exists()
    assert api_for(ada).get(f"groups/{group.slug}").status_code == 404


# --- Who sees what -------------------------------------------------------------------------------


def test_a_hidden_group_is_a_404_to_outsiders(api_for, ada, bob, make_group, publish):
    group = make_group("hidden")
    publish(ada, "Hidden words", group=group)
    staff = UserFactory(is_staff=True)
    paths = [f"groups/{group.slug}", f"groups/{group.slug}/posts", f"groups/{group.slug}/members"]
    for who in (None, bob):
        for path in paths:
            response = api_for(who).get(path)
            assert response.status_code == 404 and _error(response)["code"] == "not_found", (who, path)
    assert api_for(bob).post(f"groups/{group.slug}/join", {"accept_conduct": True}).status_code == 404
    assert all(api_for(ada).get(path).status_code == 200 for path in paths)
    # Staff know it exists (as on the page) but read its posts only as members do.
    assert api_for(staff).get(paths[0]).status_code == 200
    assert api_for(staff).get(paths[1]).status_code == 404
    assert not Membership.objects.filter(user=bob).exists()


def test_a_private_groups_posts_and_members_are_a_404_to_outsiders(api_for, ada, bob, make_group, publish):
    group = make_group("private")
    post = publish(ada, "Members only words", group=group)
    for who in (None, bob):
        assert api_for(who).get(f"groups/{group.slug}").status_code == 200
        assert api_for(who).get(f"groups/{group.slug}/posts").status_code == 404
        assert api_for(who).get(f"groups/{group.slug}/members").status_code == 404
        assert api_for(who).get(f"posts/{post.pk}").status_code == 404
    member = api_for(ada)
    assert [p["id"] for p in member.get(f"groups/{group.slug}/posts").json()["items"]] == [post.pk]
    members = member.get(f"groups/{group.slug}/members").json()
    assert [(m["member"]["handle"], m["role"]) for m in members["items"]] == [("ada", "owner")]


def test_the_group_timeline_pages_by_max_id_as_other_timelines(api_for, ada, make_group, publish):
    group = make_group("public")
    posts = [publish(ada, f"Group post {n}", group=group) for n in range(25)]
    publish(ada, "Not in the group")
    api = api_for(None)

    first = api.get(f"groups/{group.slug}/posts", {"limit": 10})
    body = first.json()
    assert [p["id"] for p in body["items"]] == [p.pk for p in posts[::-1][:10]]
    assert body["next_max_id"] == posts[15].pk and f'<{body["next_url"]}>; rel="next"' in first["Link"]
    seen = [p["id"] for p in body["items"]]
    while body["next_url"]:
        body = api.get(body["next_url"].removeprefix("http://testserver")).json()
        seen += [p["id"] for p in body["items"]]
    assert seen == [p.pk for p in reversed(posts)]
    single = api.get(f"posts/{posts[0].pk}").json()
    assert api.get(f"groups/{group.slug}/posts", {"max_id": posts[1].pk}).json()["items"] == [single]


# --- Posting to a group ----------------------------------------------------------------------------


def test_members_post_to_a_group_and_its_privacy_sets_the_audience(api_for, ada, make_group):
    group = make_group("private")
    response = api_for(ada).post("posts", {"body": "Welcome, cohort", "visibility": "public", "group": group.slug})

    assert response.status_code == 201, response.json()
    post = Post.objects.get(pk=response.json()["id"])
    assert post.group == group and post.visibility == "members" == response.json()["visibility"]
    group.refresh_from_db()
    assert group.posts_count == 1


def test_posting_to_a_group_one_may_not_read_is_a_404_and_one_is_not_in_a_403(api_for, bob, make_group):
    private, public = make_group("private"), make_group("public", name="Open house")
    api = api_for(bob)

    hidden_from_bob = api.post("posts", {"body": "Let me in", "group": private.slug})
    nobody = api.post("posts", {"body": "Anyone?", "group": "no-such-group"})
    not_a_member = api.post("posts", {"body": "Hello", "group": public.slug})

    assert hidden_from_bob.status_code == 404 and nobody.status_code == 404
    assert not_a_member.status_code == 403
    assert _error(not_a_member) == {"code": "forbidden", "message": "Join Open house to post or reply in it."}
    assert not Post.objects.exists()


# --- Joining, requests, leaving ------------------------------------------------------------------


def test_joining_a_public_group_needs_its_code_of_conduct_accepted(api_for, bob, make_group):
    group = make_group("public", conduct="Be kind.")
    api = api_for(bob)

    refused = api.post(f"groups/{group.slug}/join", {})
    assert refused.status_code == 422
    assert _fields(refused) == {"accept_conduct": "Please read and accept the group's code of conduct to join."}

    for _ in range(2):  # joining twice keeps one membership
        joined = api.post(f"groups/{group.slug}/join", {"accept_conduct": True})
        assert joined.status_code == 200, joined.json()
    data = joined.json()
    assert data["state"] == "member" and data["group"]["membership"]["role"] == "member"
    assert data["group"]["members_count"] == 2 and Membership.objects.filter(user=bob).count() == 1
    bad = api.post(f"groups/{group.slug}/join", {"accept_conduct": "yes"})
    assert bad.status_code == 422 and "accept_conduct" in _fields(bad)


def test_asking_to_join_a_private_group_and_the_moderators_answer(api_for, ada, bob, carol, make_group):
    group = make_group("private")
    asked = api_for(bob).post(f"groups/{group.slug}/join", {"message": "I am in the cohort"})
    assert asked.status_code == 200
    assert asked.json()["state"] == "requested" and asked.json()["group"]["has_requested"]
    api_for(carol).post(f"groups/{group.slug}/join", {})

    assert api_for(bob).get(f"groups/{group.slug}/requests").status_code == 404  # moderators only
    requests = api_for(ada).get(f"groups/{group.slug}/requests").json()
    assert [(r["member"]["handle"], r["message"]) for r in requests] == [("bob", "I am in the cohort"), ("carol", "")]
    by_handle = {r["member"]["handle"]: r["id"] for r in requests}

    owner = api_for(ada)
    assert (
        api_for(bob).post(f"groups/{group.slug}/requests/{by_handle['bob']}", {"decision": "approve"}).status_code
        == 404
    )
    assert owner.post(f"groups/{group.slug}/requests/{by_handle['bob']}", {"decision": "approve"}).status_code == 204
    assert owner.post(f"groups/{group.slug}/requests/{by_handle['carol']}", {"decision": "decline"}).status_code == 204
    assert owner.post(f"groups/{group.slug}/requests/{by_handle['carol']}", {"decision": "decline"}).status_code == 404
    bad = owner.post(f"groups/{group.slug}/requests/{by_handle['carol']}", {"decision": "maybe"})
    assert bad.status_code == 422 and "decision" in _fields(bad)
    assert Membership.objects.filter(group=group, user=bob).exists()
    assert not Membership.objects.filter(user=carol).exists() and not JoinRequest.objects.exists()
    assert api_for(bob).get(f"groups/{group.slug}/posts").status_code == 200


def test_leaving_and_the_last_owner_who_may_not(api_for, ada, bob, make_group):
    group = make_group("public")
    _add(group, bob)
    assert api_for(bob).post(f"groups/{group.slug}/leave").status_code == 204
    assert not Membership.objects.filter(user=bob).exists()

    response = api_for(ada).post(f"groups/{group.slug}/leave")
    assert response.status_code == 403 and _error(response)["code"] == "forbidden"
    assert "Make another member an owner" in _error(response)["message"]


def test_a_member_keeps_a_groups_posts_out_of_their_home_timeline(api_for, ada, bob, make_group):
    group = make_group("public")
    response = api_for(ada).put(f"groups/{group.slug}/home", {"show_in_home": False})
    assert response.status_code == 200 and response.json()["show_in_home"] is False
    assert not Membership.objects.get(user=ada).show_in_home
    assert api_for(bob).put(f"groups/{group.slug}/home", {"show_in_home": False}).status_code == 404
    assert api_for(ada).put(f"groups/{group.slug}/home", {"show_in_home": 0}).status_code == 422


# --- Invitation links ------------------------------------------------------------------------------


def test_an_invitation_for_one_use_lets_one_person_in(api_for, ada, bob, carol, make_group):
    group = make_group("hidden", conduct="Be kind.")
    owner = api_for(ada)

    made = owner.post(f"groups/{group.slug}/invitations", {"days": 7, "max_uses": 1, "note": "For Bob"})

    assert made.status_code == 201, made.json()
    assert made["Cache-Control"] == "no-store"
    token = made.json()["token"]
    assert made.json()["url"] == f"http://testserver{reverse('groups:invite', args=[token])}"
    assert made.json()["hint"] == token[:6] and made.json()["uses"] == 0
    listed = owner.get(f"groups/{group.slug}/invitations").json()
    assert [i["note"] for i in listed] == ["For Bob"] and "token" not in listed[0]
    assert not Invitation.objects.filter(digest__contains=token).exists()  # only its hash is stored

    preview = api_for(None).get(f"groups/invitations/{token}")
    assert preview.status_code == 200 and preview.json()["conduct_html"].strip() == "<p>Be kind.</p>"
    assert api_for(bob).post(f"groups/invitations/{token}/accept", {}).status_code == 422  # conduct first
    accepted = api_for(bob).post(f"groups/invitations/{token}/accept", {"accept_conduct": True})
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["state"] == "member" and accepted.json()["group"]["membership"]["role"] == "member"

    used_up = api_for(carol).post(f"groups/invitations/{token}/accept", {"accept_conduct": True})
    assert used_up.status_code == 404 and _error(used_up)["code"] == "not_found"
    assert api_for(None).get(f"groups/invitations/{token}").status_code == 404
    assert not Membership.objects.filter(user=carol).exists()
    assert owner.get(f"groups/{group.slug}/invitations").json() == []  # used up: no longer listed


def test_a_revoked_invitation_is_a_404_and_only_moderators_make_and_revoke(api_for, ada, bob, make_group):
    group = make_group("public")
    _add(group, bob)
    assert api_for(bob).post(f"groups/{group.slug}/invitations", {}).status_code == 404
    made = api_for(ada).post(f"groups/{group.slug}/invitations", {}).json()
    assert made["max_uses"] is None

    assert api_for(bob).delete(f"groups/{group.slug}/invitations/{made['id']}").status_code == 404
    assert api_for(ada).delete(f"groups/{group.slug}/invitations/{made['id']}").status_code == 204
    assert api_for(ada).delete(f"groups/{group.slug}/invitations/{made['id']}").status_code == 204  # again: no change
    outsider = UserFactory()
    assert api_for(outsider).post(f"groups/invitations/{made['token']}/accept", {}).status_code == 404
    assert api_for(ada).get("groups/invitations/not-a-token").status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"days": 3}, "days"), ({"days": True}, "days"), ({"max_uses": 0}, "max_uses"), ({"note": "n" * 121}, "note")],
)
def test_an_invalid_invitation_is_a_422(api_for, ada, make_group, payload, field):
    group = make_group("public")
    response = api_for(ada).post(f"groups/{group.slug}/invitations", payload)
    assert response.status_code == 422 and field in _fields(response), _error(response)
    assert not Invitation.objects.exists()


# --- Roles, removals, bans -------------------------------------------------------------------------


def test_owners_set_roles_and_the_last_owner_cannot_step_down(api_for, ada, bob, carol, make_group):
    group = make_group("public")
    _add(group, bob)
    _add(group, carol)

    promoted = api_for(ada).put(f"groups/{group.slug}/members/bob/role", {"role": "moderator"})
    assert promoted.status_code == 200
    assert promoted.json()["role"] == "moderator" and promoted.json()["member"]["handle"] == "bob"
    assert api_for(bob).put(f"groups/{group.slug}/members/carol/role", {"role": "owner"}).status_code == 404
    assert api_for(ada).put(f"groups/{group.slug}/members/nobody/role", {"role": "owner"}).status_code == 404
    alone = api_for(ada).put(f"groups/{group.slug}/members/ada/role", {"role": "member"})
    assert alone.status_code == 403 and "needs an owner" in _error(alone)["message"]
    bad = api_for(ada).put(f"groups/{group.slug}/members/bob/role", {"role": "king"})
    assert bad.status_code == 422 and "role" in _fields(bad)
    assert Membership.objects.get(user=bob).role == "moderator" and Membership.objects.get(user=ada).role == "owner"


def test_moderators_remove_and_ban_members_and_lift_bans(api_for, ada, bob, carol, make_group):
    group = make_group("public")
    _add(group, bob, "moderator")
    _add(group, carol)
    moderator = api_for(bob)

    no_reason = moderator.post(f"groups/{group.slug}/members/carol/remove", {"ban": True})
    assert no_reason.status_code == 422 and "reason" in _fields(no_reason)
    assert moderator.post(f"groups/{group.slug}/members/ada/remove", {}).status_code == 403  # an owner
    assert api_for(carol).post(f"groups/{group.slug}/members/bob/remove", {}).status_code == 404  # not a moderator
    banned = moderator.post(f"groups/{group.slug}/members/carol/remove", {"ban": True, "reason": "Spam"})
    assert banned.status_code == 204
    assert not Membership.objects.filter(user=carol).exists()

    bans = moderator.get(f"groups/{group.slug}/bans").json()
    assert [(b["member"]["handle"], b["reason"], b["user_id"]) for b in bans] == [("carol", "Spam", carol.pk)]
    rejoin = api_for(carol).post(f"groups/{group.slug}/join", {})
    assert rejoin.status_code == 403 and _error(rejoin)["message"] == "You cannot join this group."
    assert api_for(carol).get(f"groups/{group.slug}/bans").status_code == 404

    assert moderator.delete(f"groups/{group.slug}/bans/{carol.pk}").status_code == 204
    assert moderator.delete(f"groups/{group.slug}/bans/{carol.pk}").status_code == 404
    assert not GroupBan.objects.exists()
    assert api_for(carol).post(f"groups/{group.slug}/join", {}).json()["state"] == "member"


# --- Pinned resources ------------------------------------------------------------------------------


def test_moderators_pin_and_unpin_resources(api_for, ada, bob, make_group):
    group = make_group("public")
    _add(group, bob)
    owner = api_for(ada)

    pinned = owner.post(f"groups/{group.slug}/resources", {"title": "Reading list", "url": "example.org/list"})
    assert pinned.status_code == 201, pinned.json()
    assert pinned.json()["url"] == "https://example.org/list"  # as the page's form reads it
    bad = owner.post(f"groups/{group.slug}/resources", {"title": "Broken", "url": "not a link"})
    assert bad.status_code == 422 and "url" in _fields(bad)
    assert owner.post(f"groups/{group.slug}/resources", {"title": "X", "url": "javascript:alert(1)"}).status_code == 422
    assert [r["title"] for r in owner.get(f"groups/{group.slug}/resources").json()] == ["Reading list"]
    assert [r["title"] for r in api_for(bob).get(f"groups/{group.slug}").json()["resources"]] == ["Reading list"]
    assert api_for(bob).get(f"groups/{group.slug}/resources").status_code == 404
    assert (
        api_for(bob).post(f"groups/{group.slug}/resources", {"title": "Mine", "url": "https://x.org"}).status_code
        == 404
    )

    resource_id = pinned.json()["id"]
    assert api_for(bob).delete(f"groups/{group.slug}/resources/{resource_id}").status_code == 404
    assert owner.delete(f"groups/{group.slug}/resources/{resource_id}").status_code == 204
    assert owner.delete(f"groups/{group.slug}/resources/{resource_id}").status_code == 404
    assert not PinnedResource.objects.exists()
