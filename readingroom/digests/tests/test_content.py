"""What a digest holds: top posts of follows and followed hashtags, new followers, replies and
"in the digest" notifications, each only as the member may see them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from readingroom.core.models import Visibility
from readingroom.digests.content import TOP_POSTS
from readingroom.digests.tests.conftest import content_for
from readingroom.notifications import actions as notification_actions
from readingroom.posts import actions as post_actions
from readingroom.posts.models import Hashtag, HashtagFollow, Post, PostHashtag
from readingroom.testing.factories import BlockFactory, FollowFactory, MuteFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(db):
    return UserFactory(profile__handle="ana", profile__display_name="Ana Archivist")


def followed(member, **profile):
    person = UserFactory(**{f"profile__{k}": v for k, v in profile.items()})
    FollowFactory(follower=member, followee=person)
    return person


def tagged(post, name):
    tag, _ = Hashtag.objects.get_or_create(name=name)
    PostHashtag.objects.create(post=post, hashtag=tag)
    return post


def top_ids(content):
    return [p.post_id for p in content.top_posts]


def test_top_posts_rank_by_likes_boosts_and_replies_with_the_newest_first_among_equals(ana):
    ben, cat = followed(ana), followed(ana)
    quiet = PostFactory(author=ben)
    liked = PostFactory(author=ben, likes_count=3)
    discussed = PostFactory(author=cat, replies_count=2, boosts_count=2)
    newer_quiet = PostFactory(author=cat)
    assert top_ids(content_for(ana)) == [discussed.pk, liked.pk, newer_quiet.pk, quiet.pk]


def test_only_the_best_few_posts_and_only_from_the_period(ana):
    ben = followed(ana)
    old = PostFactory(author=ben, likes_count=99)
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    posts = [PostFactory(author=ben, likes_count=i) for i in range(TOP_POSTS + 2)]
    shown = top_ids(content_for(ana))
    assert shown == [p.pk for p in reversed(posts)][:TOP_POSTS]
    assert old.pk in top_ids(content_for(ana, frequency="weekly"))


def test_posts_of_followed_hashtags_come_too_but_not_replies_boosts_or_ones_own(ana):
    stranger = UserFactory()
    on_topic = tagged(PostFactory(author=stranger), "cataloguing")
    tagged(PostFactory(author=stranger), "other")
    HashtagFollow.objects.create(user=ana, hashtag=Hashtag.objects.get(name="cataloguing"))
    ben = followed(ana)
    reply = PostFactory(author=ben, reply_to=on_topic)
    boost = PostFactory(author=ben, boost_of=on_topic, body="")
    own = tagged(PostFactory(author=ana), "cataloguing")
    shown = top_ids(content_for(ana))
    assert shown == [on_topic.pk]
    assert {reply.pk, boost.pk, own.pk}.isdisjoint(shown)


def test_top_posts_are_only_those_visible_to_the_member(ana):
    """Followers-only posts of someone followed show; of a hashtag's stranger, not. Blocks either
    way, suspended authors and muted authors never show."""
    friend = followed(ana)
    for_followers = PostFactory(author=friend, visibility=Visibility.FOLLOWERS)
    stranger, blocker, blocked, suspended, muted = (UserFactory() for _ in range(5))
    hidden = [tagged(PostFactory(author=stranger, visibility=Visibility.FOLLOWERS), "zines")]
    hidden += [tagged(PostFactory(author=person), "zines") for person in (blocker, blocked, suspended, muted)]
    HashtagFollow.objects.create(user=ana, hashtag=Hashtag.objects.get(name="zines"))
    BlockFactory(blocker=blocker, blocked=ana)
    BlockFactory(blocker=ana, blocked=blocked)
    MuteFactory(muter=ana, muted=muted)
    suspended.is_active = False
    suspended.save(update_fields=["is_active"])
    visible = tagged(PostFactory(author=stranger, visibility=Visibility.MEMBERS), "zines")
    assert sorted(top_ids(content_for(ana))) == sorted([for_followers.pk, visible.pk])


def test_new_followers_are_named_only_where_their_profile_is_visible_and_never_muted_or_suspended(ana):
    fan = UserFactory(profile__display_name="Fan Public")
    private = UserFactory(profile__display_name="Private Fan", profile__visibility=Visibility.FOLLOWERS)
    friend = UserFactory(profile__display_name="Friend", profile__visibility=Visibility.FOLLOWERS)
    muted, gone = UserFactory(), UserFactory()
    for person in (fan, private, friend, muted, gone):
        FollowFactory(follower=person, followee=ana)
    FollowFactory(follower=ana, followee=friend)  # so ana may see Friend's profile
    MuteFactory(muter=ana, muted=muted)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    found = content_for(ana)
    assert sorted(p.display_name for p in found.new_followers) == ["Fan Public", "Friend"]
    assert found.followers_total == 3  # counted as the follower count is; named only where visible


def test_replies_to_the_member_are_listed_only_where_visible(ana, django_capture_on_commit_callbacks):
    post = PostFactory(author=ana)
    ben, stranger, muted = UserFactory(profile__display_name="Ben"), UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        reply = post_actions.create_post(author=ben, body="Great point", visibility=Visibility.PUBLIC, reply_to=post)
        post_actions.create_post(author=stranger, body="Psst", visibility=Visibility.FOLLOWERS, reply_to=post)
        post_actions.create_post(author=muted, body="Muted", visibility=Visibility.PUBLIC, reply_to=post)
        post_actions.create_post(author=ana, body="My own follow-up", visibility=Visibility.PUBLIC, reply_to=post)
    MuteFactory(muter=ana, muted=muted)
    found = content_for(ana)
    assert [(r.post_id, r.author_name, r.excerpt) for r in found.replies] == [(reply.pk, "Ben", "Great point")]
    assert found.replies_total == 1


def test_notifications_chosen_for_the_digest_are_included(ana, django_capture_on_commit_callbacks):
    notification_actions.save_preferences(member=ana, deliveries={"like": "digest"}, quiet=None)
    post = PostFactory(author=ana, body="Our zine collection")
    with django_capture_on_commit_callbacks(execute=True):
        post_actions.like(user=UserFactory(profile__display_name="Cat"), post=post)
    [note] = content_for(ana).notifications
    assert note.description.text == "Cat liked your post"
    notification_actions.mark_all_read(member=ana)
    assert content_for(ana).notifications == []


def test_notifications_not_chosen_for_the_digest_stay_out(ana, django_capture_on_commit_callbacks):
    post = PostFactory(author=ana)
    with django_capture_on_commit_callbacks(execute=True):
        post_actions.like(user=UserFactory(), post=post)  # likes default to the app only
    assert content_for(ana).notifications == []


def test_a_member_with_nothing_new_has_an_empty_digest(ana):
    followed(ana)
    PostFactory(author=UserFactory())  # a stranger's post
    assert content_for(ana).items == 0


def test_a_batch_costs_the_same_queries_for_two_members_or_twenty(django_assert_max_num_queries):
    from readingroom.digests import content, queries

    def batch(size):
        members = [UserFactory() for _ in range(size)]
        authors = [UserFactory() for _ in range(3)]
        for m in members:
            for a in authors:
                FollowFactory(follower=m, followee=a)
                FollowFactory(follower=a, followee=m)
        for a in authors:
            PostFactory(author=a, likes_count=1)
            PostFactory(author=members[0], reply_to=PostFactory(author=members[-1]))
        now = timezone.now()
        claims = [content.Claim(0, m.pk, now - timedelta(days=1), now, "daily", 0, 8, "UTC") for m in members]
        return claims, queries.floors(now=now)

    for size in (2, 20):
        claims, floors = batch(size)
        with django_assert_max_num_queries(12):
            found = content.build_contents(claims, floors=floors)
        assert all(len(found[c.member_id].top_posts) == 3 for c in claims)
        assert all(found[c.member_id].followers_total == 3 for c in claims)
