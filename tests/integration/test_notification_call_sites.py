"""Notifications through the real posts and network actions (the call sites in posts/actions.py and
network/actions.py): who is told, how activity groups, and what makes a notification go."""

import pytest

from readingroom.core.models import Visibility
from readingroom.network import actions as network_actions
from readingroom.notifications import actions, queries
from readingroom.notifications.models import Notification, NotificationActor
from readingroom.posts import actions as post_actions
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def publish(committing):
    """Create a post through the real action, running its on-commit notifications."""

    def _publish(author, body="Hello, reading room", visibility=Visibility.PUBLIC, **kwargs):
        with committing():
            return post_actions.create_post(author=author, body=body, visibility=visibility, **kwargs)

    return _publish


@pytest.fixture
def act(committing):
    """Call an action and run its on-commit callbacks, as a real commit would."""

    def _act(action, **kwargs):
        with committing():
            return action(**kwargs)

    return _act


def texts(member):
    return [n.description.text for n in queries.notification_page(viewer=member).items]


def test_a_mention_notifies_the_mentioned_member_with_the_post_as_subject(publish):
    ana, ben = UserFactory(profile__handle="ana"), UserFactory(profile__display_name="Ben Bloggs")
    post = publish(ben, "Thanks @ana for the reading list")
    [n] = queries.notification_page(viewer=ana).items
    assert (n.kind, n.subject_id, n.is_unread) == ("mention", post.pk, True)
    assert n.description.text == "Ben Bloggs mentioned you"
    assert n.description.url == f"/posts/{post.pk}"
    assert n.description.excerpt == "Thanks @ana for the reading list"


def test_a_reply_notifies_the_parent_author_once_even_when_it_also_mentions_them(publish):
    ana, ben = UserFactory(profile__handle="ana"), UserFactory(profile__display_name="Ben")
    post = publish(ana, "Question")
    publish(ben, "@ana here is an answer", reply_to=post)
    assert texts(ana) == ["Ben replied to your post"]


def test_nobody_is_notified_of_their_own_activity(publish, act):
    ana = UserFactory(profile__handle="ana")
    post = publish(ana, "Note to self @ana")
    publish(ana, "Replying to myself", reply_to=post)
    act(post_actions.like, user=ana, post=post)
    assert not Notification.objects.exists()
    assert actions.notify(kind="like", recipient_id=ana.pk, actor_id=ana.pk, subject_id=post.pk) is None


def test_likes_on_one_post_group_into_one_row_naming_the_latest_actors(publish, act):
    ana = UserFactory()
    post = publish(ana, "Our new reading room")
    likers = [UserFactory(profile__display_name=f"Liker {i}") for i in range(5)]
    for liker in likers:
        act(post_actions.like, user=liker, post=post)
    assert Notification.objects.filter(recipient=ana).count() == 1
    [n] = queries.notification_page(viewer=ana).items
    assert n.description.text == "Liker 4 and 4 others liked your post"
    assert [a.display_name for a in n.actors] == ["Liker 4", "Liker 3", "Liker 2"]


def test_two_likers_are_both_named(publish, act):
    ana, ben, cat = UserFactory(), UserFactory(profile__display_name="Ben"), UserFactory(profile__display_name="Cat")
    post = publish(ana)
    act(post_actions.like, user=ben, post=post)
    act(post_actions.like, user=cat, post=post)
    assert texts(ana) == ["Cat and Ben liked your post"]


def test_likes_and_boosts_on_different_posts_are_separate_rows(publish, act):
    ana, ben = UserFactory(), UserFactory()
    first, second = publish(ana, "one"), publish(ana, "two")
    act(post_actions.like, user=ben, post=first)
    act(post_actions.like, user=ben, post=second)
    act(post_actions.boost, user=ben, post=first)
    kinds = sorted(Notification.objects.values_list("kind", "subject_id"))
    assert kinds == sorted([("like", first.pk), ("like", second.pk), ("boost", first.pk)])


def test_new_activity_on_a_read_group_makes_it_unread_and_moves_it_to_the_top(publish, act):
    ana = UserFactory()
    old, new = publish(ana, "old post"), publish(ana, "new post")
    act(post_actions.like, user=UserFactory(), post=old)
    act(post_actions.like, user=UserFactory(), post=new)
    actions.mark_all_read(member=ana)
    assert [n.subject_id for n in queries.notification_page(viewer=ana).items] == [new.pk, old.pk]

    act(post_actions.like, user=UserFactory(), post=old)

    page = queries.notification_page(viewer=ana).items
    assert [(n.subject_id, n.is_unread) for n in page] == [(old.pk, True), (new.pk, False)]
    assert queries.unread_count(ana) == 1


def test_undoing_a_like_keeps_the_notification_and_liking_again_does_not_double_count(publish, act):
    ana, ben = UserFactory(), UserFactory(profile__display_name="Ben")
    post = publish(ana)
    act(post_actions.like, user=ben, post=post)
    act(post_actions.unlike, user=ben, post=post)
    act(post_actions.like, user=ben, post=post)
    assert texts(ana) == ["Ben liked your post"]
    assert NotificationActor.objects.count() == 1


def test_follows_on_one_day_group_together_and_link_to_the_followers_list(act):
    ana = UserFactory(profile__handle="ana")
    for i in range(3):
        act(network_actions.follow, follower=UserFactory(profile__display_name=f"Fan {i}"), followee=ana)
    [n] = queries.notification_page(viewer=ana).items
    assert n.description.text == "Fan 2 and 2 others followed you"
    assert n.description.url == "/@ana/followers"


def test_a_single_follow_links_to_the_followers_profile(act):
    ana, ben = UserFactory(), UserFactory(profile__handle="ben", profile__display_name="Ben")
    act(network_actions.follow, follower=ben, followee=ana)
    [n] = queries.notification_page(viewer=ana).items
    assert (n.description.text, n.description.url) == ("Ben followed you", "/@ben")


def test_a_follow_request_to_a_locked_account_notifies_with_a_link_to_the_requests(act):
    ana, ben = UserFactory(profile__locked=True), UserFactory(profile__display_name="Ben")
    act(network_actions.follow, follower=ben, followee=ana)
    [n] = queries.notification_page(viewer=ana).items
    assert (n.kind, n.description.text, n.description.url) == (
        "follow_request",
        "Ben asked to follow you",
        "/settings/follow-requests/",
    )


def test_blocked_members_never_notify_either_way(publish, act):
    ana, ben = UserFactory(profile__handle="ana"), UserFactory(profile__handle="ben")
    network_actions.block(blocker=ana, blocked=ben)
    post = publish(ana, "Hello @ben")  # the mention row is not even written across a block
    assert actions.notify(kind="like", recipient_id=ana.pk, actor_id=ben.pk, subject_id=post.pk) is None
    assert actions.notify(kind="follow", recipient_id=ben.pk, actor_id=ana.pk) is None
    assert not Notification.objects.exists()


def test_muted_members_never_notify_the_muter(publish, act):
    ana, ben = UserFactory(profile__handle="ana"), UserFactory()
    network_actions.mute(muter=ana, muted=ben)
    post = publish(ana, "Hello")
    act(post_actions.like, user=ben, post=post)
    publish(ben, "Hey @ana")
    act(network_actions.follow, follower=ben, followee=ana)
    assert not Notification.objects.filter(recipient=ana).exists()


def test_muting_later_hides_earlier_notifications_and_unmuting_brings_them_back(publish, act):
    ana, ben = UserFactory(), UserFactory()
    act(post_actions.like, user=ben, post=publish(ana))
    network_actions.mute(muter=ana, muted=ben)
    assert texts(ana) == [] and queries.unread_count(ana) == 0
    network_actions.unmute(muter=ana, muted=ben)
    assert queries.unread_count(ana) == 1


def test_a_block_removes_what_the_blocked_member_caused_but_keeps_others_in_the_group(publish, act):
    ana, ben, cat = UserFactory(), UserFactory(), UserFactory(profile__display_name="Cat")
    post = publish(ana)
    act(post_actions.like, user=ben, post=post)
    act(post_actions.like, user=cat, post=post)
    act(network_actions.follow, follower=ben, followee=ana)
    network_actions.block(blocker=ana, blocked=ben)
    assert texts(ana) == ["Cat liked your post"]
    assert not NotificationActor.objects.filter(actor=ben).exists()
    network_actions.unblock(blocker=ana, blocked=ben)
    assert texts(ana) == ["Cat liked your post"]  # a block forgets for good


def test_being_blocked_removes_the_blockers_notifications_too(publish, act):
    ana, ben = UserFactory(), UserFactory(profile__handle="ben")
    act(post_actions.like, user=ana, post=publish(ben))
    network_actions.block(blocker=ana, blocked=ben)
    assert not Notification.objects.filter(recipient=ben).exists()


def test_deleting_a_post_deletes_its_notifications(publish, act):
    ana, ben = UserFactory(profile__handle="ana"), UserFactory()
    post = publish(ben, "Hi @ana")
    mine = publish(ana, "Mine")
    act(post_actions.like, user=ben, post=mine)
    post_actions.delete_post(post=post, actor=ben)
    post_actions.delete_post(post=mine, actor=ana)
    assert not Notification.objects.exists()


def test_a_post_the_recipient_can_no_longer_see_disappears(publish):
    ana, ben = UserFactory(profile__handle="ana"), UserFactory()
    network_actions.follow(follower=ana, followee=ben)
    post = publish(ben, "Followers only, @ana", visibility=Visibility.FOLLOWERS)
    assert texts(ana) == [f"{ben.profile.display_name} mentioned you"]
    network_actions.unfollow(follower=ana, followee=ben)
    assert texts(ana) == []
    assert queries.notification_for(ana, Notification.objects.get().pk) is None
    assert post.visibility == Visibility.FOLLOWERS


def test_a_mention_the_recipient_cannot_see_is_never_created(publish):
    UserFactory(profile__handle="ana")
    ben = UserFactory()
    publish(ben, "Followers only, @ana", visibility=Visibility.FOLLOWERS)
    assert not Notification.objects.exists()


def test_editing_the_mention_out_of_a_post_hides_the_mention(publish):
    ana, ben = UserFactory(profile__handle="ana"), UserFactory()
    post = publish(ben, "Hello @ana")
    post_actions.edit_post(post=post, editor=ben, body="Hello everyone")
    assert texts(ana) == []


def test_a_suspended_actor_disappears_from_notifications(publish, act):
    ana, ben = UserFactory(), UserFactory()
    act(post_actions.like, user=ben, post=publish(ana))
    ben.is_active = False
    ben.save(update_fields=["is_active"])
    assert texts(ana) == [] and queries.unread_count(ana) == 0


def test_a_kind_turned_off_creates_nothing(publish, act):
    ana, ben = UserFactory(), UserFactory()
    actions.save_preferences(member=ana, deliveries={"like": "off"}, quiet=None)
    act(post_actions.like, user=ben, post=publish(ana))
    assert not Notification.objects.exists()
