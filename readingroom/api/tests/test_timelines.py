"""Timelines through the API: the same posts as the pages, keyset pages both ways, bounded cost."""

import pytest
from django.test import override_settings

from readingroom.core.models import Visibility
from readingroom.network import actions as network_actions
from readingroom.posts import actions as post_actions
from readingroom.posts.permissions import can_see_post
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:
    return [p["id"] for p in response.json()["items"]]


def _walk_back(api, path, **params) -> list[int]:
    """Every post, following next_url to the end."""
    seen, response = [], api.get(path, params)
    while True:
        seen += _ids(response)
        next_url = response.json()["next_url"]
        if not next_url:
            return seen
        assert f'<{next_url}>; rel="next"' in response["Link"]
        response = api.get(next_url.removeprefix("http://testserver"))


def _walk_forward(api, path, *, start: int = 0, **params) -> list[int]:
    """Every post newer than `start`, following prev_url until caught up (oldest first)."""
    seen, response = [], api.get(path, {"min_id": start, **params})
    while True:
        seen += _ids(response)[::-1]
        prev_url = response.json()["prev_url"]
        if not response.json()["items"] or not prev_url:
            return seen
        response = api.get(prev_url.removeprefix("http://testserver"))


@pytest.fixture
def world(ada, bob, publish, django_capture_on_commit_callbacks):
    """Bob follows Ada; both post in every audience, with a hashtag; a stranger is muted; bookmarks."""
    stranger = UserFactory(profile__handle="stranger")
    with django_capture_on_commit_callbacks(execute=True):
        network_actions.follow(follower=bob, followee=ada)
        network_actions.mute(muter=bob, muted=stranger)
    posts = []
    for n in range(9):
        for author in (ada, bob, stranger):
            visibility = Visibility.values[n % 3]
            posts.append(publish(author, f"Post {n} by {author.profile.handle} #shelf", visibility=visibility))
    posts.append(publish(ada, "A reply", reply_to=posts[0]))
    for post in posts[::4]:
        if can_see_post(bob, post):
            post_actions.bookmark(user=bob, post=post)
    return posts


TIMELINES = [
    ("timelines/home", {}),
    ("timelines/local", {}),
    ("timelines/tag/shelf", {}),
    ("profiles/ada/posts", {}),
    ("profiles/ada/posts", {"with_replies": "true"}),
    ("bookmarks", {}),
]


@pytest.mark.parametrize(("path", "params"), TIMELINES, ids=[p + str(q) for p, q in TIMELINES])
@pytest.mark.parametrize("limit", [1, 7, 40])
def test_any_limit_pages_through_exactly_the_posts_the_page_would_show(
    world, bob, api_for, client, path, params, limit
):
    api = api_for(bob, "read")
    everything = _walk_back(api, path, limit=40, **params)
    assert everything, "the world should give every timeline something to show"
    assert len(everything) == len(set(everything))
    assert _walk_back(api, path, limit=limit, **params) == everything
    first = api.get(path, {"limit": limit, **params})
    assert len(first.json()["items"]) == min(limit, len(everything))


@pytest.mark.parametrize(("path", "params"), TIMELINES, ids=[p + str(q) for p, q in TIMELINES])
def test_reading_forward_meets_the_same_posts_as_reading_backward(world, bob, api_for, path, params):
    api = api_for(bob, "read")
    backward = _walk_back(api, path, limit=40, **params)
    forward = _walk_forward(api, path, limit=3, **params)
    assert forward == backward[::-1]


def test_min_id_answers_the_posts_just_newer_than_the_cursor_newest_first(world, ada, api_for):
    api = api_for(ada, "read")
    all_ids = _walk_back(api, "profiles/ada/posts", limit=40)
    oldest_three = all_ids[-4:-1][::-1]  # the three just after the oldest, oldest first
    response = api.get("profiles/ada/posts", {"min_id": all_ids[-1], "limit": 3})
    assert _ids(response) == oldest_three[::-1]
    assert response.json()["prev_min_id"] == oldest_three[-1]


def test_catching_up_with_nothing_new_is_an_empty_page_without_a_prev_link(world, ada, api_for):
    api = api_for(ada, "read")
    newest = _ids(api.get("profiles/ada/posts"))[0]
    response = api.get("profiles/ada/posts", {"min_id": newest})
    assert response.json()["items"] == [] and response.json()["prev_url"] is None
    assert "Link" not in response


def test_max_id_and_min_id_together_are_refused(api_for, ada):
    response = api_for(ada).get("timelines/local", {"max_id": 5, "min_id": 2})
    assert response.status_code == 422
    assert "not both" in response.json()["error"]["fields"][0]["message"]


@pytest.mark.parametrize("limit", ["0", "41", "-1", "x", "99999999999999999999"])
def test_limit_is_bounded(api_for, ada, limit):
    response = api_for(ada).get("timelines/local", {"limit": limit})
    assert response.status_code == 422 and response.json()["error"]["fields"][0]["field"] == "limit"


def test_home_and_bookmarks_need_a_member(api_for):
    for path in ("timelines/home", "bookmarks"):
        response = api_for(None).get(path)
        assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"


def test_the_local_timeline_shows_visitors_only_public_posts(world, api_for, bob):
    visitor = api_for(None).get("timelines/local", {"limit": 40}).json()["items"]
    member = api_for(bob).get("timelines/local", {"limit": 40}).json()["items"]
    assert {p["visibility"] for p in visitor} == {"public"}
    assert {p["visibility"] for p in member} == {"public", "members"}


def test_muted_members_stay_out_of_home_and_hashtags_but_not_bookmarks(world, api_for, bob):
    api = api_for(bob)
    for path in ("timelines/home", "timelines/tag/shelf"):
        assert "stranger" not in {p["author"]["handle"] for p in api.get(path, {"limit": 40}).json()["items"]}


def test_an_unknown_hashtag_is_an_empty_page_and_an_impossible_one_a_404(api_for):
    assert api_for(None).get("timelines/tag/nothingyet").json()["items"] == []
    assert api_for(None).get("timelines/tag/no-dashes").status_code == 404


def test_bookmarks_page_by_bookmark_not_by_post(world, bob, api_for):
    api = api_for(bob)
    first = world[1]
    post_actions.bookmark(user=bob, post=first)  # an old post bookmarked last comes first
    ids = _ids(api.get("bookmarks"))
    assert ids[0] == first.pk


@override_settings(RR_PAGE_SIZE=20)
@pytest.mark.parametrize(
    "path", ["timelines/home", "timelines/local", "timelines/tag/shelf", "bookmarks", "profiles/ada/posts"]
)
def test_a_timeline_page_costs_a_bounded_number_of_queries(world, bob, api_for, path, django_assert_max_num_queries):
    api = api_for(bob, "read")
    api.get(path)  # the token's first use writes last_used and last_seen
    with django_assert_max_num_queries(10):  # token, the timeline own lookups, two reads of 20 posts
        response = api.get(path, {"limit": 40})
    assert response.status_code == 200


def test_hashtags_can_be_followed_and_unfollowed(api_for, ada):
    api = api_for(ada)
    assert api.get("tags/Shelf").json() == {"name": "shelf", "url": "http://testserver/tags/shelf", "following": False}
    assert api.post("tags/shelf/follow").json()["following"] is True
    assert api.get("tags/shelf").json()["following"] is True
    assert api.post("tags/shelf/unfollow").json()["following"] is False
