"""Notifications and search through the API, over the notifications and search apps' own reads."""

import pytest

from readingroom.core.models import Visibility
from readingroom.network import actions as network_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def liked_post(ada, bob, publish, api_for, django_capture_on_commit_callbacks):
    post = publish(ada, "A post worth liking")
    with django_capture_on_commit_callbacks(execute=True):
        assert api_for(bob).post(f"posts/{post.pk}/like").status_code == 200
    return post


def test_a_like_through_the_api_notifies_the_author_who_reads_it_through_the_api(liked_post, ada, api_for):
    api = api_for(ada)
    assert api.get("notifications/unread-count").json() == {"count": 1, "label": "1"}

    page = api.get("notifications").json()

    [notification] = page["items"]
    assert notification["kind"] == "like" and notification["unread"] is True
    assert notification["actors"][0]["handle"] == "bob" and notification["actor_count"] == 1
    assert "liked" in notification["text"] and notification["url"].startswith("http://testserver/posts/")
    assert api.post(f"notifications/{notification['id']}/read").status_code == 204
    assert api.get("notifications/unread-count").json()["count"] == 0
    assert api.get("notifications").json()["items"][0]["unread"] is False


def test_marking_all_read_and_one_kind_only(liked_post, ada, bob, api_for, publish, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(bob, "A reply", reply_to=liked_post)
    api = api_for(ada)
    assert api.get("notifications/unread-count").json()["count"] == 2
    assert api.post("notifications/read-all", {"kind": "like"}).json() == {"marked": 1}
    assert api.get("notifications", {"kind": "reply"}).json()["items"][0]["unread"] is True
    assert api.post("notifications/read-all", {}).json() == {"marked": 1}


def test_notifications_are_the_members_own(liked_post, bob, ada, api_for):
    notification_id = api_for(ada).get("notifications").json()["items"][0]["id"]
    assert api_for(bob).get("notifications").json()["items"] == []
    assert api_for(bob).post(f"notifications/{notification_id}/read").status_code == 404
    assert api_for(None).get("notifications").status_code == 401
    assert api_for(ada, "read").post(f"notifications/{notification_id}/read").status_code == 403


def test_an_unknown_kind_is_refused(ada, api_for):
    response = api_for(ada).get("notifications", {"kind": "gossip"})
    assert response.status_code == 422 and response.json()["error"]["fields"][0]["field"] == "kind"


def test_search_finds_posts_people_and_hashtags_as_the_page_does(ada, bob, publish, api_for):
    publish(ada, "Notes on #metadata and cataloguing")
    publish(ada, "Private cataloguing notes", visibility=Visibility.FOLLOWERS)
    response = api_for(bob).get("search", {"q": "cataloguing"})

    assert response.status_code == 200
    data = response.json()
    assert [p["body"] for p in data["posts"]["items"]] == ["Notes on #metadata and cataloguing"]
    assert api_for(bob).get("search", {"q": "Ada", "type": "people"}).json()["people"]["items"][0]["handle"] == "ada"
    hashtags = api_for(None).get("search", {"q": "#meta", "type": "hashtags"}).json()["hashtags"]
    assert [(h["name"], h["posts"]) for h in hashtags] == [("metadata", 1)]


def test_visitors_find_no_people(ada, api_for):
    assert api_for(None).get("search", {"q": "Ada"}).json()["people"] is None


def test_search_respects_blocks(ada, bob, publish, api_for):
    publish(ada, "Cataloguing thoughts")
    network_actions.block(blocker=ada, blocked=bob)
    data = api_for(bob).get("search", {"q": "cataloguing"}).json()
    assert data["posts"]["items"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "x" * 201}, "q"),
        ({"q": " ".join(f"w{n}" for n in range(13))}, "q"),
        ({"q": "a", "type": "everything"}, "type"),
        ({"q": "a", "utc_from": "5", "utc_to": "-5", "type": "people"}, "utc_to"),
    ],
)
def test_an_invalid_search_is_a_422(ada, api_for, params, field):
    response = api_for(ada).get("search", params)
    assert response.status_code == 422
    assert field in {f["field"] for f in response.json()["error"]["fields"]}


def test_search_pages_through_posts(ada, publish, api_for, settings):
    settings.RR_PAGE_SIZE = 3
    for n in range(5):
        publish(ada, f"Shelving note {n}")
    api = api_for(None)
    first = api.get("search", {"q": "shelving", "type": "posts"})
    assert len(first.json()["posts"]["items"]) == 3
    next_url = first.json()["posts"]["next_url"]
    assert first["Link"] == f'<{next_url}>; rel="next"'
    second = api.get(next_url.removeprefix("http://testserver")).json()
    assert len(second["posts"]["items"]) == 2 and second["posts"]["next_url"] is None
