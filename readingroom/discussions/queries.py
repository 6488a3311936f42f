"""Every read path for discussions: a group's topic lists (latest or top, by keyset), a topic's
pages of replies by number, unread counts, watch levels, edit history and search within a group."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404

from readingroom.accounts.models import Block
from readingroom.core.pagination import Page, key_moment, moment_key, parse_pair_cursor
from readingroom.discussions import permissions as perms
from readingroom.discussions.models import (
    Attachment,
    GroupWatch,
    Reply,
    ReplyEdit,
    Topic,
    TopicRead,
    TopicTag,
    TopicWatch,
    WatchLevel,
)

TOPICS_PAGE = 30
MAX_PINNED = 10
SEARCH_RESULTS = 30
SORTS = ("latest", "top")

parse_topic_cursor = parse_pair_cursor  # "<sort value>.<id>"


@dataclass(frozen=True)
class TopicFilters:
    sort: str = "latest"
    tag: str = ""
    archived: bool = False  # the archive instead of the open topics
    unanswered: bool = False  # questions without an accepted answer


def _blocked_either_way(viewer):
    if not viewer.is_authenticated:
        return None
    return Block.objects.filter(
        Q(blocker=viewer, blocked=OuterRef("author")) | Q(blocker=OuterRef("author"), blocked=viewer)
    )


def _with_reader_state(qs, viewer):
    """Each topic with the viewer's read position (None: never opened) for "N new" and "jump"."""
    if not viewer.is_authenticated:
        return qs
    read = TopicRead.objects.filter(topic=OuterRef("pk"), user=viewer).values("last_read_number")[:1]
    return qs.annotate(viewer_read=Subquery(read))


def _list_base(viewer, group):
    qs = perms.visible_topics(viewer).filter(group=group)
    blocked = _blocked_either_way(viewer)
    if blocked is not None:
        qs = qs.exclude(Exists(blocked))
    return qs


def _decorate(qs, viewer):
    qs = qs.select_related("author__profile").prefetch_related(Prefetch("tags", queryset=TopicTag.objects.all()))
    return _with_reader_state(qs, viewer)


def topic_list(viewer, group, filters: TopicFilters, *, after: tuple[int, int] | None = None) -> Page[Topic]:
    """A group's topics (not the pinned ones, which `pinned_topics` lists above), latest activity
    or most replies first, paged by keyset on (value, id)."""
    perms.group_rules.check_can_read_content(viewer, group)
    qs = _list_base(viewer, group).filter(is_archived=filters.archived)
    if not filters.archived:
        qs = qs.filter(is_pinned=False)
    if filters.tag:
        qs = qs.filter(pk__in=TopicTag.objects.filter(name=filters.tag).values("topic"))
    if filters.unanswered:
        qs = qs.filter(kind="question", accepted_reply__isnull=True)
    sort = filters.sort if filters.sort in SORTS else "latest"
    field = "last_activity_at" if sort == "latest" else "replies_count"
    if after is not None:
        value = key_moment(after[0]) if sort == "latest" else after[0]
        if value is not None:
            qs = qs.filter(Q(**{f"{field}__lt": value}) | (Q(**{field: value}) & Q(pk__lt=after[1])))
    rows = list(_decorate(qs.order_by(f"-{field}", "-pk"), viewer)[: TOPICS_PAGE + 1])
    if len(rows) > TOPICS_PAGE:
        rows = rows[:TOPICS_PAGE]
        last = rows[-1]
        key = moment_key(last.last_activity_at) if sort == "latest" else last.replies_count
        return Page(rows, f"{key}.{last.pk}")  # type: ignore[arg-type]
    return Page(rows, None)


def pinned_topics(viewer, group) -> list[Topic]:
    qs = _list_base(viewer, group).filter(is_pinned=True, is_archived=False).order_by("-last_activity_at", "-pk")
    return list(_decorate(qs, viewer)[:MAX_PINNED])


def tags_in_use(group, limit: int = 30) -> list[str]:
    names = (
        TopicTag.objects.filter(topic__group=group, topic__deleted_at__isnull=True)
        .values_list("name", flat=True)
        .distinct()
        .order_by("name")
    )
    return list(names[:limit])


def topic_by_id(viewer, group, topic_id: int) -> Topic:
    """The topic, if the viewer may read it and it belongs to this group; otherwise 404."""
    found = Topic.objects.select_related("group", "author__profile").filter(pk=topic_id, group=group).first()
    if found is None:
        raise Http404("No such topic")
    perms.check_can_read(viewer, found)
    return found


def reply_by_number(topic: Topic, number: int) -> Reply:
    found = Reply.objects.filter(topic=topic, number=number).select_related("author__profile").first()
    if found is None:
        raise Http404("No such reply")
    found.topic = topic
    return found


def page_start(topic: Topic, number: int) -> int:
    """The first number of the page that shows reply `number` (pages are fixed runs of numbers)."""
    size = settings.RR_TOPIC_PAGE_SIZE
    number = max(1, min(number, topic.last_number))
    return ((number - 1) // size) * size + 1


@dataclass
class TopicPage:
    replies: list[Reply]
    start: int
    previous_start: int | None
    next_start: int | None


def topic_page(viewer, topic: Topic, *, start: int = 1) -> TopicPage:
    """Replies numbered start … start + page size - 1: the unique (topic, number) index is the key,
    so the 20th page costs what the first does. Replies by members in a block with the viewer are
    marked `hidden_for_viewer` (kept in place, so the numbering and the thread still read)."""
    size = settings.RR_TOPIC_PAGE_SIZE
    start = page_start(topic, start)
    qs = (
        Reply.objects.filter(topic=topic, number__gte=start, number__lt=start + size)
        .select_related("author__profile", "parent__author__profile")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.all()))
        .order_by("number")
    )
    blocked = _blocked_either_way(viewer)
    if blocked is not None:
        qs = qs.annotate(hidden_for_viewer=Exists(blocked))
    replies = list(qs)
    for found in replies:
        found.topic = topic
        if not hasattr(found, "hidden_for_viewer"):
            found.hidden_for_viewer = False
        # Moderated away (hidden, or its author suspended): a placeholder for everyone, in place.
        found.withheld = perms.is_withheld(found)
        if found.withheld:
            found.hidden_for_viewer = True
    previous_start = start - size if start > 1 else None
    next_start = start + size if start + size <= topic.last_number else None
    return TopicPage(replies, start, previous_start, next_start)


def read_position(viewer, topic: Topic) -> int:
    if not viewer.is_authenticated:
        return topic.last_number
    found = TopicRead.objects.filter(user=viewer, topic=topic).values_list("last_read_number", flat=True).first()
    return found or 0


def watch_level(viewer, topic: Topic) -> str:
    """The member's level for the topic: their choice for it, else for its group, else mentions only."""
    if not viewer.is_authenticated:
        return WatchLevel.MENTIONS
    return watch_levels(topic, {viewer.pk}).get(viewer.pk, WatchLevel.MENTIONS)


def watch_levels(topic: Topic, user_ids: set[int]) -> dict[int, str]:
    """Effective levels of these members for the topic (members with no choice are left out)."""
    if not user_ids:
        return {}
    levels = dict(
        GroupWatch.objects.filter(group_id=topic.group_id, user_id__in=user_ids).values_list("user_id", "level")
    )
    levels.update(TopicWatch.objects.filter(topic=topic, user_id__in=user_ids).values_list("user_id", "level"))
    return levels


def group_watch_level(viewer, group) -> str:
    if not viewer.is_authenticated:
        return WatchLevel.MENTIONS
    found = GroupWatch.objects.filter(group=group, user=viewer).values_list("level", flat=True).first()
    return found or WatchLevel.MENTIONS


def edit_history(found: Reply) -> list[ReplyEdit]:
    return list(ReplyEdit.objects.filter(reply=found).order_by("-id")[:50])


def search_in_group(viewer, group, q: str) -> list[Topic]:
    """Topics of the group whose title or any live reply has the words (all of them), latest
    activity first. A group's forum is small enough to scan its own rows; site-wide search over
    discussions belongs to the search app."""
    perms.group_rules.check_can_read_content(viewer, group)
    words = [w for w in q.split() if w][:8]
    if not words:
        return []
    qs = _list_base(viewer, group)
    for word in words:
        in_replies = Reply.objects.filter(topic=OuterRef("pk"), deleted_at__isnull=True, body__icontains=word)
        qs = qs.filter(Q(title__icontains=word) | Exists(in_replies))
    return list(_decorate(qs.order_by("-last_activity_at", "-pk"), viewer)[:SEARCH_RESULTS])


def unread_count(topic: Topic) -> int | None:
    """Replies since the viewer last read (None: never opened) from the annotation topic lists add."""
    read = getattr(topic, "viewer_read", None)
    if read is None:
        return None
    return max(topic.last_number - read, 0)


def attachment_in(viewer, topic: Topic, attachment_id: int) -> Attachment:
    """A file of a live reply in this topic that the viewer may see: not one whose reply is
    hidden from them by a block either way (the topic page shows that reply as a placeholder)."""
    qs = Attachment.objects.filter(pk=attachment_id, reply__topic=topic, reply__deleted_at__isnull=True)
    if viewer.is_authenticated:
        blocked = Block.objects.filter(
            Q(blocker=viewer, blocked=OuterRef("reply__author")) | Q(blocker=OuterRef("reply__author"), blocked=viewer)
        )
        qs = qs.exclude(Exists(blocked))
    found = qs.only("file", "content_type", "original_name").first()
    if found is None:
        raise Http404("No such file")
    return found
