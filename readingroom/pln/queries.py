"""Every read for the balance panel and the check-in pages. The panel is the member's own: each
function takes the member and reads only their rows, with a few cheap aggregate queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.utils import dateformat, timezone

from readingroom.accounts.models import Follow
from readingroom.core.pagination import MAX_ID, Page, page_from
from readingroom.pln import suggestions
from readingroom.pln.checkin import guide
from readingroom.pln.models import ReadingDay, StageCheckIn, TimeIntention
from readingroom.posts.models import HashtagFollow, Post, PostHashtag, TimelineEntry

try:
    from readingroom.cpd.models import CPDEntry
except ImportError:  # pragma: no cover - a site without the CPD log
    CPDEntry = None

WEEKS = 4
DAYS = WEEKS * 7
# The reading-time estimate, stated on the page: half a minute for each timeline page opened
# and a quarter of a minute for each post shown. Rough, but the same every week, so it compares.
SECONDS_PER_PAGE = 30
SECONDS_PER_POST = 15
CHECK_IN_HISTORY = 10


@dataclass
class Week:
    start: date
    end: date
    posts_read: int = 0
    contributions: int = 0

    @property
    def label(self) -> str:
        if self.start.month == self.end.month:
            return f"{self.start.day}–{self.end.day} {self.end:%b}"
        return f"{self.start.day} {self.start:%b} – {self.end.day} {self.end:%b}"


@dataclass
class Balance:
    start: date
    end: date
    following_people: int = 0
    following_hashtags: int = 0
    days_active: int = 0
    pages: int = 0
    posts_seen: int = 0
    posts: int = 0
    replies: int = 0
    boosts: int = 0
    intention_minutes: int | None = None
    cpd_quarter_hours: int | None = None  # None: no CPD log on this site
    weeks: list[Week] = field(default_factory=list)
    busiest_hashtag: tuple[str, int] | None = None
    suggestions: list[suggestions.Suggestion] = field(default_factory=list)

    @property
    def following(self) -> int:
        return self.following_people + self.following_hashtags

    @property
    def contributions(self) -> int:
        return self.posts + self.replies + self.boosts

    @property
    def reading_minutes(self) -> int:
        return round((self.pages * SECONDS_PER_PAGE + self.posts_seen * SECONDS_PER_POST) / 60)

    @property
    def cpd_minutes(self) -> int:
        return (self.cpd_quarter_hours or 0) * 15

    @property
    def cpd_hours(self) -> float:
        return (self.cpd_quarter_hours or 0) / 4

    @property
    def recorded_minutes(self) -> int:
        return self.reading_minutes + self.cpd_minutes

    @property
    def recorded_minutes_per_week(self) -> int:
        return round(self.recorded_minutes / WEEKS)

    @property
    def intended_minutes(self) -> int:
        return (self.intention_minutes or 0) * WEEKS


def period(today: date | None = None) -> tuple[date, date]:
    """The last 28 days, today included, in the member's own time zone (active for the request)."""
    end = today or timezone.localdate()
    return end - timedelta(days=DAYS - 1), end


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _weeks(start: date) -> list[Week]:
    return [Week(start + timedelta(days=7 * i), start + timedelta(days=7 * i + 6)) for i in range(WEEKS)]


def _reading(balance: Balance, member) -> None:
    rows = ReadingDay.objects.filter(owner=member, day__gte=balance.start, day__lte=balance.end)
    for day, pages, posts_seen in rows.values_list("day", "pages", "posts_seen"):
        balance.pages += pages
        balance.posts_seen += posts_seen
        balance.days_active += 1 if pages else 0
        balance.weeks[(day - balance.start).days // 7].posts_read += posts_seen


def _contributions(balance: Balance, member) -> None:
    """Posts, replies and boosts in the period, and per week, in one aggregate over the author index."""
    mine = Post.objects.filter(author=member, created_at__gte=_midnight(balance.start))
    weekly = {
        f"week{i}": Count(
            "pk", filter=Q(created_at__gte=_midnight(w.start), created_at__lt=_midnight(w.end) + timedelta(days=1))
        )
        for i, w in enumerate(balance.weeks)
    }
    totals = mine.aggregate(
        boosts=Count("pk", filter=Q(boost_of__isnull=False)),
        replies=Count("pk", filter=Q(boost_of__isnull=True, reply_to__isnull=False)),
        posts=Count("pk", filter=Q(boost_of__isnull=True, reply_to__isnull=True)),
        **weekly,
    )
    balance.posts, balance.replies, balance.boosts = totals["posts"], totals["replies"], totals["boosts"]
    for i, week in enumerate(balance.weeks):
        week.contributions = totals[f"week{i}"]


def _cpd_quarter_hours(member, start: date, end: date) -> int | None:
    if CPDEntry is None or not apps.is_installed("readingroom.cpd"):
        return None
    total = CPDEntry.objects.filter(owner=member, started_on__gte=start, started_on__lte=end).aggregate(
        total=Sum("quarter_hours")
    )["total"]
    return total or 0


def busiest_followed_hashtag(member, *, since: date) -> tuple[str, int] | None:
    """The followed hashtag that brought the most posts (since `since`) into the home timeline."""
    followed = HashtagFollow.objects.filter(user=member).values("hashtag")
    home = TimelineEntry.objects.filter(owner=member, post__created_at__gte=_midnight(since)).values("post")
    row = (
        PostHashtag.objects.filter(hashtag__in=followed, post__in=home)
        .values("hashtag__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "hashtag__name")
        .first()
    )
    return (row["hashtag__name"], row["n"]) if row else None


def balance_for(member, *, today: date | None = None) -> Balance:
    start, end = period(today)
    balance = Balance(start=start, end=end, weeks=_weeks(start))
    balance.following_people = Follow.objects.filter(follower=member).count()
    balance.following_hashtags = HashtagFollow.objects.filter(user=member).count()
    _reading(balance, member)
    _contributions(balance, member)
    balance.intention_minutes = time_intention(member)
    balance.cpd_quarter_hours = _cpd_quarter_hours(member, start, end)
    if suggestions.needs_busiest_hashtag(balance):
        balance.busiest_hashtag = busiest_followed_hashtag(member, since=start)
    balance.suggestions = suggestions.suggest(balance, busiest_hashtag=balance.busiest_hashtag)
    return balance


def time_intention(member) -> int | None:
    return TimeIntention.objects.filter(owner=member).values_list("minutes_per_week", flat=True).first()


def time_intention_row(member) -> TimeIntention | None:
    return TimeIntention.objects.filter(owner=member).first()


def latest_check_in(member) -> StageCheckIn | None:
    return StageCheckIn.objects.filter(owner=member).order_by("-id").first()


def recent_check_ins(member, *, limit: int = CHECK_IN_HISTORY) -> list[StageCheckIn]:
    return list(StageCheckIn.objects.filter(owner=member).order_by("-id")[:limit])


def check_ins_page(member, *, before: int | None = None, size: int = 20) -> Page[StageCheckIn]:
    """The member's check-ins, newest first, by id (keyset on the (owner, -id) index)."""
    rows = StageCheckIn.objects.filter(owner=member)
    if before is not None:
        rows = rows.filter(pk__lt=before)
    return page_from(list(rows.order_by("-id")[: size + 1]), size=size, key=lambda c: c.pk)


def check_in_by_id(pk: int) -> StageCheckIn | None:
    """A check-in by id, or None (also for an id too large to exist); pages then ask
    permissions.check_can_see_check_in, which lets only its owner through."""
    if not 0 < pk <= MAX_ID:
        return None
    return StageCheckIn.objects.filter(pk=pk).first()


def hub_summary(member) -> dict:
    """The learning overview's Balance card: the latest stage and one headline figure."""
    latest = latest_check_in(member)
    start, end = period()
    read = ReadingDay.objects.filter(owner=member, day__gte=start, day__lte=end).aggregate(n=Sum("posts_seen"))["n"]
    made = Post.objects.filter(author=member, created_at__gte=_midnight(start)).count()
    when = dateformat.format(timezone.localtime(latest.created_at), "j M Y") if latest else ""
    stage = (
        f"Latest check-in: {guide(latest.stage).label} ({when})."
        if latest
        else "Take the stage check-in to see where your network is."
    )
    return {
        "lines": [stage, f"Last 4 weeks: about {read or 0} posts read, {made} of your own posts, replies and boosts."]
    }
