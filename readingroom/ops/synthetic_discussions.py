"""Synthetic discussions for benchmarks: groups with members, topics and numbered replies.

Issue 5's shape on top of a synthetic community: 50k topics and 1M replies across groups with a
Zipf-skewed number of topics (the largest group holds thousands) and of replies per topic, plus one
topic of exactly 500 replies to measure a long thread. Rows go in by bulk insert (COPY on
PostgreSQL) with the counters the actions keep (last_number, replies_count) set as they would be.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from readingroom.discussions.models import Reply, Topic, TopicRead, TopicTag
from readingroom.groups.models import Group, Membership, Privacy, Role
from readingroom.ops.synthetic import Progress, _body_pool, _insert_rows, _move_sequence_past, _pick, _zipf_cumulative

BIG_GROUP_SLUG = "bench-forum"
LONG_TOPIC_TITLE = "Benchmark: the 500-reply thread"
TAGS = ["cataloguing", "metadata", "outreach", "preservation", "copyright", "systems", "reference", "cpd"]


def seed_discussions(*, groups: int = 200, topics: int = 50_000, replies: int = 1_000_000, seed: int = 5, stdout):
    """Add the discussions dataset to a database that already holds synthetic members."""
    from readingroom.accounts.models import User

    if Group.objects.filter(slug=BIG_GROUP_SLUG).exists():
        stdout.write("discussions dataset present")
        return
    rng = random.Random(seed)
    started = time.monotonic()
    user_ids = list(User.objects.filter(email__endswith="@bench.invalid").order_by("pk").values_list("pk", flat=True))
    if len(user_ids) < 1000:
        raise SystemExit("seed synthetic members first (at least 1,000)")
    now = timezone.now()
    pool = _body_pool(rng, 5000)
    with transaction.atomic():
        group_ids = _groups(groups, user_ids, rng, now)
        topic_rows = _topics(group_ids, user_ids, topics, rng, now)
        _replies(topic_rows, user_ids, replies, pool, rng, now, stdout)
        _reads(topic_rows, group_ids[0], user_ids, rng)
    for model in (Group, Membership, Topic, Reply, TopicRead, TopicTag):
        _move_sequence_past(model)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Topic, Reply, TopicRead, Membership):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    took = time.monotonic() - started
    stdout.write(f"discussions: {groups} groups, {topics:,} topics, {replies:,} replies in {took:.0f}s")


def _next_id(model) -> int:
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1


def _groups(n: int, user_ids: list[int], rng, now) -> list[int]:
    first = _next_id(Group)
    rows, members = [], []
    membership_id = _next_id(Membership)
    for i in range(n):
        gid = first + i
        slug = BIG_GROUP_SLUG if i == 0 else f"bench-group-{i}"
        size = 2000 if i == 0 else rng.randint(20, 120)
        chosen = rng.sample(user_ids, size)
        privacy = Privacy.PRIVATE if i % 3 == 0 else Privacy.PUBLIC
        rows.append((gid, slug, f"Bench group {i}", "", "", "", "", "", privacy, "", "", "", "", now, now, size, 0))
        for position, uid in enumerate(chosen):
            role = Role.OWNER if position == 0 else Role.MEMBER
            members.append((membership_id, gid, uid, role, True, now, now))
            membership_id += 1
    columns = (
        "id", "slug", "name", "summary", "about", "about_html", "conduct", "conduct_html", "privacy", "sector",
        "avatar", "banner", "banner_alt", "created_at", "last_activity_at", "members_count", "posts_count",
    )  # fmt: skip
    _insert_rows(Group._meta.db_table, columns, rows)
    _insert_rows(
        Membership._meta.db_table,
        ("id", "group_id", "user_id", "role", "show_in_home", "conduct_accepted_at", "joined_at"),
        members,
    )
    return [first + i for i in range(n)]


def _topics(group_ids: list[int], user_ids: list[int], n: int, rng, now) -> list[list]:
    """[id, group_id, author_id, created_at, reply count] per topic; the first is the 500-reply one."""
    group_cum = _zipf_cumulative(len(group_ids), 0.9)
    first = _next_id(Topic)
    topics = [[first, group_ids[0], user_ids[0], now - timedelta(days=400), 500]]
    for i in range(1, n):
        created = now - timedelta(minutes=rng.randrange(0, 60 * 24 * 365))
        topics.append([first + i, group_ids[_pick(group_cum, rng)], rng.choice(user_ids), created, 0])
    return topics


def _replies(topics: list[list], user_ids, total: int, pool, rng, now, stdout) -> None:
    reply_cum = _zipf_cumulative(len(topics), 0.8)
    remaining = total - 500 - len(topics)  # every topic has its opening post
    for _ in range(max(remaining, 0)):
        index = _pick(reply_cum, rng)
        if index:  # the long topic keeps exactly 500
            topics[index][4] += 1
    # A topic with too many replies for the shape is capped; the rest go to small topics.
    reply_id = _next_id(Reply)
    progress, done, batch = Progress(stdout, "replies", total), 0, []
    topic_rows, tag_rows, tag_id = [], [], _next_id(TopicTag)
    columns = ("id", "topic_id", "number", "author_id", "parent_id", "body", "body_html", "created_at", "edited_at")
    for tid, gid, author, created, count in topics:
        moment = created
        first_reply_id = reply_id
        for number in range(1, count + 2):
            body = pool[rng.randrange(len(pool))]
            parent = first_reply_id + rng.randrange(number - 1) if number > 2 and rng.random() < 0.3 else None
            who = author if number == 1 else rng.choice(user_ids)
            batch.append((reply_id, tid, number, who, parent, body, f"<p>{body}</p>\n", moment, None))
            reply_id += 1
            moment = min(moment + timedelta(minutes=rng.randint(1, 600)), now)
        title = LONG_TOPIC_TITLE if count == 500 and tid == topics[0][0] else pool[rng.randrange(len(pool))][:80]
        kind = "question" if rng.random() < 0.25 else "discussion"
        topic_rows.append((tid, gid, author, title, kind, False, False, False, None, created, moment, count + 1, count))
        if rng.random() < 0.3:
            for name in rng.sample(TAGS, rng.randint(1, 2)):
                tag_rows.append((tag_id, tid, name))
                tag_id += 1
        if len(batch) >= 20_000:
            _flush_topics(topic_rows, tag_rows)
            _insert_rows(Reply._meta.db_table, columns, batch)
            done += len(batch)
            batch, topic_rows, tag_rows = [], [], []
            if done % 200_000 < 20_000:
                progress.update(done)
    _flush_topics(topic_rows, tag_rows)
    _insert_rows(Reply._meta.db_table, columns, batch)
    progress.update(done + len(batch))


def _flush_topics(topic_rows, tag_rows) -> None:
    columns = (
        "id", "group_id", "author_id", "title", "kind", "is_pinned", "is_locked", "is_archived",
        "accepted_reply_id", "created_at", "last_activity_at", "last_number", "replies_count",
    )  # fmt: skip
    _insert_rows(Topic._meta.db_table, columns, topic_rows)
    _insert_rows(TopicTag._meta.db_table, ("id", "topic_id", "name"), tag_rows)


def _reads(topics: list[list], big_group: int, user_ids, rng) -> None:
    """Read positions for the big group's members on some of its topics ("N new" needs them)."""
    members = list(Membership.objects.filter(group_id=big_group).values_list("user_id", flat=True))
    in_big = [t for t in topics if t[1] == big_group]
    rows, read_id = [], _next_id(TopicRead)
    now = timezone.now()
    for uid in members:
        for tid, _, _, _, count in rng.sample(in_big, min(40, len(in_big))):
            rows.append((read_id, uid, tid, rng.randint(1, count + 1), now))
            read_id += 1
    _insert_rows(TopicRead._meta.db_table, ("id", "user_id", "topic_id", "last_read_number", "updated_at"), rows)
