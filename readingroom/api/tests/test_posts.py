"""Posts through the API: the same form checks, actions and visibility as the pages."""

import pytest
from django.urls import reverse

from readingroom.core.models import Visibility
from readingroom.posts.models import Bookmark, Like, Post, PostEdit
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_member_publishes_a_post_with_their_default_audience(api_for, ada):
    ada.profile.default_post_visibility = Visibility.MEMBERS
    ada.profile.save(update_fields=["default_post_visibility"])

    response = api_for(ada).post("posts", {"body": "Hello from a script #catalogue"})

    assert response.status_code == 201
    data = response.json()
    post = Post.objects.get(pk=data["id"])
    assert post.author == ada and post.visibility == "members" and data["visibility"] == "members"
    assert data["author"]["handle"] == "ada"
    assert 'href="http://testserver/tags/catalogue"' in data["body_html"]  # links made absolute for apps
    assert data["url"] == f"http://testserver{reverse('posts:detail', args=[post.pk])}"
    ada.profile.refresh_from_db()
    assert ada.profile.posts_count == 1


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"body": ""}, "body", "Write something before posting."),
        ({"body": "   "}, "body", "Write something before posting."),
        ({"body": "b" * 1001}, "body", "String should have at most 1000 characters"),
        ({"body": "Hi", "visibility": "everyone"}, "visibility", "Input should be 'public', 'members' or 'followers'"),
        ({"body": "Hi", "reply_to": 0}, "reply_to", "greater than or equal to 1"),
        ({"body": "a\x00b"}, "body", "NUL"),
    ],
)
def test_an_invalid_post_is_a_422_naming_the_field(api_for, ada, payload, field, message):
    response = api_for(ada).post("posts", payload)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert any(f["field"] == field and message in f["message"] for f in error["fields"]), error
    assert not Post.objects.exists()


def test_a_body_that_is_not_json_is_a_400(api_for, ada):
    response = api_for(ada).client.post(
        "/api/v1/posts", "{not json", content_type="application/json", **api_for(ada).headers
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_request"


@pytest.mark.parametrize("body", ["[]", '"text"', "1", "null"])
def test_a_body_that_is_not_an_object_is_a_422(api_for, ada, body):
    api = api_for(ada)
    response = api.client.post("/api/v1/posts", body, content_type="application/json", **api.headers)
    assert response.status_code == 422


def test_a_reply_is_never_seen_more_widely_than_what_it_answers(api_for, ada, bob, publish):
    from readingroom.network import actions as network_actions

    network_actions.follow(follower=bob, followee=ada)
    question = publish(ada, "Followers only question", visibility=Visibility.FOLLOWERS)

    response = api_for(bob).post("posts", {"body": "An answer", "visibility": "public", "reply_to": question.pk})

    assert response.status_code == 201
    data = response.json()
    assert data["visibility"] == "followers" and data["reply_to_id"] == question.pk


def test_replying_to_a_post_one_may_not_see_is_a_404(api_for, ada, bob, publish):
    secret = publish(ada, "Followers only", visibility=Visibility.FOLLOWERS)
    response = api_for(bob).post("posts", {"body": "Sneaky", "reply_to": secret.pk})
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert Post.objects.count() == 1


@pytest.mark.parametrize(
    ("visibility", "anonymous", "member"),
    [("public", 200, 200), ("members", 404, 200), ("followers", 404, 404)],
)
def test_a_post_is_shown_exactly_to_whom_the_page_shows_it(
    api_for, client, ada, bob, publish, visibility, anonymous, member
):
    post = publish(ada, "Seen by some", visibility=visibility)
    for who, expected in ((None, anonymous), (bob, member), (ada, 200)):
        api = api_for(who)
        assert api.get(f"posts/{post.pk}").status_code == expected
        if who is not None:
            client.force_login(who)
        else:
            client.logout()
        assert client.get(reverse("posts:detail", args=[post.pk])).status_code == expected


def test_editing_keeps_the_previous_version_in_the_history(api_for, ada, publish):
    post = publish(ada, "First draft")
    api = api_for(ada)

    response = api.patch(f"posts/{post.pk}", {"body": "Second draft"})

    assert response.status_code == 200
    assert response.json()["body"] == "Second draft" and response.json()["edited_at"]
    history = api_for(None).get(f"posts/{post.pk}/history").json()
    assert history["post"]["body"] == "Second draft"
    assert [e["body"] for e in history["edits"]] == ["First draft"]


def test_changing_only_the_audience_keeps_the_text(api_for, ada, publish):
    post = publish(ada, "Same words")
    response = api_for(ada).patch(f"posts/{post.pk}", {"visibility": "followers"})
    assert response.status_code == 200
    post.refresh_from_db()
    assert post.body == "Same words" and post.visibility == "followers"


def test_only_the_author_may_edit_and_others_get_a_404(api_for, ada, bob, publish):
    post = publish(ada, "Mine")
    staff = UserFactory(is_staff=True)
    for who in (bob, staff):
        assert api_for(who).patch(f"posts/{post.pk}", {"body": "Theirs"}).status_code == 404
    assert not PostEdit.objects.exists()


def test_the_author_and_staff_may_delete_others_may_not(api_for, ada, bob, publish):
    first, second = publish(ada, "One"), publish(ada, "Two")
    assert api_for(bob).delete(f"posts/{first.pk}").status_code == 404
    assert api_for(ada).delete(f"posts/{first.pk}").status_code == 204
    assert api_for(UserFactory(is_staff=True)).delete(f"posts/{second.pk}").status_code == 204
    assert not Post.objects.exists()


def test_the_thread_shows_what_a_reply_answers_and_the_replies_to_it(api_for, ada, bob, publish):
    root = publish(ada, "Question")
    answer = publish(bob, "Answer", reply_to=root)
    follow_up = publish(ada, "Thanks", reply_to=answer)
    publish(bob, "Hidden aside", visibility=Visibility.FOLLOWERS, reply_to=answer)

    thread = api_for(None).get(f"posts/{answer.pk}/thread").json()

    assert [p["id"] for p in thread["ancestors"]] == [root.pk]
    assert thread["post"]["id"] == answer.pk
    assert [(p["id"], p["depth"]) for p in thread["descendants"]] == [(follow_up.pk, 1)]


def test_like_boost_and_bookmark_toggle_and_repeat_harmlessly(api_for, ada, bob, publish):
    post = publish(ada, "Worth sharing")
    api = api_for(bob)
    for _ in range(2):
        liked = api.post(f"posts/{post.pk}/like").json()
        boosted = api.post(f"posts/{post.pk}/boost").json()
        marked = api.post(f"posts/{post.pk}/bookmark").json()
    assert liked["liked"] and boosted["boosted"] and marked["bookmarked"]
    assert marked["likes_count"] == 1 and marked["boosts_count"] == 1
    assert Like.objects.count() == 1 and Bookmark.objects.count() == 1

    undone = [api.post(f"posts/{post.pk}/{verb}").json() for verb in ("unlike", "unboost", "unbookmark")][-1]

    assert not (undone["liked"] or undone["boosted"] or undone["bookmarked"])
    assert undone["likes_count"] == 0 and undone["boosts_count"] == 0


def test_a_boost_is_shown_with_the_post_it_shares(api_for, ada, bob, publish):
    post = publish(ada, "Original words")
    boost = api_for(bob).post(f"posts/{post.pk}/boost")
    shared = Post.objects.get(boost_of=post)

    data = api_for(None).get(f"posts/{shared.pk}").json()

    assert boost.status_code == 200
    assert data["author"]["handle"] == "bob" and data["body"] == ""
    assert data["boost_of"]["id"] == post.pk and data["boost_of"]["body"] == "Original words"
    assert data["boost_of"]["author"]["handle"] == "ada"


def test_boosting_a_followers_only_post_is_forbidden_with_the_reason(api_for, ada, bob, publish):
    from readingroom.network import actions as network_actions

    network_actions.follow(follower=bob, followee=ada)
    post = publish(ada, "Just for followers", visibility=Visibility.FOLLOWERS)
    response = api_for(bob).post(f"posts/{post.pk}/boost")
    assert response.status_code == 403
    assert response.json()["error"] == {"code": "forbidden", "message": "Followers-only posts cannot be boosted."}


def test_interacting_with_a_post_one_may_not_see_is_a_404_and_changes_nothing(api_for, ada, bob, publish):
    post = publish(ada, "Followers only", visibility=Visibility.FOLLOWERS)
    for verb in ("like", "boost", "bookmark"):
        assert api_for(bob).post(f"posts/{post.pk}/{verb}").status_code == 404
    assert not Like.objects.exists() and not Bookmark.objects.exists()
    assert Post.objects.count() == 1
