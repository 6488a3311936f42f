"""Every read of the CPD log: the keyset-paged log, one entry, and the totals behind the summary.

Totals are one aggregate query each (SUM of quarter hours, grouped), served by the
(owner, started_on, id) index. An entry counts in the period its start date falls in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import DateField, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone

from readingroom.core.pagination import MAX_ID, Page
from readingroom.cpd.models import QUARTERS_PER_HOUR, ActivityType, CPDEntry, CPDRequirement
from readingroom.cpd.rules import add_months
from readingroom.goals.models import Goal
from readingroom.learning.permissions import audience_q
from readingroom.notifications.quiet_hours import member_zone
from readingroom.skills.models import SkillArea, SkillFramework

PAGE_SIZE = 20
_CURSOR_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.(\d{1,19})$")


def member_today(member) -> date:
    """Today where the member is (their profile's time zone), which decides what 'the last 12 months' means."""
    profile = getattr(member, "profile", None)
    return timezone.now().astimezone(member_zone(profile.time_zone if profile else None)).date()


# --- who sees what ------------------------------------------------------------------------------


def visible_entries(viewer) -> QuerySet[CPDEntry]:
    """The one visibility rule for CPD entries (learning.permissions.audience_q)."""
    return CPDEntry.objects.filter(audience_q(viewer))


def entry_for_viewer(pk: int, viewer) -> CPDEntry:
    """The entry if the viewer may see it; 404 otherwise (private things are not admitted to exist)."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    entry = visible_entries(viewer).select_related("owner__profile").filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


def detail_context(entry: CPDEntry, viewer) -> dict:
    """What the entry page shows: goals the viewer may also see, areas, evidence."""
    goals = list(entry.goals.filter(audience_q(viewer)).order_by("title"))
    areas = list(entry.skill_areas.order_by("position", "id"))
    evidence = list(entry.evidence.select_related("file"))
    return {"goals": goals, "areas": areas, "evidence": evidence}


def own_goals(owner) -> QuerySet[Goal]:
    return Goal.objects.filter(owner=owner).order_by("title", "id")


def default_area_queryset() -> QuerySet[SkillArea]:
    """Top-level areas of the default framework (what entries are tagged with)."""
    framework = SkillFramework.objects.filter(is_default=True, is_active=True).order_by("id").values("pk")[:1]
    return SkillArea.objects.filter(framework__in=framework, parent__isnull=True).order_by("position", "id")


def default_areas() -> list[SkillArea]:
    return list(default_area_queryset())


# --- the log --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogFilters:
    date_from: date | None = None
    date_to: date | None = None
    activity_type: str = ""
    area_id: int | None = None
    goal_id: int | None = None

    def apply(self, entries: QuerySet[CPDEntry]) -> QuerySet[CPDEntry]:
        if self.date_from:
            entries = entries.filter(started_on__gte=self.date_from)
        if self.date_to:
            entries = entries.filter(started_on__lte=self.date_to)
        if self.activity_type:
            entries = entries.filter(activity_type=self.activity_type)
        if self.area_id:
            entries = entries.filter(skill_areas__id=self.area_id)
        if self.goal_id:
            entries = entries.filter(goals__id=self.goal_id)
        return entries


def parse_cursor(value: str | None) -> tuple[date, int] | None:
    """A log cursor is `<started_on>.<id>` of the last entry shown; anything else means 'from the start'."""
    match = _CURSOR_RE.match(value or "")
    if not match:
        return None
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    pk = int(match[4])
    return (day, pk) if 0 < pk <= MAX_ID else None


def cursor_for(entry: CPDEntry) -> str:
    return f"{entry.started_on.isoformat()}.{entry.pk}"


def log_page(
    *, owner, filters: LogFilters = LogFilters(), cursor: tuple[date, int] | None = None, size: int = PAGE_SIZE
) -> Page[CPDEntry]:
    """The member's entries newest first by (started_on, id): a keyset page, never OFFSET."""
    entries = filters.apply(CPDEntry.objects.filter(owner=owner))
    if cursor is not None:
        day, pk = cursor
        entries = entries.filter(Q(started_on__lt=day) | Q(started_on=day, id__lt=pk))
    rows = list(entries.order_by("-started_on", "-id")[: size + 1])
    if len(rows) > size:
        rows = rows[:size]
        return Page(rows, cursor_for(rows[-1]))  # type: ignore[arg-type]
    return Page(rows, None)


def all_entries(owner) -> QuerySet[CPDEntry]:
    """Everything the member logged, oldest first, with goals and areas (the CSV export)."""
    return CPDEntry.objects.filter(owner=owner).order_by("started_on", "id").prefetch_related("goals", "skill_areas")


# --- totals ---------------------------------------------------------------------------------------


@dataclass
class PeriodTotals:
    start: date
    end: date
    quarter_hours: int
    by_type: list[tuple[str, str, int]]  # (value, label, quarter hours), largest first

    @property
    def hours(self) -> float:
        return self.quarter_hours / QUARTERS_PER_HOUR


def period_totals(*, owner, start: date, end: date) -> PeriodTotals:
    """Hours in [start, end] by activity type: one grouped SUM."""
    rows = (
        CPDEntry.objects.filter(owner=owner, started_on__gte=start, started_on__lte=end)
        .values("activity_type")
        .annotate(q=Sum("quarter_hours"))
        .order_by()
    )
    labels = dict(ActivityType.choices)
    by_type = sorted(
        ((r["activity_type"], labels.get(r["activity_type"], r["activity_type"]), r["q"]) for r in rows),
        key=lambda t: (-t[2], t[1]),
    )
    return PeriodTotals(start, end, sum(t[2] for t in by_type), by_type)


def requirement_for(owner) -> CPDRequirement | None:
    return CPDRequirement.objects.filter(owner=owner).first()


def rolling_start(today: date, months: int) -> date:
    """The first day of the `months` months ending today: 12 months to 15 June 2025 start 16 June 2024."""
    return add_months(today, -months) + timedelta(days=1)


@dataclass
class Progress:
    """Where the member stands against their requirement over the rolling period ending today.

    - met: logged ≥ required.
    - on track: logged ≥ the share of the requirement due so far. The period counts from the
      rolling window's start, or from the member's first entry if that is later (someone who began
      logging 3 months ago owes 3/12 of a 12-month requirement, not all of it).
    - behind: otherwise; `to_go` is what is missing and `per_month` the pace needed over the
      months left of that period (at least one month)."""

    requirement: CPDRequirement
    start: date
    end: date
    logged: int  # quarter hours
    due_now: int  # quarter hours due by today, pro rata
    months_left: int

    @property
    def required(self) -> int:
        return self.requirement.quarter_hours

    @property
    def status(self) -> str:
        if self.logged >= self.required:
            return "met"
        return "on_track" if self.logged >= self.due_now else "behind"

    @property
    def to_go(self) -> int:
        return max(0, self.required - self.logged)

    @property
    def per_month(self) -> int:
        """Quarter hours a month, rounded up to the quarter hour."""
        return -(-self.to_go // max(1, self.months_left))

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.logged / self.required)) if self.required else 100


def progress(*, owner, today: date, requirement: CPDRequirement | None = None) -> Progress | None:
    """The rolling figure against the member's requirement: one aggregate query (SUM and MIN)."""
    requirement = requirement or requirement_for(owner)
    if requirement is None:
        return None
    start = rolling_start(today, requirement.period_months)
    # One statement with two scalar subqueries, each served by the (owner, started_on) index:
    # the window's SUM (a range read) and the first date ever logged (the index's first key).
    entries = CPDEntry.objects.filter(owner=requirement.owner_id, started_on__lte=today)
    window = entries.filter(started_on__gte=start).values("owner").annotate(q=Sum("quarter_hours")).values("q")
    first = entries.order_by("started_on").values("started_on")[:1]
    row = (
        CPDRequirement.objects.filter(pk=requirement.pk)
        .annotate(logged=Subquery(window), first=Subquery(first, output_field=DateField()))
        .values("logged", "first")
        .first()
    ) or {}
    row.setdefault("logged", 0)
    row.setdefault("first", None)
    logged = row["logged"] or 0
    began = max(start, row["first"] or today)
    period_days = (today - start).days + 1
    elapsed_days = (today - began).days + 1
    due_now = -(-requirement.quarter_hours * elapsed_days // period_days)
    period_end = add_months(began, requirement.period_months) - timedelta(days=1)
    months_left = max(1, round((period_end - today).days / 30.44))
    return Progress(requirement, start, today, logged, due_now, months_left)


def months_back(today: date, count: int = 12) -> list[date]:
    """First days of the last `count` months, oldest first, this month last."""
    first = today.replace(day=1)
    return [add_months(first, -i) for i in range(count - 1, -1, -1)]


def monthly_by_type(*, owner, today: date, months: int = 12) -> tuple[list[date], dict[str, list[int]]]:
    """Quarter hours per month and activity type over the last `months` months: one grouped SUM."""
    firsts = months_back(today, months)
    # Grouped by day, then bucketed by month here: SQLite truncates dates with a Python callback
    # per row, which cost more than the whole query.
    rows = (
        CPDEntry.objects.filter(owner=owner, started_on__gte=firsts[0], started_on__lte=today)
        .values("started_on", "activity_type")
        .annotate(q=Sum("quarter_hours"))
        .order_by()
    )
    index = {(m.year, m.month): i for i, m in enumerate(firsts)}
    series: dict[str, list[int]] = {}
    for row in rows:
        day = row["started_on"]
        slot = index.get((day.year, day.month))
        if slot is None:
            continue
        series.setdefault(row["activity_type"], [0] * len(firsts))[slot] += row["q"]
    order = [t.value for t in ActivityType if t.value in series]
    return firsts, {key: series[key] for key in order}


def hours_by_area(*, owner, start: date, end: date, areas: list[SkillArea]) -> list[tuple[SkillArea, int]]:
    """Quarter hours per skills area in [start, end] (an entry counts fully in each of its areas)."""
    through = CPDEntry.skill_areas.through
    rows = (
        through.objects.filter(cpdentry__owner=owner, cpdentry__started_on__gte=start, cpdentry__started_on__lte=end)
        .values("skillarea_id")
        .annotate(q=Sum("cpdentry__quarter_hours"))
        .order_by()
    )
    sums = {r["skillarea_id"]: r["q"] for r in rows}
    return [(area, sums.get(area.pk, 0)) for area in areas]
