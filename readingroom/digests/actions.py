"""Every write of the digests app: members' settings, schedules kept in step with time zones,
claiming due digests, recording what was sent, and the run lease."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from readingroom.accounts.models import Profile, User
from readingroom.digests import queries
from readingroom.digests.content import Claim
from readingroom.digests.models import Digest, DigestRun, DigestSchedule, DigestStatus, Frequency
from readingroom.digests.schedule import next_digest_at, period_start

LEASE = timedelta(minutes=5)  # a run renews it every batch; a crashed run's lease runs out
QUEUED = timedelta(minutes=10)  # a queued run not started by then may be queued again
KEPT = timedelta(days=90)  # digest records older than this are deleted
SCHEDULE_BATCH = 2000


def _zone_of(member: User) -> str:
    profile = getattr(member, "profile", None)
    return profile.time_zone if profile is not None else "UTC"


@transaction.atomic
def save_digest_settings(*, member: User, frequency: str, weekday: int, hour: int) -> DigestSchedule:
    """Store the member's choice and when their next digest is due, in their own time zone."""
    now = timezone.now()
    zone = _zone_of(member)
    due = next_digest_at(after=now, zone_name=zone, frequency=frequency, weekday=weekday, hour=hour)
    schedule, _ = DigestSchedule.objects.update_or_create(
        member=member,
        defaults={
            "frequency": frequency,
            "weekday": weekday,
            "hour": hour,
            "time_zone": zone,
            "next_digest_at": due,
            "updated_at": now,
        },
    )
    return schedule


@transaction.atomic
def turn_off(*, member_id: int) -> bool:
    """Stop the member's digests (the one-click unsubscribe). False when there is no such member."""
    if not User.objects.filter(pk=member_id).exists():
        return False
    now = timezone.now()
    DigestSchedule.objects.update_or_create(
        member_id=member_id, defaults={"frequency": Frequency.OFF, "next_digest_at": None, "updated_at": now}
    )
    return True


def schedule_new_members(*, now: datetime) -> int:
    """Give every member with a profile and no schedule the default one (a weekly digest)."""
    created = 0
    missing = Profile.objects.filter(~Exists(DigestSchedule.objects.filter(member_id=OuterRef("user_id"))))
    while True:
        rows = list(missing.order_by("user_id").values_list("user_id", "time_zone")[:SCHEDULE_BATCH])
        if not rows:
            return created
        schedules = [DigestSchedule(member_id=pk, time_zone=zone, updated_at=now) for pk, zone in rows]
        for s in schedules:
            s.next_digest_at = next_digest_at(
                after=now, zone_name=s.time_zone, frequency=s.frequency, weekday=s.weekday, hour=s.hour
            )
        with transaction.atomic():
            DigestSchedule.objects.bulk_create(schedules, ignore_conflicts=True)
        created += len(schedules)


def follow_time_zone_changes(*, now: datetime) -> int:
    """Compute again the next digest of members whose profile's time zone changed since."""
    moved = queries.zone_changed()
    changed = 0
    while True:
        schedules = list(moved.annotate(zone=F("member__profile__time_zone"))[:SCHEDULE_BATCH])
        if not schedules:
            return changed
        for s in schedules:
            s.time_zone = s.zone
            s.next_digest_at = next_digest_at(
                after=now, zone_name=s.zone, frequency=s.frequency, weekday=s.weekday, hour=s.hour
            )
        with transaction.atomic():
            DigestSchedule.objects.bulk_update(schedules, ["time_zone", "next_digest_at"])
        changed += len(schedules)


def claim_due(*, now: datetime, after_id: int, limit: int) -> list[Claim] | None:
    """Claim up to `limit` due digests (members after `after_id`, in id order) in one transaction:
    each gets a Digest row (unique per member and slot) and its schedule moves to the next slot,
    so a digest is claimed once even with several workers, and never sent twice. None when
    another worker claimed one of these slots first (nothing was claimed; try again)."""
    try:
        with transaction.atomic():
            due = DigestSchedule.objects.filter(next_digest_at__lte=now, member_id__gt=after_id).order_by("member_id")
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            schedules = list(due[:limit])
            claims = _claim(schedules, now)
    except IntegrityError:
        return None
    return claims


def _claim(schedules: Sequence[DigestSchedule], now: datetime) -> list[Claim]:
    digests = []
    moved: dict[datetime | None, list[int]] = defaultdict(list)
    for s in schedules:
        since = period_start(until=now, frequency=s.frequency, last_sent_until=s.last_sent_until)
        digests.append(Digest(member_id=s.member_id, due_at=s.next_digest_at, period_start=since, period_end=now))
        # From now, not from the slot: a worker that was down sends one digest, not one per missed slot.
        s.next_digest_at = next_digest_at(
            after=max(now, s.next_digest_at),
            zone_name=s.time_zone,
            frequency=s.frequency,
            weekday=s.weekday,
            hour=s.hour,
        )
        moved[s.next_digest_at].append(s.member_id)
    # Members of one zone and hour share their next time: one UPDATE per distinct time, not per member.
    for next_at, member_ids in moved.items():
        DigestSchedule.objects.filter(member_id__in=member_ids).update(next_digest_at=next_at)
    created = Digest.objects.bulk_create(digests)  # ids come back (PostgreSQL, SQLite >= 3.35)
    return [
        Claim(d.pk, s.member_id, d.period_start, now, s.frequency, s.weekday, s.hour, s.time_zone)
        for d, s in zip(created, schedules, strict=True)
    ]


@transaction.atomic
def record_outcomes(*, until: datetime, outcomes: dict[int, tuple[str, int]], member_of: dict[int, int]) -> None:
    """Store each claimed digest's outcome ({digest id: (status, items)}). Sent and empty periods
    are done: the next digest starts where they ended. A failed or interrupted one is not, so its
    items come in the member's next digest (never in a second email for the same slot)."""
    sent_at = timezone.now()
    by_outcome: dict[tuple[str, int], list[int]] = {}
    for digest_id, outcome in outcomes.items():
        by_outcome.setdefault(outcome, []).append(digest_id)
    for (status, items), ids in by_outcome.items():
        done_at = sent_at if status == DigestStatus.SENT else None
        Digest.objects.filter(pk__in=ids).update(status=status, items=items, sent_at=done_at)
    finished = [
        member_of[d] for d, (status, _) in outcomes.items() if status in (DigestStatus.SENT, DigestStatus.EMPTY)
    ]
    if finished:
        DigestSchedule.objects.filter(member_id__in=finished).update(last_sent_until=until)


def prune(*, now: datetime) -> int:
    return Digest.objects.filter(due_at__lt=now - KEPT).delete()[0]


# --- The run leases ------------------------------------------------------------------------------
# RR_DIGEST_RUNS rows (pk 1..N), one lease each: at most that many runs send at once (one per
# worker process that has picked one up). Row 1 also notes when a run was last queued.


def _free(now: datetime) -> Q:
    return Q(locked_until__isnull=True) | Q(locked_until__lt=now)


def _lease_rows() -> None:
    slots = [DigestRun(pk=n) for n in range(1, max(settings.RR_DIGEST_RUNS, 1) + 1)]
    DigestRun.objects.bulk_create(slots, ignore_conflicts=True)


def take_lease(*, holder: str, now: datetime) -> bool:
    """Take a free run slot; False while every slot's lease is current. The queued note is
    cleared: the run that was queued has started."""
    _lease_rows()
    for slot in range(1, max(settings.RR_DIGEST_RUNS, 1) + 1):
        if DigestRun.objects.filter(_free(now), pk=slot).update(locked_until=now + LEASE, holder=holder):
            DigestRun.objects.filter(pk=1).update(queued_until=None)
            return True
    return False


def renew_lease(*, holder: str, now: datetime) -> bool:
    return bool(DigestRun.objects.filter(holder=holder).update(locked_until=now + LEASE))


def release_lease(*, holder: str) -> None:
    DigestRun.objects.filter(holder=holder).update(locked_until=None, holder="")


@transaction.atomic
def mark_queued_unless_busy(*, now: datetime) -> bool:
    """Note that a run is being queued, unless one is already queued or every slot is taken: True
    means queue it now. Row 1's lock (SQLite: the write transaction) makes workers take turns."""
    _lease_rows()
    first = DigestRun.objects.select_for_update().get(pk=1)
    if first.queued_until and first.queued_until > now:
        return False
    if not DigestRun.objects.filter(_free(now), pk__lte=max(settings.RR_DIGEST_RUNS, 1)).exists():
        return False
    first.queued_until = now + QUEUED
    first.save(update_fields=["queued_until"])
    return True
