"""The portfolio JSON format, version 1 (docs/portfolio-json-format.md): the export writer and
the strict schema an import is checked against. Items carry full copies of their records, so a
file is complete on its own and can be imported into any account."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.utils import timezone
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from readingroom.cpd.models import QUARTERS_PER_HOUR, ActivityType, Delivery
from readingroom.goals.models import GoalStatus
from readingroom.portfolio.models import MAX_ITEMS, ItemKind, Portfolio, PortfolioItem
from readingroom.portfolio.queries import items_for_document
from readingroom.skills.models import LEVEL_MAX, LEVEL_MIN

FORMAT = "readingroom-portfolio"
VERSION = 1
MAX_BYTES = 5 * 1024 * 1024


def _storable(value: str) -> str:
    """PostgreSQL cannot store NUL, and a lone surrogate cannot be encoded: refuse both."""
    if "\x00" in value:
        raise ValueError("Text may not contain the NUL character.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("Text must be valid Unicode.") from exc
    return value


def Text(max_length: int, *, min_length: int = 0):  # noqa: N802 - reads as a type
    return Annotated[str, Field(min_length=min_length, max_length=max_length), AfterValidator(_storable)]


Level = Annotated[int, Field(ge=LEVEL_MIN, le=LEVEL_MAX)]
Codes = Annotated[list[Text(60, min_length=1)], Field(max_length=100)]  # type: ignore[valid-type]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StepIn(Strict):
    title: Text(200, min_length=1)  # type: ignore[valid-type]
    due_date: date | None = None
    done: bool = False


class JournalIn(Strict):
    written_on: date
    body: Text(10000, min_length=1)  # type: ignore[valid-type]


class GoalIn(Strict):
    title: Text(200, min_length=1)  # type: ignore[valid-type]
    why: Text(4000) = ""  # type: ignore[valid-type]
    success_criteria: Text(4000) = ""  # type: ignore[valid-type]
    target_date: date | None = None
    status: Literal[tuple(GoalStatus.values)] = GoalStatus.PLANNED  # type: ignore[valid-type]
    progress: Annotated[int, Field(ge=0, le=100)] | None = Field(None, description="Exported for readers; ignored.")
    progress_override: Annotated[int, Field(ge=0, le=100)] | None = None
    skill_areas: Codes = []
    steps: Annotated[list[StepIn], Field(max_length=100)] = []
    reflections: Annotated[list[JournalIn], Field(max_length=1000)] = []


class CPDEntryIn(Strict):
    title: Text(200, min_length=1)  # type: ignore[valid-type]
    started_on: date
    ended_on: date | None = None
    activity_type: Literal[tuple(ActivityType.values)]  # type: ignore[valid-type]
    hours: Annotated[Decimal, Field(ge=Decimal("0.25"), le=1000, multiple_of=Decimal("0.25"))]
    provider: Text(200) = ""  # type: ignore[valid-type]
    delivery: Literal[tuple(["", *Delivery.values])] = ""  # type: ignore[valid-type]
    learned: Text(5000) = ""  # type: ignore[valid-type]
    apply: Text(5000) = ""  # type: ignore[valid-type]
    skill_areas: Codes = []

    @model_validator(mode="after")
    def _dates_in_order(self):
        if self.ended_on is not None and self.ended_on < self.started_on:
            raise ValueError("ended_on must be on or after started_on.")
        return self


class ReflectionIn(Strict):
    goal_title: Text(200, min_length=1)  # type: ignore[valid-type]
    written_on: date
    body: Text(10000, min_length=1)  # type: ignore[valid-type]


class RatingIn(Strict):
    area: Text(60, min_length=1)  # type: ignore[valid-type]
    name: Text(120) = ""  # type: ignore[valid-type]
    current: Level
    target: Level


class AssessmentIn(Strict):
    framework: Text(60) = ""  # type: ignore[valid-type]
    created_at: datetime | None = None
    note: Text(4000) = ""  # type: ignore[valid-type]
    ratings: Annotated[list[RatingIn], Field(min_length=1, max_length=200)]


class PostIn(Strict):
    body: Text(10000)  # type: ignore[valid-type]
    created_at: datetime | None = None
    url: Text(500) = ""  # type: ignore[valid-type]


class SectionIn(Strict):
    heading: Text(200) = ""  # type: ignore[valid-type]
    body: Text(20000) = ""  # type: ignore[valid-type]


RECORD_FIELDS = ("goal", "cpd_entry", "reflection", "assessment", "post", "section")


class ItemIn(Strict):
    kind: Literal[tuple(ItemKind.values)]  # type: ignore[valid-type]
    note: Text(20000) = ""  # type: ignore[valid-type]
    goal: GoalIn | None = None
    cpd_entry: CPDEntryIn | None = None
    reflection: ReflectionIn | None = None
    assessment: AssessmentIn | None = None
    post: PostIn | None = None
    section: SectionIn | None = None

    @model_validator(mode="after")
    def _one_record(self):
        if getattr(self, self.kind) is None:
            raise ValueError(f"An item of kind {self.kind!r} needs a {self.kind!r} object.")
        extra = [name for name in RECORD_FIELDS if name != self.kind and getattr(self, name) is not None]
        if extra:
            raise ValueError(f"An item of kind {self.kind!r} may not also have: {', '.join(extra)}.")
        return self


class PortfolioIn(Strict):
    title: Text(200, min_length=1)  # type: ignore[valid-type]
    introduction: Text(20000) = ""  # type: ignore[valid-type]
    created_at: datetime | None = None
    updated_at: datetime | None = None


class OwnerIn(Strict):
    display_name: Text(80) = ""  # type: ignore[valid-type]
    headline: Text(160) = ""  # type: ignore[valid-type]


class PortfolioDocument(Strict):
    """A whole portfolio file. `owner` and `exported_at` are for readers and ignored by import."""

    format: Literal["readingroom-portfolio"]
    version: Literal[1]
    exported_at: datetime | None = None
    owner: OwnerIn | None = None
    portfolio: PortfolioIn
    items: Annotated[list[ItemIn], Field(max_length=MAX_ITEMS)] = []


# --- export ----------------------------------------------------------------------------------


def _d(value) -> str | None:
    return value.isoformat() if value else None


def _goal(goal) -> dict:
    return {
        "title": goal.title,
        "why": goal.why,
        "success_criteria": goal.success_criteria,
        "target_date": _d(goal.target_date),
        "status": goal.status,
        "progress": goal.progress,
        "progress_override": goal.progress_override,
        "skill_areas": [a.code for a in goal.skill_areas.all()],
        "steps": [{"title": s.title, "due_date": _d(s.due_date), "done": s.done} for s in goal.steps.all()],
        "reflections": [{"written_on": _d(r.written_on), "body": r.body} for r in goal.reflections.all()],
    }


def _cpd(entry) -> dict:
    hours = Decimal(entry.quarter_hours) / QUARTERS_PER_HOUR
    return {
        "title": entry.title,
        "started_on": _d(entry.started_on),
        "ended_on": _d(entry.ended_on),
        "activity_type": entry.activity_type,
        "hours": float(hours),
        "provider": entry.provider,
        "delivery": entry.delivery,
        "learned": entry.learned,
        "apply": entry.apply,
        "skill_areas": [a.code for a in entry.skill_areas.all()],
    }


def _record(item: PortfolioItem, post_url) -> dict:
    if item.kind == ItemKind.GOAL:
        return _goal(item.goal)
    if item.kind == ItemKind.CPD_ENTRY:
        return _cpd(item.cpd_entry)
    if item.kind == ItemKind.REFLECTION:
        r = item.reflection
        return {"goal_title": r.goal.title, "written_on": _d(r.written_on), "body": r.body}
    if item.kind == ItemKind.ASSESSMENT:
        a = item.assessment
        ratings = [
            {"area": r.area.code, "name": r.area.name, "current": r.current, "target": r.target}
            for r in a.ratings.all()
        ]
        return {"framework": a.framework.slug, "created_at": _d(a.created_at), "note": a.note, "ratings": ratings}
    if item.kind == ItemKind.POST:
        return {"body": item.post.body, "created_at": _d(item.post.created_at), "url": post_url(item.post)}
    return {"heading": item.heading, "body": item.body}


def export_document(portfolio: Portfolio, *, post_url=lambda post: "") -> dict:
    """The portfolio as a JSON-ready dict, items in order, each with a full copy of its record."""
    profile = getattr(portfolio.owner, "profile", None)
    items = []
    for item in items_for_document(portfolio):
        entry = {"kind": item.kind}
        if item.kind != ItemKind.SECTION:
            entry["note"] = item.body
        entry[item.kind] = _record(item, post_url)
        items.append(entry)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "owner": {
            "display_name": profile.display_name if profile else "",
            "headline": profile.headline if profile else "",
        },
        "portfolio": {
            "title": portfolio.title,
            "introduction": portfolio.introduction,
            "created_at": _d(portfolio.created_at),
            "updated_at": _d(portfolio.updated_at),
        },
        "items": items,
    }
