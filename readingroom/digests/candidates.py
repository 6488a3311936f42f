"""Candidate rows for a batch of digests: the batch's follows, followed hashtags and mutes, then
each period's original posts (by author and by hashtag), replies to the members and their new
followers. Visibility is not applied here (content.py does, through each object's one rule)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import F

from readingroom.accounts.models import Follow, Mute, User
from readingroom.posts.models import HashtagFollow, Post, PostHashtag

if TYPE_CHECKING:
    from readingroom.digests.content import Claim

IN_CHUNK = 5000  # ids per IN (...) list


def chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), IN_CHUNK):
        yield ordered[start : start + IN_CHUNK]


def _pairs(rows: Iterable[tuple[int, int]]) -> dict[int, set[int]]:
    grouped: dict[int, set[int]] = defaultdict(set)
    for key, value in rows:
        grouped[key].add(value)
    return grouped


Period = tuple[datetime, datetime]


@dataclass
class RunCache:
    """What one run reads once rather than once per batch. Original posts of each period, as
    (post id, author id, score) by author and by hashtag: popular members are followed from every
    batch, and reading their posts once per run cut the rows read for 100,000 members about
    tenfold. And the suspended members (few)."""

    by_author: dict[Period, dict[int, list[tuple]]] = field(default_factory=lambda: defaultdict(dict))
    authors_read: dict[Period, set[int]] = field(default_factory=lambda: defaultdict(set))
    by_tag: dict[Period, dict[int, list[tuple]]] = field(default_factory=lambda: defaultdict(dict))
    tags_read: dict[Period, set[int]] = field(default_factory=lambda: defaultdict(set))
    _suspended: set[int] | None = None

    def suspended(self) -> set[int]:
        """Suspended members (few), read once a run."""
        if self._suspended is None:
            self._suspended = set(User.objects.filter(is_active=False).values_list("pk", flat=True))
        return self._suspended


@dataclass
class Candidates:
    """Rows read for the whole batch, before each member's share is picked out."""

    followees: dict[int, set[int]]
    tags: dict[int, set[int]]
    mutes: dict[int, set[int]]
    posts: RunCache
    # By member, newest first: (reply id, its author id) and follower ids.
    replies: dict[int, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    followers: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))


def read_candidates(claims: Sequence[Claim], floors: tuple[int, int], cache: RunCache) -> Candidates:
    """The batch's follows, followed hashtags and mutes, then each period's candidates. Members
    claimed together mostly share one period (the end of the run that sent their last digest),
    so this is one set of queries per batch, each filtering its period in SQL."""
    member_ids = [c.member_id for c in claims]
    found = Candidates(
        followees=_pairs(Follow.objects.filter(follower_id__in=member_ids).values_list("follower_id", "followee_id")),
        tags=_pairs(HashtagFollow.objects.filter(user_id__in=member_ids).values_list("user_id", "hashtag_id")),
        mutes=_pairs(Mute.objects.filter(muter_id__in=member_ids).values_list("muter_id", "muted_id")),
        posts=cache,
    )
    periods: dict[Period, list[int]] = defaultdict(list)
    for c in claims:
        periods[(c.since, c.until)].append(c.member_id)
    for period, ids in periods.items():
        _read_period(found, period, ids, floors)
    return found


def _read_period(found: Candidates, period: Period, member_ids: list[int], floors: tuple[int, int]) -> None:
    _read_originals(found, period, member_ids, post_floor=floors[0])
    _read_replies(found, period, member_ids, post_floor=floors[0])
    _read_followers(found, period, member_ids, follow_floor=floors[1])


def _read_originals(found: Candidates, period: Period, member_ids: list[int], *, post_floor: int) -> None:
    """Posts of followed members and hashtags not read earlier in the run. The floor (the first id
    of the longest window) makes "created since" a range of the (author, id) index. Replies and
    boosts are dropped here, not in SQL: SQLite's statistics do not show that nearly every
    reply_to is NULL, and "reply_to IS NULL" led it to scan the whole period by that index."""
    (since, until), cache = period, found.posts
    score = F("likes_count") + F("boosts_count") + F("replies_count")
    originals = (
        Post.objects.filter(created_at__gte=since, created_at__lt=until, pk__gte=post_floor)
        .annotate(score=score)
        .values_list("pk", "author_id", "score", "reply_to_id", "boost_of_id")
    )
    authors = {a for m in member_ids for a in found.followees.get(m, ())} - cache.authors_read[period]
    for chunk in chunks(authors):
        for pk, author, points, reply_to, boost_of in originals.filter(author_id__in=chunk):
            if reply_to is None and boost_of is None:
                cache.by_author[period].setdefault(author, []).append((pk, author, points))
    cache.authors_read[period] |= authors
    tagged = (
        PostHashtag.objects.filter(post_id__gte=post_floor, post__created_at__gte=since, post__created_at__lt=until)
        .annotate(score=F("post__likes_count") + F("post__boosts_count") + F("post__replies_count"))
        .values_list("hashtag_id", "post_id", "post__author_id", "score", "post__reply_to_id", "post__boost_of_id")
    )
    tags = {t for m in member_ids for t in found.tags.get(m, ())} - cache.tags_read[period]
    for chunk in chunks(tags):
        for tag, pk, author, points, reply_to, boost_of in tagged.filter(hashtag_id__in=chunk):
            if reply_to is None and boost_of is None:
                cache.by_tag[period].setdefault(tag, []).append((pk, author, points))
    cache.tags_read[period] |= tags


def _read_replies(found: Candidates, period: Period, member_ids: list[int], *, post_floor: int) -> None:
    """Others' replies to the members' posts, newest first (a boost never replies)."""
    since, until = period
    replies = (
        Post.objects.filter(created_at__gte=since, created_at__lt=until, pk__gte=post_floor)
        .filter(reply_to_id__in=Post.objects.filter(author_id__in=member_ids).values("pk"))
        .exclude(author_id=F("reply_to__author_id"))
        .order_by("-pk")
        .values_list("reply_to__author_id", "pk", "author_id")
    )
    for member_id, *row in replies:
        found.replies[member_id].append(tuple(row))


def _read_followers(found: Candidates, period: Period, member_ids: list[int], *, follow_floor: int) -> None:
    """The members' new followers, newest first, not suspended. Joining users and sorting in SQL
    took half as long again as this."""
    since, until = period
    follows = Follow.objects.filter(
        pk__gte=follow_floor, followee_id__in=member_ids, created_at__gte=since, created_at__lt=until
    ).values_list("followee_id", "pk", "follower_id")
    suspended = found.posts.suspended()
    newest_first: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for member_id, pk, follower_id in follows:
        if follower_id not in suspended:
            newest_first[member_id].append((pk, follower_id))
    for member_id, rows in newest_first.items():
        found.followers[member_id] = [follower for _, follower in sorted(rows, reverse=True)]


def top_candidates(claim: Claim, found: Candidates, *, limit: int) -> list[int]:
    muted = found.mutes.get(claim.member_id, set())
    period = (claim.since, claim.until)
    by_author, by_tag = found.posts.by_author[period], found.posts.by_tag[period]
    rows = {}
    for author in found.followees.get(claim.member_id, ()):
        for row in by_author.get(author, ()):
            rows[row[0]] = row
    for tag in found.tags.get(claim.member_id, ()):
        for row in by_tag.get(tag, ()):
            rows[row[0]] = row
    eligible = [r for r in rows.values() if r[1] != claim.member_id and r[1] not in muted]
    # Most likes + boosts + replies first; the newest (highest id) breaks ties.
    eligible.sort(key=lambda r: (r[2], r[0]), reverse=True)
    return [r[0] for r in eligible[:limit]]
