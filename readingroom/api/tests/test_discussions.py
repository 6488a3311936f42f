"""Discussions through the API: the same actions, queries and permission checks as the pages.
A private or hidden group's topics are a 404 to outsiders on every operation; a reader who may
not do something (a non-member of a public group replying, a member pinning) gets a 403."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from readingroom.core.ratelimit import check_rate
from readingroom.discussions import actions
from readingroom.discussions.models import Reply, Topic, TopicKind, TopicRead, TopicWatch
from readingroom.groups.models import Role
from readingroom.groups.tests.helpers import add_member, make_group, png_upload
from readingroom.network import actions as network_actions
from readingroom.notifications.models import Notification
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _error(response) -> dict:
    return response.json()["error"]


def _fields(response) -> dict[str, str]:
    return {f["field"]: f["message"] for f in _error(response)["fields"]}


def _call(api, method: str, path: str, body=None):
    if method == "get":
        return api.get(path)
    if method == "delete":
        return api.delete(path)
    return getattr(api, method)(path, body)


def _start(group, author, title="How do we weed the stacks?", body="Opening words", **fields):
    return actions.start_topic(author=author, group=group, title=title, body=body, **fields)


def _answer(topic, author, body="An answer", **fields):
    return actions.reply(author=author, topic=topic, body=body, **fields)


@pytest.fixture
def club(ada):
    """A public group ada owns."""
    return make_group(ada, name="Weeding club", privacy="public")


def _topic_path(topic) -> str:
    return f"groups/{topic.group.slug}/topics/{topic.pk}"


def _every_operation(slug: str, topic_id: int) -> list[tuple[str, str, dict | None]]:
    t = f"groups/{slug}/topics/{topic_id}"
    return [
        ("get", f"groups/{slug}/topics", None),
        ("post", f"groups/{slug}/topics", {"title": "Let me in", "body": "Hello"}),
        ("get", t, None),
        ("patch", t, {"title": "Mine now"}),
        ("delete", t, None),
        ("post", f"{t}/moderation", {"pinned": True}),
        ("put", f"{t}/accepted", {"number": 2}),
        ("put", f"{t}/watch", {"level": "all"}),
        ("put", f"groups/{slug}/topics-watch", {"level": "all"}),
        ("post", f"{t}/read", {"number": 2}),
        ("get", f"{t}/replies", None),
        ("post", f"{t}/replies", {"body": "Hi"}),
        ("get", f"{t}/replies/2", None),
        ("patch", f"{t}/replies/2", {"body": "Changed"}),
        ("delete", f"{t}/replies/2", None),
        ("get", f"{t}/replies/2/history", None),
    ]


# --- Starting and reading a topic ------------------------------------------------------------------


def test_a_member_starts_a_topic_and_reads_it_back(api_for, ada, club):
    response = api_for(ada).post(
        f"groups/{club.slug}/topics",
        {
            "title": "  Weeding   fiction ",
            "body": "Which **rules** do you use?",
            "kind": "question",
            "tags": ["#Weeding", "CREW"],
        },
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    topic = Topic.objects.get(pk=data["id"])
    assert data["title"] == topic.title == "Weeding fiction"
    assert data["kind"] == "question" and data["tags"] == ["crew", "weeding"]
    assert data["author"]["handle"] == "ada" and data["group"] == club.slug
    assert data["url"] == f"http://testserver{reverse('discussions:topic', args=[club.slug, topic.pk])}"
    assert (data["replies_count"], data["last_number"], data["read_position"], data["unread"]) == (0, 1, 1, 0)
    assert data["watch_level"] == "all" and data["accepted_reply"] is None
    assert data["can_reply"] and data["can_accept"] and data["can_moderate"] and data["can_edit"]
    assert not (data["is_pinned"] or data["is_locked"] or data["is_archived"])
    assert api_for(ada).get(_topic_path(topic)).json() == data

    opening = api_for(None).get(f"{_topic_path(topic)}/replies").json()["items"]
    assert [(r["number"], r["body"], r["parent"]) for r in opening] == [(1, "Which **rules** do you use?", None)]
    assert "<strong>rules</strong>" in opening[0]["body_html"] and opening[0]["author"]["handle"] == "ada"


def test_a_visitor_reads_a_public_groups_topic_with_no_viewer_state(api_for, ada, club):
    topic = _start(club, ada)

    data = api_for(None).get(_topic_path(topic)).json()

    assert data["read_position"] is None and data["watch_level"] is None and data["unread"] is None
    assert not (data["can_reply"] or data["can_accept"] or data["can_moderate"] or data["can_edit"])


# --- The topic list ----------------------------------------------------------------------------------


def test_the_topic_list_pages_by_cursor_with_the_pinned_topics_first(api_for, ada, club):
    topics = [_start(club, ada, title=f"Topic number {n}") for n in range(32)]
    actions.set_flags(actor=ada, topic=topics[5], pinned=True)
    api = api_for(None)

    first = api.get(f"groups/{club.slug}/topics")
    body = first.json()
    assert [t["id"] for t in body["pinned"]] == [topics[5].pk] and body["pinned"][0]["is_pinned"]
    assert len(body["items"]) == 30 and body["next_after"]
    assert f'<{body["next_url"]}>; rel="next"' in first["Link"]
    second = api.get(body["next_url"].removeprefix("http://testserver")).json()
    assert second["pinned"] == [] and second["next_url"] is None and second["next_after"] is None
    seen = [t["id"] for t in body["items"] + second["items"]]
    assert seen == [t.pk for t in reversed(topics) if t != topics[5]]  # latest activity first, none twice


def test_the_top_order_lists_the_most_replied_first(api_for, ada, bob, club):
    add_member(club, bob)
    quiet, busy, middling = (_start(club, ada, title=f"Topic {n}") for n in range(3))
    for topic, replies in ((busy, 3), (middling, 1)):
        for _ in range(replies):
            _answer(topic, bob)

    items = api_for(None).get(f"groups/{club.slug}/topics", {"sort": "top"}).json()["items"]

    assert [(t["id"], t["replies_count"]) for t in items] == [(busy.pk, 3), (middling.pk, 1), (quiet.pk, 0)]


def test_the_list_filters_by_tag_archive_and_unanswered_and_searches(api_for, ada, bob, club):
    add_member(club, bob)
    _start(club, ada, title="Tagged one", tags=["crew"])
    _start(club, ada, title="Open question", kind=TopicKind.QUESTION)
    answered = _start(club, ada, title="Answered question", kind=TopicKind.QUESTION)
    actions.accept_answer(actor=ada, topic=answered, reply=_answer(answered, bob, "Use the CREW manual"))
    old = _start(club, ada, title="Old news")
    actions.set_flags(actor=ada, topic=old, archived=True)
    api = api_for(bob)

    def titles(**params):
        response = api.get(f"groups/{club.slug}/topics", params)
        assert response.status_code == 200, response.json()
        return [t["title"] for t in response.json()["items"]]

    assert titles() == ["Answered question", "Open question", "Tagged one"]
    assert titles(tag="#CREW") == ["Tagged one"]
    assert titles(unanswered="true") == ["Open question"]
    assert titles(archived="true") == ["Old news"]
    assert titles(q="crew manual") == ["Answered question"]  # words in a reply
    assert titles(q="news") == ["Old news"]  # search includes the archive
    accepted = api.get(f"groups/{club.slug}/topics").json()["items"][0]
    assert accepted["accepted_reply"] == 2 and accepted["kind"] == "question"


def test_pinned_topics_follow_the_lists_filters(api_for, ada, club):
    pinned = _start(club, ada, title="House rules", tags=["rules"])
    actions.set_flags(actor=ada, topic=pinned, pinned=True)
    api = api_for(None)

    assert [t["id"] for t in api.get(f"groups/{club.slug}/topics", {"tag": "rules"}).json()["pinned"]] == [pinned.pk]
    assert api.get(f"groups/{club.slug}/topics", {"tag": "other"}).json()["pinned"] == []
    assert api.get(f"groups/{club.slug}/topics", {"unanswered": "true"}).json()["pinned"] == []


def test_unread_counts_follow_the_members_read_position(api_for, ada, bob, club):
    add_member(club, bob)
    topic = _start(club, ada)
    for _ in range(3):
        _answer(topic, ada)
    api = api_for(bob)

    assert api.get(f"groups/{club.slug}/topics").json()["items"][0]["unread"] is None  # never opened
    assert api.post(f"{_topic_path(topic)}/read", {"number": 2}).status_code == 204
    assert api.get(f"groups/{club.slug}/topics").json()["items"][0]["unread"] == 2
    assert api.post(f"{_topic_path(topic)}/read", {"number": 1}).status_code == 204  # never moves back
    detail = api.get(_topic_path(topic)).json()
    assert (detail["read_position"], detail["unread"]) == (2, 2)
    assert api.post(f"{_topic_path(topic)}/read", {"number": 2**31 - 1}).status_code == 204  # past the end: the end
    assert TopicRead.objects.get(user=bob, topic=topic).last_read_number == 4
    assert api_for(ada).get(f"groups/{club.slug}/topics").json()["items"][0]["unread"] == 0


def test_the_topic_list_costs_the_same_queries_for_more_topics(api_for, ada, bob, club):
    add_member(club, bob)
    api = api_for(bob)

    def add_question(n: int) -> None:
        asker = add_member(club)
        question = _start(club, asker, title=f"Question {n}", tags=["a", "b"], kind=TopicKind.QUESTION)
        actions.accept_answer(actor=asker, topic=question, reply=_answer(question, bob))

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(f"groups/{club.slug}/topics").status_code == 200
        return len(queries)

    add_question(0)
    api.get(f"groups/{club.slug}/topics")  # the token's first use writes its last_used_at
    few = queries_for_list()
    for n in range(1, 6):
        add_question(n)
    assert queries_for_list() == few


# --- Replies -------------------------------------------------------------------------------------


def test_replies_page_by_from_in_fixed_runs_of_numbers(api_for, ada, club, settings):
    settings.RR_TOPIC_PAGE_SIZE = 3
    topic = _start(club, ada)
    for n in range(7):
        _answer(topic, ada, f"Reply {n + 2}")
    api = api_for(None)
    path = f"{_topic_path(topic)}/replies"

    first = api.get(path)
    body = first.json()
    assert [r["number"] for r in body["items"]] == [1, 2, 3]
    assert (body["start"], body["previous_from"], body["next_from"]) == (1, None, 4)
    assert body["previous_url"] is None and f'<{body["next_url"]}>; rel="next"' in first["Link"]
    middle = api.get(body["next_url"].removeprefix("http://testserver"))
    assert [r["number"] for r in middle.json()["items"]] == [4, 5, 6]
    assert 'rel="prev"' in middle["Link"] and middle.json()["previous_from"] == 1
    assert [r["number"] for r in api.get(path, {"from": 5}).json()["items"]] == [4, 5, 6]  # the page that holds 5
    last = api.get(path, {"from": 2**31 - 1}).json()  # past the end: the last page
    assert [r["number"] for r in last["items"]] == [7, 8] and last["next_from"] is None and last["next_url"] is None


def test_a_member_replies_to_a_reply_and_its_author_is_told(
    api_for, ada, bob, club, django_capture_on_commit_callbacks
):
    add_member(club, bob)
    topic = _start(club, ada)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(bob).post(f"{_topic_path(topic)}/replies", {"body": "Start with _CREW_", "parent": 1})

    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["number"], data["parent"], data["author"]["handle"]) == (2, 1, "bob")
    assert data["body"] == "Start with _CREW_" and "<em>CREW</em>" in data["body_html"]
    assert data["url"] == f"http://testserver{reverse('discussions:reply_link', args=[club.slug, topic.pk, 2])}"
    assert not data["deleted"] and not data["hidden"] and data["attachments"] == [] and data["edited_at"] is None
    assert Notification.objects.filter(recipient=ada, kind="topic_reply").exists()
    assert TopicWatch.objects.filter(user=bob, topic=topic, level="all").exists()
    detail = api_for(ada).get(_topic_path(topic)).json()
    assert detail["replies_count"] == 1 and detail["last_number"] == 2
    assert api_for(ada).get(f"{_topic_path(topic)}/replies/2").json() == data


def test_a_reply_answering_a_reply_that_is_not_there_is_a_404(api_for, ada, club):
    topic = _start(club, ada)
    response = api_for(ada).post(f"{_topic_path(topic)}/replies", {"body": "Hello", "parent": 7})
    assert response.status_code == 404 and _error(response)["code"] == "not_found"
    assert not Reply.objects.filter(number=2).exists()


def test_the_author_edits_a_reply_and_its_history_keeps_the_earlier_version(api_for, ada, bob, club):
    add_member(club, bob)
    topic = _start(club, ada)
    _answer(topic, bob, "First thoughts")
    api = api_for(bob)

    edited = api.patch(f"{_topic_path(topic)}/replies/2", {"body": "Second thoughts"})

    assert edited.status_code == 200, edited.json()
    assert edited.json()["body"] == "Second thoughts" and edited.json()["edited_at"] is not None
    history = api_for(None).get(f"{_topic_path(topic)}/replies/2/history").json()
    assert history["reply"]["body"] == "Second thoughts"
    assert [(e["body"], e["title"]) for e in history["edits"]] == [("First thoughts", "")]


def test_editing_the_topic_changes_the_opening_post_title_and_tags(api_for, ada, club):
    topic = _start(club, ada, tags=["old"])
    api = api_for(ada)

    response = api.patch(_topic_path(topic), {"title": "A better title", "tags": ["new", "crew"]})

    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "A better title" and response.json()["tags"] == ["crew", "new"]
    assert api.get(f"{_topic_path(topic)}/replies/1").json()["body"] == "Opening words"  # not sent: unchanged
    body = api.patch(_topic_path(topic), {"body": "New opening words"}).json()
    assert body["title"] == "A better title" and body["tags"] == ["crew", "new"]
    history = api.get(f"{_topic_path(topic)}/replies/1/history").json()
    assert [(e["body"], e["title"]) for e in history["edits"]] == [
        ("Opening words", "A better title"),
        ("Opening words", "How do we weed the stacks?"),
    ]


def test_a_deleted_reply_keeps_its_place_without_its_words(api_for, ada, bob, club):
    add_member(club, bob)
    topic = _start(club, ada)
    _answer(topic, bob, "Regrettable words")
    _answer(topic, ada, "Later")

    assert api_for(bob).delete(f"{_topic_path(topic)}/replies/2").status_code == 204

    items = api_for(ada).get(f"{_topic_path(topic)}/replies").json()["items"]
    assert [(r["number"], r["deleted"], r["body"], r["body_html"]) for r in items[1:]] == [
        (2, True, None, None),
        (3, False, "Later", "<p>Later</p>\n"),
    ]
    assert api_for(ada).get(_topic_path(topic)).json()["replies_count"] == 1
    again = api_for(bob).delete(f"{_topic_path(topic)}/replies/2")
    assert again.status_code == 403 and _error(again)["code"] == "forbidden"


def test_deleting_the_topic_or_its_opening_post_makes_it_a_404(api_for, ada, club):
    first, second = _start(club, ada, title="First topic"), _start(club, ada, title="Second topic")
    api = api_for(ada)

    assert api.delete(_topic_path(first)).status_code == 204
    assert api.delete(f"{_topic_path(second)}/replies/1").status_code == 204

    for topic in (first, second):
        response = api.get(_topic_path(topic))
        assert response.status_code == 404 and _error(response)["code"] == "not_found"
        assert api.get(f"{_topic_path(topic)}/replies").status_code == 404
    assert api.get(f"groups/{club.slug}/topics").json()["items"] == []


def test_a_blocked_members_reply_is_hidden_in_place(api_for, ada, bob, club):
    add_member(club, bob)
    topic = _start(club, ada)
    actions.reply(author=bob, topic=topic, body="Look at this", attachments=[(png_upload(), "A shelf")])
    network_actions.block(blocker=ada, blocked=bob)

    shown = api_for(None).get(f"{_topic_path(topic)}/replies/2").json()
    hidden = api_for(ada).get(f"{_topic_path(topic)}/replies/2").json()
    listed = api_for(ada).get(f"{_topic_path(topic)}/replies").json()["items"][1]

    [attachment] = shown["attachments"]
    assert attachment["alt_text"] == "A shelf" and attachment["content_type"].startswith("image/")
    assert attachment["size"] > 0 and attachment["name"] == "banner.jpg"  # re-encoded as a JPEG
    file = Reply.objects.get(number=2).attachments.get()
    path = reverse("discussions:attachment", args=[club.slug, topic.pk, file.pk, file.original_name])
    assert attachment["url"] == f"http://testserver{path}"
    for reply in (hidden, listed):
        assert reply["hidden"] and reply["number"] == 2
        assert reply["author"] is None and reply["body"] is None and reply["attachments"] == []
    assert api_for(ada).get(f"{_topic_path(topic)}/replies/2/history").json()["edits"] == []


# --- Moderation, answers, watching ------------------------------------------------------------------


def test_the_asker_accepts_an_answer_and_its_author_is_told(
    api_for, ada, bob, club, django_capture_on_commit_callbacks
):
    asker, other = add_member(club, UserFactory()), add_member(club, bob)
    topic = _start(club, asker, kind=TopicKind.QUESTION)
    _answer(topic, other, "Use CREW")
    path = f"{_topic_path(topic)}/accepted"

    refused = api_for(other).put(path, {"number": 2})
    assert refused.status_code == 403 and _error(refused)["code"] == "forbidden"
    with django_capture_on_commit_callbacks(execute=True):
        accepted = api_for(asker).put(path, {"number": 2})

    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["accepted_reply"] == 2
    assert Notification.objects.filter(recipient=bob, kind="answer_accepted").exists()
    opening = api_for(asker).put(path, {"number": 1})
    assert opening.status_code == 422 and _fields(opening) == {"number": "Choose a reply in this topic as the answer."}
    assert api_for(asker).put(path, {"number": 99}).status_code == 404
    assert api_for(ada).put(path, {"number": None}).json()["accepted_reply"] is None  # a moderator clears it
    assert api_for(asker).put(path, {}).status_code == 422  # number is required (null clears)


def test_a_discussion_has_no_accepted_answer(api_for, ada, club):
    topic = _start(club, ada)
    _answer(topic, ada)
    response = api_for(ada).put(f"{_topic_path(topic)}/accepted", {"number": 2})
    assert response.status_code == 403 and "accept an answer" in _error(response)["message"]


def test_moderators_pin_lock_and_archive_and_members_may_not(api_for, ada, bob, club):
    add_member(club, bob)
    moderator = add_member(club, role=Role.MODERATOR)
    topic = _start(club, bob)
    path = f"{_topic_path(topic)}/moderation"

    refused = api_for(bob).post(path, {"pinned": True})
    assert refused.status_code == 403 and "moderators" in _error(refused)["message"]
    locked = api_for(moderator).post(path, {"locked": True, "pinned": True})
    assert locked.status_code == 200, locked.json()
    assert locked.json()["is_locked"] and locked.json()["is_pinned"] and not locked.json()["is_archived"]

    closed = api_for(bob).post(f"{_topic_path(topic)}/replies", {"body": "One more thing"})
    assert closed.status_code == 403 and _error(closed)["message"] == "This topic is closed to new replies."
    assert api_for(bob).get(_topic_path(topic)).json()["can_reply"] is False
    assert api_for(moderator).post(f"{_topic_path(topic)}/replies", {"body": "Closing note"}).status_code == 201

    archived = api_for(ada).post(path, {"archived": True, "locked": False}).json()
    assert archived["is_archived"] and not archived["is_locked"]
    assert api_for(bob).patch(_topic_path(topic), {"title": "Reopened?"}).status_code == 403  # read-only now
    lists = api_for(bob).get(f"groups/{club.slug}/topics").json()
    assert lists["items"] == [] and lists["pinned"] == []
    assert [t["id"] for t in api_for(bob).get(f"groups/{club.slug}/topics", {"archived": True}).json()["items"]] == [
        topic.pk
    ]
    assert api_for(ada).post(path, {"pinned": "yes"}).status_code == 422


def test_a_member_sets_watch_levels_for_a_topic_and_the_group(api_for, ada, bob, club):
    add_member(club, bob)
    first, second = _start(club, ada, title="First topic"), _start(club, ada, title="Second topic")
    api = api_for(bob)

    assert api.get(_topic_path(first)).json()["watch_level"] == "mentions"  # the default
    watched = api.put(f"{_topic_path(first)}/watch", {"level": "muted"})
    assert watched.status_code == 200 and watched.json() == {"level": "muted"}
    group_wide = api.put(f"groups/{club.slug}/topics-watch", {"level": "all"})
    assert group_wide.status_code == 200 and group_wide.json() == {"level": "all"}
    assert api.get(_topic_path(first)).json()["watch_level"] == "muted"  # the topic's own level wins
    assert api.get(_topic_path(second)).json()["watch_level"] == "all"
    bad = api.put(f"{_topic_path(first)}/watch", {"level": "loud"})
    assert bad.status_code == 422 and "level" in _fields(bad)


# --- Who may do what ------------------------------------------------------------------------------


@pytest.mark.parametrize("privacy", ["private", "hidden"])
def test_outsiders_get_a_404_on_every_topic_and_reply_operation(api_for, ada, bob, privacy):
    group = make_group(ada, name="Cohort", privacy=privacy)
    topic = _start(group, ada, kind=TopicKind.QUESTION)
    _answer(topic, ada, "Members only words")
    staff = UserFactory(is_staff=True)

    for who in (None, bob, staff):
        for method, path, body in _every_operation(group.slug, topic.pk):
            response = _call(api_for(who), method, path, body)
            expected = 401 if who is None and method != "get" else 404
            assert response.status_code == expected, (who, method, path, response.json())
            assert "Members only words" not in response.content.decode()
    assert Topic.objects.get().title == "How do we weed the stacks?" and Topic.objects.get().deleted_at is None
    assert Reply.objects.filter(deleted_at__isnull=True).count() == 2 and not TopicWatch.objects.exclude(user=ada)
    assert _call(api_for(ada), "get", f"{_topic_path(topic)}/replies/2").status_code == 200


def test_a_non_member_of_a_public_group_reads_but_may_not_write(api_for, ada, bob, club):
    topic = _start(club, ada, kind=TopicKind.QUESTION)
    _answer(topic, ada)
    api = api_for(bob)

    reads = [(m, p) for m, p, _ in _every_operation(club.slug, topic.pk) if m == "get"]
    assert all(api.get(path).status_code == 200 for _, path in reads)
    assert all(api_for(None).get(path).status_code == 200 for _, path in reads)
    started = api.post(f"groups/{club.slug}/topics", {"title": "Me too", "body": "Hello"})
    assert started.status_code == 403 and _error(started) == {
        "code": "forbidden",
        "message": "Join Weeding club to start a topic in it.",
    }
    replied = api.post(f"{_topic_path(topic)}/replies", {"body": "Hello"})
    assert replied.status_code == 403 and _error(replied)["message"] == "Join Weeding club to reply."
    for method, path, body in [
        ("patch", _topic_path(topic), {"title": "Mine now"}),
        ("delete", _topic_path(topic), None),
        ("post", f"{_topic_path(topic)}/moderation", {"pinned": True}),
        ("put", f"{_topic_path(topic)}/accepted", {"number": 2}),
        ("put", f"groups/{club.slug}/topics-watch", {"level": "all"}),
        ("patch", f"{_topic_path(topic)}/replies/2", {"body": "Changed"}),
        ("delete", f"{_topic_path(topic)}/replies/2", None),
    ]:
        response = _call(api, method, path, body)
        assert response.status_code == 403 and _error(response)["code"] == "forbidden", (method, path)
    assert Topic.objects.count() == 1 and Reply.objects.filter(deleted_at__isnull=True).count() == 2
    assert api_for(None).post(f"{_topic_path(topic)}/replies", {"body": "Hello"}).status_code == 401


def test_a_member_who_is_neither_author_nor_moderator_cannot_edit_or_delete(api_for, ada, bob, club):
    add_member(club, bob)
    moderator = add_member(club, role=Role.MODERATOR)
    topic = _start(club, ada)
    _answer(topic, ada, "Ada's reply")

    for method, path, body in [
        ("patch", _topic_path(topic), {"title": "Bob's now"}),
        ("delete", _topic_path(topic), None),
        ("patch", f"{_topic_path(topic)}/replies/2", {"body": "Bob's words"}),
        ("delete", f"{_topic_path(topic)}/replies/2", None),
    ]:
        response = _call(api_for(bob), method, path, body)
        assert response.status_code == 403 and _error(response)["code"] == "forbidden", (method, path)
    assert api_for(bob).get(_topic_path(topic)).json()["can_edit"] is False
    assert Reply.objects.get(number=2).body == "Ada's reply" and Topic.objects.get().title == topic.title

    assert api_for(moderator).patch(f"{_topic_path(topic)}/replies/2", {"body": "Tidied"}).status_code == 200
    assert api_for(moderator).delete(f"{_topic_path(topic)}/replies/2").status_code == 204


def test_a_read_token_cannot_write(api_for, ada, club):
    topic = _start(club, ada)
    _answer(topic, ada)
    api = api_for(ada, "read")

    for method, path, body in _every_operation(club.slug, topic.pk):
        response = _call(api, method, path, body)
        if method == "get":
            assert response.status_code == 200, (method, path, response.json())
        else:
            assert response.status_code == 403 and _error(response)["code"] == "insufficient_scope", (method, path)
    assert Topic.objects.count() == 1 and Reply.objects.count() == 2 and not Topic.objects.get().is_pinned
    assert Reply.objects.get(number=2).body == "An answer" and not TopicWatch.objects.exclude(level="all")


def test_topics_and_replies_share_the_pages_rate_limit(api_for, ada, club, settings):
    settings.RR_RATE_LIMITS_ENABLED = True
    cache.clear()
    topic = _start(club, ada)
    for _ in range(30):  # what thirty replies through the pages count
        check_rate("discussion", ada.pk, limit=30, period=300)

    replied = api_for(ada).post(f"{_topic_path(topic)}/replies", {"body": "One too many"})
    started = api_for(ada).post(f"groups/{club.slug}/topics", {"title": "One too many", "body": "Hello"})

    for response in (replied, started):
        assert response.status_code == 429 and _error(response)["code"] == "rate_limited"
        assert int(response["Retry-After"]) > 0
    assert Topic.objects.count() == 1 and Reply.objects.count() == 1


# --- Bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"title": "Ab", "body": "Hello"}, "title", "Give the topic a title of at least 3 characters."),
        ({"title": "T" * 151, "body": "Hello"}, "title", "at most 150 characters"),
        ({"body": "Hello"}, "title", "Field required"),
        ({"title": "A title", "body": "   "}, "body", "Write something before posting."),
        ({"title": "A title", "body": "x" * 20_001}, "body", "at most 20000 characters"),
        ({"title": "A title", "body": 5}, "body", "Input should be a valid string"),
        ({"title": "A title", "body": "Hi", "kind": "poll"}, "kind", "'discussion' or 'question'"),
        ({"title": "A title", "body": "Hi", "tags": ["no good!"]}, "tags", "is not a tag"),
        ({"title": "A title", "body": "Hi", "tags": [f"t{n}" for n in range(6)]}, "tags", "at most 5 items"),
        ({"title": "A title", "body": "Hi", "tags": ["t" * 41]}, "tags.0", "at most 40 characters"),
    ],
)
def test_an_invalid_topic_is_a_422_naming_the_field(api_for, ada, club, payload, field, message):
    response = api_for(ada).post(f"groups/{club.slug}/topics", payload)
    assert response.status_code == 422
    assert _error(response)["code"] == "validation_failed"
    assert message in _fields(response).get(field, ""), _error(response)
    assert not Topic.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"body": ""}, "body"),
        ({}, "body"),
        ({"body": "   "}, "body"),
        ({"body": "Hi", "parent": 0}, "parent"),
        ({"body": "Hi", "parent": "1"}, "parent"),
        ({"body": "Hi", "parent": 2**31}, "parent"),
    ],
)
def test_an_invalid_reply_is_a_422_naming_the_field(api_for, ada, club, payload, field):
    topic = _start(club, ada)
    response = api_for(ada).post(f"{_topic_path(topic)}/replies", payload)
    assert response.status_code == 422 and field in _fields(response), _error(response)
    assert Reply.objects.count() == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "random"}, "sort"),
        ({"tag": "no good!"}, "tag"),
        ({"tag": "t" * 41}, "tag"),
        ({"after": "not-a-cursor"}, "after"),
        ({"after": "5.0"}, "after"),  # ids start at 1
        ({"after": "999999999999999999.1"}, "after"),  # no such moment: a 422, not a server error
        ({"after": "1." + "9" * 39}, "after"),
        ({"archived": "perhaps"}, "archived"),
    ],
)
def test_a_bad_topic_list_query_is_a_422_naming_the_parameter(api_for, ada, club, params, field):
    response = api_for(None).get(f"groups/{club.slug}/topics", params)
    assert response.status_code == 422, response.json()
    fields = _error(response)["fields"]
    assert {f["location"] for f in fields} == {"query"}
    assert any(f["field"] == field or f["field"].startswith(f"query.{field}") for f in fields), fields


def test_a_cursor_of_the_top_order_beyond_any_count_reads_from_the_top(api_for, ada, club):
    topic = _start(club, ada)
    response = api_for(None).get(f"groups/{club.slug}/topics", {"sort": "top", "after": "999999999999999999.1"})
    assert response.status_code == 200 and [t["id"] for t in response.json()["items"]] == [topic.pk]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("{t}/replies?from=0", 422),
        ("{t}/replies?from=2147483648", 422),
        ("{t}/replies?from=many", 422),
        ("{t}/replies/0", 422),
        ("{t}/replies/2147483648", 422),
        ("{t}/replies/2147483647", 404),
        ("{t}/replies/-1/history", 422),
        ("groups/{slug}/topics/0", 422),
        ("groups/{slug}/topics/9223372036854775807", 404),
        ("groups/{slug}/topics/9223372036854775808", 422),
        ("groups/{slug}/topics/99999999999999999999999/replies", 422),
        ("groups/no-such-group/topics", 404),
        ("groups/" + "s" * 61 + "/topics", 422),
    ],
)
def test_junk_in_paths_and_queries_is_a_4xx_never_a_server_error(api_for, ada, club, path, status):
    topic = _start(club, ada)
    response = api_for(ada).get(path.format(t=_topic_path(topic), slug=club.slug))
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == {404: "not_found", 422: "validation_failed"}[status]


def test_a_topic_of_another_group_is_a_404_under_this_one(api_for, ada, club):
    other = make_group(ada, name="Another club")
    topic = _start(other, ada)
    assert api_for(ada).get(f"groups/{club.slug}/topics/{topic.pk}").status_code == 404
