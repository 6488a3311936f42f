"""Every write in pln: check-ins, the weekly time intention, and flushing buffered reading counts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from readingroom.pln import checkin
from readingroom.pln.models import ReadingDay, StageCheckIn, TimeIntention

MAX_MINUTES_PER_WEEK = 3000  # the model's check constraint: 50 hours a week


@transaction.atomic
def record_check_in(*, member, answers: Mapping) -> StageCheckIn:
    """Place the member from their answers and keep the check-in; raises checkin.InvalidAnswers."""
    cleaned = checkin.clean_answers(answers)
    return StageCheckIn.objects.create(owner=member, answers=cleaned, stage=checkin.place(cleaned))


@transaction.atomic
def set_time_intention(*, member, minutes_per_week: int) -> TimeIntention:
    if not 0 <= minutes_per_week <= MAX_MINUTES_PER_WEEK:
        raise ValueError(f"minutes_per_week must be 0 to {MAX_MINUTES_PER_WEEK}")
    intention, _ = TimeIntention.objects.update_or_create(
        owner=member, defaults={"minutes_per_week": minutes_per_week, "updated_at": timezone.now()}
    )
    return intention


def _upsert_sql() -> str:
    qn = connection.ops.quote_name
    table = qn(ReadingDay._meta.db_table)
    pages, posts = qn("pages"), qn("posts_seen")
    # One statement per member-day, safe against a concurrent flush from another process:
    # the database adds to the row if it exists instead of us reading then writing.
    # SQLite (3.24+) and PostgreSQL share this syntax.
    # Only quoted names from our own model go into the text; every value is a parameter.
    return (
        f"INSERT INTO {table} ({qn('owner_id')}, {qn('day')}, {pages}, {posts}) VALUES (%s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT ({qn('owner_id')}, {qn('day')}) DO UPDATE SET "
        f"{pages} = {table}.{pages} + excluded.{pages}, {posts} = {table}.{posts} + excluded.{posts}"
    )


def add_reading(*, counts: Mapping[tuple[int, date], tuple[int, int]]) -> int:
    """Add (pages, posts shown) to each member's ReadingDay; returns the rows written.
    Members deleted since they read are skipped (their counts have nowhere to go)."""
    member_ids = {member_id for member_id, _ in counts}
    existing = set(get_user_model().objects.filter(pk__in=member_ids).values_list("pk", flat=True))
    rows = [
        (member_id, connection.ops.adapt_datefield_value(day), pages, posts)
        for (member_id, day), (pages, posts) in counts.items()
        if member_id in existing and (pages or posts)
    ]
    if not rows:
        return 0
    sql = _upsert_sql()
    with transaction.atomic(), connection.cursor() as cursor:
        for row in rows:
            cursor.execute(sql, row)
    return len(rows)
