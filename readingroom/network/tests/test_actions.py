import pytest

from readingroom.accounts.models import Block, Follow, FollowRequest, Mute, Profile
from readingroom.network import actions
from readingroom.posts.models import TimelineEntry
from readingroom.testing.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def counts(user):
    profile = Profile.objects.get(user=user)
    return profile.followers_count, profile.following_count


def test_follow_creates_the_follow_and_moves_both_counters():
    ann, bea = UserFactory(), UserFactory()
    assert actions.follow(follower=ann, followee=bea) == "following"
    assert Follow.objects.filter(follower=ann, followee=bea).exists()
    assert counts(ann) == (0, 1)
    assert counts(bea) == (1, 0)


def test_following_twice_changes_nothing_the_second_time():
    ann, bea = UserFactory(), UserFactory()
    actions.follow(follower=ann, followee=bea)
    assert actions.follow(follower=ann, followee=bea) == "following"
    assert Follow.objects.count() == 1
    assert counts(bea) == (1, 0)


def test_unfollow_removes_the_follow_and_restores_counters_and_is_idempotent():
    ann, bea = UserFactory(), UserFactory()
    actions.follow(follower=ann, followee=bea)
    actions.unfollow(follower=ann, followee=bea)
    actions.unfollow(follower=ann, followee=bea)
    assert not Follow.objects.exists()
    assert counts(ann) == (0, 0)
    assert counts(bea) == (0, 0)


def test_nobody_can_follow_themselves():
    ann = UserFactory()
    with pytest.raises(actions.RelationshipRefused):
        actions.follow(follower=ann, followee=ann)


def test_following_a_locked_account_makes_a_request_that_approval_turns_into_a_follow():
    ann, bea = UserFactory(), UserFactory(profile__locked=True)
    assert actions.follow(follower=ann, followee=bea) == "requested"
    assert not Follow.objects.exists()
    assert counts(bea) == (0, 0)
    request = FollowRequest.objects.get(requester=ann, target=bea)

    assert actions.approve_follow_request(target=bea, request_id=request.id)

    assert Follow.objects.filter(follower=ann, followee=bea).exists()
    assert not FollowRequest.objects.exists()
    assert counts(bea) == (1, 0)
    assert counts(ann) == (0, 1)


def test_only_the_target_can_approve_a_follow_request():
    ann, bea, cal = UserFactory(), UserFactory(profile__locked=True), UserFactory()
    actions.follow(follower=ann, followee=bea)
    request = FollowRequest.objects.get()
    assert not actions.approve_follow_request(target=cal, request_id=request.id)
    assert not Follow.objects.exists()


def test_declining_a_request_removes_it_without_a_follow():
    ann, bea = UserFactory(), UserFactory(profile__locked=True)
    actions.follow(follower=ann, followee=bea)
    request = FollowRequest.objects.get()
    assert actions.decline_follow_request(target=bea, request_id=request.id)
    assert not FollowRequest.objects.exists()
    assert not Follow.objects.exists()


def test_unfollow_withdraws_a_pending_request():
    ann, bea = UserFactory(), UserFactory(profile__locked=True)
    actions.follow(follower=ann, followee=bea)
    actions.unfollow(follower=ann, followee=bea)
    assert not FollowRequest.objects.exists()


def test_remove_follower_ends_their_follow():
    ann, bea = UserFactory(), UserFactory()
    actions.follow(follower=ann, followee=bea)
    assert actions.remove_follower(user=bea, follower=ann)
    assert not Follow.objects.exists()
    assert counts(bea) == (0, 0)


def test_block_removes_follows_and_requests_both_ways_and_fixes_counters():
    ann, bea = UserFactory(), UserFactory()
    actions.follow(follower=ann, followee=bea)
    actions.follow(follower=bea, followee=ann)
    Profile.objects.filter(user=ann).update(locked=True)
    cal = UserFactory()
    actions.follow(follower=cal, followee=ann)  # unrelated follow request survives

    actions.block(blocker=ann, blocked=bea)

    assert Block.objects.filter(blocker=ann, blocked=bea).exists()
    assert not Follow.objects.exists()
    assert counts(ann) == (0, 0)
    assert counts(bea) == (0, 0)
    assert FollowRequest.objects.filter(requester=cal).exists()


def test_block_drops_pending_requests_both_ways():
    ann, bea = UserFactory(profile__locked=True), UserFactory(profile__locked=True)
    actions.follow(follower=ann, followee=bea)
    actions.follow(follower=bea, followee=ann)
    actions.block(blocker=ann, blocked=bea)
    assert not FollowRequest.objects.exists()


@pytest.mark.parametrize("blocker_is_follower", [True, False])
def test_follow_across_a_block_is_refused_either_way(blocker_is_follower):
    ann, bea = UserFactory(), UserFactory()
    if blocker_is_follower:
        actions.block(blocker=ann, blocked=bea)
    else:
        actions.block(blocker=bea, blocked=ann)
    with pytest.raises(actions.RelationshipRefused):
        actions.follow(follower=ann, followee=bea)
    assert not Follow.objects.exists()


def test_approving_a_request_after_a_block_makes_no_follow():
    ann, bea = UserFactory(), UserFactory(profile__locked=True)
    actions.follow(follower=ann, followee=bea)
    request_id = FollowRequest.objects.get().id
    Block.objects.create(blocker=bea, blocked=ann)  # a block made outside the action
    actions.approve_follow_request(target=bea, request_id=request_id)
    assert not Follow.objects.exists()


def test_unblock_lifts_the_block_but_does_not_restore_follows():
    ann, bea = UserFactory(), UserFactory()
    actions.follow(follower=ann, followee=bea)
    actions.block(blocker=bea, blocked=ann)
    actions.unblock(blocker=bea, blocked=ann)
    assert not Block.objects.exists()
    assert not Follow.objects.exists()
    assert actions.follow(follower=ann, followee=bea) == "following"


def test_mute_and_unmute_are_idempotent_and_silent():
    ann, bea = UserFactory(), UserFactory()
    actions.mute(muter=ann, muted=bea)
    actions.mute(muter=ann, muted=bea)
    assert Mute.objects.filter(muter=ann, muted=bea).count() == 1
    actions.unmute(muter=ann, muted=bea)
    actions.unmute(muter=ann, muted=bea)
    assert not Mute.objects.exists()


def test_following_merges_the_authors_posts_into_the_home_timeline_after_commit(
    django_capture_on_commit_callbacks,
):
    ann, bea = UserFactory(), UserFactory()
    post = PostFactory(author=bea)
    with django_capture_on_commit_callbacks(execute=True):
        actions.follow(follower=ann, followee=bea)
    assert TimelineEntry.objects.filter(owner=ann, post=post).exists()

    with django_capture_on_commit_callbacks(execute=True):
        actions.unfollow(follower=ann, followee=bea)
    assert not TimelineEntry.objects.filter(owner=ann, post=post).exists()


def test_blocking_removes_each_members_posts_from_the_others_home(django_capture_on_commit_callbacks):
    ann, bea = UserFactory(), UserFactory()
    ann_post, bea_post = PostFactory(author=ann), PostFactory(author=bea)
    with django_capture_on_commit_callbacks(execute=True):
        actions.follow(follower=ann, followee=bea)
        actions.follow(follower=bea, followee=ann)
    with django_capture_on_commit_callbacks(execute=True):
        actions.block(blocker=ann, blocked=bea)
    assert not TimelineEntry.objects.filter(owner=ann, post=bea_post).exists()
    assert not TimelineEntry.objects.filter(owner=bea, post=ann_post).exists()


def test_muting_removes_the_muted_members_posts_from_home_and_unmuting_restores_them(
    django_capture_on_commit_callbacks,
):
    ann, bea = UserFactory(), UserFactory()
    post = PostFactory(author=bea)
    with django_capture_on_commit_callbacks(execute=True):
        actions.follow(follower=ann, followee=bea)
    with django_capture_on_commit_callbacks(execute=True):
        actions.mute(muter=ann, muted=bea)
    assert not TimelineEntry.objects.filter(owner=ann, post=post).exists()
    with django_capture_on_commit_callbacks(execute=True):
        actions.unmute(muter=ann, muted=bea)
    assert TimelineEntry.objects.filter(owner=ann, post=post).exists()
