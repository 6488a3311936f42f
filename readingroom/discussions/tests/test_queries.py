"""Every read of discussions, through discussions.queries: topic lists by keyset (latest and top),
pinned topics, filters, blocks, unread counts, a topic's pages of replies and search in a group."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from readingroom.core.pagination import MAX_ID
from readingroom.discussions import actions, queries
from readingroom.discussions.models import Topic, TopicKind
from readingroom.discussions.tests.helpers import start
from readingroom.groups.tests.helpers import add_member, make_group
from readingroom.testing.factories import BlockFactory, UserFactory

pytestmark = pytest.mark.django_db

LATEST, TOP = queries.TopicFilters(sort="latest"), queries.TopicFilters(sort="top")


def titles(page_or_list) -> list[str]:
    items = page_or_list.items if hasattr(page_or_list, "items") else page_or_list
    return [t.title for t in items]


def every_page(viewer, group, filters) -> list[int]:
    """The ids of every topic the list shows, following its cursors to the end."""
    seen, after = [], None
    for _ in range(100):
        page = queries.topic_list(viewer, group, filters, after=after)
        seen += [t.pk for t in page.items]
        if page.next_cursor is None:
            return seen
        after = queries.parse_topic_cursor(page.next_cursor)
        assert after is not None, page.next_cursor
    raise AssertionError("the list never ended")


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(queries, "TOPICS_PAGE", 3)


# --- the topic list -------------------------------------------------------------------------------


def test_latest_lists_topics_by_their_last_activity(forum):
    first = start(forum["asker"], forum["group"], title="First")
    second = start(forum["asker"], forum["group"], title="Second")
    assert titles(queries.topic_list(forum["helper"], forum["group"], LATEST)) == ["Second", "First"]
    actions.reply(author=forum["helper"], topic=first, body="Bump")
    assert titles(queries.topic_list(forum["helper"], forum["group"], LATEST)) == ["First", "Second"]
    assert second.pk  # listed, and still there


def test_top_lists_topics_by_their_replies(forum):
    quiet = start(forum["asker"], forum["group"], title="Quiet")
    busy = start(forum["asker"], forum["group"], title="Busy")
    for _ in range(2):
        actions.reply(author=forum["helper"], topic=busy, body="More")
    actions.reply(author=forum["helper"], topic=quiet, body="One")
    start(forum["asker"], forum["group"], title="Silent")
    assert titles(queries.topic_list(forum["helper"], forum["group"], TOP)) == ["Busy", "Quiet", "Silent"]


@pytest.mark.parametrize("filters", [LATEST, TOP], ids=["latest", "top"])
def test_paging_neither_repeats_nor_skips_a_topic_even_among_ties(forum, small_pages, filters):
    group = forum["group"]
    topics = [start(forum["asker"], group, title=f"Topic {n:02}") for n in range(11)]
    for topic in topics[:4]:
        actions.reply(author=forum["helper"], topic=topic, body="A reply")
    # Ties on both sort values: seven topics share one moment and most share a reply count.
    same_moment = timezone.now() - timedelta(days=1)
    Topic.objects.filter(pk__in=[t.pk for t in topics[2:9]]).update(last_activity_at=same_moment)
    seen = every_page(forum["helper"], group, filters)
    assert sorted(seen) == sorted(t.pk for t in topics) and len(seen) == len(set(seen))
    field = "last_activity_at" if filters.sort == "latest" else "replies_count"
    expected = list(Topic.objects.filter(group=group).order_by(f"-{field}", "-pk").values_list("pk", flat=True))
    assert seen == expected


def test_a_topic_bumped_while_paging_is_not_shown_twice(forum, small_pages):
    group = forum["group"]
    topics = [start(forum["asker"], group, title=f"Topic {n}") for n in range(7)]
    first = queries.topic_list(forum["helper"], group, LATEST)
    actions.reply(author=forum["helper"], topic=Topic.objects.get(pk=first.items[0].pk), body="Bump")
    rest = every_page_from(forum["helper"], group, first.next_cursor)
    shown = [t.pk for t in first.items] + rest
    assert len(shown) == len(set(shown)) == len(topics)


def every_page_from(viewer, group, cursor) -> list[int]:
    seen = []
    while cursor:
        page = queries.topic_list(viewer, group, LATEST, after=queries.parse_topic_cursor(cursor))
        seen += [t.pk for t in page.items]
        cursor = page.next_cursor
    return seen


@pytest.mark.parametrize(
    "cursor", ["", "abc", "1.2.3", "-1.5", "1.0", "١٢.٣", f"{MAX_ID + 1}.1", f"1.{MAX_ID + 1}", "x" * 100, ".", "5."]
)
def test_a_bad_cursor_is_ignored(cursor):
    assert queries.parse_topic_cursor(cursor) is None


@pytest.mark.parametrize("filters", [LATEST, TOP], ids=["latest", "top"])
def test_a_well_formed_cursor_beyond_any_value_is_harmless(forum, filters):
    start(forum["asker"], forum["group"])
    past_the_end = queries.topic_list(forum["helper"], forum["group"], filters, after=(MAX_ID, MAX_ID))
    assert len(past_the_end.items) == 1  # a moment no calendar holds is no cursor; a huge count is before all
    assert queries.topic_list(forum["helper"], forum["group"], filters, after=(0, 1)).items == []


def test_an_unknown_sort_is_latest(forum):
    start(forum["asker"], forum["group"], title="Older")
    start(forum["asker"], forum["group"], title="Newer")
    filters = queries.TopicFilters(sort="'; drop table")
    assert titles(queries.topic_list(forum["helper"], forum["group"], filters)) == ["Newer", "Older"]


def test_pinned_topics_are_listed_apart_from_the_others(forum):
    pinned = start(forum["asker"], forum["group"], title="House rules")
    start(forum["asker"], forum["group"], title="Ordinary")
    actions.set_flags(actor=forum["moderator"], topic=pinned, pinned=True)
    assert titles(queries.pinned_topics(forum["helper"], forum["group"])) == ["House rules"]
    assert titles(queries.topic_list(forum["helper"], forum["group"], LATEST)) == ["Ordinary"]


def test_archived_topics_leave_the_lists_for_the_archive(forum):
    old = start(forum["asker"], forum["group"], title="Old news")
    pinned_old = start(forum["asker"], forum["group"], title="Old rules")
    start(forum["asker"], forum["group"], title="Current")
    actions.set_flags(actor=forum["moderator"], topic=old, archived=True)
    actions.set_flags(actor=forum["moderator"], topic=pinned_old, archived=True, pinned=True)
    assert titles(queries.topic_list(forum["helper"], forum["group"], LATEST)) == ["Current"]
    assert queries.pinned_topics(forum["helper"], forum["group"]) == []
    archive = queries.topic_list(forum["helper"], forum["group"], queries.TopicFilters(archived=True))
    assert titles(archive) == ["Old rules", "Old news"]


def test_the_tag_filter_shows_only_topics_with_that_tag(forum):
    start(forum["asker"], forum["group"], title="Zines", tags="zines, diy")
    start(forum["asker"], forum["group"], title="Maps", tags="maps")
    start(forum["asker"], forum["group"], title="Untagged")
    listed = queries.topic_list(forum["helper"], forum["group"], queries.TopicFilters(tag="diy"))
    assert titles(listed) == ["Zines"]
    assert [t.name for t in listed.items[0].tags.all()] == ["diy", "zines"]
    assert queries.topic_list(forum["helper"], forum["group"], queries.TopicFilters(tag="nothing")).items == []
    assert queries.tags_in_use(forum["group"]) == ["diy", "maps", "zines"]


def test_the_unanswered_filter_shows_questions_without_an_accepted_answer(forum):
    open_question = start(forum["asker"], forum["group"], title="Open question", kind=TopicKind.QUESTION)
    answered = start(forum["asker"], forum["group"], title="Answered", kind=TopicKind.QUESTION)
    start(forum["asker"], forum["group"], title="A discussion")
    answer = actions.reply(author=forum["helper"], topic=answered, body="This")
    actions.accept_answer(actor=forum["asker"], topic=answered, reply=answer)
    unanswered = queries.topic_list(forum["helper"], forum["group"], queries.TopicFilters(unanswered=True))
    assert titles(unanswered) == ["Open question"] and open_question.pk == unanswered.items[0].pk


def test_deleted_topics_and_other_groups_topics_are_never_listed(forum):
    gone = start(forum["asker"], forum["group"], title="Deleted")
    actions.delete_topic(actor=forum["asker"], topic=gone)
    other = make_group(name="Other group", privacy="public")
    start(add_member(other), other, title="Elsewhere")
    start(forum["asker"], forum["group"], title="Here")
    assert titles(queries.topic_list(forum["helper"], forum["group"], LATEST)) == ["Here"]
    assert queries.tags_in_use(forum["group"]) == []


def test_topics_by_someone_in_a_block_with_the_viewer_are_not_listed(forum):
    start(forum["asker"], forum["group"], title="By the blocker")
    start(forum["helper"], forum["group"], title="By the blocked")
    start(forum["owner"], forum["group"], title="By someone else")
    BlockFactory(blocker=forum["asker"], blocked=forum["moderator"])
    BlockFactory(blocker=forum["moderator"], blocked=forum["helper"])
    assert titles(queries.topic_list(forum["moderator"], forum["group"], LATEST)) == ["By someone else"]
    assert titles(queries.topic_list(forum["owner"], forum["group"], LATEST)) == [
        "By someone else",
        "By the blocked",
        "By the blocker",
    ]


def test_an_outsider_of_a_private_group_gets_no_list(forum):
    start(forum["asker"], forum["group"])
    for outsider in (UserFactory(), None):
        viewer = outsider or _anonymous()
        for read in (
            lambda v: queries.topic_list(v, forum["group"], LATEST),
            lambda v: queries.search_in_group(v, forum["group"], "zines"),
        ):
            with pytest.raises(Http404):
                read(viewer)


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_anyone_reads_a_public_groups_list(forum):
    group = make_group(name="Open shelves", privacy="public")
    start(add_member(group), group, title="Open to all")
    assert titles(queries.topic_list(_anonymous(), group, LATEST)) == ["Open to all"]
    assert queries.unread_count(queries.topic_list(_anonymous(), group, LATEST).items[0]) is None


def test_the_list_costs_the_same_queries_for_three_topics_or_thirty(forum, django_assert_max_num_queries):
    group, viewer = forum["group"], forum["helper"]
    for n in range(3):
        start(forum["asker"], group, title=f"Topic {n}", tags="a, b")
    with django_assert_max_num_queries(4) as few:
        queries.topic_list(viewer, group, LATEST)
    for n in range(27):
        start(forum["asker"], group, title=f"More {n}", tags="c")
    viewer = type(viewer).objects.get(pk=viewer.pk)
    with django_assert_max_num_queries(len(few.captured_queries) + 1):
        assert len(queries.topic_list(viewer, group, LATEST).items) == 30


# --- unread counts --------------------------------------------------------------------------------


def test_unread_counts_the_replies_since_the_members_last_visit(forum):
    topic = start(forum["asker"], forum["group"])
    for n in range(4):
        actions.reply(author=forum["asker"], topic=topic, body=f"Reply {n}")
    reader = forum["helper"]
    (listed,) = queries.topic_list(reader, forum["group"], LATEST).items
    assert queries.unread_count(listed) is None  # never opened: the list says so, not "5 new"
    actions.mark_read(user=reader, topic=Topic.objects.get(pk=topic.pk), number=2)
    (listed,) = queries.topic_list(reader, forum["group"], LATEST).items
    assert queries.unread_count(listed) == 3
    (own,) = queries.topic_list(forum["asker"], forum["group"], LATEST).items
    assert queries.unread_count(own) == 0  # replying marks one's own replies read


# --- a topic's pages ------------------------------------------------------------------------------


def test_a_topic_pages_by_reply_number(forum, settings):
    settings.RR_TOPIC_PAGE_SIZE = 3
    topic = start(forum["asker"], forum["group"])
    for n in range(6):
        actions.reply(author=forum["helper"], topic=topic, body=f"Reply {n}")
    topic = Topic.objects.get(pk=topic.pk)
    first = queries.topic_page(forum["asker"], topic)
    assert [r.number for r in first.replies] == [1, 2, 3] and (first.previous_start, first.next_start) == (None, 4)
    middle = queries.topic_page(forum["asker"], topic, start=5)  # the page that holds reply 5
    assert [r.number for r in middle.replies] == [4, 5, 6] and (middle.previous_start, middle.next_start) == (1, 7)
    last = queries.topic_page(forum["asker"], topic, start=10_000)
    assert [r.number for r in last.replies] == [7] and last.next_start is None
    assert queries.page_start(topic, -3) == 1


def test_replies_by_someone_in_a_block_with_the_viewer_are_kept_in_place_but_flagged(forum):
    topic = start(forum["asker"], forum["group"])
    actions.reply(author=forum["helper"], topic=topic, body="From the blocked")
    actions.reply(author=forum["moderator"], topic=topic, body="From someone else")
    BlockFactory(blocker=forum["helper"], blocked=forum["owner"])
    page = queries.topic_page(forum["owner"], Topic.objects.get(pk=topic.pk))
    assert [(r.number, r.hidden_for_viewer) for r in page.replies] == [(1, False), (2, True), (3, False)]
    unblocked = queries.topic_page(forum["asker"], Topic.objects.get(pk=topic.pk))
    assert not any(r.hidden_for_viewer for r in unblocked.replies)
    anonymous = queries.topic_page(_anonymous(), Topic.objects.get(pk=topic.pk))
    assert not any(r.hidden_for_viewer for r in anonymous.replies)


def test_a_topic_is_found_only_in_its_own_group(forum):
    topic = start(forum["asker"], forum["group"])
    other = make_group(name="Other", privacy="public", owner=forum["asker"])
    with pytest.raises(Http404):
        queries.topic_by_id(forum["asker"], other, topic.pk)
    with pytest.raises(Http404):
        queries.topic_by_id(forum["asker"], forum["group"], topic.pk + 1000)
    assert queries.topic_by_id(forum["asker"], forum["group"], topic.pk) == topic
    with pytest.raises(Http404):
        queries.reply_by_number(topic, 2)


def test_the_read_position_of_a_visitor_is_the_end(forum):
    group = make_group(name="Open shelves", privacy="public")
    topic = start(add_member(group), group)
    assert queries.read_position(_anonymous(), topic) == 1
    assert queries.read_position(UserFactory(), topic) == 0


# --- search in a group ----------------------------------------------------------------------------


def test_search_finds_topics_by_title_and_by_reply_text_with_every_word(forum):
    group = forum["group"]
    by_title = start(forum["asker"], group, title="Cataloguing zines")
    by_reply = start(forum["asker"], group, title="Odd formats")
    actions.reply(author=forum["helper"], topic=by_reply, body="Zines need local subject headings")
    start(forum["asker"], group, title="Maps", body="Nothing of the kind")
    assert titles(queries.search_in_group(forum["helper"], group, "ZINES")) == ["Odd formats", "Cataloguing zines"]
    assert titles(queries.search_in_group(forum["helper"], group, "zines headings")) == ["Odd formats"]
    assert titles(queries.search_in_group(forum["helper"], group, "cataloguing")) == [by_title.title]
    assert queries.search_in_group(forum["helper"], group, "   ") == []


def test_search_never_returns_other_groups_deleted_topics_or_deleted_replies(forum):
    group = forum["group"]
    other = make_group(name="Other", privacy="public")
    start(add_member(other), other, title="Zines elsewhere")
    gone = start(forum["asker"], group, title="Zines, deleted")
    actions.delete_topic(actor=forum["asker"], topic=gone)
    topic = start(forum["asker"], group, title="Formats")
    reply = actions.reply(author=forum["helper"], topic=topic, body="Zines!")
    assert titles(queries.search_in_group(forum["helper"], group, "zines")) == ["Formats"]
    actions.delete_reply(actor=forum["helper"], reply=reply)
    assert queries.search_in_group(forum["helper"], group, "zines") == []


def test_search_hides_topics_by_someone_in_a_block_with_the_viewer(forum):
    start(forum["asker"], forum["group"], title="Zines by the blocker")
    BlockFactory(blocker=forum["asker"], blocked=forum["helper"])
    assert queries.search_in_group(forum["helper"], forum["group"], "zines") == []
    assert titles(queries.search_in_group(forum["owner"], forum["group"], "zines")) == ["Zines by the blocker"]


def test_search_treats_wildcards_as_text(forum):
    start(forum["asker"], forum["group"], title="100% sure")
    start(forum["asker"], forum["group"], title="Something else")
    assert titles(queries.search_in_group(forum["helper"], forum["group"], "%")) == ["100% sure"]
    assert queries.search_in_group(forum["helper"], forum["group"], "_") == []
