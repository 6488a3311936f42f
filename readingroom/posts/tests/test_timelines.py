import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from readingroom.core.models import Visibility
from readingroom.posts import actions, queries
from readingroom.posts.models import Hashtag, PostImage
from readingroom.posts.tests.conftest import parse, png_upload
from readingroom.posts.timeline import home_timeline_post_ids
from readingroom.testing.factories import FollowFactory, UserFactory

pytestmark = pytest.mark.django_db


def walk(fetch):
    """Every post id over every page, following next cursors."""
    seen, before, pages = [], None, 0
    while True:
        page = fetch(before)
        seen.extend(p.pk for p in page.items)
        pages += 1
        if not page.has_next:
            return seen, pages
        before = page.next_cursor
        assert pages < 50


@pytest.fixture
def mixed_posts(member, publish):
    """45 tagged posts the member may see, interleaved with 70 hidden followers-only ones."""
    followed, stranger = UserFactory(), UserFactory()
    FollowFactory(follower=member, followee=followed)
    visible = []
    for n in range(115):
        if n % 5 in (1, 2) or 40 <= n < 70:
            publish(stranger, f"hidden {n} #paging", visibility=Visibility.FOLLOWERS)
        else:
            visible.append(publish(followed, f"visible {n} #paging").pk)
    return sorted(visible, reverse=True)


def test_local_timeline_pages_never_repeat_or_skip_a_post(member, mixed_posts):
    seen, pages = walk(lambda before: queries.local_timeline(viewer=member, before=before))
    assert seen == mixed_posts and pages == 3


def test_hashtag_timeline_pages_never_repeat_or_skip_a_post(member, mixed_posts):
    tag = Hashtag.objects.get(name="paging")
    seen, _ = walk(lambda before: queries.hashtag_timeline(viewer=member, hashtag=tag, before=before))
    assert seen == mixed_posts


def test_home_timeline_pages_never_repeat_or_skip_a_post(member, mixed_posts):
    seen, _ = walk(lambda before: queries.home_timeline(viewer=member, before=before))
    assert seen == mixed_posts


def test_bookmark_pages_follow_the_order_of_bookmarking(member, publish):
    posts = [publish(UserFactory(), f"keep {n}") for n in range(25)]
    for post in reversed(posts):
        actions.bookmark(user=member, post=post)
    seen, pages = walk(lambda before: queries.bookmarks(viewer=member, before=before))
    assert seen == [p.pk for p in posts] and pages == 2


def test_profile_timeline_shows_posts_and_boosts_and_replies_only_when_asked(member, publish):
    author = UserFactory()
    own = publish(author, "Mine")
    reply = publish(author, "A reply", reply_to=publish(UserFactory(), "Parent"))
    shared = actions.boost(user=author, post=publish(UserFactory(), "Theirs"))
    page = queries.profile_timeline(viewer=member, author=author)
    assert [p.pk for p in page.items] == [shared.pk, own.pk]
    page = queries.profile_timeline(viewer=member, author=author, with_replies=True)
    assert [p.pk for p in page.items] == [shared.pk, reply.pk, own.pk]


def test_the_older_posts_link_carries_the_cursor(member_client, publish):
    author = UserFactory()
    posts = [publish(author, f"post {n}") for n in range(21)]
    page = parse(member_client.get(reverse("posts:local")).content.decode())
    link = page.find(".//a[@rel='next']")
    assert link.get("href") == f"{reverse('posts:local')}?before={posts[1].pk}"
    older = member_client.get(link.get("href")).content.decode()
    assert "post 0" in older and "post 1<" not in older


def test_a_bad_cursor_means_the_first_page(member_client, publish):
    publish(UserFactory(), "Still here")
    for cursor in ("abc", "-5", "9" * 40, ""):
        response = member_client.get(reverse("posts:local"), {"before": cursor})
        assert response.status_code == 200 and "Still here" in response.content.decode()


def fill(member, publish, committing, count):
    """`count` posts of every kind a card can show: boosts, replies, images, likes, tags."""
    followed = UserFactory()
    FollowFactory(follower=member, followee=followed)
    for n in range(count):
        kind = n % 4
        if kind == 0:
            post = publish(followed, f"plain {n} #counting")
        elif kind == 1:
            post = publish(followed, f"image {n} #counting", images=[(png_upload(), "a picture")])
        elif kind == 2:
            post = publish(followed, f"reply {n} #counting", reply_to=publish(UserFactory(), "parent #counting"))
        else:
            original = publish(UserFactory(), f"boosted {n} #counting")
            with committing():
                post = actions.boost(user=followed, post=original)
        actions.like(user=member, post=post)
        actions.bookmark(user=member, post=post)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["posts:home", "posts:local", "posts:bookmarks"])
def test_timeline_pages_cost_the_same_queries_for_5_or_25_posts(
    member, member_client, publish, committing, url_name, django_assert_max_num_queries
):
    url = reverse(url_name)
    fill(member, publish, committing, 5)
    few = count_queries(member_client, url)
    fill(member, publish, committing, 20)
    many = count_queries(member_client, url)
    assert few == many
    with django_assert_max_num_queries(8):
        member_client.get(url)


def test_the_hashtag_page_costs_the_same_queries_for_5_or_25_posts(
    member, member_client, publish, committing, django_assert_max_num_queries
):
    url = reverse("posts:hashtag", args=["counting"])
    fill(member, publish, committing, 5)
    few = count_queries(member_client, url)
    fill(member, publish, committing, 20)
    many = count_queries(member_client, url)
    assert few == many
    with django_assert_max_num_queries(9):
        member_client.get(url)


def test_hydrating_a_page_takes_two_queries_and_marks_the_viewers_interactions(
    member, publish, committing, django_assert_num_queries
):
    fill(member, publish, committing, 24)
    ids = home_timeline_post_ids(owner=member, limit=20)
    with django_assert_num_queries(2):  # posts with their flags, then all their images
        posts = queries.hydrate(ids, member)
        [image.image.url for p in posts for image in p.shown_images]
        [(p.author.profile.handle, p.boost_of and p.boost_of.author.profile.handle) for p in posts]
    assert [p.pk for p in posts] == ids
    assert all(p.viewer_liked and p.viewer_bookmarked and not p.viewer_boosted for p in posts)
    assert sum(len(p.shown_images) for p in posts) == PostImage.objects.filter(post_id__in=ids).count() > 0


def test_the_thread_page_costs_a_constant_number_of_queries(
    member, member_client, publish, django_assert_max_num_queries
):
    root = publish(UserFactory(), "root")
    parent = root
    for n in range(12):
        parent = publish(UserFactory(), f"reply {n}", reply_to=parent if n % 2 else root)
    with django_assert_max_num_queries(8):
        response = member_client.get(reverse("posts:detail", args=[root.pk]))
    assert response.content.decode().count('class="post') == 13
