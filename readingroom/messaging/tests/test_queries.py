"""The read paths of direct messages: the inbox (keyset pages, ties, unread filter, query count),
a conversation's messages by id, what came after an id, what a block hides, and the counts."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from readingroom.messaging import actions, queries
from readingroom.messaging.models import Conversation, Message, MessageAttachment, Participant
from readingroom.messaging.tests.conftest import PDF, fresh, say
from readingroom.testing.factories import BlockFactory, UserFactory

pytestmark = pytest.mark.django_db


def start(sender, *recipients, body="Hello", **kwargs) -> Conversation:
    return actions.start_conversation(sender=fresh(sender), recipients=list(recipients), body=body, **kwargs)


def all_inbox_pages(user, **kwargs) -> list[list[int]]:
    pages, after = [], None
    while True:
        page = queries.inbox(user, after=after, **kwargs)
        pages.append([p.pk for p in page.items])
        if page.next_cursor is None:
            return pages
        after = queries.parse_inbox_cursor(page.next_cursor)
        assert after is not None, page.next_cursor


def test_the_inbox_shows_the_latest_conversation_first(ana, ben, cas):
    with_ben = start(ana, ben)
    with_cas = start(ana, cas)
    group = start(ana, ben, cas)
    assert [p.conversation_id for p in queries.inbox(ana).items] == [group.pk, with_cas.pk, with_ben.pk]
    say(ben, with_ben, "Bumped")
    assert [p.conversation_id for p in queries.inbox(ana).items] == [with_ben.pk, group.pk, with_cas.pk]


def test_inbox_pages_are_keyset_pages_without_duplicates_or_gaps_when_moments_tie(ana):
    people = UserFactory.create_batch(65)
    for person in people:
        start(person, ana)
    tie = timezone.now()
    Participant.objects.filter(user=ana, conversation__pk__in=Conversation.objects.all()[:40]).update(
        last_message_at=tie
    )
    pages = all_inbox_pages(ana)
    assert [len(p) for p in pages] == [30, 30, 5]
    flat = [pk for page in pages for pk in page]
    expected = list(
        Participant.objects.filter(user=ana).order_by("-last_message_at", "-pk").values_list("pk", flat=True)
    )
    assert flat == expected and len(set(flat)) == 65


def test_the_unread_filter_shows_only_conversations_with_something_unread(ana, ben, cas):
    read = start(ben, ana)
    unread = start(cas, ana)
    actions.mark_read(user=fresh(ana), conversation=read)
    assert [p.conversation_id for p in queries.inbox(ana, unread_only=True).items] == [unread.pk]
    assert {p.conversation_id for p in queries.inbox(ana).items} == {read.pk, unread.pk}


def test_a_hostile_inbox_cursor_starts_from_the_top(ana, ben):
    start(ben, ana)
    for value in ("", "x", "1.2.3", "99999999999999999999.1", "-1.5", "1.0", "9" * 19 + ".1"):
        after = queries.parse_inbox_cursor(value)
        assert [p.user_id for p in queries.inbox(ana, after=after).items] == [ana.pk], value


def test_the_inbox_loads_thirty_conversations_with_their_people_and_latest_message_in_two_queries(
    ana, django_assert_max_num_queries
):
    for n in range(30):
        people = UserFactory.create_batch(1 + n % 3)
        start(people[0], ana, *people[1:], body=f"Message {n}")
    viewer = fresh(ana)
    with django_assert_max_num_queries(2):
        rows = queries.inbox(viewer).items
        summary = [
            (
                row.conversation.last_message.sender.profile.handle,
                [other.user.profile.display_name for other in row.conversation.others],
            )
            for row in rows
        ]
    assert len(summary) == 30
    assert all(ana.profile.display_name not in names and names for _, names in summary)


def test_the_others_of_an_inbox_row_leave_out_those_who_left(ana, ben, cas):
    group = start(ana, ben, cas)
    actions.leave(user=fresh(cas), conversation=group)
    (row,) = queries.inbox(ana).items
    assert [p.user_id for p in row.conversation.others] == [ben.pk]


def test_a_conversations_messages_page_backwards_by_id_oldest_first_on_each_page(ana, ben, settings):
    settings.RR_MESSAGES_PAGE_SIZE = 4
    conversation = start(ana, ben, body="m0")
    for n in range(1, 10):
        say(ana if n % 2 else ben, conversation, f"m{n}")
    pages, before = [], None
    while True:
        page = queries.messages_page(ana, conversation, before=before)
        pages.append([m.body for m in page.messages])
        if page.older_than is None:
            break
        before = page.older_than
    assert pages == [["m6", "m7", "m8", "m9"], ["m2", "m3", "m4", "m5"], ["m0", "m1"]]


def test_messages_after_an_id_come_oldest_first_with_the_one_that_changed(ana, ben):
    conversation = start(ana, ben, body="first")
    first = Message.objects.get(conversation=conversation)
    second = say(ben, conversation, "second")
    third = say(ana, conversation, "third")
    actions.delete_message(actor=fresh(ana), message=Message.objects.get(pk=first.pk))
    assert [m.pk for m in queries.messages_after(ana, conversation, second.pk)] == [third.pk]
    shown = queries.messages_after(ana, conversation, second.pk, changed=first.pk)
    assert [m.pk for m in shown] == [first.pk, third.pk] and shown[0].deleted_at is not None
    other = start(ana, UserFactory())
    assert queries.messages_after(ana, other, 0, changed=third.pk)[0].conversation_id == other.pk


def test_in_a_group_a_block_marks_the_others_messages_hidden_for_both_of_them(ana, ben, cas):
    group = start(ana, ben, cas, body="from ana")
    say(ben, group, "from ben")
    say(cas, group, "from cas")
    BlockFactory(blocker=cas, blocked=ana)

    def hidden(viewer):
        return {m.body: m.hidden_for_viewer for m in queries.messages_page(viewer, group).messages}

    assert hidden(cas) == {"from ana": True, "from ben": False, "from cas": False}
    assert hidden(ana) == {"from ana": False, "from ben": False, "from cas": True}
    assert hidden(ben) == {"from ana": False, "from ben": False, "from cas": False}
    assert [m.hidden_for_viewer for m in queries.messages_after(cas, group, 0)] == [True, False, False]


def test_a_blocked_senders_file_is_not_served_to_the_other(ana, ben, cas):
    upload = SimpleUploadedFile("notes.pdf", PDF, content_type="application/pdf")
    group = start(ana, ben, cas, body="notes", attachments=[(upload, "")])
    attachment = MessageAttachment.objects.get(message__conversation=group)
    assert queries.attachment_in(fresh(cas), group, attachment.pk).pk == attachment.pk
    BlockFactory(blocker=ana, blocked=cas)
    with pytest.raises(Http404):
        queries.attachment_in(fresh(cas), group, attachment.pk)
    assert queries.attachment_in(fresh(ben), group, attachment.pk).pk == attachment.pk


def test_the_unread_total_adds_up_conversations_one_is_still_in(ana, ben, cas):
    start(ben, ana)
    group = start(cas, ana, ben)
    say(cas, group, "Again")
    assert queries.unread_total(ana) == 3 and queries.unread_total(ben) == 2
    actions.leave(user=fresh(ana), conversation=group)
    assert queries.unread_total(ana) == 1
    from django.contrib.auth.models import AnonymousUser

    assert queries.unread_total(AnonymousUser()) == 0


def test_a_conversation_is_found_only_for_its_participants(ana, ben, cas):
    conversation = start(ana, ben)
    assert queries.conversation_for(fresh(ben), conversation.pk).pk == conversation.pk
    for viewer, pk in ((fresh(cas), conversation.pk), (fresh(ana), conversation.pk + 1000)):
        with pytest.raises(Http404):
            queries.conversation_for(viewer, pk)


def test_live_changes_lists_new_and_deleted_messages_of_the_watched_conversations_only(ana, ben, cas):
    watched = start(ana, ben)
    other = start(ana, cas)
    mark, since = watched.last_message_id, timezone.now()
    newer = say(ben, watched, "new")
    say(cas, other, "elsewhere")
    newest = say(ana, watched, "newer")
    changes, latest = queries.live_changes([watched.pk], mark, since)
    assert changes == [(watched.pk, newer.pk), (watched.pk, newest.pk)] and latest == since
    assert queries.live_changes([watched.pk], newest.pk, since) == ([], since)
    assert queries.live_changes([], 0, since) == ([], since)
    # A deletion is news too (the page replaces the message with "Message deleted"), once.
    deleted = actions.delete_message(actor=fresh(ben), message=newer)
    changes, latest = queries.live_changes([watched.pk], newest.pk, since)
    assert changes == [(watched.pk, newer.pk)] and latest == deleted.deleted_at
    assert queries.live_changes([watched.pk], newest.pk, latest) == ([], latest)
