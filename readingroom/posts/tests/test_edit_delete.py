import pytest
from django.http import Http404
from django.urls import reverse

from readingroom.accounts.models import Profile
from readingroom.core.models import Visibility
from readingroom.posts import actions, queries
from readingroom.posts.models import Bookmark, Hashtag, Like, Post, PostEdit, PostHashtag, PostImage, TimelineEntry
from readingroom.posts.tests.conftest import png_upload
from readingroom.testing.factories import FollowFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_editing_keeps_the_previous_version_in_the_history(member, publish):
    post = publish(member, "First draft #old")
    actions.edit_post(post=post, editor=member, body="Second draft #new")
    post.refresh_from_db()
    assert post.body == "Second draft #new" and post.edited_at is not None
    assert "/tags/new" in post.body_html
    assert list(PostEdit.objects.filter(post=post).values_list("body", flat=True)) == ["First draft #old"]
    tags = Hashtag.objects.filter(pk__in=PostHashtag.objects.filter(post=post).values("hashtag"))
    assert list(tags.values_list("name", flat=True)) == ["new"]


def test_the_history_page_shows_every_version_to_those_who_can_see_the_post(member, member_client, publish):
    post = publish(member, "Version one")
    actions.edit_post(post=post, editor=member, body="Version two")
    page = member_client.get(reverse("posts:history", args=[post.pk])).content.decode()
    assert "Version one" in page and "Version two" in page
    detail = member_client.get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert reverse("posts:history", args=[post.pk]) in detail


def test_only_the_author_may_edit_and_others_get_not_found(member, client, publish):
    post = publish(member, "Mine")
    other = UserFactory()
    with pytest.raises(Http404):
        actions.edit_post(post=post, editor=other, body="Yours now")
    client.force_login(other)
    assert client.get(reverse("posts:edit", args=[post.pk])).status_code == 404
    assert client.post(reverse("posts:edit", args=[post.pk]), {"body": "x", "visibility": "public"}).status_code == 404
    post.refresh_from_db()
    assert post.body == "Mine"


def test_the_edit_form_refuses_an_over_length_body_and_keeps_it(member, member_client, publish):
    post = publish(member, "Short")
    response = member_client.post(reverse("posts:edit", args=[post.pk]), {"body": "z" * 1001, "visibility": "public"})
    assert "at most 1,000 characters" in response.content.decode()
    assert "z" * 1001 in response.content.decode()
    post.refresh_from_db()
    assert post.body == "Short"


def test_making_a_post_followers_only_withdraws_its_boosts(member, publish):
    post = publish(member, "Share me")
    booster = UserFactory()
    actions.boost(user=booster, post=post)
    actions.edit_post(post=post, editor=member, body="Share me", visibility=Visibility.FOLLOWERS)
    post.refresh_from_db()
    assert post.boosts_count == 0 and not Post.objects.filter(boost_of=post).exists()


def test_deleting_removes_the_post_from_every_timeline_and_thread(member, publish, committing):
    follower = UserFactory()
    FollowFactory(follower=follower, followee=member)
    root = publish(member, "Root #deleting")
    reply = publish(follower, "Reply", reply_to=root)
    target = publish(member, "Doomed #deleting", images=[(png_upload(), "a picture")])
    actions.like(user=follower, post=target)
    actions.bookmark(user=follower, post=target)
    actions.boost(user=follower, post=target)
    image_name = PostImage.objects.get(post=target).image.name
    target_id = target.pk
    with committing():
        actions.delete_post(post=target, actor=member)
    assert not Post.objects.filter(pk=target_id).exists()
    assert not Post.objects.filter(boost_of_id=target_id).exists()
    assert not TimelineEntry.objects.filter(post_id=target_id).exists()
    assert not Like.objects.exists() and not Bookmark.objects.exists()
    from django.core.files.storage import default_storage

    assert not default_storage.exists(image_name)
    for page in (
        queries.home_timeline(viewer=follower),
        queries.local_timeline(viewer=follower),
        queries.hashtag_timeline(viewer=follower, hashtag=Hashtag.objects.get(name="deleting")),
        queries.bookmarks(viewer=follower),
    ):
        assert target_id not in [p.pk for p in page.items]
    assert Profile.objects.get(user=member).posts_count == 1
    actions.delete_post(post=reply, actor=follower)
    root.refresh_from_db()
    assert root.replies_count == 0
    assert queries.thread(viewer=member, post=root).descendants == []


def test_deleting_a_thread_root_keeps_each_reply_thread_together(member, publish):
    root = publish(member, "Root")
    a = publish(member, "A", reply_to=root)
    a1 = publish(member, "A1", reply_to=a)
    actions.delete_post(post=root, actor=member)
    a.refresh_from_db()
    a1.refresh_from_db()
    assert a.thread_root_id is None and a1.thread_root_id == a.pk
    assert [p.pk for p in queries.thread(viewer=member, post=a).descendants] == [a1.pk]


def test_only_the_author_or_staff_may_delete(member, client, publish):
    post = publish(member, "Mine")
    client.force_login(UserFactory())
    assert client.post(reverse("posts:delete", args=[post.pk])).status_code == 404
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("posts:delete", args=[post.pk])).status_code == 200
    assert client.post(reverse("posts:delete", args=[post.pk])).status_code == 302
    assert not Post.objects.filter(pk=post.pk).exists()


def test_the_delete_page_asks_for_confirmation_before_deleting(member, member_client, publish):
    post = publish(member, "Think twice")
    response = member_client.get(reverse("posts:delete", args=[post.pk]))
    assert response.status_code == 200 and "Delete this post?" in response.content.decode()
    assert Post.objects.filter(pk=post.pk).exists()
    response = member_client.post(reverse("posts:delete", args=[post.pk]))
    assert response.status_code == 302 and not Post.objects.filter(pk=post.pk).exists()
