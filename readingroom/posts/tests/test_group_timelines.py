"""Group posts in home timelines: fanned out to members who want them there, gone when they leave
or change their mind, and back when a returning member's timeline is rebuilt."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from readingroom.accounts.models import User
from readingroom.groups import actions
from readingroom.groups.models import Membership
from readingroom.groups.tests.helpers import add_member, make_group
from readingroom.posts import queries
from readingroom.posts.models import TimelineEntry
from readingroom.posts.timeline import fan_out_post, note_member_seen, rebuild_home_timeline
from readingroom.testing.factories import FollowFactory, UserFactory

pytestmark = pytest.mark.django_db


def home_ids(user):
    return set(TimelineEntry.objects.filter(owner=user).values_list("post_id", flat=True))


def owners_of(post):
    return set(TimelineEntry.objects.filter(post=post).values_list("owner_id", flat=True))


@pytest.fixture
def cohort():
    owner = UserFactory()
    group = make_group(owner, name="MLIS cohort 2027", privacy="private")
    return group, owner


def test_a_group_post_reaches_the_members_who_want_it_not_the_authors_followers(publish, cohort):
    group, owner = cohort
    keen, quiet, away = add_member(group), add_member(group, show_in_home=False), add_member(group)
    User.objects.filter(pk=away.pk).update(last_seen_at=timezone.now() - timedelta(days=60))
    follower = UserFactory()
    FollowFactory(follower=follower, followee=owner)
    FollowFactory(follower=keen, followee=owner)
    post = publish(owner, "Timetable #cohort", group=group)
    assert owners_of(post) == {owner.pk, keen.pk}
    assert follower.pk not in owners_of(post) and quiet.pk not in owners_of(post)
    assert fan_out_post.call(post.pk) == 0  # idempotent


def test_a_public_groups_post_skips_followers_and_hashtag_followers_too(publish):
    from readingroom.posts import actions as post_actions

    owner = UserFactory()
    group = make_group(owner)
    follower, tag_follower = UserFactory(), UserFactory()
    FollowFactory(follower=follower, followee=owner)
    post_actions.follow_hashtag(user=tag_follower, name="archives")
    post = publish(owner, "Boxes arrived #archives", group=group)
    assert owners_of(post) == {owner.pk}


def test_replies_stay_in_the_groups_threads(publish, cohort):
    group, owner = cohort
    member = add_member(group)
    post = publish(owner, "Thread", group=group)
    reply = publish(member, "Reply", reply_to=post)
    assert owners_of(reply) == {member.pk}


def test_the_home_page_shows_the_group_post_with_its_group(client, publish, cohort):
    group, owner = cohort
    member = add_member(group)
    publish(owner, "zqxhome group post", group=group)
    client.force_login(member)
    page = client.get(reverse("posts:home")).content.decode()
    assert "zqxhome group post" in page and "MLIS cohort 2027" in page


def test_turning_the_group_off_at_home_removes_its_posts_there_and_keeps_the_rest(publish, cohort):
    group, owner = cohort
    member = add_member(group)
    FollowFactory(follower=member, followee=owner)
    in_group = publish(owner, "In the group", group=group)
    own = publish(member, "My own group post", group=group)
    plain = publish(owner, "Elsewhere")
    assert {in_group.pk, own.pk, plain.pk} <= home_ids(member)
    actions.set_home_preference(user=member, group=group, show_in_home=False)
    assert home_ids(member) == {plain.pk}
    assert not Membership.objects.get(group=group, user=member).show_in_home
    later = publish(owner, "Later in the group", group=group)
    assert member.pk not in owners_of(later)


def test_a_member_who_turned_the_group_off_does_not_get_their_own_group_posts_at_home(publish, cohort):
    group, _ = cohort
    member = add_member(group, show_in_home=False)
    post = publish(member, "Only on the group page", group=group)
    assert member.pk not in owners_of(post)
    assert queries.group_timeline(viewer=member, group=group).items[0].pk == post.pk


def test_the_home_preference_form_turns_it_off_and_on(client, publish, cohort):
    group, owner = cohort
    member = add_member(group)
    post = publish(owner, "Hello", group=group)
    client.force_login(member)
    response = client.post(reverse("groups:home_preference", args=[group.slug]), {})
    assert response.status_code == 302 and post.pk not in home_ids(member)
    client.post(reverse("groups:home_preference", args=[group.slug]), {"show_in_home": "on"})
    assert Membership.objects.get(group=group, user=member).show_in_home
    assert publish(owner, "Again", group=group).pk in home_ids(member)
    client.force_login(UserFactory())
    assert client.post(reverse("groups:home_preference", args=[group.slug]), {}).status_code == 404


@pytest.mark.parametrize("how", ["leave", "remove", "ban"])
def test_leaving_or_being_removed_takes_the_groups_posts_out_of_home(publish, cohort, how):
    group, owner = cohort
    member = add_member(group)
    FollowFactory(follower=member, followee=owner)
    in_group = publish(owner, "In the group", group=group)
    own = publish(member, "My own", group=group)
    plain = publish(owner, "Elsewhere")
    if how == "leave":
        actions.leave(user=member, group=group)
    else:
        found = Membership.objects.get(group=group, user=member)
        actions.remove_member(actor=owner, membership=found, ban=how == "ban", reason="Off topic")
    assert home_ids(member) == {plain.pk}
    assert {in_group.pk, own.pk} <= home_ids(owner)
    assert [p.pk for p in queries.home_timeline(viewer=member).items] == [plain.pk]


def test_a_rebuilt_home_timeline_brings_back_the_groups_shown_at_home(publish, cohort):
    group, owner = cohort
    other = make_group(owner, name="Lone archivists")
    left = make_group(owner, name="Left behind")
    member = add_member(group)
    add_member(other, member, show_in_home=False)
    add_member(left, member)
    followed = UserFactory()
    FollowFactory(follower=member, followee=followed)
    in_group = publish(owner, "Cohort post", group=group)
    reply = publish(owner, "Cohort reply", reply_to=in_group)
    own_elsewhere = publish(member, "Mine in the quiet group", group=other)
    quiet = publish(owner, "Quiet group post", group=other)
    gone = publish(owner, "Left group post", group=left)
    actions.leave(user=member, group=left)
    plain = publish(followed, "Followed post")
    stranger = publish(UserFactory(), "A stranger's post")
    TimelineEntry.objects.filter(owner=member).delete()
    rebuild_home_timeline(owner=member)
    rebuilt = home_ids(member)
    assert {in_group.pk, plain.pk} <= rebuilt
    assert not rebuilt & {reply.pk, own_elsewhere.pk, quiet.pk, gone.pk, stranger.pk}


def test_a_returning_member_finds_the_groups_posts_they_missed(publish, cohort):
    group, owner = cohort
    member = add_member(group)
    User.objects.filter(pk=member.pk).update(last_seen_at=timezone.now() - timedelta(days=60))
    post = publish(owner, "While you were away", group=group)
    assert member.pk not in owners_of(post)
    member.refresh_from_db()
    note_member_seen(user=member, now=timezone.now())
    assert post.pk in home_ids(member)
