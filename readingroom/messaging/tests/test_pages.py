"""The direct-message pages: the inbox, starting a conversation, a conversation's page and its
forms, the fragment of new messages for the script, attachments and the preference. Signed-in
only; a conversation not yours is 404 on every URL; bad input is a clear error, never a 500; the
inbox and a conversation cost a bounded number of queries."""

import io

import html5lib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from readingroom.messaging import actions
from readingroom.messaging.models import Message, MessageAttachment, Participant
from readingroom.testing.factories import BlockFactory, UserFactory

pytestmark = pytest.mark.django_db


def curl(name, conversation, *args):
    return reverse(f"messaging:{name}", args=[conversation.pk, *args])


def handle(user) -> str:
    return user.profile.handle


def text_of(response) -> str:
    tree = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    main = tree.find(".//main")
    return " ".join("".join(main.itertext()).split())


def png_upload(name="picture.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 120, 200)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_upload(name="notes.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", content_type="application/pdf"
    )


@pytest.fixture
def ana():
    return UserFactory()


@pytest.fixture
def ben():
    return UserFactory()


@pytest.fixture
def pair(ana, ben):
    return actions.start_conversation(sender=ana, recipients=[ben], body="Hello **Ben**")


# --- signed-in only, and private ----------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, pair):
    for url in [reverse("messaging:inbox"), reverse("messaging:start"), curl("conversation", pair)]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_every_conversation_url_is_404_to_an_outsider(client, pair):
    outsider = UserFactory()
    client.force_login(outsider)
    message = pair.last_message
    gets = [curl("conversation", pair), curl("since", pair) + "?after=0"]
    posts = [curl("send", pair), curl("read", pair), curl("leave", pair), curl("add_people", pair), curl("mute", pair)]
    posts.append(curl("delete_message", pair, message.pk))
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"body": "hi", "handles": "@x", "muted": "1"}).status_code == 404, url
    assert Message.objects.filter(conversation=pair).count() == 1
    assert client.get(reverse("messaging:conversation", args=[999999])).status_code == 404


def test_someone_who_left_no_longer_reads_the_conversation(client, ana, ben, pair):
    client.force_login(ben)
    response = client.post(curl("leave", pair))
    assert response.status_code == 302 and response["Location"] == reverse("messaging:inbox")
    assert client.get(curl("conversation", pair)).status_code == 404


# --- the inbox -----------------------------------------------------------------------------------


def test_the_inbox_lists_conversations_with_names_excerpts_and_unread_counts(client, ana, ben, pair):
    cara = UserFactory()
    actions.start_conversation(sender=cara, recipients=[ben, ana], body="Cohort plans", title="Cohort")
    client.force_login(ben)
    response = client.get(reverse("messaging:inbox"))
    text = text_of(response)
    assert response.status_code == 200
    assert ana.profile.display_name in text and "Hello **Ben**" in text
    assert "Cohort" in text and f"{cara.profile.display_name}: Cohort plans" in text
    assert text.count("1 unread") == 2
    assert "New message" in text
    assert b'aria-label="Messages, 2 unread"' in response.content  # the header link


def test_the_inbox_shows_deleted_and_hidden_latest_messages_as_placeholders(client, ana, ben, pair):
    actions.delete_message(actor=ana, message=pair.last_message)
    cara = UserFactory()
    group = actions.start_conversation(sender=ana, recipients=[ben, cara], body="Group hello")
    actions.send_message(sender=cara, conversation=group, body="From Cara, who Ben blocks")
    BlockFactory(blocker=ben, blocked=cara)
    client.force_login(ben)
    text = text_of(client.get(reverse("messaging:inbox")))
    assert "Message deleted" in text
    assert "Hidden: from someone you have blocked or who blocked you." in text
    assert "who Ben blocks" not in text


def test_the_inbox_filters_unread_and_pages_by_older_conversations(client, ana, django_assert_max_num_queries):
    others = [UserFactory() for _ in range(32)]
    for other in others:
        actions.start_conversation(sender=other, recipients=[ana], body=f"Hi from {other.profile.handle}")
    actions.mark_read(
        user=ana, conversation=Participant.objects.get(user=ana, conversation__created_by=others[0]).conversation
    )
    client.force_login(ana)
    client.get(reverse("messaging:inbox"))  # warm the per-process caches
    with django_assert_max_num_queries(12):
        first = client.get(reverse("messaging:inbox"))
    assert first.status_code == 200 and first.content.count(b'<li class="dm-row') == 30
    assert b"Older conversations" in first.content
    cursor = first.context["page"].next_cursor
    second = client.get(reverse("messaging:inbox") + f"?after={cursor}")
    assert second.content.count(b'<li class="dm-row') == 2
    assert f"Hi from {handle(others[0])}" in text_of(second)
    unread = client.get(reverse("messaging:inbox") + "?unread=1")
    assert len(unread.context["page"].items) == 30
    for junk in ["?after=nonsense", "?after=99999999999999999999.1", "?after=1.-5", "?unread=yes"]:
        assert client.get(reverse("messaging:inbox") + junk).status_code == 200, junk
    assert client.get(reverse("messaging:inbox") + "?after=1.%00").status_code == 400  # NUL: RejectNulMiddleware


# --- starting a conversation ---------------------------------------------------------------------


def test_the_start_form_prefills_the_recipient_from_a_profile(client, ana, ben):
    client.force_login(ana)
    response = client.get(reverse("messaging:start") + f"?to={handle(ben)}")
    assert response.status_code == 200
    assert f'value="@{handle(ben)}"'.encode() in response.content
    junk = client.get(reverse("messaging:start") + "?to=%3Cscript%3E")
    assert junk.status_code == 200 and b"&lt;script" not in junk.content


def test_starting_a_conversation_redirects_to_it(client, ana, ben):
    client.force_login(ana)
    response = client.post(reverse("messaging:start"), {"to": f"@{handle(ben)}", "body": "Coffee next week?"})
    participant = Participant.objects.get(user=ben)
    assert response.status_code == 302 and response["Location"] == curl("conversation", participant.conversation)
    assert participant.unread_count == 1


def test_a_small_group_gets_its_title(client, ana, ben):
    cara = UserFactory()
    client.force_login(ana)
    response = client.post(
        reverse("messaging:start"),
        {"to": f"{handle(ben)}, @{handle(cara)}", "title": "Reading group", "body": "Hi both"},
    )
    conversation = Participant.objects.get(user=cara).conversation
    assert response.status_code == 302 and conversation.title == "Reading group" and conversation.is_group


def test_refused_recipients_and_unknown_handles_are_clear_errors_keeping_the_text(client, ana, ben):
    actions.set_preference(user=ben, who_may_message="nobody")
    client.force_login(ana)
    refused = client.post(reverse("messaging:start"), {"to": f"@{handle(ben)}", "body": "Typed with care"})
    assert refused.status_code == 400
    assert f"You can’t message @{handle(ben)}" in text_of(refused)
    assert b"Typed with care" in refused.content
    unknown = client.post(reverse("messaging:start"), {"to": "@nobody_here, @x", "body": "Still here"})
    assert unknown.status_code == 400
    assert "No member has the handle @nobody_here, @x" in text_of(unknown) and b"Still here" in unknown.content
    assert not Message.objects.exists()


def test_the_start_form_refuses_bad_input_without_a_500(client, ana, ben):
    client.force_login(ana)
    many = ", ".join(f"@m{i:02d}" for i in range(20))
    cases = [
        {},
        {"to": "", "body": "x"},
        {"to": many, "body": "x"},
        {"to": f"@{handle(ben)}", "body": ""},
        {"to": f"@{handle(ben)}", "body": "x" * 5001},
        {"to": f"@{handle(ben)}", "body": "x", "title": "t" * 81},
        {"to": "@" + "a" * 5000, "body": "x"},
        {"to": f"@{handle(ben)}", "body": "nul \x00 inside"},
    ]
    for data in cases:
        assert client.post(reverse("messaging:start"), data).status_code == 400, data
    assert not Message.objects.exists()


# --- a conversation ------------------------------------------------------------------------------


def test_the_conversation_page_shows_messages_and_marks_them_read(client, ana, ben, pair):
    client.force_login(ben)
    response = client.get(curl("conversation", pair))
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<article id="m{pair.last_message.pk}"' in content
    assert "<strong>Ben</strong>" in content  # sanitised Markdown
    assert 'data-since-url="' + curl("since", pair) + '"' in content
    assert f'data-newest="{pair.last_message.pk}"' in content
    assert "rr/messages.js" in content and "Write a message" in content
    assert Participant.objects.get(user=ben).unread_count == 0


def test_the_live_socket_address_follows_the_settings_at_request_time(client, ana, pair, settings):
    client.force_login(ana)
    settings.RR_LIVE_URL = "wss://live.example.org/ws/"
    settings.RR_MESSAGES_POLL_SECONDS = 7
    content = client.get(curl("conversation", pair)).content.decode()
    assert f'data-live-url="wss://live.example.org/ws/conversations/{pair.pk}/"' in content
    assert 'data-poll-seconds="7"' in content
    settings.RR_LIVE_URL = ""
    settings.RR_LIVE_PORT = 8123
    content = client.get(curl("conversation", pair)).content.decode()
    assert 'data-live-url=""' in content and 'data-live-port="8123"' in content


def test_earlier_messages_page_by_id(client, ana, ben, pair, settings, django_assert_max_num_queries):
    settings.RR_MESSAGES_PAGE_SIZE = 5
    for n in range(11):
        actions.send_message(sender=ben if n % 2 else ana, conversation=pair, body=f"Message number {n}")
    client.force_login(ana)
    client.get(curl("conversation", pair))
    with django_assert_max_num_queries(20):
        latest = client.get(curl("conversation", pair))
    assert "Message number 10" in text_of(latest) and "Message number 5" not in text_of(latest)
    older = latest.context["page"].older_than
    earlier = client.get(curl("conversation", pair) + f"?before={older}")
    text = text_of(earlier)
    assert "Message number 5" in text and "Message number 6" not in text and "Latest messages" in text
    assert b"data-since-url" not in earlier.content  # live updates only on the latest page
    for junk in ["?before=abc", "?before=-1", "?before=99999999999999999999999", "?before=%00"]:
        assert client.get(curl("conversation", pair) + junk).status_code in (200, 400), junk


def test_the_conversation_page_costs_the_same_with_many_people_and_files(client, ana, django_assert_max_num_queries):
    people = [UserFactory() for _ in range(8)]
    group = actions.start_conversation(sender=ana, recipients=people, body="Welcome all", title="Cohort")
    for person in people:
        actions.send_message(sender=person, conversation=group, body="Hello", attachments=[(pdf_upload(), "")])
    client.force_login(ana)
    client.get(curl("conversation", group))
    with django_assert_max_num_queries(20):
        response = client.get(curl("conversation", group))
    assert response.content.count(b'class="attachment-file"') == 8
    assert "Add people" in text_of(response)


def test_hidden_and_deleted_messages_are_placeholders(client, ana, ben):
    cara = UserFactory()
    group = actions.start_conversation(sender=ana, recipients=[ben, cara], body="Hi all")
    actions.send_message(sender=cara, conversation=group, body="Cara's secret words")
    gone = actions.send_message(sender=ana, conversation=group, body="Oops, wrong words")
    actions.delete_message(actor=ana, message=gone)
    BlockFactory(blocker=cara, blocked=ben)
    client.force_login(ben)
    text = text_of(client.get(curl("conversation", group)))
    assert "Cara's secret words" not in text and "Hidden: from someone you have blocked or who blocked you." in text
    assert "Oops" not in text and "Message deleted" in text


def test_a_closed_one_to_one_conversation_explains_instead_of_a_composer(client, ana, ben, pair):
    BlockFactory(blocker=ben, blocked=ana)
    client.force_login(ana)
    response = client.get(curl("conversation", pair))
    assert b'id="composer"' not in response.content
    assert "You can’t send messages in this conversation any more" in text_of(response)
    refused = client.post(curl("send", pair), {"body": "Still there?"})
    assert refused.status_code == 302
    assert Message.objects.filter(conversation=pair).count() == 1


# --- the fragment for the script -----------------------------------------------------------------


def test_since_returns_newer_messages_and_the_changed_one_and_marks_them_read(client, ana, ben, pair):
    first = pair.last_message
    second = actions.send_message(sender=ana, conversation=pair, body="Second")
    actions.delete_message(actor=ana, message=first)
    client.force_login(ben)
    response = client.get(curl("since", pair) + f"?after={second.pk - 1}&changed={first.pk}")
    content = response.content.decode()
    assert response.status_code == 200 and "<html" not in content and "<main" not in content
    assert f'id="m{first.pk}"' in content and "Message deleted" in content
    assert f'id="m{second.pk}"' in content and 'data-mine="false"' in content
    assert Participant.objects.get(user=ben).unread_count == 0
    assert client.get(curl("since", pair) + f"?after={second.pk}").content.strip() == b""


def test_since_refuses_junk_without_a_500(client, ana, pair):
    client.force_login(ana)
    for junk in ["", "?after=", "?after=abc", "?after=-1", "?after=1&changed=x", "?after=" + "9" * 30, "?after=%00"]:
        assert client.get(curl("since", pair) + junk).status_code == 400, junk
    assert client.get(curl("since", pair) + "?after=0&changed=").status_code == 200


# --- sending, deleting, reading, leaving, muting, adding ----------------------------------------


def test_sending_redirects_back_to_the_new_message(client, ana, ben, pair):
    client.force_login(ben)
    response = client.post(curl("send", pair), {"body": "Yes, **Tuesday**"})
    message = Message.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == curl("conversation", pair) + f"#m{message.pk}"
    assert message.sender == ben and "<strong>Tuesday</strong>" in message.body_html


def test_sending_with_fetch_returns_the_new_message_fragment(client, ana, pair):
    client.force_login(ana)
    response = client.post(curl("send", pair), {"body": "From the script"}, headers={"X-Requested-With": "fetch"})
    message = Message.objects.latest("pk")
    content = response.content.decode()
    assert response.status_code == 200 and content.strip().startswith(f'<article id="m{message.pk}"')
    assert 'data-mine="true"' in content


def test_an_empty_or_too_long_message_is_a_clear_error_keeping_the_text(client, ana, pair):
    client.force_login(ana)
    empty = client.post(curl("send", pair), {"body": "   "})
    assert empty.status_code == 400 and "Write a message before sending." in text_of(empty)
    long = client.post(curl("send", pair), {"body": "y" * 5001})
    assert long.status_code == 400 and "at most 5,000 characters" in text_of(long)
    assert b"y" * 5001 in long.content
    assert client.post(curl("send", pair), {"body": "bad \x00"}).status_code == 400
    assert Message.objects.filter(conversation=pair).count() == 1


def test_sending_is_rate_limited(client, ana, pair, settings):
    settings.RR_RATE_LIMITS_ENABLED = True
    client.force_login(ana)
    for _ in range(60):
        assert client.post(curl("send", pair), {"body": "again"}).status_code == 302
    limited = client.post(curl("send", pair), {"body": "one too many"})
    assert limited.status_code == 429 and limited.has_header("Retry-After")


def test_a_member_deletes_their_own_message_only(client, ana, ben, pair):
    message = pair.last_message
    client.force_login(ben)
    assert (
        b"Delete" not in client.get(curl("conversation", pair)).content.split(b'id="composer"')[0].split(b"dm-list")[1]
    )
    client.post(curl("delete_message", pair, message.pk))
    message.refresh_from_db()
    assert message.deleted_at is None
    client.force_login(ana)
    response = client.post(curl("delete_message", pair, message.pk))
    message.refresh_from_db()
    assert response.status_code == 302 and message.deleted_at is not None and message.body == ""
    assert client.post(curl("delete_message", pair, 2**63)).status_code == 404
    assert client.post(curl("delete_message", pair, 999999)).status_code == 404


def test_read_leave_and_mute(client, ana, ben, pair):
    client.force_login(ben)
    assert client.post(curl("read", pair), {"up_to": "junk"}).status_code == 302
    assert Participant.objects.get(user=ben).unread_count == 0
    client.post(curl("mute", pair), {"muted": "1"})
    assert Participant.objects.get(user=ben).muted
    assert "Unmute this conversation" in text_of(client.get(curl("conversation", pair)))
    client.post(curl("mute", pair), {"muted": "0"})
    assert not Participant.objects.get(user=ben).muted
    client.post(curl("leave", pair))
    assert Participant.objects.get(user=ben).left_at is not None
    assert pair.pk not in [p.conversation_id for p in client.get(reverse("messaging:inbox")).context["page"].items]


def test_adding_people_to_a_group_and_not_to_a_pair(client, ana, ben, pair):
    cara, dev = UserFactory(), UserFactory()
    group = actions.start_conversation(sender=ana, recipients=[ben, cara], body="Hi")
    client.force_login(ana)
    response = client.post(curl("add_people", group), {"handles": f"@{handle(dev)}"})
    assert response.status_code == 302 and Participant.objects.filter(conversation=group, user=dev).exists()
    actions.set_preference(user=UserFactory(), who_may_message="nobody")
    unknown = client.post(curl("add_people", group), {"handles": "@no_such_member"})
    assert unknown.status_code == 400 and "No member has the handle @no_such_member" in text_of(unknown)
    assert b"@no_such_member" in unknown.content
    refused_person = UserFactory()
    actions.set_preference(user=refused_person, who_may_message="nobody")
    refused = client.post(curl("add_people", group), {"handles": f"@{handle(refused_person)}"})
    assert refused.status_code == 400 and "You can’t message" in text_of(refused)
    one_to_one = client.post(curl("add_people", pair), {"handles": f"@{handle(cara)}"}, follow=True)
    assert "Start a new conversation to talk with more people." in text_of(one_to_one)
    assert not Participant.objects.filter(conversation=pair, user=cara).exists()
    assert b"Add people" not in client.get(curl("conversation", pair)).content


# --- attachments ---------------------------------------------------------------------------------


def test_attachments_are_sent_and_served_only_to_participants(client, ana, ben, pair):
    client.force_login(ana)
    response = client.post(
        curl("send", pair),
        {"body": "", "file_1": png_upload(), "description_1": "A blue square", "file_2": pdf_upload()},
    )
    assert response.status_code == 302
    image, pdf = MessageAttachment.objects.order_by("position")
    page = client.get(curl("conversation", pair)).content.decode()
    image_url = curl("attachment", pair, image.pk, image.original_name)
    assert f'src="{image_url}" alt="A blue square"' in page
    assert curl("attachment", pair, pdf.pk, pdf.original_name) in page
    client.force_login(ben)
    served = client.get(image_url)
    assert served.status_code == 200 and served["Content-Type"].startswith("image/")
    assert served["Cache-Control"] == "private, no-store"
    client.force_login(UserFactory())
    assert client.get(image_url).status_code == 404
    client.force_login(ana)
    assert client.get(curl("attachment", pair, 2**63, "x")).status_code == 404
    actions.delete_message(actor=ana, message=image.message)
    assert client.get(image_url).status_code == 404


def test_an_image_without_a_description_is_refused(client, ana, pair):
    client.force_login(ana)
    response = client.post(curl("send", pair), {"body": "Look", "file_1": png_upload()})
    assert response.status_code == 400 and "Describe the image" in text_of(response)
    assert b"Look" in response.content


def test_an_attachment_of_another_conversation_is_404(client, ana, ben, pair):
    other = actions.start_conversation(
        sender=ana, recipients=[UserFactory()], body="", attachments=[(pdf_upload(), "")]
    )
    stored = MessageAttachment.objects.get(message__conversation=other)
    client.force_login(ben)
    assert client.get(curl("attachment", pair, stored.pk, stored.original_name)).status_code == 404


# --- the preference, the header and the profile's button ----------------------------------------


def test_the_preference_page_saves_the_choice(client, ana):
    client.force_login(ana)
    page = client.get(reverse("messaging:preference"))
    assert page.status_code == 200 and 'value="everyone"' in page.content.decode()
    assert b'aria-current="page">Messages</a>' in page.content  # the settings navigation
    response = client.post(reverse("messaging:preference"), {"who_may_message": "following"})
    assert response.status_code == 302
    assert client.get(reverse("messaging:preference")).context["form"].initial["who_may_message"] == "following"
    assert client.post(reverse("messaging:preference"), {"who_may_message": "hackers"}).status_code == 400
    assert client.post(reverse("messaging:preference"), {}).status_code == 400


def test_the_profile_shows_a_message_button_only_when_allowed(client, ana, ben):
    client.force_login(ana)
    profile = reverse("network:profile", args=[handle(ben)])
    assert f"/messages/new?to={handle(ben)}".encode() in client.get(profile).content
    actions.set_preference(user=ben, who_may_message="nobody")
    assert b"/messages/new?to=" not in client.get(profile).content
    client.logout()
    assert b"/messages/new?to=" not in client.get(profile).content


def test_the_header_counts_nothing_for_anonymous_visitors(client, django_assert_num_queries):
    response = client.get(reverse("posts:local"))
    assert b"messages-link" not in response.content
