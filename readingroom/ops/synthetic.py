"""Synthetic datasets for benchmarks: members, Zipf-skewed follows, posts, hashtags.

Dataset S (the issue's): 10k members, 300k follows, 100k posts, 300 hashtags. Rows are written
with bulk inserts in batches and timelines are built with the same set-based SQL the worker uses,
so generating S takes about a minute, not hours. Deterministic for a given seed.
"""

from __future__ import annotations

import bisect
import itertools
import random
import time
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from readingroom.accounts.actions import refresh_all_search_texts
from readingroom.accounts.models import CareerStage, Follow, Interest, Profile, Sector, User
from readingroom.core.models import Visibility
from readingroom.core.text import render_post
from readingroom.posts.models import Hashtag, Post, PostHashtag, TimelineEntry
from readingroom.posts.timeline import active_since
from readingroom.search import index as search_index

SYNTHETIC_PASSWORD = "synthetic-member-password"  # noqa: S105 - benchmark data only
BATCH = 5000
WORDS = [
    "library",
    "archive",
    "museum",
    "gallery",
    "catalogue",
    "metadata",
    "reference",
    "literacy",
    "preservation",
    "research",
    "data",
    "children",
    "outreach",
    "systems",
    "copyright",
    "records",
    "learning",
    "network",
    "mentor",
    "chat",
    "reading",
    "collection",
    "users",
    "access",
    "open",
    "community",
    "digital",
    "service",
    "student",
    "teaching",
    "evidence",
    "practice",
    "reflection",
]


SYLLABLES = ["ar", "bi", "ca", "do", "el", "fi", "go", "ha", "in", "jo", "ka", "lu", "me", "no", "or", "pa",
             "qu", "ri", "so", "ta", "un", "ve", "wi", "xa", "yo", "ze"]  # fmt: skip
BODY_POOL = 100_000


def _vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    """The LIS words first (most frequent), then invented words: with a Zipf draw over this list a
    search term matches anything from half the posts to a handful, as in real text."""
    invented: set[str] = set()
    while len(invented) < size - len(WORDS):
        invented.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return WORDS + sorted(invented)


def _body_pool(rng: random.Random, count: int) -> list[str]:
    """Distinct post texts, drawn once: drawing 20 Zipf words for each of 5M posts would take minutes."""
    vocabulary = _vocabulary(rng)
    cum = _zipf_cumulative(len(vocabulary), 1.0)
    total = cum[-1]
    pool = []
    for _ in range(count):
        words = [vocabulary[bisect.bisect_left(cum, rng.random() * total)] for _ in range(rng.randint(8, 30))]
        pool.append(" ".join(words).capitalize())
    return pool


class Progress:
    def __init__(self, stdout, label: str, total: int):
        self.stdout, self.label, self.total, self.start = stdout, label, total, time.monotonic()

    def update(self, done: int) -> None:
        elapsed = time.monotonic() - self.start
        self.stdout.write(
            f"  {self.label}: {done:,}/{self.total:,} ({done * 100 // max(self.total, 1)}%) {elapsed:.1f}s"
        )


def _zipf_cumulative(n: int, s: float) -> list[float]:
    weights = [1.0 / (rank + 1) ** s for rank in range(n)]
    return list(itertools.accumulate(weights))


def _pick(cum: list[float], rng: random.Random) -> int:
    return bisect.bisect_left(cum, rng.random() * cum[-1])


def seed_synthetic(
    *,
    members: int,
    stdout,
    follows_per_member: int = 30,
    posts: int | None = None,
    hashtags: int = 300,
    seed: int = 42,
    zipf_s: float = 0.85,
    active_percent: int = 100,
) -> dict:
    """Create a synthetic community beside whatever exists. Returns counts and timings."""
    rng = random.Random(seed)
    posts = posts if posts is not None else members * 10
    started = time.monotonic()
    stdout.write(
        f"Synthetic dataset: {members:,} members, ~{members * follows_per_member:,} follows, "
        f"{posts:,} posts, {hashtags} hashtags"
    )
    password = make_password(SYNTHETIC_PASSWORD)
    now = timezone.now()
    base = User.objects.count()
    # Search index triggers off for the load; both indexes are rebuilt once at the end.
    with search_index.bulk_load(stdout=stdout):
        user_ids = _create_members(members, base, password, now, rng, stdout, active_percent)
        refresh_all_search_texts()
        tags = _create_hashtags(hashtags)
        with _indexes_built_afterwards([Follow, Post, PostHashtag], stdout):
            _create_follows(user_ids, follows_per_member, zipf_s, rng, stdout)
            _create_posts(user_ids, posts, tags, zipf_s, now, rng, stdout)
    _refresh_counters()
    with _indexes_built_afterwards([TimelineEntry], stdout):  # its post_id index, random-order inserts
        _build_timelines(user_ids, stdout)
    elapsed = time.monotonic() - started
    stdout.write(f"Done in {elapsed:.1f}s")
    return {"members": members, "posts": posts, "seconds": elapsed}


@contextmanager
def _indexes_built_afterwards(models: list, stdout):
    """Drop the tables' secondary indexes (and SQLite triggers) for a bulk load and recreate them
    from their own saved definitions afterwards: building an index from sorted data once is many
    times faster than updating it for every inserted row. Indexes that back a primary key or a
    unique constraint stay (they also guard the load)."""
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema()"
                " AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
                " WHERE c.conname = i.indexname)",
                [tables],
            )
            saved = [(name, definition, "INDEX") for name, definition in cursor.fetchall()]
        else:
            marks = ", ".join(["%s"] * len(tables))
            cursor.execute(
                f"SELECT name, sql, type FROM sqlite_master WHERE type IN ('index', 'trigger')"
                f" AND tbl_name IN ({marks}) AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
                tables,
            )
            saved = [(name, definition, kind.upper()) for name, definition, kind in cursor.fetchall()]
        for name, _definition, kind in saved:
            cursor.execute(f'DROP {kind} "{name}"')
    try:
        yield
    finally:
        started = time.monotonic()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Check the deferred foreign keys now: PostgreSQL refuses CREATE INDEX on a table
                # with pending constraint-trigger events in the same transaction.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for _name, definition, _kind in saved:
                cursor.execute(definition)
            # Fresh planner statistics: without them SQLite drove the timeline build from the
            # reply_to index over every post (minutes instead of seconds).
            for table in tables:
                cursor.execute(f"ANALYZE {table}")
        stdout.write(f"  indexes: {len(saved)} rebuilt in {time.monotonic() - started:.1f}s")


def _create_members(n, base, password, now, rng, stdout, active_percent) -> list[int]:
    sectors = [c for c, _ in Sector.choices]
    stages = [c for c, _ in CareerStage.choices]
    zones = [
        "Europe/London",
        "Australia/Sydney",
        "America/New_York",
        "America/Los_Angeles",
        "Asia/Kolkata",
        "Africa/Nairobi",
        "Pacific/Auckland",
        "Europe/Berlin",
        "America/Toronto",
        "Asia/Singapore",
    ]
    progress = Progress(stdout, "members", n)
    # Members outside the active share were last seen long ago: fan-out skips them and they get no
    # stored timeline until they return (as in a real community, where most accounts are quiet).
    away = now - timedelta(days=10 * settings.RR_ACTIVE_DAYS)
    interests = list(Interest.objects.values_list("id", flat=True))
    through = Profile.interests.through
    next_id = (User.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    for start in range(0, n, BATCH):
        stop = min(n, start + BATCH)
        users = [
            User(
                id=next_id + i,
                email=f"synthetic{base + i}@bench.invalid",
                password=password,
                last_seen_at=now if rng.random() * 100 < active_percent else away,
                is_active=True,
                date_joined=now,
            )
            for i in range(start, stop)
        ]
        profiles = [
            Profile(
                user=u,
                handle=f"s{base + i}",
                display_name=f"Synthetic member {base + i}",
                headline=f"{rng.choice(WORDS).title()} and {rng.choice(WORDS)}",
                sector=rng.choice(sectors),
                career_stage=rng.choice(stages),
                time_zone=rng.choice(zones),
                visibility=Visibility.MEMBERS,
                onboarded_at=now,
            )
            for i, u in zip(range(start, stop), users, strict=True)
        ]
        with transaction.atomic():
            _insert_objects(users)
            _insert_objects(profiles)
            if interests:
                through.objects.bulk_create(
                    [
                        through(profile_id=u.pk, interest_id=iid)
                        for u in users
                        for iid in rng.sample(interests, k=min(3, len(interests)))
                    ],
                    batch_size=BATCH,
                )
        progress.update(stop)
    _move_sequence_past(User)
    return list(User.objects.filter(email__endswith="@bench.invalid").order_by("id").values_list("id", flat=True))


def _create_follows(user_ids, per_member, zipf_s, rng, stdout) -> None:
    # Popularity follows a Zipf law over a shuffled ranking: a few members have thousands of
    # followers, the median a handful (the peer's dataset: top 7,908, median 11).
    ranking = user_ids[:]
    rng.shuffle(ranking)
    cum = _zipf_cumulative(len(ranking), zipf_s)
    total = len(user_ids)
    progress = Progress(stdout, "follows", total)
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    rows: list[tuple] = []
    for done, follower in enumerate(user_ids, start=1):
        chosen: set[int] = set()
        for _ in range(per_member * 2):
            if len(chosen) >= per_member:
                break
            followee = ranking[_pick(cum, rng)]
            if followee != follower:
                chosen.add(followee)
        rows.extend((follower, f, stamp) for f in sorted(chosen))
        if len(rows) >= BATCH * 20 or done == total:
            with transaction.atomic():
                _insert_rows(Follow._meta.db_table, ("follower_id", "followee_id", "created_at"), rows)
            rows = []
            progress.update(done)


def _create_hashtags(n) -> list[Hashtag]:
    names = ["uklibchat", "cpd23", "critlib", "libraries", "archives", "museums", "glam", "metadata"]
    names += [f"topic{i}" for i in range(n - len(names))]
    Hashtag.objects.bulk_create([Hashtag(name=name) for name in names], ignore_conflicts=True)
    return list(Hashtag.objects.filter(name__in=names))


def _post_html(words: str, tag_names: list[str]) -> str:
    # What render_post makes of "<words>. #a #b" (checked against render_post on a sample below):
    # building it directly keeps 5M posts from spending minutes in the Markdown renderer.
    links = "".join(
        f' <a href="/tags/{name}" class="hashtag" rel="nofollow noopener ugc">#{name}</a>' for name in tag_names
    )
    return f"<p>{words}.{links}</p>\n"


def _insert_rows(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Bulk insert without model instances: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _insert_objects(objects: list) -> None:
    """Unsaved model instances (primary keys set) written by _insert_rows. bulk_create is slow here:
    on SQLite Django splits it into INSERTs of 999 parameters, a few dozen rows each."""
    if not objects:
        return
    fields = [f for f in objects[0]._meta.concrete_fields]
    rows = [tuple(f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields) for obj in objects]
    _insert_rows(objects[0]._meta.db_table, tuple(f.column for f in fields), rows)


def _move_sequence_past(model) -> None:
    if connection.vendor == "postgresql":  # explicit IDs bypassed the sequence
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")


def _create_posts(user_ids, n, tags, zipf_s, now, rng, stdout) -> None:
    tag_cum = _zipf_cumulative(len(tags), 1.0)
    author_cum = _zipf_cumulative(len(user_ids), 0.5)
    authors = user_ids[:]
    rng.shuffle(authors)
    tag_ids = [t.pk for t in tags]
    tag_names = [t.name for t in tags]
    progress = Progress(stdout, "posts", n)
    span = timedelta(days=60).total_seconds()
    next_id = (Post.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    post_columns = ("id", "author_id", "body", "body_html", "visibility", "created_at")
    post_columns += ("replies_count", "likes_count", "boosts_count")
    batch_size = BATCH * 10
    pool = _body_pool(rng, min(n, BODY_POOL))
    adapt = connection.ops.adapt_datetimefield_value
    for start in range(0, n, batch_size):
        stop = min(n, start + batch_size)
        post_rows, tag_rows = [], []
        for i in range(start, stop):
            words = pool[rng.randrange(len(pool))]
            picked = sorted({_pick(tag_cum, rng) for _ in range(rng.randint(0, 2))})
            names = [tag_names[t] for t in picked]
            body = words + "." + "".join(f" #{name}" for name in names)
            html = _post_html(words, names)
            if i < 50:
                expected = render_post(body, mention_url=lambda _h: None, hashtag_url=lambda name: f"/tags/{name}")
                if html != expected:
                    raise RuntimeError(f"synthetic post HTML drifted from render_post: {html!r} != {expected!r}")
            post_id = next_id + i
            visibility = Visibility.PUBLIC if rng.random() < 0.8 else Visibility.MEMBERS
            created = adapt(now - timedelta(seconds=span * (n - i) / n))
            post_rows.append((post_id, authors[_pick(author_cum, rng)], body, html, visibility, created, 0, 0, 0))
            tag_rows.extend((post_id, tag_ids[t]) for t in picked)
        with transaction.atomic():
            _insert_rows(Post._meta.db_table, post_columns, post_rows)
            _insert_rows(PostHashtag._meta.db_table, ("post_id", "hashtag_id"), tag_rows)
        progress.update(stop)
    _move_sequence_past(Post)


def _refresh_counters() -> None:
    p, f, po = Profile._meta.db_table, Follow._meta.db_table, Post._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {p} SET"
            f" followers_count = (SELECT COUNT(*) FROM {f} WHERE followee_id = {p}.user_id),"
            f" following_count = (SELECT COUNT(*) FROM {f} WHERE follower_id = {p}.user_id),"
            f" posts_count = (SELECT COUNT(*) FROM {po} WHERE author_id = {p}.user_id)"
        )


def _build_timelines(user_ids, stdout) -> None:
    """Every active member's home timeline in a few set-based statements: the newest posts of the
    people they follow and their own, up to the cap (what rebuild_home_timeline does one member at
    a time). Synthetic posts are never replies and nobody follows a hashtag, so the simple form is
    the same, and it reads only the (author, id) index: also checking reply_to_id visited every
    post row, which on dataset M (5M posts) made this take five minutes instead of one."""
    active = list(
        User.objects.filter(pk__in=user_ids, last_seen_at__gte=active_since())
        .order_by("id")
        .values_list("id", flat=True)
    )
    progress = Progress(stdout, "home timelines", len(active))
    cap = settings.RR_TIMELINE_CAP
    t_entry, t_post, t_follow = TimelineEntry._meta.db_table, Post._meta.db_table, Follow._meta.db_table
    step = 500
    for start in range(0, len(active), step):
        low, high = active[start], active[min(start + step, len(active)) - 1]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {t_entry} (owner_id, post_id)"
                f" SELECT owner_id, post_id FROM ("
                f"  SELECT src.owner_id, p.id AS post_id,"
                f"   ROW_NUMBER() OVER (PARTITION BY src.owner_id ORDER BY p.id DESC) AS n"
                f"  FROM (SELECT follower_id AS owner_id, followee_id AS author_id FROM {t_follow}"
                f"        WHERE follower_id BETWEEN %s AND %s"
                f"        UNION ALL SELECT id, id FROM {User._meta.db_table} WHERE id BETWEEN %s AND %s) src"
                f"  JOIN {t_post} p ON p.author_id = src.author_id"
                f"  WHERE src.owner_id IN (SELECT id FROM {User._meta.db_table}"
                f"   WHERE id BETWEEN %s AND %s AND last_seen_at >= %s)"
                f" ) ranked WHERE n <= %s ORDER BY owner_id, post_id ON CONFLICT DO NOTHING",
                [low, high, low, high, low, high, active_since(), cap],
            )
        progress.update(min(start + step, len(active)))
