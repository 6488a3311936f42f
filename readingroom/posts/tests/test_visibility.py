import pytest
from django.urls import reverse

from readingroom.core.models import Visibility
from readingroom.posts import queries
from readingroom.posts.models import Hashtag
from readingroom.testing.factories import BlockFactory, FollowFactory, MuteFactory, UserFactory

pytestmark = pytest.mark.django_db


def ids(page):
    return [p.pk for p in page.items]


def test_followers_only_posts_are_hidden_from_non_followers_and_answer_not_found(member, client, publish):
    author = UserFactory()
    post = publish(author, "Only for followers #quiet", visibility=Visibility.FOLLOWERS)
    client.force_login(member)
    assert client.get(reverse("posts:detail", args=[post.pk])).status_code == 404
    assert client.get(reverse("posts:history", args=[post.pk])).status_code == 404
    assert post.pk not in ids(queries.hashtag_timeline(viewer=member, hashtag=Hashtag.objects.get(name="quiet")))
    FollowFactory(follower=member, followee=author)
    assert client.get(reverse("posts:detail", args=[post.pk])).status_code == 200


def test_anonymous_visitors_see_only_public_posts(client, publish, db):
    author = UserFactory()
    public = publish(author, "Hello world")
    members = publish(author, "Hello members", visibility=Visibility.MEMBERS)
    assert ids(queries.local_timeline(viewer=None)) == [public.pk]
    page = client.get(reverse("posts:local")).content.decode()
    assert "Hello world" in page and "Hello members" not in page
    assert client.get(reverse("posts:detail", args=[members.pk])).status_code == 404


@pytest.mark.parametrize("direction", ["i_blocked", "blocked_me"])
def test_a_block_either_way_hides_posts_everywhere(member, client, publish, direction):
    other = UserFactory()
    post = publish(other, "Blocked words #blocktest")
    if direction == "i_blocked":
        BlockFactory(blocker=member, blocked=other)
    else:
        BlockFactory(blocker=other, blocked=member)
    client.force_login(member)
    assert client.get(reverse("posts:detail", args=[post.pk])).status_code == 404
    assert post.pk not in ids(queries.local_timeline(viewer=member))
    assert post.pk not in ids(queries.hashtag_timeline(viewer=member, hashtag=Hashtag.objects.get(name="blocktest")))
    assert "Blocked words" not in client.get(reverse("posts:local")).content.decode()
    assert "Blocked words" not in client.get(reverse("posts:hashtag", args=["blocktest"])).content.decode()


def test_a_boost_by_someone_of_a_blocked_members_post_is_hidden(member, publish):
    from readingroom.posts import actions

    blocked, friend = UserFactory(), UserFactory()
    post = publish(blocked, "Spreading")
    shared = actions.boost(user=friend, post=post)
    BlockFactory(blocker=member, blocked=blocked)
    assert queries.hydrate([shared.pk], member) == []


def test_muted_members_vanish_from_timelines_but_their_posts_open_by_direct_link(member, client, publish):
    muted = UserFactory()
    FollowFactory(follower=member, followee=muted)
    post = publish(muted, "Noisy #mutetest")
    MuteFactory(muter=member, muted=muted)
    assert post.pk not in ids(queries.home_timeline(viewer=member))
    assert post.pk not in ids(queries.local_timeline(viewer=member))
    assert post.pk not in ids(queries.hashtag_timeline(viewer=member, hashtag=Hashtag.objects.get(name="mutetest")))
    client.force_login(member)
    response = client.get(reverse("posts:detail", args=[post.pk]))
    assert response.status_code == 200 and "Noisy" in response.content.decode()


def test_suspended_members_posts_disappear(member, publish):
    gone = UserFactory()
    post = publish(gone, "Before suspension")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    assert post.pk not in ids(queries.local_timeline(viewer=member))
    with pytest.raises(Exception):  # noqa: B017 - Http404
        queries.post_for_viewer(post.pk, member)


def test_a_thread_shows_only_the_replies_the_viewer_may_see(member, publish):
    author, stranger = UserFactory(), UserFactory()
    root = publish(author, "Root")
    visible = publish(author, "Open reply", reply_to=root)
    hidden = publish(stranger, "Private reply", visibility=Visibility.FOLLOWERS, reply_to=root)
    publish(stranger, "Reply under private", reply_to=hidden)
    nested = publish(author, "Nested", reply_to=visible)
    conversation = queries.thread(viewer=member, post=root)
    assert [(p.pk, p.depth) for p in conversation.descendants] == [(visible.pk, 1), (nested.pk, 2)]
    focused = queries.thread(viewer=member, post=queries.post_for_viewer(nested.pk, member))
    assert [p.pk for p in focused.ancestors] == [root.pk, visible.pk]
