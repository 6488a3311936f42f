"""Direct messages through the API: the same actions, queries and permission checks as the pages.
A conversation is a 404 to all but its active participants; sending after a one-to-one
conversation ended is a 403; refused recipients are a 422 with the action's message."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from readingroom.core.pagination import MAX_ID
from readingroom.core.ratelimit import check_rate
from readingroom.messaging import actions
from readingroom.messaging.models import Conversation, Message, MessagePreference, Participant
from readingroom.notifications.models import Notification
from readingroom.testing.factories import BlockFactory, FollowFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def carol(db):
    return UserFactory(profile__handle="carol", profile__display_name="Carol Codex")


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    """start(sender, *recipients, body=…, title=…) → a conversation made by the action the pages use."""

    def make(sender, *recipients, body="Hello there", **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return actions.start_conversation(sender=sender, recipients=list(recipients), body=body, **kwargs)

    return make


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def make(sender, conversation, body="And another thing", **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return actions.send_message(sender=sender, conversation=conversation, body=body, **kwargs)

    return make


def _error(response) -> dict:
    return response.json()["error"]


def _fields(response) -> dict[str, str]:
    return {f["field"]: f["message"] for f in _error(response)["fields"]}


def _relative(url: str) -> str:
    return url.removeprefix("http://testserver")


# --- The inbox -----------------------------------------------------------------------------------


def test_the_inbox_lists_conversations_latest_first_with_people_last_message_and_unread(
    api_for, ada, bob, carol, start, send
):
    pair = start(bob, ada, body="Hi **Ada**, about the catalogue")
    group = start(carol, ada, bob, body="Reading group tonight?", title="Cohort")
    send(bob, group, body="Count me in")

    response = api_for(ada).get("conversations")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["next_url"] is None and body["next_after"] is None
    first, second = body["items"]
    assert (first["id"], second["id"]) == (group.pk, pair.pk)
    assert first["title"] == "Cohort" and first["is_group"] is True and first["unread_count"] == 2
    assert sorted(p["handle"] for p in first["participants"]) == ["bob", "carol"]
    assert first["last_message"]["sender_handle"] == "bob" and first["last_message"]["excerpt"] == "Count me in"
    assert first["url"] == f"http://testserver{reverse('messaging:conversation', args=[group.pk])}"
    assert second["is_group"] is False and second["title"] == "" and second["muted"] is False
    assert [p["display_name"] for p in second["participants"]] == ["Bob Binder"]
    assert second["last_message"]["excerpt"] == "Hi **Ada**, about the catalogue"


def test_the_inbox_excerpt_is_140_characters_and_null_once_deleted(api_for, ada, bob, start):
    start(bob, ada, body="word " * 100)
    item = api_for(ada).get("conversations").json()["items"][0]
    assert len(item["last_message"]["excerpt"]) == 140 and item["last_message"]["excerpt"].endswith("…")

    actions.delete_message(actor=bob, message=Message.objects.get())
    item = api_for(ada).get("conversations").json()["items"][0]
    assert item["last_message"]["excerpt"] is None and item["unread_count"] == 0


def test_the_inbox_pages_by_cursor_and_filters_unread(api_for, ada, bob, carol, start):
    made = [start(ada, bob, carol, body=f"Group {n}") for n in range(31)]
    unread = start(bob, ada, body="Unread by Ada")
    api = api_for(ada)

    first = api.get("conversations")
    body = first.json()
    assert len(body["items"]) == 30 and body["next_after"]
    assert f'<{body["next_url"]}>; rel="next"' in first["Link"]
    second = api.get(_relative(body["next_url"])).json()
    assert second["next_url"] is None
    ids = [c["id"] for c in body["items"] + second["items"]]
    assert ids == [unread.pk, *[c.pk for c in reversed(made)]]

    only_unread = api.get("conversations", {"unread": "true"}).json()
    assert [c["id"] for c in only_unread["items"]] == [unread.pk]


def test_the_inbox_reads_a_fixed_number_of_queries_however_many_conversations(api_for, ada, bob, carol, start):
    api = api_for(ada)
    start(ada, bob, carol, body="One")
    api.get("conversations")  # the token's first use is noted once

    def queries_for_inbox() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get("conversations").status_code == 200
        return len(captured)

    few = queries_for_inbox()
    for n in range(5):
        start(ada, bob, carol, UserFactory(), body=f"More {n}")
    assert queries_for_inbox() == few


@pytest.mark.parametrize(
    "params",
    [{"after": "not-a-cursor"}, {"after": "5.0"}, {"after": "999999999999999999.1"}, {"unread": "perhaps"}],
)
def test_a_bad_inbox_query_is_a_422(api_for, ada, params):
    response = api_for(ada).get("conversations", params)
    assert response.status_code == 422 and _error(response)["code"] == "validation_failed"
    assert {f["location"] for f in _error(response)["fields"]} == {"query"}


def test_the_unread_total_counts_every_conversation_and_is_not_taken_for_an_id(api_for, ada, bob, carol, start, send):
    pair = start(bob, ada)
    start(carol, ada, bob, body="Group")
    send(bob, pair)
    response = api_for(ada).get("conversations/unread")
    assert response.status_code == 200 and response.json() == {"unread_total": 3}
    assert api_for(bob).get("conversations/unread").json() == {"unread_total": 1}


# --- Starting a conversation ---------------------------------------------------------------------


def test_starting_a_conversation_makes_it_and_sending_again_reuses_the_pair(
    api_for, ada, bob, django_capture_on_commit_callbacks
):
    api = api_for(ada)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("conversations", {"recipients": ["@Bob"], "body": "Hello *Bob*"})

    assert response.status_code == 201, response.json()
    data = response.json()
    conversation = Conversation.objects.get()
    assert data["id"] == conversation.pk and data["is_group"] is False
    assert [p["handle"] for p in data["participants"]] == ["ada", "bob"]
    assert data["can_send"] is True and data["unread_count"] == 0
    assert data["last_read_message_id"] == data["last_message_id"] == Message.objects.get().pk
    assert Notification.objects.filter(recipient=bob, kind="message").exists()

    again = api.post("conversations", {"recipients": ["bob"], "body": "Me again", "title": "Ignored"})
    assert again.status_code == 201 and again.json()["id"] == conversation.pk and again.json()["title"] == ""
    assert Participant.objects.get(conversation=conversation, user=bob).unread_count == 2


def test_starting_a_small_group_names_it(api_for, ada, bob, carol):
    response = api_for(ada).post(
        "conversations", {"recipients": ["bob", "carol", "bob"], "body": "All of us", "title": "  Book   club "}
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["is_group"] is True and data["title"] == "Book club"
    assert [p["handle"] for p in data["participants"]] == ["ada", "bob", "carol"]


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"recipients": ["nobody_here", "bob"], "body": "Hi"}, "recipients", "No member has the handle @nobody_here."),
        ({"recipients": ["bob, carol"], "body": "Hi"}, "recipients.0", "String should match pattern"),
        ({"recipients": [], "body": "Hi"}, "recipients", "at least 1 item"),
        ({"recipients": [f"m{n}" for n in range(20)], "body": "Hi"}, "recipients", "at most 19 items"),
        ({"recipients": ["b" * 31], "body": "Hi"}, "recipients.0", "String should match pattern"),
        ({"recipients": ["@" + "b" * 31], "body": "Hi"}, "recipients.0", "at most 31 characters"),
        ({"recipients": ["bob"], "body": ""}, "body", "at least 1 character"),
        ({"recipients": ["bob"], "body": "   "}, "body", "Write a message before sending."),
        ({"recipients": ["bob"], "body": "x" * 5001}, "body", "at most 5000 characters"),
        ({"recipients": ["bob", "carol"], "body": "Hi", "title": "t" * 81}, "title", "at most 80 characters"),
        ({"recipients": ["ada"], "body": "Hi"}, "recipients", "Choose who to message."),
        ({"recipients": ["bob"]}, "body", "Field required"),
        ({"recipients": "bob", "body": "Hi"}, "recipients", "valid list"),
        ({"recipients": ["bob"], "body": "Hi\x00"}, "body", "NUL"),
    ],
)
def test_an_invalid_conversation_is_a_422_naming_the_field(api_for, ada, bob, carol, payload, field, message):
    response = api_for(ada).post("conversations", payload)
    assert response.status_code == 422, response.json()
    assert _error(response)["code"] == "validation_failed"
    assert message in _fields(response).get(field, ""), _error(response)
    assert not Conversation.objects.exists()


def test_recipients_who_refuse_messages_are_a_422_with_the_actions_message(api_for, ada, bob, carol):
    actions.set_preference(user=bob, who_may_message="nobody")
    actions.set_preference(user=carol, who_may_message="following")
    api = api_for(ada)

    response = api.post("conversations", {"recipients": ["bob", "carol"], "body": "Hi"})
    assert response.status_code == 422
    assert _fields(response) == {"recipients": "You can’t message @bob, @carol: they don’t accept messages from you."}

    FollowFactory(follower=carol, followee=ada)  # carol follows ada: now ada may message her
    assert api.post("conversations", {"recipients": ["carol"], "body": "Hi"}).status_code == 201
    assert Conversation.objects.count() == 1


@pytest.mark.parametrize("direction", ["ada blocks bob", "bob blocks ada"])
def test_a_block_either_way_refuses_the_recipient(api_for, ada, bob, direction):
    blocker, blocked = (ada, bob) if direction == "ada blocks bob" else (bob, ada)
    BlockFactory(blocker=blocker, blocked=blocked)
    response = api_for(ada).post("conversations", {"recipients": ["bob"], "body": "Hi"})
    assert response.status_code == 422 and "You can’t message @bob" in _fields(response)["recipients"]
    assert not Conversation.objects.exists()


def test_a_suspended_member_is_nobody_to_message_as_on_the_page(api_for, ada, bob):
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    response = api_for(ada).post("conversations", {"recipients": ["bob"], "body": "Hi"})
    assert response.status_code == 422
    assert _fields(response) == {"recipients": "No member has the handle @bob. Check the spelling."}


def test_starting_and_sending_share_the_pages_message_limit(api_for, ada, bob, start, settings):
    conversation = start(ada, bob)
    settings.RR_RATE_LIMITS_ENABLED = True
    cache.clear()
    for _ in range(60):  # what sixty messages sent through the pages count
        check_rate("message", ada.pk, limit=60, period=300)
    api = api_for(ada)
    for path, payload in (
        ("conversations", {"recipients": ["bob"], "body": "One too many"}),
        (f"conversations/{conversation.pk}/messages", {"body": "One too many"}),
    ):
        response = api.post(path, payload)
        assert response.status_code == 429 and _error(response)["code"] == "rate_limited"
        assert response["Retry-After"]
    assert Message.objects.count() == 1


# --- A conversation and its messages -------------------------------------------------------------


def test_a_conversation_shows_its_people_and_your_read_state(api_for, ada, bob, start, send):
    conversation = start(ada, bob, body="First")
    second = send(ada, conversation, body="Second")

    data = api_for(bob).get(f"conversations/{conversation.pk}").json()

    assert data["id"] == conversation.pk and data["can_send"] is True and data["muted"] is False
    assert data["unread_count"] == 2 and data["last_read_message_id"] == 0
    assert data["last_message_id"] == second.pk
    assert [p["handle"] for p in data["participants"]] == ["ada", "bob"]


def test_messages_are_read_oldest_first_with_markdown_and_html(api_for, ada, bob, start, send):
    conversation = start(ada, bob, body="Hello **Bob**")
    send(bob, conversation, body="Hi *Ada*")

    response = api_for(bob).get(f"conversations/{conversation.pk}/messages")

    assert response.status_code == 200
    body = response.json()
    first, second = body["items"]
    assert (first["sender_handle"], first["body"]) == ("ada", "Hello **Bob**")
    assert "<strong>Bob</strong>" in first["body_html"] and "<em>Ada</em>" in second["body_html"]
    assert first["deleted"] is False and first["hidden"] is False and first["attachments"] == []
    assert body["next_url"] is None and body["next_before"] is None
    assert body["prev_after"] == second["id"] and 'rel="prev"' in response["Link"]


def test_messages_page_back_by_before_and_forward_by_after(api_for, ada, bob, start, send):
    conversation = start(ada, bob, body="Message 0")
    sent = [Message.objects.get()] + [send(ada, conversation, body=f"Message {n}") for n in range(1, 45)]
    api = api_for(bob)

    latest = api.get(f"conversations/{conversation.pk}/messages")
    body = latest.json()
    assert [m["id"] for m in body["items"]] == [m.pk for m in sent[5:]]
    assert body["next_before"] == sent[5].pk and f'<{body["next_url"]}>; rel="next"' in latest["Link"]
    older = api.get(_relative(body["next_url"])).json()
    assert [m["id"] for m in older["items"]] == [m.pk for m in sent[:5]] and older["next_url"] is None

    newer = api.get(f"conversations/{conversation.pk}/messages", {"after": sent[2].pk}).json()
    assert [m["id"] for m in newer["items"]] == [m.pk for m in sent[3:43]]
    assert newer["next_url"] is None and newer["prev_after"] == sent[42].pk
    rest = api.get(_relative(newer["prev_url"])).json()
    assert [m["id"] for m in rest["items"]] == [m.pk for m in sent[43:]]
    caught_up = api.get(_relative(rest["prev_url"])).json()
    assert caught_up["items"] == [] and caught_up["prev_after"] == sent[44].pk

    from_start = api.get(f"conversations/{conversation.pk}/messages", {"after": 0}).json()
    assert from_start["items"][0]["id"] == sent[0].pk


def test_attachments_sent_in_the_pages_are_listed_with_their_addresses(api_for, ada, bob, start, send):
    conversation = start(ada, bob)
    upload = SimpleUploadedFile("reading list.txt", b"Some books", content_type="text/plain")
    message = send(ada, conversation, body="", attachments=[(upload, "")])

    item = api_for(bob).get(f"conversations/{conversation.pk}/messages").json()["items"][-1]

    attachment = message.attachments.get()
    assert item["body"] == "" and item["deleted"] is False
    assert item["attachments"] == [
        {
            "name": "reading list.txt",
            "content_type": "text/plain",
            "size": 10,
            "alt_text": "",
            "url": "http://testserver"
            + reverse("messaging:attachment", args=[conversation.pk, attachment.pk, "reading list.txt"]),
        }
    ]


def test_in_a_group_a_blocked_members_messages_are_hidden_from_the_blocker(api_for, ada, bob, carol, start, send):
    group = start(ada, bob, carol, body="Hello all")
    send(bob, group, body="Bob's secret")
    BlockFactory(blocker=carol, blocked=bob)

    items = api_for(carol).get(f"conversations/{group.pk}/messages").json()["items"]
    inbox = api_for(carol).get("conversations").json()["items"][0]

    assert [(m["sender_handle"], m["body"], m["hidden"]) for m in items] == [
        ("ada", "Hello all", False),
        ("bob", "", True),
    ]
    assert items[1]["body_html"] == "" and inbox["last_message"]["excerpt"] is None
    assert api_for(ada).get(f"conversations/{group.pk}/messages").json()["items"][1]["body"] == "Bob's secret"
    assert api_for(carol).get(f"conversations/{group.pk}").json()["can_send"] is True  # groups go on


def test_sending_a_message_answers_201_and_raises_the_others_unread_count(api_for, ada, bob, start):
    conversation = start(bob, ada)
    api = api_for(bob)
    assert api_for(ada).get(f"conversations/{conversation.pk}").json()["unread_count"] == 1

    response = api.post(f"conversations/{conversation.pk}/messages", {"body": "Did you see **this**?"})

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["sender_handle"] == "bob" and data["body"] == "Did you see **this**?"
    assert "<strong>this</strong>" in data["body_html"]
    assert api_for(ada).get("conversations").json()["items"][0]["unread_count"] == 2
    assert api_for(ada).get("conversations/unread").json() == {"unread_total": 2}
    assert api.get(f"conversations/{conversation.pk}").json()["last_read_message_id"] == data["id"]


@pytest.mark.parametrize(
    ("payload", "message"),
    [({"body": ""}, "at least 1 character"), ({"body": " \n "}, "Write a message"), ({"body": 5}, "valid string")],
)
def test_an_invalid_message_is_a_422(api_for, ada, bob, start, payload, message):
    conversation = start(ada, bob)
    response = api_for(ada).post(f"conversations/{conversation.pk}/messages", payload)
    assert response.status_code == 422 and message in _fields(response)["body"]
    assert Message.objects.count() == 1


@pytest.mark.parametrize("direction", ["ada blocks bob", "bob blocks ada"])
def test_a_block_ends_sending_in_a_one_to_one_conversation(api_for, ada, bob, start, direction):
    conversation = start(ada, bob)
    blocker, blocked = (ada, bob) if direction == "ada blocks bob" else (bob, ada)
    BlockFactory(blocker=blocker, blocked=blocked)

    for user in (ada, bob):
        api = api_for(user)
        response = api.post(f"conversations/{conversation.pk}/messages", {"body": "Still there?"})
        assert response.status_code == 403 and _error(response)["code"] == "forbidden"
        assert _error(response)["message"] == "You can’t send messages in this conversation any more."
        assert api.get(f"conversations/{conversation.pk}").json()["can_send"] is False  # still read
    assert Message.objects.count() == 1


def test_withdrawn_consent_ends_sending_too(api_for, ada, bob, start):
    conversation = start(ada, bob)
    api_for(bob).put("me/messaging", {"who_may_message": "nobody"})
    response = api_for(ada).post(f"conversations/{conversation.pk}/messages", {"body": "Hello?"})
    assert response.status_code == 403
    assert api_for(bob).post(f"conversations/{conversation.pk}/messages", {"body": "I still may"}).status_code == 201


def test_deleting_your_own_message_leaves_message_deleted_in_place(api_for, ada, bob, start, send):
    conversation = start(ada, bob, body="Oops")
    message = Message.objects.get()
    send(ada, conversation, body="Kept")
    api = api_for(ada)

    assert api_for(bob).delete(f"conversations/{conversation.pk}/messages/{message.pk}").status_code == 403
    response = api.delete(f"conversations/{conversation.pk}/messages/{message.pk}")

    assert response.status_code == 204
    item = api_for(bob).get(f"conversations/{conversation.pk}/messages").json()["items"][0]
    assert item["deleted"] is True and item["body"] == item["body_html"] == "" and item["sender_handle"] == "ada"
    assert api_for(bob).get(f"conversations/{conversation.pk}").json()["unread_count"] == 1
    again = api.delete(f"conversations/{conversation.pk}/messages/{message.pk}")
    assert again.status_code == 403
    assert api.delete(f"conversations/{conversation.pk}/messages/{MAX_ID}").status_code == 404


def test_a_message_is_deleted_only_through_its_own_conversation(api_for, ada, bob, carol, start):
    mine = start(ada, bob)
    other = start(ada, carol)
    message = Message.objects.get(conversation=other)
    response = api_for(ada).delete(f"conversations/{mine.pk}/messages/{message.pk}")
    assert response.status_code == 404
    assert Message.objects.get(pk=message.pk).deleted_at is None


# --- Read state, leaving, people, muting ---------------------------------------------------------


def test_reading_lowers_the_unread_count_to_a_message_or_to_the_latest(api_for, ada, bob, start, send):
    conversation = start(bob, ada, body="One")
    second = send(bob, conversation, body="Two")
    send(bob, conversation, body="Three")
    api = api_for(ada)
    assert api.get("conversations/unread").json() == {"unread_total": 3}

    partial = api.post(f"conversations/{conversation.pk}/read", {"up_to": second.pk})
    assert partial.status_code == 200 and partial.json() == {"unread_count": 1}
    assert api.get(f"conversations/{conversation.pk}").json()["last_read_message_id"] == second.pk
    assert api.post(f"conversations/{conversation.pk}/read", {"up_to": 1}).json() == {
        "unread_count": 1
    }  # no going back
    assert api.post(f"conversations/{conversation.pk}/read", {}).json() == {"unread_count": 0}
    assert api.get("conversations/unread").json() == {"unread_total": 0}
    assert api.get("conversations").json()["items"][0]["unread_count"] == 0


@pytest.mark.parametrize("payload", [{"up_to": "5"}, {"up_to": True}, {"up_to": 0}, {"up_to": MAX_ID + 1}, []])
def test_a_bad_read_position_is_a_422(api_for, ada, bob, start, payload):
    conversation = start(bob, ada)
    response = api_for(ada).post(f"conversations/{conversation.pk}/read", payload)
    assert response.status_code == 422 and _error(response)["code"] == "validation_failed"


def test_leaving_takes_the_conversation_away_until_the_other_writes_again(api_for, ada, bob, start):
    conversation = start(bob, ada)
    api = api_for(ada)

    assert api.post(f"conversations/{conversation.pk}/leave").status_code == 204

    assert api.get(f"conversations/{conversation.pk}").status_code == 404
    assert api.get("conversations").json()["items"] == []
    assert api.post(f"conversations/{conversation.pk}/leave").status_code == 404
    # Bob writes in the conversation again: it comes back for Ada, with the message unread.
    assert api_for(bob).post(f"conversations/{conversation.pk}/messages", {"body": "Back?"}).status_code == 201
    assert [c["unread_count"] for c in api.get("conversations").json()["items"]] == [1]
    assert api.get(f"conversations/{conversation.pk}").status_code == 200


def test_leaving_a_group_is_for_good_until_someone_adds_you_back(api_for, ada, bob, carol, start):
    group = start(ada, bob, carol, body="All")
    assert api_for(carol).post(f"conversations/{group.pk}/leave").status_code == 204
    api_for(bob).post(f"conversations/{group.pk}/messages", {"body": "Without carol"})
    assert api_for(carol).get(f"conversations/{group.pk}/messages").status_code == 404

    response = api_for(ada).post(f"conversations/{group.pk}/people", {"handles": ["carol"]})
    assert response.json()["added"] == 1
    assert api_for(carol).get(f"conversations/{group.pk}").json()["unread_count"] == 0


def test_adding_people_to_a_group_lists_everyone(api_for, ada, bob, carol, start):
    group = start(ada, bob, body="Two of us", title="Pair")
    Conversation.objects.filter(pk=group.pk).update(pair_key=None)  # made as a group of two
    dan = UserFactory(profile__handle="dan")

    response = api_for(ada).post(f"conversations/{group.pk}/people", {"handles": ["carol", "@dan", "bob"]})

    assert response.status_code == 200, response.json()
    assert response.json()["added"] == 2
    assert [p["handle"] for p in response.json()["participants"]] == ["ada", "bob", "carol", "dan"]
    assert api_for(dan).get(f"conversations/{group.pk}").json()["unread_count"] == 0


def test_adding_people_refuses_one_to_one_unknown_and_unwilling_members(api_for, ada, bob, carol, start):
    pair = start(ada, bob)
    group = start(ada, bob, UserFactory(), body="Group")
    api = api_for(ada)

    one_to_one = api.post(f"conversations/{pair.pk}/people", {"handles": ["carol"]})
    assert one_to_one.status_code == 422
    assert _fields(one_to_one) == {"__all__": "Start a new conversation to talk with more people."}
    unknown = api.post(f"conversations/{group.pk}/people", {"handles": ["carol", "ghost"]})
    assert unknown.status_code == 422
    assert _fields(unknown) == {"handles": "No member has the handle @ghost. Check the spelling."}
    actions.set_preference(user=carol, who_may_message="nobody")
    unwilling = api.post(f"conversations/{group.pk}/people", {"handles": ["carol"]})
    assert unwilling.status_code == 422 and "You can’t message @carol" in _fields(unwilling)["handles"]
    assert not Participant.objects.filter(user=carol).exists()


def test_muting_a_conversation_stops_its_notifications(api_for, ada, bob, start, send):
    conversation = start(bob, ada)
    Notification.objects.all().delete()
    api = api_for(ada)

    response = api.put(f"conversations/{conversation.pk}/mute", {"muted": True})

    assert response.status_code == 200 and response.json() == {"muted": True}
    send(bob, conversation)
    assert not Notification.objects.filter(recipient=ada).exists()
    item = api.get("conversations").json()["items"][0]
    assert item["muted"] is True and item["unread_count"] == 2  # still counted
    assert api.put(f"conversations/{conversation.pk}/mute", {"muted": False}).json() == {"muted": False}
    assert api.put(f"conversations/{conversation.pk}/mute", {"muted": "false"}).status_code == 422


# --- Who may message me --------------------------------------------------------------------------


def test_the_messaging_preference_is_read_and_set(api_for, ada):
    api = api_for(ada)
    assert api.get("me/messaging").json() == {"who_may_message": "everyone"}

    response = api.put("me/messaging", {"who_may_message": "following"})

    assert response.status_code == 200 and response.json() == {"who_may_message": "following"}
    assert MessagePreference.objects.get(user=ada).who_may_message == "following"
    assert api.get("me/messaging").json() == {"who_may_message": "following"}
    bad = api.put("me/messaging", {"who_may_message": "friends"})
    assert bad.status_code == 422 and "who_may_message" in _fields(bad)


# --- Who may call what ---------------------------------------------------------------------------


def _every_operation(conversation_id: int, message_id: int) -> list[tuple[str, str, dict | None]]:
    c = f"conversations/{conversation_id}"
    return [
        ("get", c, None),
        ("get", f"{c}/messages", None),
        ("post", f"{c}/messages", {"body": "Let me in"}),
        ("delete", f"{c}/messages/{message_id}", None),
        ("post", f"{c}/read", {}),
        ("post", f"{c}/leave", None),
        ("post", f"{c}/people", {"handles": ["carol"]}),
        ("put", f"{c}/mute", {"muted": True}),
    ]


def _call(api, method: str, path: str, payload):
    if method in ("get", "delete"):
        return getattr(api, method)(path)
    return getattr(api, method)(path, payload if payload is not None else {})


def test_outsiders_get_a_404_from_every_conversation_operation(api_for, ada, bob, carol, start):
    conversation = start(ada, bob, UserFactory(), body="Private words")
    message = Message.objects.get()
    api = api_for(carol)
    for method, path, payload in _every_operation(conversation.pk, message.pk):
        response = _call(api, method, path, payload)
        assert response.status_code == 404, (method, path, response.json())
        assert _error(response)["code"] == "not_found"
    assert "Private words" not in api.get("conversations").content.decode()
    assert Message.objects.count() == 1 and not Participant.objects.filter(user=carol).exists()
    assert Participant.objects.filter(conversation=conversation, muted=False).count() == 3


def test_a_conversation_that_does_not_exist_is_a_404_like_one_you_may_not_read(api_for, ada):
    api = api_for(ada)
    for method, path, payload in _every_operation(MAX_ID, MAX_ID):
        response = _call(api, method, path, payload)
        assert response.status_code == 404, (method, path)


def test_visitors_get_a_401_from_every_operation(api_for, ada, bob, start):
    conversation = start(ada, bob)
    message = Message.objects.get()
    api = api_for(None)
    operations = [
        *_every_operation(conversation.pk, message.pk),
        ("get", "conversations", None),
        ("post", "conversations", {"recipients": ["bob"], "body": "Hi"}),
        ("get", "conversations/unread", None),
        ("get", "me/messaging", None),
        ("put", "me/messaging", {"who_may_message": "nobody"}),
    ]
    for method, path, payload in operations:
        response = _call(api, method, path, payload)
        assert response.status_code == 401, (method, path)
        assert _error(response)["code"] == "not_authenticated" and response["WWW-Authenticate"]


def test_a_read_token_reads_but_cannot_write(api_for, ada, bob, start):
    conversation = start(bob, ada)
    message = Message.objects.get()
    api = api_for(ada, "read")
    writes = [op for op in _every_operation(conversation.pk, message.pk) if op[0] != "get"] + [
        ("post", "conversations", {"recipients": ["bob"], "body": "Hi"}),
        ("put", "me/messaging", {"who_may_message": "nobody"}),
    ]
    for method, path, payload in writes:
        response = _call(api, method, path, payload)
        assert response.status_code == 403, (method, path)
        assert _error(response)["code"] == "insufficient_scope"
    for path in (f"conversations/{conversation.pk}", f"conversations/{conversation.pk}/messages", "conversations"):
        assert api.get(path).status_code == 200
    assert Message.objects.count() == 1
    assert Participant.objects.get(conversation=conversation, user=ada).unread_count == 1
    assert not MessagePreference.objects.exists()


# --- Junk never makes a server error -------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "conversations/0",
        "conversations/-1",
        f"conversations/{MAX_ID + 1}",
        "conversations/abc",
        "conversations/1.5",
        "conversations/1/messages?before=0",
        "conversations/1/messages?before=abc",
        f"conversations/1/messages?after={MAX_ID + 1}",
        "conversations/1/messages?after=-1",
        "conversations/1/messages?before=5&after=3",
    ],
)
def test_junk_ids_and_cursors_are_a_422(api_for, ada, path):
    path, _, query = path.partition("?")
    params = dict(part.split("=") for part in query.split("&")) if query else None
    response = api_for(ada).get(path, params)
    assert response.status_code == 422 and _error(response)["code"] == "validation_failed"


def test_a_body_that_is_not_json_is_a_400_and_one_of_the_wrong_shape_a_422(api_for, ada, bob, start):
    conversation = start(ada, bob)
    api = api_for(ada)
    broken = api.client.post(
        f"/api/v1/conversations/{conversation.pk}/messages",
        data="{not json",
        content_type="application/json",
        **api.headers,
    )
    assert broken.status_code == 400 and _error(broken)["code"] == "bad_request"
    for payload in ([], "text", {"body": None}, {"body": ["x"]}, {"body": "\ud800"}):
        response = api.post(f"conversations/{conversation.pk}/messages", payload)
        assert response.status_code == 422, payload
    for payload in ({"recipients": [None], "body": "x"}, {"recipients": [{"handle": "bob"}], "body": "x"}):
        assert api.post("conversations", payload).status_code == 422
    assert api.post(f"conversations/{conversation.pk}/people", {"handles": "carol"}).status_code == 422
    assert api.put("me/messaging", {}).status_code == 422
    assert Message.objects.count() == 1
