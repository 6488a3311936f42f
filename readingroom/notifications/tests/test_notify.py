"""notify() and the other writes: who is told, how activity groups, what makes a notification go."""

from datetime import timedelta

import pytest
from django.utils import timezone

from readingroom.core.models import Visibility
from readingroom.notifications import actions, queries
from readingroom.notifications.models import Notification, NotificationActor
from readingroom.testing.factories import BlockFactory, FollowFactory, MuteFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def texts(member):
    return [n.description.text for n in queries.notification_page(viewer=member).items]


def test_a_mention_names_the_author_and_links_to_the_post(mention):
    ana, ben = UserFactory(), UserFactory(profile__display_name="Ben Bloggs")
    post = mention(to=ana, by=ben, body="Thanks   for the\nreading list")
    [n] = queries.notification_page(viewer=ana).items
    assert (n.kind, n.subject_id, n.is_unread) == ("mention", post.pk, True)
    assert n.description.text == "Ben Bloggs mentioned you"
    assert n.description.url == f"/posts/{post.pk}"
    assert n.description.excerpt == "Thanks for the reading list"


def test_nobody_is_notified_of_their_own_activity(tell):
    ana = UserFactory()
    assert tell("like", to=ana, by=ana, about=PostFactory(author=ana)) is None
    assert not Notification.objects.exists()


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown notification kind"):
        actions.notify(kind="nope", recipient_id=1, actor_id=2)


def test_activity_on_one_subject_groups_into_one_row_naming_the_latest_actors(tell):
    ana = UserFactory()
    post = PostFactory(author=ana)
    for i in range(5):
        tell("like", to=ana, by=UserFactory(profile__display_name=f"Liker {i}"), about=post)
    assert Notification.objects.filter(recipient=ana).count() == 1
    [n] = queries.notification_page(viewer=ana).items
    assert n.description.text == "Liker 4 and 4 others liked your post"
    assert [a.display_name for a in n.actors] == ["Liker 4", "Liker 3", "Liker 2"]


def test_two_actors_are_both_named(tell):
    ana = UserFactory()
    post = PostFactory(author=ana)
    tell("boost", to=ana, by=UserFactory(profile__display_name="Ben"), about=post)
    tell("boost", to=ana, by=UserFactory(profile__display_name="Cat"), about=post)
    assert texts(ana) == ["Cat and Ben boosted your post"]


def test_new_activity_on_a_read_group_makes_it_unread_and_moves_it_to_the_top(tell):
    ana = UserFactory()
    old, new = PostFactory(author=ana), PostFactory(author=ana)
    tell("like", to=ana, by=UserFactory(), about=old)
    tell("like", to=ana, by=UserFactory(), about=new)
    actions.mark_all_read(member=ana)
    assert [n.subject_id for n in queries.notification_page(viewer=ana).items] == [new.pk, old.pk]

    tell("like", to=ana, by=UserFactory(), about=old)

    page = queries.notification_page(viewer=ana).items
    assert [(n.subject_id, n.is_unread) for n in page] == [(old.pk, True), (new.pk, False)]
    assert queries.unread_count(ana) == 1


def test_the_same_actor_again_moves_the_group_up_without_counting_twice(tell):
    ana, ben = UserFactory(), UserFactory(profile__display_name="Ben")
    post = PostFactory(author=ana)
    tell("like", to=ana, by=ben, about=post)
    tell("like", to=ana, by=UserFactory(), about=PostFactory(author=ana))
    tell("like", to=ana, by=ben, about=post)
    assert texts(ana)[0] == "Ben liked your post"
    assert NotificationActor.objects.filter(actor=ben).count() == 1


def test_a_mention_is_told_once_per_post(mention, tell):
    ana, ben = UserFactory(), UserFactory()
    post = mention(to=ana, by=ben)
    actions.mark_all_read(member=ana)
    tell("mention", to=ana, by=ben, about=post)
    assert queries.unread_count(ana) == 0 and Notification.objects.count() == 1


def test_follows_group_per_day(tell, monkeypatch):
    ana = UserFactory(profile__handle="ana")
    for i in range(3):
        tell("follow", to=ana, by=UserFactory(profile__display_name=f"Fan {i}"))
    tomorrow = timezone.now() + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    tell("follow", to=ana, by=UserFactory(profile__display_name="Late fan"))
    assert texts(ana) == ["Late fan followed you", "Fan 2 and 2 others followed you"]
    assert queries.notification_page(viewer=ana).items[1].description.url == "/@ana/followers"


@pytest.mark.parametrize("relation", ["recipient blocks actor", "actor blocks recipient", "recipient mutes actor"])
def test_blocked_and_muted_members_never_notify(tell, relation):
    ana, ben = UserFactory(), UserFactory()
    if relation == "recipient blocks actor":
        BlockFactory(blocker=ana, blocked=ben)
    elif relation == "actor blocks recipient":
        BlockFactory(blocker=ben, blocked=ana)
    else:
        MuteFactory(muter=ana, muted=ben)
    assert tell("like", to=ana, by=ben, about=PostFactory(author=ana)) is None
    assert tell("follow", to=ana, by=ben) is None
    assert not Notification.objects.exists()


def test_a_mute_is_one_way_so_the_muter_still_notifies_the_muted(tell):
    ana, ben = UserFactory(), UserFactory()
    MuteFactory(muter=ana, muted=ben)  # a mute is one-way
    assert tell("follow", to=ben, by=ana) is not None


def test_suspended_members_neither_notify_nor_are_notified(tell):
    ana, ben = UserFactory(), UserFactory(is_active=False)
    assert tell("follow", to=ana, by=ben) is None
    assert tell("follow", to=ben, by=ana) is None


def test_a_subject_the_recipient_cannot_see_is_never_notified(mention):
    ana, ben = UserFactory(), UserFactory()
    mention(to=ana, by=ben, visibility=Visibility.FOLLOWERS)  # ana does not follow ben
    assert not Notification.objects.exists()
    FollowFactory(follower=ana, followee=ben)
    mention(to=ana, by=ben, visibility=Visibility.FOLLOWERS)
    assert Notification.objects.count() == 1


def test_a_kind_turned_off_creates_nothing(tell):
    ana = UserFactory()
    actions.save_preferences(member=ana, deliveries={"like": "off"}, quiet=None)
    assert tell("like", to=ana, by=UserFactory(), about=PostFactory(author=ana)) is None
    assert not Notification.objects.exists()


def test_forget_subjects_deletes_every_notification_about_them(mention, tell):
    ana, ben = UserFactory(), UserFactory()
    post = mention(to=ana, by=ben)
    other = mention(to=ana, by=ben)
    tell("like", to=ben, by=ana, about=PostFactory(author=ben, pk=post.pk + 1000))
    actions.forget_subjects(kind_slugs=["mention"], subject_ids=[post.pk])
    assert list(Notification.objects.values_list("kind", "subject_id")) == [
        ("mention", other.pk),
        ("like", post.pk + 1000),
    ]


def test_forget_actor_takes_them_out_of_groups_and_drops_groups_left_empty(tell):
    ana, ben, cat = UserFactory(), UserFactory(), UserFactory(profile__display_name="Cat")
    post = PostFactory(author=ana)
    tell("like", to=ana, by=ben, about=post)
    tell("like", to=ana, by=cat, about=post)
    tell("follow", to=ana, by=ben)
    actions.forget_actor(recipient=ana, actor=ben)
    assert texts(ana) == ["Cat liked your post"]
    assert not NotificationActor.objects.filter(actor=ben).exists()
    assert Notification.objects.count() == 1


def test_each_member_keeps_a_bounded_number_of_notifications(tell, monkeypatch):
    monkeypatch.setattr(actions, "KEPT_PER_MEMBER", 3)
    ana, ben = UserFactory(), UserFactory()
    posts = [PostFactory(author=ana) for _ in range(5)]
    for post in posts:
        tell("like", to=ana, by=ben, about=post)
    kept = list(Notification.objects.filter(recipient=ana).order_by("-position").values_list("subject_id", flat=True))
    assert kept == [p.pk for p in reversed(posts)][:3]
    assert NotificationActor.objects.count() == 3


def test_mark_read_touches_only_the_members_own_notification(tell):
    ana, ben = UserFactory(), UserFactory()
    n = tell("follow", to=ana, by=ben)
    assert not actions.mark_read(member=ben, notification_id=n.pk)
    assert actions.mark_read(member=ana, notification_id=n.pk)
    assert actions.mark_read(member=ana, notification_id=n.pk)  # again: harmless
    assert queries.unread_count(ana) == 0
