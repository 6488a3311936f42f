"""Every read of digest schedules: a member's settings, who is due, and whether the worker has work."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, F, Min, OuterRef
from django.utils import timezone

from readingroom.accounts.models import Follow, Profile
from readingroom.digests.models import Digest, DigestSchedule, DigestStatus, Frequency, Weekday
from readingroom.digests.schedule import WINDOW, next_digest_at
from readingroom.posts.models import Post


def schedule_for(member) -> DigestSchedule:
    """The member's schedule; until the worker or the member saves one, the default (unsaved)."""
    found = DigestSchedule.objects.filter(member_id=member.pk).first()
    if found is not None:
        return found
    profile = getattr(member, "profile", None)
    default = DigestSchedule(member_id=member.pk, time_zone=profile.time_zone if profile else "UTC")
    default.next_digest_at = next_digest_at(
        after=timezone.now(),
        zone_name=default.time_zone,
        frequency=default.frequency,
        weekday=default.weekday,
        hour=default.hour,
    )
    return default


def describe(schedule: DigestSchedule) -> str:
    """ "weekly, on Mondays at 08:00", "daily at 18:00" or "off"."""
    if schedule.frequency == Frequency.DAILY:
        return f"daily at {schedule.hour:02d}:00"
    if schedule.frequency == Frequency.WEEKLY:
        return f"weekly, on {Weekday(schedule.weekday).label}s at {schedule.hour:02d}:00"
    return "off"


def last_sent(member) -> Digest | None:
    return (
        Digest.objects.filter(member_id=member.pk, status=DigestStatus.SENT).order_by("-due_at").only("sent_at").first()
    )


def due(*, now: datetime):
    return DigestSchedule.objects.filter(next_digest_at__lte=now)


def has_work(*, now: datetime) -> bool:
    """Whether a run would do anything: a digest is due, a member has no schedule yet, or a
    member's time zone changed since their schedule was computed."""
    if due(now=now).exists():
        return True
    if Profile.objects.filter(~Exists(DigestSchedule.objects.filter(member_id=OuterRef("user_id")))).exists():
        return True
    return zone_changed().exists()


def zone_changed():
    """Schedules computed in another time zone than the member's profile now has."""
    return DigestSchedule.objects.filter(member__profile__isnull=False).exclude(
        time_zone=F("member__profile__time_zone")
    )


def floors(*, now: datetime) -> tuple[int, int]:
    """The lowest post id and follow id created within the longest digest window before `now`.

    Every digest period lies inside that window, so `id >= floor` bounds candidate reads to a
    range of the (author, id) and primary-key indexes. An exact MIN over created_at (one scan
    per run), so ids need not follow creation order."""
    start = now - max(WINDOW.values())
    post_floor = Post.objects.filter(created_at__gte=start).aggregate(first=Min("pk"))["first"]
    follow_floor = Follow.objects.filter(created_at__gte=start).aggregate(first=Min("pk"))["first"]
    # Nothing in the window: a floor past every id reads nothing.
    last_post = Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_follow = Follow.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return (post_floor or last_post + 1, follow_floor or last_follow + 1)
