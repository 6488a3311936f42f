"""Stored home timelines: fan-out on write, merge on follow, unmerge on unfollow or block,
rebuild for returning members, trim to a cap. Reads return post IDs; posts.queries hydrates them.

Why stored: a home page is then one index range read (owner_id, post_id < cursor) instead of a
merge over every followee at read time. See docs/adr/0004-home-timelines.md for the measurements.

Each write here is a single set-based SQL statement (INSERT … SELECT / DELETE … WHERE), so a post
by a member with 8,000 followers costs one statement, not 8,000 ORM saves.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from readingroom.accounts.models import Block, Follow, User
from readingroom.core.models import Visibility
from readingroom.groups.models import Membership
from readingroom.posts.models import HashtagFollow, Post, PostHashtag, TimelineEntry

T_ENTRY = TimelineEntry._meta.db_table
T_POST = Post._meta.db_table
T_FOLLOW = Follow._meta.db_table
T_USER = User._meta.db_table
T_BLOCK = Block._meta.db_table
T_TAGFOLLOW = HashtagFollow._meta.db_table
T_POSTTAG = PostHashtag._meta.db_table
T_MEMBER = Membership._meta.db_table

# Posts merged into a timeline when its owner follows someone new.
MERGE_RECENT = 100


def active_since(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.RR_ACTIVE_DAYS)


def add_to_own_timeline(post: Post) -> None:
    """The author sees their own post at once, before any fan-out runs."""
    TimelineEntry.objects.bulk_create([TimelineEntry(owner_id=post.author_id, post_id=post.pk)], ignore_conflicts=True)


def enqueue_fan_out(post: Post) -> None:
    post_id = post.pk
    transaction.on_commit(lambda: fan_out_post.enqueue(post_id))


@task()
def fan_out_post(post_id: int) -> int:
    """Insert a post into the home timeline of every active follower (and hashtag follower).

    Idempotent: running twice inserts nothing new. Returns the number of rows inserted.
    """
    row = Post.objects.filter(pk=post_id).values("author_id", "visibility", "reply_to__author_id", "group_id").first()
    if row is None:  # deleted before the worker got to it
        return 0
    if row["group_id"] is not None:
        return _fan_out_group_post(post_id, row)
    author_id = row["author_id"]
    reply_author = row["reply_to__author_id"]
    since = active_since()
    conditions: list[object] = [since]
    # A reply to someone else reaches only followers who follow both people (as on Mastodon),
    # so home timelines are not filled with one side of conversations.
    reply_clause = ""
    if reply_author is not None and reply_author != author_id:
        reply_clause = (
            f" AND EXISTS (SELECT 1 FROM {T_FOLLOW} f2 WHERE f2.follower_id = f.follower_id AND f2.followee_id = %s)"
        )
        conditions.append(reply_author)
    # Followers in chunks, each its own short transaction: on SQLite a writer holds the database's
    # one write lock, and 8,000 rows at once kept members' own posts waiting for it. Every chunk is
    # idempotent (ON CONFLICT DO NOTHING), so a retry after a crash finishes the job.
    followers_sql = (
        f"INSERT INTO {T_ENTRY} (owner_id, post_id)"
        f" SELECT f.follower_id, %s FROM {T_FOLLOW} f JOIN {T_USER} u ON u.id = f.follower_id"
        f" WHERE f.followee_id = %s AND f.follower_id >= %s AND f.follower_id <= %s"
        f" AND u.last_seen_at >= %s AND u.is_active{reply_clause} ON CONFLICT DO NOTHING"
    )
    inserted = 0
    for low, high in _follower_chunks(author_id):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(followers_sql, [post_id, author_id, low, high, *conditions])
            inserted += cursor.rowcount
    if row["visibility"] != Visibility.FOLLOWERS and reply_author is None:
        tag_sql = (
            f"INSERT INTO {T_ENTRY} (owner_id, post_id)"
            f" SELECT DISTINCT hf.user_id, %s FROM {T_TAGFOLLOW} hf"
            f" JOIN {T_POSTTAG} ph ON ph.hashtag_id = hf.hashtag_id"
            f" JOIN {T_USER} u2 ON u2.id = hf.user_id"
            f" WHERE ph.post_id = %s AND hf.user_id <> %s AND u2.last_seen_at >= %s AND u2.is_active"
            f" AND NOT EXISTS (SELECT 1 FROM {T_BLOCK} b WHERE"
            f" (b.blocker_id = hf.user_id AND b.blocked_id = %s) OR (b.blocker_id = %s AND b.blocked_id = hf.user_id))"
            f" ON CONFLICT DO NOTHING"
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(tag_sql, [post_id, post_id, author_id, since, author_id, author_id])
            inserted += cursor.rowcount
    return inserted


def _fan_out_group_post(post_id: int, row: dict) -> int:
    """A group's top-level post goes to the home timelines of its active members who chose to see
    the group there; not to the author's followers (the group is its audience). Replies stay in
    the group's threads."""
    if row["reply_to__author_id"] is not None:
        return 0
    sql = (
        f"INSERT INTO {T_ENTRY} (owner_id, post_id)"
        f" SELECT m.user_id, %s FROM {T_MEMBER} m JOIN {T_USER} u ON u.id = m.user_id"
        f" WHERE m.group_id = %s AND m.show_in_home AND m.user_id >= %s AND m.user_id <= %s"
        f" AND u.last_seen_at >= %s AND u.is_active ON CONFLICT DO NOTHING"
    )
    since, inserted = active_since(), 0
    members = f"SELECT user_id FROM {T_MEMBER} WHERE group_id = %s ORDER BY user_id"
    for low, high in _id_chunks(members, row["group_id"]):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [post_id, row["group_id"], low, high, since])
            inserted += cursor.rowcount
    return inserted


FAN_OUT_CHUNK = 1000


def _follower_chunks(author_id: int) -> list[tuple[int, int]]:
    """Inclusive follower-ID ranges of at most FAN_OUT_CHUNK followers each (read from the
    (followee, follower) index, without a write lock)."""
    followers = f"SELECT follower_id FROM {T_FOLLOW} WHERE followee_id = %s ORDER BY follower_id"
    return _id_chunks(followers, author_id)


def _id_chunks(sql: str, key: int) -> list[tuple[int, int]]:
    """Inclusive ranges of at most FAN_OUT_CHUNK of the ordered ids `sql` reads for `key`."""
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])
        ids = [r[0] for r in cursor.fetchall()]
    return [(ids[i], ids[min(i + FAN_OUT_CHUNK, len(ids)) - 1]) for i in range(0, len(ids), FAN_OUT_CHUNK)]


def merge_author(*, owner: User, author: User) -> None:
    """After a follow: the author's recent posts (not their replies to others) join owner's home."""
    recent = (
        Post.objects.filter(author=author, reply_to__isnull=True, group__isnull=True)
        .order_by("-id")
        .values_list("id", flat=True)
    )[:MERGE_RECENT]
    TimelineEntry.objects.bulk_create(
        [TimelineEntry(owner_id=owner.pk, post_id=pid) for pid in recent], ignore_conflicts=True
    )


def merge_hashtag(*, owner: User, hashtag_id: int) -> None:
    """After following a hashtag: its recent public and members posts join owner's home.

    Visibility, blocks and mutes are applied when the timeline is read, as for every row."""
    recent = (
        PostHashtag.objects.filter(hashtag_id=hashtag_id, post__reply_to__isnull=True, post__group__isnull=True)
        .exclude(post__visibility=Visibility.FOLLOWERS)
        .order_by("-post_id")
        .values_list("post_id", flat=True)
    )[:MERGE_RECENT]
    TimelineEntry.objects.bulk_create(
        [TimelineEntry(owner_id=owner.pk, post_id=pid) for pid in recent], ignore_conflicts=True
    )


def unmerge_author(*, owner: User, author: User) -> None:
    """After an unfollow or a block: the author's posts and boosts leave owner's home timeline."""
    TimelineEntry.objects.filter(
        owner_id=owner.pk, post_id__in=Post.objects.filter(author=author).values("id")
    ).delete()


def remove_group_from_home(group_id: int, user_id: int) -> None:
    """After leaving a group, or choosing not to see it at home: its posts leave the member's home
    timeline (their own included: they are the group's)."""
    TimelineEntry.objects.filter(
        owner_id=user_id, post_id__in=Post.objects.filter(group_id=group_id).values("id")
    ).delete()


def rebuild_home_timeline(*, owner: User) -> None:
    """From scratch: the newest posts of the people and hashtags owner follows, up to the cap."""
    cap = settings.RR_TIMELINE_CAP
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {T_ENTRY} WHERE owner_id = %s", [owner.pk])
        cursor.execute(
            f"INSERT INTO {T_ENTRY} (owner_id, post_id)"
            f" SELECT %s, p.id FROM {T_POST} p WHERE p.group_id IS NULL AND (p.author_id = %s OR p.author_id IN"
            f" (SELECT followee_id FROM {T_FOLLOW} WHERE follower_id = %s))"
            f" AND (p.reply_to_id IS NULL OR p.author_id = %s OR EXISTS (SELECT 1 FROM {T_POST} r"
            f" JOIN {T_FOLLOW} f3 ON f3.followee_id = r.author_id AND f3.follower_id = %s"
            f" WHERE r.id = p.reply_to_id))"
            f" ORDER BY p.id DESC LIMIT %s",
            [owner.pk, owner.pk, owner.pk, owner.pk, owner.pk, cap],
        )
        cursor.execute(
            f"INSERT INTO {T_ENTRY} (owner_id, post_id)"
            f" SELECT %s, ph.post_id FROM {T_POSTTAG} ph JOIN {T_TAGFOLLOW} hf ON hf.hashtag_id = ph.hashtag_id"
            f" JOIN {T_POST} p ON p.id = ph.post_id"
            f" WHERE hf.user_id = %s AND p.visibility <> %s AND p.reply_to_id IS NULL AND p.group_id IS NULL"
            f" ORDER BY ph.post_id DESC LIMIT %s ON CONFLICT DO NOTHING",
            [owner.pk, owner.pk, Visibility.FOLLOWERS, cap // 4],
        )
        # The groups whose posts the member chose to see at home (their own posts there included).
        cursor.execute(
            f"INSERT INTO {T_ENTRY} (owner_id, post_id)"
            f" SELECT %s, p.id FROM {T_POST} p JOIN {T_MEMBER} m ON m.group_id = p.group_id"
            f" WHERE m.user_id = %s AND m.show_in_home AND p.reply_to_id IS NULL AND p.boost_of_id IS NULL"
            f" ORDER BY p.id DESC LIMIT %s ON CONFLICT DO NOTHING",
            [owner.pk, owner.pk, cap // 4],
        )
    trim_home_timeline(owner=owner)


def trim_home_timeline(*, owner: User) -> int:
    """Keep the newest RR_TIMELINE_CAP rows of owner's timeline; older pages come from profiles."""
    cap = settings.RR_TIMELINE_CAP
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {T_ENTRY} WHERE owner_id = %s AND post_id < (SELECT post_id FROM {T_ENTRY}"
            f" WHERE owner_id = %s ORDER BY post_id DESC LIMIT 1 OFFSET %s)",
            [owner.pk, owner.pk, cap - 1],
        )
        return cursor.rowcount


def note_member_seen(*, user: User, now: datetime) -> None:
    """Mark the member active. A member back after RR_ACTIVE_DAYS missed fan-out: rebuild."""
    previously = user.last_seen_at
    User.objects.filter(pk=user.pk).update(last_seen_at=now)
    user.last_seen_at = now
    if previously is None or previously < active_since(now):
        rebuild_home_timeline(owner=user)
    else:
        # Timelines grow only while their owner is active, so trimming here keeps them capped.
        trim_home_timeline(owner=user)


def home_timeline_post_ids(*, owner: User, before: int | None = None, limit: int = 21) -> list[int]:
    """Newest-first post IDs of owner's home timeline, strictly older than `before` (keyset)."""
    # Raw SQL: this runs on every home page, and building the ORM query cost more than running it.
    with connection.cursor() as cursor:
        if before is None:
            cursor.execute(
                f"SELECT post_id FROM {T_ENTRY} WHERE owner_id = %s ORDER BY post_id DESC LIMIT %s", [owner.pk, limit]
            )
        else:
            cursor.execute(
                f"SELECT post_id FROM {T_ENTRY} WHERE owner_id = %s AND post_id < %s ORDER BY post_id DESC LIMIT %s",
                [owner.pk, before, limit],
            )
        return [row[0] for row in cursor.fetchall()]
