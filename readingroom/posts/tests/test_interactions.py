import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from readingroom.core.models import Visibility
from readingroom.posts import actions, queries
from readingroom.posts.models import Bookmark, HashtagFollow, Like, Post, TimelineEntry
from readingroom.posts.tests.conftest import parse
from readingroom.testing.factories import FollowFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_liking_twice_is_one_like_and_unliking_twice_is_harmless(member, publish):
    post = publish(UserFactory(), "Likeable")
    actions.like(user=member, post=post)
    actions.like(user=member, post=post)
    post.refresh_from_db()
    assert post.likes_count == 1 and Like.objects.count() == 1
    actions.unlike(user=member, post=post)
    actions.unlike(user=member, post=post)
    post.refresh_from_db()
    assert post.likes_count == 0 and not Like.objects.exists()


def test_boosting_twice_is_one_boost_and_boosting_a_boost_boosts_the_original(member, publish, committing):
    author = UserFactory()
    FollowFactory(follower=UserFactory(), followee=member)
    post = publish(author, "Worth sharing")
    first = actions.boost(user=UserFactory(), post=post)
    with committing():
        mine = actions.boost(user=member, post=first)
    again = actions.boost(user=member, post=post)
    assert mine.pk == again.pk and mine.boost_of_id == post.pk
    assert mine.visibility == post.visibility and mine.body == ""
    post.refresh_from_db()
    assert post.boosts_count == 2
    assert TimelineEntry.objects.filter(post=mine).count() == 2  # mine, and my follower's
    actions.unboost(user=member, post=post)
    actions.unboost(user=member, post=post)
    post.refresh_from_db()
    assert post.boosts_count == 1 and not Post.objects.filter(author=member, boost_of=post).exists()


def test_followers_only_posts_cannot_be_boosted(member, publish):
    author = UserFactory()
    FollowFactory(follower=member, followee=author)
    post = publish(author, "Just for followers", visibility=Visibility.FOLLOWERS)
    with pytest.raises(PermissionDenied):
        actions.boost(user=member, post=post)
    assert not Post.objects.filter(boost_of=post).exists()


def test_followers_only_posts_offer_no_boost_button(member, member_client, publish):
    author = UserFactory()
    FollowFactory(follower=member, followee=author)
    post = publish(author, "Just for followers", visibility=Visibility.FOLLOWERS)
    page = member_client.get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert reverse("posts:boost", args=[post.pk]) not in page
    response = member_client.post(reverse("posts:boost", args=[post.pk]), {"state": "on"})
    assert response.status_code == 302 and not Post.objects.filter(boost_of=post).exists()


def test_bookmarking_is_idempotent_and_lists_the_post_on_the_bookmarks_page(member, member_client, publish):
    post = publish(UserFactory(), "Read later")
    actions.bookmark(user=member, post=post)
    actions.bookmark(user=member, post=post)
    assert Bookmark.objects.count() == 1
    page = member_client.get(reverse("posts:bookmarks")).content.decode()
    assert "Read later" in page
    actions.unbookmark(user=member, post=post)
    assert "Read later" not in member_client.get(reverse("posts:bookmarks")).content.decode()


def test_the_like_button_toggles_by_plain_post_and_returns_to_a_safe_page(member_client, publish):
    post = publish(UserFactory(), "Press me")
    response = member_client.post(reverse("posts:like", args=[post.pk]), {"next": "/local"})
    assert response.status_code == 302 and response["Location"] == "/local"
    assert Like.objects.filter(post=post).count() == 1
    response = member_client.post(reverse("posts:like", args=[post.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("posts:detail", args=[post.pk])
    assert not Like.objects.filter(post=post).exists()


def test_an_htmx_toggle_answers_with_the_action_bar_and_its_pressed_state(member_client, publish):
    post = publish(UserFactory(), "Press me")
    response = member_client.post(reverse("posts:bookmark", args=[post.pk]), {"state": "on"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    bar = parse(response.content.decode())
    buttons = {b.text.strip(): b.get("aria-pressed") for b in bar.iter("button")}
    assert buttons == {"Like": "false", "Boost": "false", "Bookmark": "true"}
    assert "<html" not in response.content.decode()


def test_pages_show_the_viewers_own_likes_boosts_and_bookmarks_as_pressed(member, member_client, publish):
    post = publish(UserFactory(), "Pressed everywhere")
    actions.like(user=member, post=post)
    actions.boost(user=member, post=post)
    page = parse(member_client.get(reverse("posts:detail", args=[post.pk])).content.decode())
    buttons = {b.text.strip(): b.get("aria-pressed") for b in page.iter("button") if b.get("aria-pressed")}
    assert buttons == {"Like": "true", "Boost": "true", "Bookmark": "false"}


def test_nobody_may_like_or_bookmark_a_post_they_cannot_see(member_client, publish):
    hidden = publish(UserFactory(), "Hidden", visibility=Visibility.FOLLOWERS)
    for name in ("posts:like", "posts:boost", "posts:bookmark"):
        assert member_client.post(reverse(name, args=[hidden.pk]), {"state": "on"}).status_code == 404
    assert not Like.objects.exists() and not Bookmark.objects.exists()


def test_toggles_need_a_signed_in_member_and_a_post(client, publish, db):
    post = publish(UserFactory(), "Public")
    response = client.post(reverse("posts:like", args=[post.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(reverse("posts:like", args=[post.pk])).status_code in (302, 405)


def test_following_a_hashtag_is_a_toggle_and_idempotent(member, member_client):
    url = reverse("posts:follow_hashtag", args=["Archives"])
    member_client.post(url, {"state": "on"})
    member_client.post(url, {"state": "on"})
    assert HashtagFollow.objects.filter(user=member, hashtag__name="archives").count() == 1
    page = parse(member_client.get(reverse("posts:hashtag", args=["archives"])).content.decode())
    button = page.find(".//form[@class='inline hashtag-follow']/button")
    assert button.get("aria-pressed") == "true"
    member_client.post(url, {"state": "off"})
    assert not HashtagFollow.objects.exists()


def test_an_invalid_hashtag_name_is_not_found(member_client):
    assert member_client.get("/tags/9lives").status_code == 404
    assert member_client.post("/tags/bad-name/follow", {"state": "on"}).status_code == 404
    assert queries.hashtag_by_name("nothing") is None
