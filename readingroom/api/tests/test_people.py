"""Profiles, relationships and the member's own account through the API."""

import pytest

from readingroom.accounts.models import Block, Follow, FollowRequest, Mute
from readingroom.core.models import Visibility
from readingroom.network import actions as network_actions
from readingroom.testing.factories import InterestFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- Profiles -----------------------------------------------------------------------------------


def test_a_profile_shows_what_the_page_shows_and_hidden_fields_are_null(api_for, ada, bob):
    ada.profile.job_title, ada.profile.organisation, ada.profile.city = "Cataloguer", "Analytical Library", "London"
    ada.profile.hidden_fields = ["organisation", "location"]
    ada.profile.save()
    ada.profile.interests.set([InterestFactory(slug="maps", name="Maps")])

    seen_by_bob = api_for(bob).get("profiles/ada").json()
    seen_by_ada = api_for(ada).get("profiles/ada").json()

    assert seen_by_bob["job_title"] == "Cataloguer"
    assert seen_by_bob["organisation"] is None and seen_by_bob["city"] is None and seen_by_bob["country"] is None
    assert seen_by_bob["interests"] == [{"slug": "maps", "name": "Maps"}]
    assert seen_by_bob["relationship"]["following"] is False
    assert seen_by_ada["organisation"] == "Analytical Library" and seen_by_ada["relationship"]["is_self"]
    assert api_for(None).get("profiles/ada").json()["relationship"] is None


def test_handles_are_found_in_any_case(api_for, ada):
    assert api_for(None).get("profiles/ADA").json()["handle"] == "ada"


@pytest.mark.parametrize(
    ("visibility", "anonymous", "member", "follower"),
    [("public", 200, 200, 200), ("members", 404, 200, 200), ("followers", 404, 404, 200)],
)
def test_a_profile_and_its_lists_are_as_private_as_the_page(api_for, ada, bob, visibility, anonymous, member, follower):
    fan = UserFactory()
    network_actions.follow(follower=fan, followee=ada)
    ada.profile.visibility = visibility
    ada.profile.save(update_fields=["visibility"])
    for who, expected in ((None, anonymous), (bob, member), (fan, follower)):
        api = api_for(who)
        for path in ("profiles/ada", "profiles/ada/followers", "profiles/ada/following", "profiles/ada/posts"):
            assert api.get(path).status_code == expected, (path, who)


def test_a_block_hides_each_profile_from_the_other(api_for, ada, bob):
    network_actions.block(blocker=ada, blocked=bob)
    assert api_for(bob).get("profiles/ada").status_code == 404
    assert api_for(ada).get("profiles/bob").status_code == 404


def test_a_suspended_member_is_a_404(api_for, ada, bob):
    ada.is_active = False
    ada.save(update_fields=["is_active"])
    assert api_for(bob).get("profiles/ada").status_code == 404


def test_followers_list_pages_by_cursor(api_for, ada, settings):
    fans = UserFactory.create_batch(33)
    for fan in fans:
        network_actions.follow(follower=fan, followee=ada)
    api = api_for(None)
    first = api.get("profiles/ada/followers").json()
    assert len(first["items"]) == 30 and first["next_max_id"]
    second = api.get(first["next_url"].removeprefix("http://testserver")).json()
    handles = [p["handle"] for p in first["items"] + second["items"]]
    assert sorted(handles) == sorted(f.profile.handle for f in fans)
    assert second["next_url"] is None


# --- Relationship writes ------------------------------------------------------------------------


def test_follow_and_unfollow(api_for, ada, bob):
    api = api_for(bob)
    followed = api.post("profiles/ada/follow").json()
    assert followed["state"] == "following" and followed["relationship"]["following"]
    assert Follow.objects.filter(follower=bob, followee=ada).exists()
    assert api.post("profiles/ada/unfollow").json()["state"] == "none"
    assert not Follow.objects.exists()


def test_following_a_locked_account_asks_and_the_owner_approves_or_declines(api_for, ada, bob):
    ada.profile.locked = True
    ada.profile.save(update_fields=["locked"])
    carol = UserFactory(profile__handle="carol")
    assert api_for(bob).post("profiles/ada/follow").json()["state"] == "requested"
    assert api_for(carol).post("profiles/ada/follow").json()["state"] == "requested"
    owner = api_for(ada)

    requests = owner.get("follow-requests").json()["items"]
    assert {r["requester"]["handle"] for r in requests} == {"bob", "carol"}
    by_handle = {r["requester"]["handle"]: r["id"] for r in requests}

    assert api_for(bob).post(f"follow-requests/{by_handle['carol']}/approve").status_code == 404  # not bob's
    assert owner.post(f"follow-requests/{by_handle['bob']}/approve").status_code == 204
    assert owner.post(f"follow-requests/{by_handle['carol']}/decline").status_code == 204
    assert owner.post(f"follow-requests/{by_handle['carol']}/decline").status_code == 404  # gone
    assert Follow.objects.filter(follower=bob, followee=ada).exists()
    assert not Follow.objects.filter(follower=carol).exists() and not FollowRequest.objects.exists()


@pytest.mark.parametrize("verb", ["follow", "block", "mute"])
def test_one_cannot_act_on_oneself_or_on_nobody(api_for, ada, verb):
    api = api_for(ada)
    assert api.post(f"profiles/ada/{verb}").status_code == 404
    assert api.post(f"profiles/nobody_here/{verb}").status_code == 404


def test_following_across_a_block_is_a_404(api_for, ada, bob):
    network_actions.block(blocker=ada, blocked=bob)
    assert api_for(bob).post("profiles/ada/follow").status_code == 404
    assert not Follow.objects.exists()


def test_block_and_mute_lists_add_and_remove(api_for, ada, bob):
    api = api_for(ada)
    assert api.post("profiles/bob/block").json()["relationship"]["blocking"] is True
    carol = UserFactory(profile__handle="carol")
    assert api.post("profiles/carol/mute").json()["relationship"]["muting"] is True
    assert [row["member"]["handle"] for row in api.get("blocks").json()["items"]] == ["bob"]
    assert [row["member"]["handle"] for row in api.get("mutes").json()["items"]] == ["carol"]

    api.post("profiles/bob/unblock")
    api.post("profiles/carol/unmute")

    assert api.get("blocks").json()["items"] == [] and api.get("mutes").json()["items"] == []
    assert not Block.objects.exists() and not Mute.objects.filter(muter=ada, muted=carol).exists()


def test_a_member_may_remove_a_follower(api_for, ada, bob):
    network_actions.follow(follower=bob, followee=ada)
    assert api_for(ada).post("profiles/bob/remove-follower").json()["relationship"]["followed_by"] is False
    assert not Follow.objects.exists()


# --- Me -----------------------------------------------------------------------------------------


def test_me_shows_the_account_and_the_whole_own_profile(api_for, ada):
    ada.profile.hidden_fields = ["organisation"]
    ada.profile.organisation = "Hidden Library"
    ada.profile.save()
    data = api_for(ada, "read").get("me").json()
    assert data["account"]["email"] == ada.email and data["token_scope"] == "read"
    assert data["profile"]["organisation"] == "Hidden Library"
    assert data["profile"]["hidden_fields"] == ["organisation"]


def test_patching_the_profile_changes_only_what_is_sent(api_for, ada):
    InterestFactory(slug="cataloguing", name="Cataloguing")
    ada.profile.headline = "Keep me"
    ada.profile.save()

    response = api_for(ada).patch(
        "me/profile",
        {
            "display_name": "  Ada   King ",
            "visibility": "followers",
            "hidden_fields": ["location"],
            "interests": ["cataloguing", "Rare maps"],
            "links": [{"kind": "orcid", "url": "https://orcid.org/0000-0001"}],
            "bio": "I *love* maps",
        },
    )

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["display_name"] == "Ada King"  # the page form's cleaning
    assert data["headline"] == "Keep me" and data["visibility"] == "followers"
    assert data["hidden_fields"] == ["location"]
    assert {i["name"] for i in data["interests"]} == {"Cataloguing", "Rare maps"}
    assert data["links"] == [{"kind": "orcid", "url": "https://orcid.org/0000-0001"}]
    assert "<em>love</em>" in data["bio_html"]
    ada.profile.refresh_from_db()
    assert ada.profile.visibility == Visibility.FOLLOWERS


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"handle": "admin"}, "handle", "That handle is reserved."),
        ({"handle": "bob"}, "handle", "That handle is already taken."),
        ({"handle": "Not Valid!"}, "handle", "lower-case letters, digits and underscores"),
        ({"display_name": "   "}, "display_name", "Please enter the name others will see."),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "Select a valid choice."),
        ({"country": "ZZ"}, "country", "Select a valid choice."),
        ({"links": [{"kind": "blog", "url": "http://plain.example"}]}, "links.0.url", "https://"),
        ({"interests": ["x" * 41]}, "interests", "at most 40 characters"),
        ({"headline": "h" * 161}, "headline", "at most 160 characters"),
    ],
)
def test_an_invalid_profile_change_is_refused_with_the_pages_message(api_for, ada, bob, payload, field, message):
    response = api_for(ada).patch("me/profile", payload)
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert any(f["field"] == field and message in f["message"] for f in fields), fields
    ada.profile.refresh_from_db()
    assert ada.profile.handle == "ada"
