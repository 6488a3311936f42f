"""Every read path of search: posts (newest first or by relevance), people, hashtags.

Visibility is never decided here. Post candidates from the full-text index go through
`posts.queries.hydrate` (Post.objects.visible_to plus the viewer's mutes); people go through the
directory's own conditions from network.queries (discoverable, can_view_profile's rule as a
query, blocks both ways, hidden fields never matched by a filter).
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.db.models import Q

from readingroom.accounts.models import Profile, time_zone_choices
from readingroom.core.models import Visibility
from readingroom.core.pagination import Page
from readingroom.network.queries import (
    DirectoryFilters,
    directory_filter_q,
    listable_people,
    people_page,
    shown_q,
)
from readingroom.posts.models import Hashtag, Post, PostHashtag
from readingroom.posts.queries import hydrate
from readingroom.search.engine import Terms, post_candidates, post_ids_newest, profile_ids_matching, rank

RELEVANCE_CANDIDATES = 1000  # relevance ranks the newest this-many matches (docs/adr/0006-search.md)
CANDIDATE_ROUNDS = 3  # index reads per page at most, however many candidates are hidden
MAX_BATCH = 200
HASHTAG_LIMIT = 20
HASHTAG_COUNT_CAP = 100  # counts above this show as "100+": each counted post is a row lookup (visibility)


def _signed_in(viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


# --- Posts --------------------------------------------------------------------------------------


def _page_size() -> int:
    return settings.RR_PAGE_SIZE


def posts_newest(*, viewer, terms: Terms, before: int | None = None) -> Page[Post]:
    """Visible posts matching every word, newest first, keyset-paged by post id.

    Reads size + 1 matching ids from the index, hydrates them through the visibility rule, and
    reads further (a bounded number of times) only when some were hidden, so a page never skips
    or repeats a visible post."""
    size = _page_size()
    shown: list[Post] = []
    cursor, want = before, size + 1
    for _ in range(CANDIDATE_ROUNDS):
        ids = post_ids_newest(terms, before=cursor, limit=want)
        shown += hydrate(ids, viewer, apply_mutes=True)
        if len(shown) > size:
            return Page(shown[:size], shown[size - 1].pk)
        if len(ids) < want:
            return Page(shown, None)
        cursor, want = ids[-1], min(want * 2, MAX_BATCH)
    return Page(shown, cursor)


@dataclass
class RankedPage:
    """A page of the relevance ranking. The ranking is of a fixed candidate set (the newest
    matches at or below `anchor`), so `next_at` (a position in it) stays meaningful."""

    items: list[Post]
    anchor: int | None
    next_at: int | None
    candidates: int = 0

    @property
    def has_next(self) -> bool:
        return self.next_at is not None


def posts_by_relevance(*, viewer, terms: Terms, anchor: int | None = None, at: int = 0) -> RankedPage:
    ranked = rank(terms, post_candidates(terms, upto=anchor, limit=RELEVANCE_CANDIDATES))
    if not ranked:
        return RankedPage([], anchor, None)
    anchor = anchor if anchor is not None else max(ranked)
    size = _page_size()
    position = {post_id: i for i, post_id in enumerate(ranked)}
    shown: list[Post] = []
    pos, want = min(at, len(ranked)), size + 1
    for _ in range(CANDIDATE_ROUNDS):
        chunk = ranked[pos : pos + want]
        pos += len(chunk)
        shown += hydrate(chunk, viewer, apply_mutes=True)
        if len(shown) > size:
            shown = shown[:size]
            return RankedPage(shown, anchor, position[shown[-1].pk] + 1, len(ranked))
        if pos >= len(ranked):
            return RankedPage(shown, anchor, None, len(ranked))
        want = min(want * 2, MAX_BATCH)
    return RankedPage(shown, anchor, pos, len(ranked))


# --- People -------------------------------------------------------------------------------------


@dataclass
class PeopleFilters:
    sector: str = ""
    career_stage: str = ""
    interest: str = ""
    country: str = ""
    open_to_mentoring: bool = False
    utc_offset_min: int | None = None  # hours; a member matches if their zone's offset now is in range
    utc_offset_max: int | None = None

    @property
    def any(self) -> bool:
        return bool(
            self.sector
            or self.career_stage
            or self.interest
            or self.country
            or self.open_to_mentoring
            or self.utc_offset_min is not None
            or self.utc_offset_max is not None
        )


def utc_offset_hours(zone: str, at: datetime) -> float:
    offset = zoneinfo.ZoneInfo(zone).utcoffset(at)
    return offset.total_seconds() / 3600 if offset is not None else 0.0


_ZONE_OFFSETS: dict[int, dict[str, float]] = {}


def zone_offsets(now: datetime | None = None) -> dict[str, float]:
    """Every selectable zone's UTC offset in hours at `now`, recomputed each quarter hour
    (daylight saving changes the answer twice a year)."""
    now = now or datetime.now(UTC)
    slot = int(now.timestamp() // 900)
    if slot not in _ZONE_OFFSETS:
        _ZONE_OFFSETS.clear()
        _ZONE_OFFSETS[slot] = {zone: utc_offset_hours(zone, now) for zone, _label in time_zone_choices()}
    return _ZONE_OFFSETS[slot]


def zones_in_offset_range(low: int | None, high: int | None, now: datetime | None = None) -> list[str]:
    low_h = float(low) if low is not None else -24.0
    high_h = float(high) if high is not None else 24.0
    return sorted(zone for zone, hours in zone_offsets(now).items() if low_h <= hours <= high_h)


def _people_filter_q(viewer, f: PeopleFilters) -> Q:
    cond = directory_filter_q(
        viewer,
        DirectoryFilters(
            sector=f.sector,
            career_stage=f.career_stage,
            interest=f.interest,
            country=f.country,
            open_to_mentoring=f.open_to_mentoring,
        ),
    )
    if f.utc_offset_min is not None or f.utc_offset_max is not None:
        zones = zones_in_offset_range(f.utc_offset_min, f.utc_offset_max)
        cond &= Q(time_zone__in=zones) & shown_q("time_zone", viewer)
    return cond


def people(*, viewer, terms: Terms | None, filters: PeopleFilters, after: int | None = None) -> Page[Profile]:
    """Members matching the words (in their search text) and the filters, newest members first,
    keyset-paged by user id (2 queries). Exactly the directory's audience: signed-in viewers
    only, discoverable members whose profile the viewer may see, no blocks either way."""
    if not _signed_in(viewer):
        return Page([], None)
    rows = listable_people(viewer).filter(_people_filter_q(viewer, filters))
    if terms is not None:
        rows = rows.filter(user_id__in=profile_ids_matching(terms))
    return people_page(rows, viewer, after=after)


# --- Hashtags -----------------------------------------------------------------------------------


@dataclass
class HashtagHit:
    name: str
    posts: int
    capped: bool = field(default=False)


def hashtags(*, viewer, prefix: str, limit: int = HASHTAG_LIMIT) -> list[HashtagHit]:
    """Hashtags whose name starts with `prefix` (a valid, lower-case hashtag name), the exact
    name first, then by name; each with how many posts use it that this kind of viewer could see
    by audience (public, and members-only for members; group posts are counted by nobody, since
    a private group's tags must not show its activity), counted up to HASHTAG_COUNT_CAP + 1.
    Tags no such post uses are left out. One query."""
    levels = [Visibility.PUBLIC, Visibility.MEMBERS] if _signed_in(viewer) else [Visibility.PUBLIC]
    h, ph, p = Hashtag._meta.db_table, PostHashtag._meta.db_table, Post._meta.db_table
    # A name range lets SQLite use the unique index on name (its LIKE cannot); PostgreSQL's LIKE
    # can under any collation only with a pattern index, and its hashtag table is small.
    if connection.vendor == "postgresql":
        match, match_params = f"{h}.name LIKE %s", [prefix.replace("_", "\\_") + "%"]
    else:
        match, match_params = f"{h}.name >= %s AND {h}.name < %s", [prefix, prefix + "\U0010ffff"]
    placeholders = ", ".join(["%s"] * len(levels))
    # Choose the tags first, then count for those only (a count per candidate would cost
    # hundreds of counts for a short prefix).
    sql = (
        f"SELECT t.name, (SELECT COUNT(*) FROM (SELECT 1 FROM {ph} JOIN {p} ON {p}.id = {ph}.post_id "  # noqa: S608
        f"WHERE {ph}.hashtag_id = t.id AND {p}.visibility IN ({placeholders}) AND {p}.group_id IS NULL"
        f" LIMIT %s) AS used) AS n "
        f"FROM (SELECT {h}.id, {h}.name, CASE WHEN {h}.name = %s THEN 0 ELSE 1 END AS exact FROM {h} "
        f"WHERE {match} ORDER BY exact, {h}.name LIMIT %s) AS t ORDER BY t.exact, t.name"
    )
    params = [*levels, HASHTAG_COUNT_CAP + 1, prefix, *match_params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [HashtagHit(name, min(n, HASHTAG_COUNT_CAP), capped=n > HASHTAG_COUNT_CAP) for name, n in rows if n]
