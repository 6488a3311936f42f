"""Every write to direct messages, through the real actions: who may be messaged, what a message
may hold, and what each participant's read position and unread count say afterwards."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from PIL import Image

from readingroom.messaging import actions, queries
from readingroom.messaging import permissions as perms
from readingroom.messaging.models import Conversation, Message, MessageAttachment, MessagePreference, Participant
from readingroom.messaging.tests.conftest import (
    PDF,
    fresh,
    jpeg_with_exif,
    pdf_upload,
    program_upload,
    say,
    seat,
    stored_files,
)
from readingroom.notifications.models import Notification
from readingroom.testing.factories import BlockFactory, FollowFactory, UserFactory

pytestmark = pytest.mark.django_db


def start(sender, *recipients, body="Hello there", **kwargs) -> Conversation:
    return actions.start_conversation(sender=fresh(sender), recipients=list(recipients), body=body, **kwargs)


def code_of(caught) -> str:
    return caught.value.code


# --- start_conversation: who -------------------------------------------------------------------


def test_messaging_someone_again_reuses_the_pairs_one_conversation(ana, ben):
    first = start(ana, ben, body="Hello Ben")
    again = start(ben, ana, body="Hello Ana")
    assert again.pk == first.pk and not first.is_group
    assert Conversation.objects.count() == 1
    assert list(Message.objects.filter(conversation=first).values_list("body", flat=True)) == ["Hello Ben", "Hello Ana"]


def test_writing_again_reopens_a_one_to_one_conversation_for_both_after_either_left(ana, ben):
    conversation = start(ana, ben)
    actions.leave(user=fresh(ben), conversation=conversation)
    assert [p.conversation_id for p in queries.inbox(ben).items] == []
    start(ana, ben, body="Are you there?")
    assert [p.conversation_id for p in queries.inbox(ben).items] == [conversation.pk]
    assert seat(ben, conversation).unread_count == 1
    actions.leave(user=fresh(ana), conversation=conversation)
    actions.leave(user=fresh(ben), conversation=conversation)
    again = start(ben, ana, body="Back again")
    assert again.pk == conversation.pk
    assert Participant.objects.filter(conversation=conversation, left_at__isnull=True).count() == 2
    assert perms.can_read(fresh(ana), conversation) and perms.can_read(fresh(ben), conversation)


def test_a_group_conversation_of_three_is_new_each_time_and_keeps_its_name(ana, ben, cas):
    group = start(ana, ben, cas, title="  Zine   cataloguing  ")
    assert group.is_group and group.title == "Zine cataloguing"
    assert {p.user_id for p in queries.participants(group)} == {ana.pk, ben.pk, cas.pk}
    other = start(ana, ben, cas)
    assert other.pk != group.pk and other.is_group


def test_a_conversation_of_twenty_is_allowed_and_of_twenty_one_refused(ana):
    people = UserFactory.create_batch(20)
    group = start(ana, *people[:19])
    assert len(queries.participants(group)) == 20
    with pytest.raises(ValidationError) as caught:
        start(ana, *people)
    assert code_of(caught) == "too_many" and "at most 20" in caught.value.messages[0]
    assert Conversation.objects.count() == 1


def test_messaging_only_oneself_is_refused(ana):
    with pytest.raises(ValidationError) as caught:
        start(ana, ana)
    assert code_of(caught) == "no_recipients"
    assert not Conversation.objects.exists()


def test_a_member_who_accepts_messages_from_nobody_cannot_be_messaged(ana, ben):
    actions.set_preference(user=ben, who_may_message="nobody")
    with pytest.raises(ValidationError) as caught:
        start(ana, ben)
    assert code_of(caught) == "not_allowed" and "@ben" in caught.value.messages[0]
    assert not Conversation.objects.exists()


def test_following_only_accepts_people_the_recipient_follows_not_their_followers(ana, ben):
    actions.set_preference(user=ben, who_may_message="following")
    FollowFactory(follower=ana, followee=ben)  # Ana follows Ben: that is not Ben's choice
    with pytest.raises(ValidationError):
        start(ana, ben)
    FollowFactory(follower=ben, followee=ana)
    assert start(ana, ben).pk


@pytest.mark.parametrize("who_blocks", ["sender", "recipient"])
def test_a_block_either_way_refuses_a_new_conversation(ana, ben, who_blocks):
    blocker, blocked = (ana, ben) if who_blocks == "sender" else (ben, ana)
    BlockFactory(blocker=blocker, blocked=blocked)
    with pytest.raises(ValidationError):
        start(ana, ben)
    assert not Conversation.objects.exists()


def test_a_suspended_member_cannot_be_messaged_alone_or_in_a_group(ana, ben, cas):
    cas.is_active = False
    cas.save(update_fields=["is_active"])
    for recipients in ([cas], [ben, cas]):
        with pytest.raises(ValidationError) as caught:
            start(ana, *recipients)
        assert "@cas" in caught.value.messages[0]
    assert not Conversation.objects.exists()


def test_someone_who_accepts_messages_from_nobody_still_hears_back_from_whom_they_wrote_to(ana, ben):
    actions.set_preference(user=ana, who_may_message="nobody")
    conversation = start(ana, ben, body="A question for you")
    assert perms.can_send(fresh(ben), conversation)
    say(ben, conversation, "An answer")
    assert start(ben, ana, body="And more").pk == conversation.pk
    # Leaving ends that: Ben may not bring the conversation back against Ana's choice.
    actions.leave(user=fresh(ana), conversation=conversation)
    with pytest.raises(ValidationError):
        start(ben, ana, body="Come back")
    assert not perms.can_send(fresh(ben), conversation)


# --- start_conversation: what ------------------------------------------------------------------


def test_a_message_is_trimmed_and_may_be_exactly_as_long_as_the_limit(ana, ben, settings):
    limit = settings.RR_MESSAGE_MAX_CHARS
    conversation = start(ana, ben, body="  " + "x" * limit + "\n")
    assert Message.objects.get(conversation=conversation).body == "x" * limit


@pytest.mark.parametrize(("body", "code"), [("", "empty"), ("   \n ", "empty"), ("x" * 5001, "too_long")])
def test_an_empty_or_over_long_message_is_refused_and_nothing_is_made(ana, ben, body, code):
    with pytest.raises(ValidationError) as caught:
        start(ana, ben, body=body)
    assert code_of(caught) == code
    if code == "too_long":
        assert "at most 5,000 characters; this one has 5,001" in caught.value.messages[0]
    assert not Conversation.objects.exists() and not Message.objects.exists()


def test_an_image_is_kept_only_with_a_description_and_loses_its_camera_metadata(ana, ben, settings):
    with pytest.raises(ValidationError) as caught:
        start(ana, ben, body="", attachments=[(jpeg_with_exif(), "  ")])
    assert code_of(caught) == "alt_missing"
    conversation = start(ana, ben, body="", attachments=[(jpeg_with_exif(), "The reading room at dusk")])
    (attachment,) = MessageAttachment.objects.filter(message__conversation=conversation)
    assert attachment.alt_text == "The reading room at dusk" and attachment.content_type == "image/jpeg"
    assert attachment.original_name == "photo.jpg"
    with attachment.file.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG" and not image.getexif()
    assert str(settings.RR_PRIVATE_ROOT) in attachment.file.path  # never under MEDIA_ROOT


def test_a_pdf_is_kept_as_sent(ana, ben):
    conversation = start(ana, ben, body="The minutes", attachments=[(pdf_upload(), "")])
    (attachment,) = MessageAttachment.objects.filter(message__conversation=conversation)
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    with attachment.file.open("rb") as stored:
        assert stored.read() == PDF


@pytest.mark.parametrize(
    ("make_files", "code"),
    [
        (lambda: [(pdf_upload(), ""), (program_upload(), "")], None),  # a program labelled as a PDF
        (lambda: [(pdf_upload(f"{n}.pdf"), "") for n in range(5)], "too_many_files"),
        (lambda: [(pdf_upload(), ""), (jpeg_with_exif(), "")], "alt_missing"),
    ],
    ids=["disguised-program", "five-files", "undescribed-image"],
)
def test_a_refused_attachment_stores_nothing(ana, ben, settings, make_files, code):
    with pytest.raises(ValidationError) as caught:
        start(ana, ben, body="Files", attachments=make_files())
    if code:
        assert code_of(caught) == code
    else:
        assert "not accepted" in caught.value.messages[0]
    assert not Conversation.objects.exists() and not Message.objects.exists()
    assert not MessageAttachment.objects.exists() and stored_files(settings) == []


def test_four_files_are_accepted_in_order(ana, ben):
    files = [(pdf_upload(f"part{n}.pdf"), "") for n in range(4)]
    conversation = start(ana, ben, body="All four", attachments=files)
    stored = MessageAttachment.objects.filter(message__conversation=conversation)
    names = list(stored.values_list("original_name", flat=True))
    assert names == ["part0.pdf", "part1.pdf", "part2.pdf", "part3.pdf"]


# --- send_message --------------------------------------------------------------------------------


def test_sending_adds_one_to_everyone_elses_unread_count_and_reads_it_for_the_sender(ana, ben, cas):
    group = start(ana, ben, cas)
    message = say(ana, group, "Second")
    assert seat(ben, group).unread_count == 2 and seat(cas, group).unread_count == 2
    mine = seat(ana, group)
    assert mine.unread_count == 0 and mine.last_read_message_id == message.pk
    reply = say(ben, group, "A reply")
    assert seat(ana, group).unread_count == 1 and seat(cas, group).unread_count == 3
    assert seat(ben, group).last_read_message_id == reply.pk and seat(ben, group).unread_count == 0
    assert queries.unread_total(ben) == 0 and queries.unread_total(cas) == 3


def test_a_muted_participant_still_counts_unread_messages_but_is_not_notified(ana, ben, cas, committing):
    group = start(ana, ben, cas)
    actions.set_muted(user=fresh(ben), conversation=group, muted=True)
    Notification.objects.all().delete()
    with committing():
        say(ana, group)
    assert seat(ben, group).unread_count == 2
    assert not Notification.objects.filter(recipient=ben).exists()
    assert Notification.objects.filter(recipient=cas, kind="message", subject_id=group.pk).exists()


def test_someone_who_left_a_group_gets_nothing_of_its_new_messages(ana, ben, cas, committing):
    with committing():
        group = start(ana, ben, cas)
    actions.leave(user=fresh(cas), conversation=group)
    Notification.objects.all().delete()
    with committing():
        say(ana, group, "After Cas left")
    assert seat(cas, group).unread_count == 0 and queries.unread_total(cas) == 0
    assert not Notification.objects.filter(recipient=cas).exists()
    assert queries.inbox(cas).items == []


@pytest.mark.parametrize("who_blocks", ["sender", "recipient"])
def test_a_block_in_a_one_to_one_conversation_stops_sending(ana, ben, who_blocks):
    conversation = start(ana, ben)
    blocker, blocked = (ana, ben) if who_blocks == "sender" else (ben, ana)
    BlockFactory(blocker=blocker, blocked=blocked)
    for sender in (ana, ben):
        with pytest.raises(PermissionDenied):
            say(sender, conversation, "After the block")
    assert Message.objects.filter(conversation=conversation).count() == 1


def test_withdrawn_consent_or_a_suspension_stops_sending_to_the_other(ana, ben):
    conversation = start(ana, ben)
    actions.set_preference(user=ben, who_may_message="nobody")
    with pytest.raises(PermissionDenied):  # Ben never wrote: nobody means nobody
        say(ana, conversation)
    actions.set_preference(user=ben, who_may_message="everyone")
    ben.is_active = False
    ben.save(update_fields=["is_active"])
    with pytest.raises(PermissionDenied):
        say(ana, conversation)


def test_in_a_group_a_block_hides_messages_so_they_are_not_counted_as_unread(ana, ben, cas):
    group = start(ana, ben, cas)
    first = Message.objects.get(conversation=group)
    BlockFactory(blocker=cas, blocked=ana)
    say(ana, group, "Cas will not see this")
    assert seat(cas, group).unread_count == 1  # the first message came before the block
    assert seat(ben, group).unread_count == 2  # Ben and Ana are in no block
    say(ben, group, "Cas sees this")
    assert seat(cas, group).unread_count == 2
    assert actions.mark_read(user=fresh(cas), conversation=group, up_to=first.pk) == 1


def test_someone_outside_the_conversation_cannot_send_in_it(ana, ben, cas):
    conversation = start(ana, ben)
    with pytest.raises(Http404):
        say(cas, conversation, "Let me in")
    assert Message.objects.filter(conversation=conversation).count() == 1


# --- delete_message ------------------------------------------------------------------------------


def test_deleting_a_message_keeps_its_place_but_clears_its_words_and_files(ana, ben, settings, committing):
    conversation = start(ana, ben)
    message = say(ana, conversation, "Oops, **wrong** chat", attachments=[(pdf_upload(), "")])
    assert len(stored_files(settings)) == 1
    with committing():
        actions.delete_message(actor=fresh(ana), message=message)
    message.refresh_from_db()
    assert message.deleted_at is not None and message.body == "" and message.body_html == ""
    assert not MessageAttachment.objects.filter(message=message).exists()
    assert stored_files(settings) == []
    assert [m.pk for m in queries.messages_page(ana, conversation).messages][-1] == message.pk


def test_only_the_sender_may_delete_a_message_and_only_once(ana, ben, cas):
    conversation = start(ana, ben)
    message = Message.objects.get(conversation=conversation)
    with pytest.raises(PermissionDenied):
        actions.delete_message(actor=fresh(ben), message=message)
    with pytest.raises(Http404):
        actions.delete_message(actor=fresh(cas), message=message)
    actions.delete_message(actor=fresh(ana), message=message)
    with pytest.raises(PermissionDenied):
        actions.delete_message(actor=fresh(ana), message=message)
    message.refresh_from_db()
    assert message.body == ""


def test_deleting_lowers_the_unread_count_only_of_those_who_had_not_read_it(ana, ben, cas):
    group = start(ana, ben, cas)
    message = say(ana, group, "Second")
    actions.mark_read(user=fresh(cas), conversation=group)
    assert (seat(ben, group).unread_count, seat(cas, group).unread_count) == (2, 0)
    actions.delete_message(actor=fresh(ana), message=message)
    assert (seat(ben, group).unread_count, seat(cas, group).unread_count) == (1, 0)
    assert seat(ana, group).unread_count == 0


# --- mark_read -----------------------------------------------------------------------------------


def test_reading_part_of_a_conversation_counts_what_is_left(ana, ben):
    conversation = start(ana, ben, body="One")
    first = Message.objects.get(conversation=conversation)
    say(ana, conversation, "Two")
    say(ana, conversation, "Three")
    assert actions.mark_read(user=fresh(ben), conversation=conversation, up_to=first.pk) == 2
    assert seat(ben, conversation).last_read_message_id == first.pk
    assert actions.mark_read(user=fresh(ben), conversation=conversation, up_to=10**12) == 0  # clamped
    assert seat(ben, conversation).last_read_message_id == conversation.last_message_id


def test_the_read_position_never_moves_backwards(ana, ben):
    conversation = start(ana, ben, body="One")
    first = Message.objects.get(conversation=conversation)
    say(ana, conversation, "Two")
    latest = say(ana, conversation, "Three")
    reader = fresh(ben)
    assert actions.mark_read(user=reader, conversation=conversation) == 0
    assert actions.mark_read(user=reader, conversation=conversation, up_to=first.pk) == 0
    assert seat(ben, conversation).last_read_message_id == latest.pk


def test_a_members_own_message_moves_their_read_position_even_on_an_object_loaded_before(ana, ben):
    """The same user object read its participation before sending: reading an older id afterwards
    must not undo what sending did."""
    conversation = start(ana, ben, body="One")
    first = Message.objects.get(conversation=conversation)
    writer = fresh(ben)
    assert perms.can_read(writer, conversation)  # participation cached with last_read = 0
    reply = actions.send_message(sender=writer, conversation=conversation, body="Two")
    assert actions.mark_read(user=writer, conversation=conversation, up_to=first.pk) == 0
    assert seat(ben, conversation).last_read_message_id == reply.pk


def test_reading_a_conversation_one_is_not_in_changes_nothing(ana, ben, cas):
    conversation = start(ana, ben)
    assert actions.mark_read(user=fresh(cas), conversation=conversation) == 0
    assert seat(ben, conversation).unread_count == 1
    assert not Participant.objects.filter(user=cas).exists()


# --- leave, add_people, set_muted, set_preference ------------------------------------------------


def test_leaving_takes_the_conversation_out_of_the_inbox_and_out_of_reach(ana, ben, cas):
    group = start(ana, ben, cas)
    actions.leave(user=fresh(ben), conversation=group)
    assert queries.inbox(ben).items == [] and queries.unread_total(ben) == 0
    with pytest.raises(Http404):
        queries.conversation_for(fresh(ben), group.pk)
    with pytest.raises(Http404):
        actions.leave(user=fresh(ben), conversation=group)
    with pytest.raises(Http404):
        actions.leave(user=UserFactory(), conversation=group)
    assert {p.user_id for p in queries.participants(group)} == {ana.pk, cas.pk}


def test_people_cannot_be_added_to_a_one_to_one_conversation(ana, ben, cas):
    conversation = start(ana, ben)
    with pytest.raises(ValidationError) as caught:
        actions.add_people(actor=fresh(ana), conversation=conversation, users=[cas])
    assert code_of(caught) == "one_to_one"
    assert not Participant.objects.filter(user=cas).exists()


def test_people_added_see_the_conversation_from_now_on_not_as_unread_history(ana, ben, cas):
    group = start(ana, ben, UserFactory())
    say(ben, group, "Before Cas came")
    assert actions.add_people(actor=fresh(ana), conversation=group, users=[cas, ben]) == 1
    mine = seat(cas, group)
    assert mine.unread_count == 0 and mine.last_read_message_id == group.last_message_id
    assert queries.unread_total(cas) == 0 and [p.conversation_id for p in queries.inbox(cas).items] == [group.pk]
    say(ben, group, "Welcome, Cas")
    assert seat(cas, group).unread_count == 1


def test_a_group_grows_to_twenty_and_no_further(ana):
    group = start(ana, *UserFactory.create_batch(17))
    actions.add_people(actor=fresh(ana), conversation=group, users=UserFactory.create_batch(2))
    assert len(queries.participants(group)) == 20
    with pytest.raises(ValidationError) as caught:
        actions.add_people(actor=fresh(ana), conversation=group, users=[UserFactory()])
    assert code_of(caught) == "too_many"
    assert len(queries.participants(group)) == 20


@pytest.mark.parametrize("refusal", ["nobody", "following", "blocked", "suspended"])
def test_adding_someone_needs_their_consent(ana, ben, cas, refusal):
    group = start(ana, ben, UserFactory())
    newcomer = UserFactory(profile__handle="newcomer")
    if refusal in ("nobody", "following"):
        actions.set_preference(user=newcomer, who_may_message=refusal)
    elif refusal == "blocked":
        BlockFactory(blocker=newcomer, blocked=ana)
    else:
        newcomer.is_active = False
        newcomer.save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as caught:
        actions.add_people(actor=fresh(ana), conversation=group, users=[cas, newcomer])
    assert code_of(caught) == "not_allowed" and "@newcomer" in caught.value.messages[0]
    assert not Participant.objects.filter(conversation=group, user__in=[cas, newcomer]).exists()


def test_only_participants_add_people(ana, ben, cas):
    group = start(ana, ben, UserFactory())
    with pytest.raises(Http404):
        actions.add_people(actor=fresh(cas), conversation=group, users=[cas])
    actions.leave(user=fresh(ben), conversation=group)
    with pytest.raises(Http404):
        actions.add_people(actor=fresh(ben), conversation=group, users=[cas])
    assert not Participant.objects.filter(user=cas).exists()


def test_muting_and_unmuting_a_conversation(ana, ben, committing):
    conversation = start(ana, ben)
    actions.set_muted(user=fresh(ben), conversation=conversation, muted=True)
    assert seat(ben, conversation).muted and not seat(ana, conversation).muted
    actions.set_muted(user=fresh(ben), conversation=conversation, muted=False)
    with committing():
        say(ana, conversation)
    assert Notification.objects.filter(recipient=ben, kind="message").exists()
    with pytest.raises(Http404):
        actions.set_muted(user=UserFactory(), conversation=conversation, muted=True)


def test_the_who_may_message_me_preference_takes_only_its_three_choices(ana):
    assert perms.preference(ana) == "everyone"
    actions.set_preference(user=ana, who_may_message="following")
    actions.set_preference(user=ana, who_may_message="nobody")
    assert perms.preference(ana) == "nobody" and MessagePreference.objects.filter(user=ana).count() == 1
    for bad in ("", "friends", "NOBODY", "x" * 200):
        with pytest.raises(ValidationError) as caught:
            actions.set_preference(user=ana, who_may_message=bad)
        assert code_of(caught) == "preference"
    assert perms.preference(ana) == "nobody"
