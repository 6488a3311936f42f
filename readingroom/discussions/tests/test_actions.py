"""Every write to discussions, through discussions.actions: starting topics, numbered replies,
edits with their history, deletion, moderation flags, accepted answers, attachments, read
positions and watch levels."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from PIL import Image

from readingroom.discussions import actions, queries
from readingroom.discussions import permissions as perms
from readingroom.discussions.models import (
    Attachment,
    GroupWatch,
    Reply,
    ReplyEdit,
    ReplyMention,
    Topic,
    TopicKind,
    TopicRead,
    TopicWatch,
    WatchLevel,
)
from readingroom.discussions.tests.helpers import jpeg_with_exif, pdf_upload, start
from readingroom.groups import actions as group_actions
from readingroom.groups.tests.helpers import add_member, make_group, png_upload
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def stored_files() -> list[Path]:
    root = Path(settings.RR_PRIVATE_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def tags_of(topic) -> list[str]:
    return list(topic.tags.values_list("name", flat=True))


def fresh(topic) -> Topic:
    return Topic.objects.get(pk=topic.pk)


# --- starting a topic -----------------------------------------------------------------------------


def test_starting_a_topic_makes_its_opening_post_number_one_watched_and_read_by_its_author(forum):
    asker = forum["asker"]
    topic = start(asker, forum["group"], title="  How do you   catalogue zines? ", tags="Zines, #Cataloguing, zines")
    opening = Reply.objects.get(topic=topic)
    assert (topic.title, topic.kind, topic.last_number, topic.replies_count) == (
        "How do you catalogue zines?",
        TopicKind.DISCUSSION,
        1,
        0,
    )
    assert opening.number == 1 and opening.is_opening and opening.author == asker
    assert tags_of(topic) == ["cataloguing", "zines"]
    assert TopicWatch.objects.get(topic=topic, user=asker).level == WatchLevel.ALL
    assert TopicRead.objects.get(topic=topic, user=asker).last_read_number == 1


def test_the_opening_post_is_rendered_markdown(forum):
    topic = start(forum["asker"], forum["group"], body="# Heading\n\nUse **local** headings")
    html = Reply.objects.get(topic=topic).body_html
    assert "<h3>Heading</h3>" in html and "<strong>local</strong>" in html


@pytest.mark.parametrize(
    ("fields", "code", "message"),
    [
        ({"title": "Hi"}, "title_short", "at least 3 characters"),
        ({"title": "   a \n\t "}, "title_short", "at least 3 characters"),
        ({"title": "t" * 151}, "title_long", "at most 150 characters; this one has 151"),
        ({"body": "   \n "}, "empty", "Write something"),
        ({"body": "b" * (settings.RR_REPLY_MAX_CHARS + 1)}, "too_long", "at most 20,000 characters"),
        ({"kind": "poll"}, "kind", "discussion or a question"),
        ({"tags": "one, two, three, four, five, six"}, "too_many_tags", "A topic can have at most 5 tags"),
        ({"tags": [f"tag{n}" for n in range(12)]}, "too_many_tags", "A topic can have at most 5 tags"),
        ({"tags": "fine, <script>"}, "bad_tag", "is not a tag"),
        ({"tags": "a" * 41}, "bad_tag", "is not a tag"),
    ],
)
def test_a_topic_that_breaks_a_rule_is_refused_with_a_clear_message_and_nothing_stored(forum, fields, code, message):
    with pytest.raises(ValidationError) as caught:
        start(forum["asker"], forum["group"], **fields)
    assert caught.value.code == code
    assert message in caught.value.messages[0]
    assert not Topic.objects.exists() and not Reply.objects.exists()


def test_the_longest_title_and_body_and_five_tags_are_accepted(forum):
    topic = start(
        forum["asker"],
        forum["group"],
        title="t" * 150,
        body="b" * settings.RR_REPLY_MAX_CHARS,
        tags=["a", "b", "c", "d", "e"],
        kind=TopicKind.QUESTION,
    )
    assert len(topic.title) == 150 and topic.is_question and len(tags_of(topic)) == 5


def test_an_outsider_of_a_private_group_cannot_tell_it_has_topics(forum):
    with pytest.raises(Http404):
        start(UserFactory(), forum["group"])
    assert not Topic.objects.exists()


def test_a_non_member_of_a_public_group_may_read_but_not_start_a_topic():
    group = make_group(privacy="public")
    with pytest.raises(PermissionDenied, match="Join Lone archivists"):
        start(UserFactory(), group)
    assert not Topic.objects.exists()


def test_a_member_who_left_can_no_longer_start_topics(forum):
    leaver = forum["helper"]
    group_actions.leave(user=leaver, group=forum["group"])
    with pytest.raises(Http404):
        start(leaver, forum["group"])


# --- replies --------------------------------------------------------------------------------------


def test_replies_are_numbered_in_order_and_a_deleted_number_is_never_reused(forum):
    topic = start(forum["asker"], forum["group"])
    numbers = [actions.reply(author=forum["helper"], topic=topic, body=f"Reply {n}").number for n in range(3)]
    assert numbers == [2, 3, 4]
    last = Reply.objects.get(topic=topic, number=4)
    actions.delete_reply(actor=forum["helper"], reply=last)
    again = actions.reply(author=forum["asker"], topic=fresh(topic), body="After the deletion")
    assert again.number == 5
    assert list(Reply.objects.filter(topic=topic).values_list("number", flat=True).order_by("number")) == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert (fresh(topic).last_number, fresh(topic).replies_count) == (5, 3)


def test_replying_bumps_the_topic_watches_it_and_marks_it_read(forum):
    topic = start(forum["asker"], forum["group"])
    helper = forum["helper"]
    new = actions.reply(author=helper, topic=topic, body="Try local headings")
    stored = fresh(topic)
    assert stored.last_activity_at == new.created_at and stored.replies_count == 1
    assert TopicWatch.objects.get(topic=topic, user=helper).level == WatchLevel.ALL
    assert TopicRead.objects.get(topic=topic, user=helper).last_read_number == 2


def test_replying_keeps_a_watch_level_the_member_already_chose(forum):
    topic = start(forum["asker"], forum["group"])
    actions.set_watch(user=forum["helper"], topic=topic, level=WatchLevel.MUTED)
    actions.reply(author=forum["helper"], topic=topic, body="Just once")
    assert TopicWatch.objects.get(topic=topic, user=forum["helper"]).level == WatchLevel.MUTED


def test_a_reply_may_answer_an_earlier_reply_of_the_same_topic_only(forum):
    topic = start(forum["asker"], forum["group"])
    other = start(forum["asker"], forum["group"], title="Another topic")
    first = actions.reply(author=forum["helper"], topic=topic, body="First")
    answer = actions.reply(author=forum["asker"], topic=topic, body="Thanks", parent=first)
    assert answer.parent == first
    elsewhere = Reply.objects.get(topic=other, number=1)
    with pytest.raises(ValidationError) as caught:
        actions.reply(author=forum["helper"], topic=topic, body="Misplaced", parent=elsewhere)
    assert caught.value.code == "parent"
    assert Reply.objects.filter(topic=topic).count() == 3


def test_a_reply_cannot_answer_a_deleted_reply(forum):
    topic = start(forum["asker"], forum["group"])
    first = actions.reply(author=forum["helper"], topic=topic, body="First")
    actions.delete_reply(actor=forum["helper"], reply=first)
    first.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.reply(author=forum["asker"], topic=topic, body="To nothing", parent=first)


def test_an_empty_or_overlong_reply_is_refused(forum):
    topic = start(forum["asker"], forum["group"])
    for body in ("", "  ", "x" * (settings.RR_REPLY_MAX_CHARS + 1)):
        with pytest.raises(ValidationError):
            actions.reply(author=forum["helper"], topic=topic, body=body)
    assert fresh(topic).last_number == 1


def test_a_locked_topic_refuses_members_but_lets_moderators_reply(forum):
    topic = start(forum["asker"], forum["group"])
    actions.set_flags(actor=forum["moderator"], topic=topic, locked=True)
    with pytest.raises(PermissionDenied, match="closed to new replies"):
        actions.reply(author=forum["asker"], topic=fresh(topic), body="Me too")
    note = actions.reply(author=forum["moderator"], topic=fresh(topic), body="Locked: see the FAQ")
    assert note.number == 2


def test_a_reply_is_checked_against_the_topic_as_stored_not_as_loaded(forum):
    """A moderator locks the topic after the member's page loaded it: the stale copy is no pass."""
    topic = start(forum["asker"], forum["group"])
    loaded = fresh(topic)
    actions.set_flags(actor=forum["moderator"], topic=topic, locked=True)
    with pytest.raises(PermissionDenied):
        actions.reply(author=forum["helper"], topic=loaded, body="Sneaking in")
    assert fresh(topic).last_number == 1


def test_an_archived_topic_refuses_every_reply_and_edit_by_its_author(forum):
    topic = start(forum["asker"], forum["group"])
    first = actions.reply(author=forum["helper"], topic=topic, body="Before the archive")
    actions.set_flags(actor=forum["owner"], topic=topic, archived=True)
    for author in (forum["asker"], forum["moderator"], forum["owner"]):
        with pytest.raises(PermissionDenied):
            actions.reply(author=author, topic=fresh(topic), body="Too late")
    first = Reply.objects.select_related("topic").get(pk=first.pk)
    with pytest.raises(PermissionDenied):
        actions.edit_reply(editor=forum["helper"], reply=first, body="Rewritten")
    assert fresh(topic).last_number == 2


def test_only_moderators_pin_lock_and_archive(forum):
    topic = start(forum["asker"], forum["group"])
    with pytest.raises(PermissionDenied):
        actions.set_flags(actor=forum["asker"], topic=topic, pinned=True)
    with pytest.raises(Http404):
        actions.set_flags(actor=UserFactory(), topic=topic, locked=True)
    actions.set_flags(actor=forum["moderator"], topic=topic, pinned=True, locked=True)
    stored = fresh(topic)
    assert (stored.is_pinned, stored.is_locked, stored.is_archived) == (True, True, False)
    actions.set_flags(actor=forum["moderator"], topic=stored, locked=False)
    assert (fresh(topic).is_pinned, fresh(topic).is_locked) == (True, False)


def test_a_non_member_reply_to_a_public_groups_topic_is_refused():
    group = make_group(privacy="public")
    topic = start(add_member(group), group)
    with pytest.raises(PermissionDenied, match="Join"):
        actions.reply(author=UserFactory(), topic=topic, body="Drive-by")


# --- editing --------------------------------------------------------------------------------------


def test_editing_a_reply_keeps_each_earlier_version(forum):
    topic = start(forum["asker"], forum["group"])
    answer = actions.reply(author=forum["helper"], topic=topic, body="Use LCSH")
    actions.edit_reply(editor=forum["helper"], reply=answer, body="Use LCSH or FAST")
    actions.edit_reply(editor=forum["helper"], reply=answer, body="Use **FAST**")
    answer.refresh_from_db()
    assert answer.body == "Use **FAST**" and "<strong>FAST</strong>" in answer.body_html
    assert answer.edited_at is not None
    assert [e.body for e in queries.edit_history(answer)] == ["Use LCSH or FAST", "Use LCSH"]
    assert all(e.title == "" for e in queries.edit_history(answer))


def test_an_edit_that_changes_nothing_keeps_no_version(forum):
    topic = start(forum["asker"], forum["group"])
    answer = actions.reply(author=forum["helper"], topic=topic, body="Same")
    actions.edit_reply(editor=forum["helper"], reply=answer, body="  Same  ")
    assert not ReplyEdit.objects.exists()


def test_editing_the_opening_post_changes_the_topics_title_and_tags_and_keeps_the_old_title(forum):
    topic = start(forum["asker"], forum["group"], title="Zines?", tags="zines")
    opening = Reply.objects.get(topic=topic, number=1)
    actions.edit_reply(
        editor=forum["asker"], reply=opening, body="Any tips at all?", title="Cataloguing zines", tags="zines, diy"
    )
    stored = fresh(topic)
    assert stored.title == "Cataloguing zines" and tags_of(stored) == ["diy", "zines"]
    (version,) = queries.edit_history(opening)
    assert (version.title, version.body) == ("Zines?", "Any tips welcome.")


def test_a_title_is_only_the_opening_posts_to_change(forum):
    topic = start(forum["asker"], forum["group"], title="Zines?")
    answer = actions.reply(author=forum["asker"], topic=topic, body="Bump")
    actions.edit_reply(editor=forum["asker"], reply=answer, body="Bump again", title="Hijacked", tags="spam")
    assert fresh(topic).title == "Zines?" and tags_of(fresh(topic)) == []


def test_an_opening_post_edit_with_a_bad_title_or_tags_changes_nothing(forum):
    topic = start(forum["asker"], forum["group"], title="Zines?", tags="zines")
    opening = Reply.objects.get(topic=topic, number=1)
    for changes in ({"title": "no"}, {"title": "Fine title", "tags": "a, b, c, d, e, f"}):
        with pytest.raises(ValidationError):
            actions.edit_reply(editor=forum["asker"], reply=opening, body="New words", **changes)
    opening.refresh_from_db()
    assert opening.body == "Any tips welcome." and fresh(topic).title == "Zines?" and tags_of(topic) == ["zines"]
    assert not ReplyEdit.objects.exists()


def test_only_the_author_or_a_moderator_edits_a_reply(forum):
    topic = start(forum["asker"], forum["group"])
    answer = actions.reply(author=forum["helper"], topic=topic, body="Mine")
    with pytest.raises(PermissionDenied):
        actions.edit_reply(editor=forum["asker"], reply=answer, body="Not yours")
    with pytest.raises(Http404):
        actions.edit_reply(editor=UserFactory(), reply=answer, body="Not even a member")
    actions.edit_reply(editor=forum["moderator"], reply=answer, body="Edited by a moderator")
    answer.refresh_from_db()
    assert answer.body == "Edited by a moderator" and answer.author == forum["helper"]


def test_an_author_who_left_the_group_can_no_longer_edit(forum):
    group = make_group(privacy="public")
    author = add_member(group)
    topic = start(add_member(group), group)
    answer = actions.reply(author=author, topic=topic, body="Before I left")
    group_actions.leave(user=author, group=group)
    with pytest.raises(PermissionDenied):
        actions.edit_reply(editor=author, reply=answer, body="After I left")


# --- deleting -------------------------------------------------------------------------------------


def test_deleting_a_reply_keeps_its_number_and_clears_its_words_history_and_files(forum):
    topic = start(forum["asker"], forum["group"], kind=TopicKind.QUESTION)
    answer = actions.reply(author=forum["helper"], topic=topic, body="See @x", attachments=[(pdf_upload(), "")])
    actions.edit_reply(editor=forum["helper"], reply=answer, body="See the slides")
    actions.accept_answer(actor=forum["asker"], topic=fresh(topic), reply=answer)
    later = actions.reply(author=forum["asker"], topic=fresh(topic), body="Thanks")
    actions.delete_reply(actor=forum["helper"], reply=answer)
    answer.refresh_from_db()
    assert answer.number == 2 and answer.deleted_at is not None and answer.body == answer.body_html == ""
    assert not ReplyEdit.objects.filter(reply=answer).exists()
    assert not Attachment.objects.exists()
    stored = fresh(topic)
    assert stored.accepted_reply_id is None and stored.replies_count == 1 and stored.last_number == 3
    assert [r.number for r in queries.topic_page(forum["asker"], stored).replies] == [1, 2, later.number]


def test_a_deleted_reply_cannot_be_deleted_or_edited_again(forum):
    topic = start(forum["asker"], forum["group"])
    answer = actions.reply(author=forum["helper"], topic=topic, body="Once")
    actions.delete_reply(actor=forum["helper"], reply=answer)
    answer.refresh_from_db()
    with pytest.raises(PermissionDenied):
        actions.delete_reply(actor=forum["helper"], reply=answer)
    with pytest.raises(PermissionDenied):
        actions.edit_reply(editor=forum["moderator"], reply=answer, body="Back")
    assert fresh(topic).replies_count == 0


def test_only_the_author_or_a_moderator_deletes_a_reply(forum):
    topic = start(forum["asker"], forum["group"])
    answer = actions.reply(author=forum["helper"], topic=topic, body="Mine")
    with pytest.raises(PermissionDenied):
        actions.delete_reply(actor=forum["asker"], reply=answer)
    with pytest.raises(Http404):
        actions.delete_reply(actor=UserFactory(), reply=answer)
    actions.delete_reply(actor=forum["moderator"], reply=answer)
    assert Reply.objects.get(pk=answer.pk).deleted_at is not None


def test_deleting_the_opening_post_deletes_the_topic_for_everyone(forum):
    topic = start(forum["asker"], forum["group"], attachments=[(pdf_upload(), "Slides")])
    answer = actions.reply(author=forum["helper"], topic=topic, body="An answer")
    assert stored_files()
    actions.delete_reply(actor=forum["asker"], reply=Reply.objects.get(topic=topic, number=1))
    stored = fresh(topic)
    assert stored.deleted_at is not None
    for viewer in forum.values():
        if viewer is forum["group"]:
            continue
        assert not perms.can_read(viewer, stored)
        with pytest.raises(Http404):
            queries.topic_by_id(viewer, forum["group"], topic.pk)
    assert not Attachment.objects.exists()
    with pytest.raises(Http404):
        actions.reply(author=forum["helper"], topic=stored, body="Anyone?")
    answer = Reply.objects.select_related("topic").get(pk=answer.pk)
    assert not perms.can_edit(forum["helper"], answer) and not perms.can_edit(forum["moderator"], answer)
    for attempt in (
        lambda: actions.edit_reply(editor=forum["moderator"], reply=answer, body="Edited in the void"),
        lambda: actions.delete_reply(actor=forum["helper"], reply=answer),
        lambda: actions.set_flags(actor=forum["moderator"], topic=stored, pinned=True),
        lambda: actions.set_watch(user=forum["helper"], topic=stored, level=WatchLevel.ALL),
    ):
        with pytest.raises(Http404):
            attempt()
    assert Reply.objects.get(pk=answer.pk).body == "An answer"
    assert queries.topic_list(forum["helper"], forum["group"], queries.TopicFilters()).items == []


def test_deleted_files_leave_the_disk_once_the_deletion_commits(forum, committing):
    topic = start(forum["asker"], forum["group"])
    answer = actions.reply(author=forum["helper"], topic=topic, body="Slides", attachments=[(pdf_upload(), "")])
    assert len(stored_files()) == 1
    with committing():
        actions.delete_reply(actor=forum["helper"], reply=answer)
    assert stored_files() == []


def test_a_moderator_may_delete_a_members_topic_but_another_member_may_not(forum):
    topic = start(forum["asker"], forum["group"])
    with pytest.raises(PermissionDenied):
        actions.delete_topic(actor=forum["helper"], topic=topic)
    actions.delete_topic(actor=forum["moderator"], topic=topic)
    assert fresh(topic).deleted_at is not None


def test_deleting_a_group_takes_its_topics_and_files(forum, committing):
    start(forum["asker"], forum["group"], attachments=[(pdf_upload(), "")])
    with committing():
        group_actions.delete_group(actor=forum["owner"], group=forum["group"])
    assert not Topic.objects.exists() and stored_files() == []


# --- accepted answers -----------------------------------------------------------------------------


def test_the_asker_accepts_an_answer_and_may_change_or_clear_it(forum):
    topic = start(forum["asker"], forum["group"], kind=TopicKind.QUESTION)
    first = actions.reply(author=forum["helper"], topic=topic, body="One way")
    second = actions.reply(author=forum["moderator"], topic=topic, body="Another way")
    actions.accept_answer(actor=forum["asker"], topic=fresh(topic), reply=first)
    assert fresh(topic).accepted_reply == first
    actions.accept_answer(actor=forum["asker"], topic=fresh(topic), reply=second)
    assert fresh(topic).accepted_reply == second
    actions.accept_answer(actor=forum["asker"], topic=fresh(topic), reply=None)
    assert fresh(topic).accepted_reply is None


def test_a_moderator_may_accept_for_the_asker_but_another_member_may_not(forum):
    topic = start(forum["asker"], forum["group"], kind=TopicKind.QUESTION)
    answer = actions.reply(author=forum["helper"], topic=topic, body="Answer")
    with pytest.raises(PermissionDenied):
        actions.accept_answer(actor=forum["helper"], topic=fresh(topic), reply=answer)
    with pytest.raises(Http404):
        actions.accept_answer(actor=UserFactory(), topic=fresh(topic), reply=answer)
    actions.accept_answer(actor=forum["moderator"], topic=fresh(topic), reply=answer)
    assert fresh(topic).accepted_reply == answer


def test_only_a_question_has_an_accepted_answer(forum):
    topic = start(forum["asker"], forum["group"], kind=TopicKind.DISCUSSION)
    answer = actions.reply(author=forum["helper"], topic=topic, body="Opinion")
    for actor in (forum["asker"], forum["owner"]):
        with pytest.raises(PermissionDenied):
            actions.accept_answer(actor=actor, topic=fresh(topic), reply=answer)
    assert fresh(topic).accepted_reply is None


def test_the_answer_is_never_the_opening_post_another_topics_reply_or_a_deleted_one(forum):
    topic = start(forum["asker"], forum["group"], kind=TopicKind.QUESTION)
    other = start(forum["asker"], forum["group"], title="Other question", kind=TopicKind.QUESTION)
    gone = actions.reply(author=forum["helper"], topic=topic, body="Gone soon")
    actions.delete_reply(actor=forum["helper"], reply=gone)
    gone.refresh_from_db()
    candidates = [
        Reply.objects.get(topic=topic, number=1),
        actions.reply(author=forum["helper"], topic=other, body="Elsewhere"),
        gone,
    ]
    for candidate in candidates:
        with pytest.raises(ValidationError) as caught:
            actions.accept_answer(actor=forum["asker"], topic=fresh(topic), reply=candidate)
        assert caught.value.code == "answer"
    assert fresh(topic).accepted_reply is None


# --- attachments ----------------------------------------------------------------------------------


def test_an_image_needs_a_description_and_nothing_is_stored_without_one(forum):
    with pytest.raises(ValidationError) as caught:
        start(forum["asker"], forum["group"], attachments=[(pdf_upload(), ""), (png_upload("cover.png"), "   ")])
    assert caught.value.code == "alt_missing" and "cover.png" in caught.value.messages[0]
    assert not Topic.objects.exists() and not Attachment.objects.exists() and stored_files() == []


def test_an_image_is_re_encoded_without_its_camera_metadata(forum):
    topic = start(forum["asker"], forum["group"], attachments=[(jpeg_with_exif(), "A red square")])
    (attachment,) = Attachment.objects.filter(reply__topic=topic)
    assert attachment.is_image and attachment.content_type == "image/jpeg" and attachment.alt_text == "A red square"
    with attachment.file.open("rb") as fh:
        data = fh.read()
    assert b"Secret Camera Co" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
        assert image.size == (80, 60)
    assert attachment.size == len(data)
    assert str(settings.RR_PRIVATE_ROOT) in attachment.file.path  # not under MEDIA_ROOT


def test_a_pdf_is_kept_as_it_was_with_a_safe_name(forum):
    upload = pdf_upload("../../Slides (final).pdf")
    original = upload.read()
    upload.seek(0)
    topic = start(forum["asker"], forum["group"], attachments=[(upload, "Our slides")])
    (attachment,) = Attachment.objects.filter(reply__topic=topic)
    assert (attachment.content_type, attachment.original_name, attachment.size) == (
        "application/pdf",
        "Slides final.pdf",
        len(original),
    )
    with attachment.file.open("rb") as fh:
        assert fh.read() == original


def test_files_keep_the_order_they_were_attached_in(forum):
    topic = start(
        forum["asker"],
        forum["group"],
        attachments=[(pdf_upload("b.pdf"), ""), (png_upload("a.png"), "Blue"), (pdf_upload("c.pdf"), "")],
    )
    # The opaque PNG was re-encoded as a JPEG, and its name says so.
    assert [a.original_name for a in Attachment.objects.filter(reply__topic=topic)] == ["b.pdf", "a.jpg", "c.pdf"]


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00" * 64, content_type="application/octet-stream"),
        SimpleUploadedFile("fake.png", b"\x00\x01\x02<?php ?>" * 40, content_type="image/png"),
        SimpleUploadedFile("anim.gif", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff" * 4, content_type="image/gif"),
    ],
    ids=["executable", "binary-named-png", "gif"],
)
def test_a_file_of_a_kind_we_do_not_keep_is_refused_with_a_clear_message(forum, upload):
    topic = start(forum["asker"], forum["group"])
    with pytest.raises(ValidationError) as caught:
        actions.reply(author=forum["helper"], topic=topic, body="See attached", attachments=[(upload, "A file")])
    assert "That kind of file is not accepted. Accepted: PDF, PNG" in caught.value.messages[0]
    assert fresh(topic).last_number == 1 and not Attachment.objects.exists() and stored_files() == []


def test_an_empty_file_is_refused(forum):
    with pytest.raises(ValidationError, match="empty"):
        start(forum["asker"], forum["group"], attachments=[(SimpleUploadedFile("x.pdf", b""), "")])


def test_more_files_than_allowed_are_refused_and_none_stored(forum):
    too_many = [(pdf_upload(f"{n}.pdf"), "") for n in range(settings.RR_MAX_ATTACHMENTS + 1)]
    with pytest.raises(ValidationError) as caught:
        start(forum["asker"], forum["group"], attachments=too_many)
    assert caught.value.code == "too_many_files" and "at most 5 files" in caught.value.messages[0]
    assert not Topic.objects.exists() and stored_files() == []
    topic = start(forum["asker"], forum["group"], attachments=too_many[:-1])
    assert Attachment.objects.filter(reply__topic=topic).count() == settings.RR_MAX_ATTACHMENTS


def test_a_bad_file_after_good_ones_stores_none_of_them(forum):
    topic = start(forum["asker"], forum["group"])
    files = [(pdf_upload(), ""), (png_upload(), "Blue"), (SimpleUploadedFile("x.bin", b"\x00\xff" * 100), "")]
    with pytest.raises(ValidationError):
        actions.reply(author=forum["helper"], topic=topic, body="Three files", attachments=files)
    assert not Attachment.objects.exists() and [p.name for p in stored_files()] == []


def test_an_overlong_file_description_is_refused(forum):
    with pytest.raises(ValidationError) as caught:
        start(forum["asker"], forum["group"], attachments=[(png_upload(), "d" * 1501)])
    assert caught.value.code == "alt_long" and "at most 1,500 characters" in caught.value.messages[0]


# --- mentions -------------------------------------------------------------------------------------


def test_mentions_are_kept_for_members_who_may_read_the_topic(forum):
    outsider = UserFactory(profile__handle="outsider")
    helper = forum["helper"]
    topic = start(forum["asker"], forum["group"], body=f"Ask @{helper.profile.handle} or @outsider or @nobody")
    opening = Reply.objects.get(topic=topic, number=1)
    assert list(ReplyMention.objects.filter(reply=opening).values_list("user_id", flat=True)) == [helper.pk]
    assert f'class="mention" rel="nofollow noopener ugc">@{helper.profile.handle}</a>' in opening.body_html
    assert outsider.pk not in set(ReplyMention.objects.values_list("user_id", flat=True))


def test_an_edit_that_drops_a_mention_drops_its_row(forum):
    helper = forum["helper"]
    topic = start(forum["asker"], forum["group"], body=f"Ask @{helper.profile.handle}")
    opening = Reply.objects.get(topic=topic, number=1)
    actions.edit_reply(editor=forum["asker"], reply=opening, body="Ask anyone")
    assert not ReplyMention.objects.exists()


# --- read positions and watch levels --------------------------------------------------------------


def test_the_read_position_only_moves_forward_and_stays_within_the_topic(forum):
    topic = start(forum["asker"], forum["group"])
    for n in range(4):
        actions.reply(author=forum["asker"], topic=topic, body=f"Reply {n}")
    reader = forum["helper"]
    stored = fresh(topic)
    actions.mark_read(user=reader, topic=stored, number=3)
    assert queries.read_position(reader, stored) == 3
    actions.mark_read(user=reader, topic=stored, number=2)
    assert queries.read_position(reader, stored) == 3
    actions.mark_read(user=reader, topic=stored, number=10_000)
    assert queries.read_position(reader, stored) == stored.last_number == 5
    actions.mark_read(user=reader, topic=stored, number=-4)
    assert queries.read_position(reader, stored) == 5


def test_reading_positions_are_not_kept_for_topics_the_member_may_not_read(forum):
    topic = start(forum["asker"], forum["group"])
    outsider = UserFactory()
    actions.mark_read(user=outsider, topic=topic, number=1)
    assert not TopicRead.objects.filter(user=outsider).exists()


def test_a_topics_own_level_beats_the_groups_which_beats_the_default(forum):
    topic = start(forum["asker"], forum["group"])
    helper = forum["helper"]
    assert queries.watch_level(helper, topic) == WatchLevel.MENTIONS
    actions.set_group_watch(user=helper, group=forum["group"], level=WatchLevel.ALL)
    assert queries.watch_level(helper, topic) == WatchLevel.ALL
    assert queries.group_watch_level(helper, forum["group"]) == WatchLevel.ALL
    actions.set_watch(user=helper, topic=topic, level=WatchLevel.MUTED)
    assert queries.watch_level(helper, topic) == WatchLevel.MUTED
    actions.set_watch(user=helper, topic=topic, level=WatchLevel.MENTIONS)
    assert TopicWatch.objects.filter(user=helper).count() == 1
    assert queries.watch_level(helper, topic) == WatchLevel.MENTIONS


def test_an_unknown_watch_level_is_refused(forum):
    topic = start(forum["asker"], forum["group"])
    with pytest.raises(ValidationError):
        actions.set_watch(user=forum["helper"], topic=topic, level="loud")
    with pytest.raises(ValidationError):
        actions.set_group_watch(user=forum["helper"], group=forum["group"], level="")
    assert not TopicWatch.objects.filter(user=forum["helper"]).exists() and not GroupWatch.objects.exists()


def test_only_readers_watch_a_topic_and_only_members_watch_a_group(forum):
    topic = start(forum["asker"], forum["group"])
    with pytest.raises(Http404):
        actions.set_watch(user=UserFactory(), topic=topic, level=WatchLevel.ALL)
    with pytest.raises(Http404):
        actions.set_group_watch(user=UserFactory(), group=forum["group"], level=WatchLevel.ALL)
    public = make_group(name="Open shelves", privacy="public")
    with pytest.raises(PermissionDenied):
        actions.set_group_watch(user=UserFactory(), group=public, level=WatchLevel.ALL)
    assert not GroupWatch.objects.exists()
