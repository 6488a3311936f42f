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
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from readingroom.accounts.models import CareerStage, Follow, Interest, Profile, Sector, User
from readingroom.core.models import Visibility
from readingroom.core.text import extract_hashtags, render_post
from readingroom.posts.models import Hashtag, Post, PostHashtag
from readingroom.posts.timeline import rebuild_home_timeline

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
    user_ids = _create_members(members, base, password, now, rng, stdout)
    _create_follows(user_ids, follows_per_member, zipf_s, rng, stdout)
    tags = _create_hashtags(hashtags)
    _create_posts(user_ids, posts, tags, zipf_s, now, rng, stdout)
    _refresh_counters()
    _build_timelines(user_ids, stdout)
    elapsed = time.monotonic() - started
    stdout.write(f"Done in {elapsed:.1f}s")
    return {"members": members, "posts": posts, "seconds": elapsed}


def _create_members(n, base, password, now, rng, stdout) -> list[int]:
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
    for start in range(0, n, BATCH):
        stop = min(n, start + BATCH)
        with transaction.atomic():
            users = User.objects.bulk_create(
                [
                    User(
                        email=f"synthetic{base + i}@bench.invalid", password=password, last_seen_at=now, is_active=True
                    )
                    for i in range(start, stop)
                ]
            )
            Profile.objects.bulk_create(
                [
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
            )
            interests = list(Interest.objects.values_list("id", flat=True))
            if interests:
                through = Profile.interests.through
                through.objects.bulk_create(
                    [
                        through(profile_id=u.pk, interest_id=iid)
                        for u in users
                        for iid in rng.sample(interests, k=min(3, len(interests)))
                    ]
                )
        progress.update(stop)
    return list(User.objects.filter(email__endswith="@bench.invalid").order_by("id").values_list("id", flat=True))


def _create_follows(user_ids, per_member, zipf_s, rng, stdout) -> None:
    # Popularity follows a Zipf law over a shuffled ranking: a few members have thousands of
    # followers, the median a handful (the peer's dataset: top 7,908, median 11).
    ranking = user_ids[:]
    rng.shuffle(ranking)
    cum = _zipf_cumulative(len(ranking), zipf_s)
    total = len(user_ids)
    progress = Progress(stdout, "follows", total)
    rows: list[Follow] = []
    for done, follower in enumerate(user_ids, start=1):
        chosen: set[int] = set()
        for _ in range(per_member * 2):
            if len(chosen) >= per_member:
                break
            followee = ranking[_pick(cum, rng)]
            if followee != follower:
                chosen.add(followee)
        rows.extend(Follow(follower_id=follower, followee_id=f) for f in chosen)
        if len(rows) >= BATCH * 4 or done == total:
            Follow.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
            rows = []
            progress.update(done)


def _create_hashtags(n) -> list[Hashtag]:
    names = ["uklibchat", "cpd23", "critlib", "libraries", "archives", "museums", "glam", "metadata"]
    names += [f"topic{i}" for i in range(n - len(names))]
    Hashtag.objects.bulk_create([Hashtag(name=name) for name in names], ignore_conflicts=True)
    return list(Hashtag.objects.filter(name__in=names))


def _create_posts(user_ids, n, tags, zipf_s, now, rng, stdout) -> None:
    tag_cum = _zipf_cumulative(len(tags), 1.0)
    author_cum = _zipf_cumulative(len(user_ids), 0.5)
    authors = user_ids[:]
    rng.shuffle(authors)
    tag_by_name = {t.name: t for t in tags}
    progress = Progress(stdout, "posts", n)
    span = timedelta(days=60).total_seconds()
    for start in range(0, n, BATCH):
        stop = min(n, start + BATCH)
        batch = []
        for i in range(start, stop):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
            tag_names = {tags[_pick(tag_cum, rng)].name for _ in range(rng.randint(0, 2))}
            body = words.capitalize() + "." + "".join(f" #{name}" for name in sorted(tag_names))
            html = render_post(body, mention_url=lambda _h: None, hashtag_url=lambda name: f"/tags/{name}")
            created = now - timedelta(seconds=span * (n - i) / n)
            batch.append(
                Post(
                    author_id=authors[_pick(author_cum, rng)],
                    body=body,
                    body_html=html,
                    visibility=Visibility.PUBLIC if rng.random() < 0.8 else Visibility.MEMBERS,
                    created_at=created,
                )
            )
        with transaction.atomic():
            created_posts = Post.objects.bulk_create(batch)
            PostHashtag.objects.bulk_create(
                [
                    PostHashtag(post_id=p.pk, hashtag_id=tag_by_name[name].pk)
                    for p in created_posts
                    for name in extract_hashtags(p.body)
                ]
            )
        progress.update(stop)


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
    progress = Progress(stdout, "home timelines", len(user_ids))
    owners = User.objects.in_bulk(user_ids)
    for done, uid in enumerate(user_ids, start=1):
        rebuild_home_timeline(owner=owners[uid])
        if done % 1000 == 0 or done == len(user_ids):
            progress.update(done)
