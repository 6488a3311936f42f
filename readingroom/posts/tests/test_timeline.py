"""The stored home timeline: fan-out, merge, unmerge, rebuild and cap."""

from datetime import timedelta

import pytest
from django.utils import timezone

from readingroom.core.models import Visibility
from readingroom.posts import timeline
from readingroom.posts.models import Hashtag, HashtagFollow, PostHashtag, TimelineEntry
from readingroom.testing.factories import BlockFactory, FollowFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def home_ids(user):
    return timeline.home_timeline_post_ids(owner=user, limit=1000)


def test_fan_out_puts_a_post_in_every_active_followers_home_timeline():
    author = UserFactory()
    followers = [UserFactory() for _ in range(5)]
    for f in followers:
        FollowFactory(follower=f, followee=author)
    post = PostFactory(author=author)
    inserted = timeline.fan_out_post.call(post.id)
    assert inserted == 5
    for f in followers:
        assert home_ids(f) == [post.id]


def test_fan_out_in_chunks_reaches_every_active_follower_and_no_one_else(monkeypatch):
    monkeypatch.setattr(timeline, "FAN_OUT_CHUNK", 2)
    author = UserFactory()
    away = timezone.now() - timedelta(days=60)
    followers = [UserFactory(last_seen_at=away if i % 3 == 0 else timezone.now()) for i in range(7)]
    for f in followers:
        FollowFactory(follower=f, followee=author)
    bystander = UserFactory()
    post = PostFactory(author=author)
    assert len(timeline._follower_chunks(author.id)) == 4
    assert timeline.fan_out_post.call(post.id) == 4
    for i, f in enumerate(followers):
        assert home_ids(f) == ([] if i % 3 == 0 else [post.id])
    assert home_ids(bystander) == []


def test_fan_out_is_idempotent():
    author, follower = UserFactory(), UserFactory()
    FollowFactory(follower=follower, followee=author)
    post = PostFactory(author=author)
    timeline.fan_out_post.call(post.id)
    assert timeline.fan_out_post.call(post.id) == 0
    assert TimelineEntry.objects.filter(post=post).count() == 1


def test_fan_out_skips_members_absent_longer_than_the_active_window_and_not_followers():
    author, absent, stranger = UserFactory(), UserFactory(), UserFactory()
    absent.last_seen_at = timezone.now() - timedelta(days=60)
    absent.save()
    FollowFactory(follower=absent, followee=author)
    post = PostFactory(author=author)
    timeline.fan_out_post.call(post.id)
    assert home_ids(absent) == []
    assert home_ids(stranger) == []


def test_a_reply_to_someone_else_reaches_only_followers_of_both_people():
    author, other = UserFactory(), UserFactory()
    follows_both, follows_author_only = UserFactory(), UserFactory()
    FollowFactory(follower=follows_both, followee=author)
    FollowFactory(follower=follows_both, followee=other)
    FollowFactory(follower=follows_author_only, followee=author)
    parent = PostFactory(author=other)
    reply = PostFactory(author=author, reply_to=parent, thread_root=parent)
    timeline.fan_out_post.call(reply.id)
    assert home_ids(follows_both) == [reply.id]
    assert home_ids(follows_author_only) == []


def test_followed_hashtags_bring_public_posts_but_not_followers_only_posts_or_blocked_authors():
    author, tag_fan, blocked_fan = UserFactory(), UserFactory(), UserFactory()
    tag = Hashtag.objects.create(name="uklibchat")
    HashtagFollow.objects.create(user=tag_fan, hashtag=tag)
    HashtagFollow.objects.create(user=blocked_fan, hashtag=tag)
    BlockFactory(blocker=author, blocked=blocked_fan)
    public = PostFactory(author=author)
    private = PostFactory(author=author, visibility=Visibility.FOLLOWERS)
    for p in (public, private):
        PostHashtag.objects.create(post=p, hashtag=tag)
        timeline.fan_out_post.call(p.id)
    assert home_ids(tag_fan) == [public.id]
    assert home_ids(blocked_fan) == []


def test_fan_out_of_a_deleted_post_does_nothing():
    post = PostFactory()
    post_id = post.id
    post.delete()
    assert timeline.fan_out_post.call(post_id) == 0


def test_merge_brings_recent_top_level_posts_and_unmerge_removes_them():
    owner, author = UserFactory(), UserFactory()
    posts = [PostFactory(author=author) for _ in range(3)]
    reply = PostFactory(author=author, reply_to=PostFactory())
    timeline.merge_author(owner=owner, author=author)
    assert home_ids(owner) == [p.id for p in reversed(posts)]
    assert reply.id not in home_ids(owner)
    timeline.unmerge_author(owner=owner, author=author)
    assert home_ids(owner) == []


def test_rebuild_collects_own_followed_and_hashtag_posts_newest_first():
    owner, followee, stranger = UserFactory(), UserFactory(), UserFactory()
    FollowFactory(follower=owner, followee=followee)
    tag = Hashtag.objects.create(name="cpd23")
    HashtagFollow.objects.create(user=owner, hashtag=tag)
    mine = PostFactory(author=owner)
    theirs = PostFactory(author=followee)
    tagged = PostFactory(author=stranger)
    PostHashtag.objects.create(post=tagged, hashtag=tag)
    untagged = PostFactory(author=stranger)
    timeline.rebuild_home_timeline(owner=owner)
    assert home_ids(owner) == [tagged.id, theirs.id, mine.id]
    assert untagged.id not in home_ids(owner)


def test_timeline_is_trimmed_to_the_cap(settings):
    settings.RR_TIMELINE_CAP = 5
    owner = UserFactory()
    posts = [PostFactory(author=owner) for _ in range(8)]
    for p in posts:
        timeline.add_to_own_timeline(p)
    assert timeline.trim_home_timeline(owner=owner) == 3
    assert home_ids(owner) == [p.id for p in reversed(posts[-5:])]


def test_keyset_read_returns_strictly_older_posts():
    owner = UserFactory()
    posts = [PostFactory(author=owner) for _ in range(5)]
    for p in posts:
        timeline.add_to_own_timeline(p)
    first = timeline.home_timeline_post_ids(owner=owner, limit=2)
    second = timeline.home_timeline_post_ids(owner=owner, before=first[-1], limit=2)
    assert first == [posts[4].id, posts[3].id]
    assert second == [posts[2].id, posts[1].id]


def test_a_member_returning_after_the_active_window_gets_a_rebuilt_timeline():
    owner, followee = UserFactory(), UserFactory()
    FollowFactory(follower=owner, followee=followee)
    owner.last_seen_at = timezone.now() - timedelta(days=30)
    owner.save()
    missed = PostFactory(author=followee)
    timeline.fan_out_post.call(missed.id)
    assert home_ids(owner) == []
    timeline.note_member_seen(user=owner, now=timezone.now())
    assert home_ids(owner) == [missed.id]
    owner.refresh_from_db()
    assert owner.last_seen_at > timezone.now() - timedelta(minutes=1)


def test_following_a_hashtag_brings_its_recent_public_posts_into_home():
    from readingroom.posts.actions import follow_hashtag

    fan, author = UserFactory(), UserFactory()
    tag = Hashtag.objects.create(name="critlib")
    public = PostFactory(author=author)
    private = PostFactory(author=author, visibility=Visibility.FOLLOWERS)
    for p in (public, private):
        PostHashtag.objects.create(post=p, hashtag=tag)
    follow_hashtag(user=fan, name="critlib")
    assert home_ids(fan) == [public.id]
