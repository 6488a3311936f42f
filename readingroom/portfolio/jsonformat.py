"""The portfolio JSON format, version 1 (docs/portfolio-json-format.md): the export writer and
the strict schema an import is checked against. Items carry full copies of their records, so a
file is complete on its own and can be imported into any account."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from django.utils import timezone
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    WithJsonSchema,
    model_validator,
)

from readingroom.core.jsontypes import JsonDate, JsonDateTime, Percent, Text
from readingroom.cpd.models import QUARTERS_PER_HOUR, ActivityType, Delivery
from readingroom.goals.models import GoalStatus
from readingroom.portfolio.models import MAX_ITEMS, ItemKind, Portfolio, PortfolioItem
from readingroom.portfolio.queries import items_for_document
from readingroom.skills.models import LEVEL_MAX, LEVEL_MIN


def _not_bool(value):
    """true == 1 in Python, so Literal[1] alone would take it."""
    if isinstance(value, bool):
        raise ValueError("Give the version as a number.")
    return value


FileDate = JsonDate
FileDateTime = JsonDateTime

FORMAT = "readingroom-portfolio"
VERSION = 1
MAX_BYTES = 5 * 1024 * 1024


Level = Annotated[StrictInt, Field(ge=LEVEL_MIN, le=LEVEL_MAX)]
Codes = Annotated[list[Text(60, min_length=1)], Field(max_length=100)]  # type: ignore[valid-type]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FileStepIn(Strict):
    title: Text(200, min_length=1)  # type: ignore[valid-type]
    due_date: FileDate | None = None
    done: StrictBool = False


class FileJournalIn(Strict):
    written_on: FileDate
    body: Text(10000, min_length=1)  # type: ignore[valid-type]


class FileGoalIn(Strict):
    title: Text(200, min_length=1)  # type: ignore[valid-type]
    why: Text(4000) = ""  # type: ignore[valid-type]
    success_criteria: Text(4000) = ""  # type: ignore[valid-type]
    target_date: FileDate | None = None
    status: Literal[tuple(GoalStatus.values)] = GoalStatus.PLANNED  # type: ignore[valid-type]
    progress: Percent | None = Field(None, description="Exported for readers; ignored.")
    progress_override: Percent | None = None
    skill_areas: Codes = []
    steps: Annotated[list[FileStepIn], Field(max_length=100)] = []
    reflections: Annotated[list[FileJournalIn], Field(max_length=1000)] = []


class FileCPDEntryIn(Strict):
    title: Text(200, min_length=1)  # type: ignore[valid-type]
    started_on: FileDate
    ended_on: FileDate | None = None
    activity_type: Literal[tuple(ActivityType.values)]  # type: ignore[valid-type]
    # A JSON number (strict: neither "1.5" nor true); quarter hours are exact in binary floats.
    hours: Annotated[StrictFloat, Field(ge=0.25, le=1000, multiple_of=0.25)]
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


class FileReflectionIn(Strict):
    goal_title: Text(200, min_length=1)  # type: ignore[valid-type]
    written_on: FileDate
    body: Text(10000, min_length=1)  # type: ignore[valid-type]


class FileRatingIn(Strict):
    area: Text(60, min_length=1)  # type: ignore[valid-type]
    name: Text(120) = ""  # type: ignore[valid-type]
    current: Level
    target: Level


class FileAssessmentIn(Strict):
    framework: Text(60) = ""  # type: ignore[valid-type]
    created_at: FileDateTime | None = None
    note: Text(4000) = ""  # type: ignore[valid-type]
    ratings: Annotated[list[FileRatingIn], Field(min_length=1, max_length=200)]


class FilePostIn(Strict):
    body: Text(10000)  # type: ignore[valid-type]
    created_at: FileDateTime | None = None
    url: Text(500) = ""  # type: ignore[valid-type]


class FileSectionIn(Strict):
    heading: Text(200) = ""  # type: ignore[valid-type]
    body: Text(20000) = ""  # type: ignore[valid-type]


RECORD_FIELDS = ("goal", "cpd_entry", "reflection", "assessment", "post", "section")


class FileItemIn(Strict):
    kind: Literal[tuple(ItemKind.values)]  # type: ignore[valid-type]
    note: Text(20000) = ""  # type: ignore[valid-type]
    goal: FileGoalIn | None = None
    cpd_entry: FileCPDEntryIn | None = None
    reflection: FileReflectionIn | None = None
    assessment: FileAssessmentIn | None = None
    post: FilePostIn | None = None
    section: FileSectionIn | None = None

    @model_validator(mode="after")
    def _one_record(self):
        if getattr(self, self.kind) is None:
            raise ValueError(f"An item of kind {self.kind!r} needs a {self.kind!r} object.")
        extra = [name for name in RECORD_FIELDS if name != self.kind and getattr(self, name) is not None]
        if extra:
            raise ValueError(f"An item of kind {self.kind!r} may not also have: {', '.join(extra)}.")
        return self


class FilePortfolioIn(Strict):
    title: Text(200, min_length=1)  # type: ignore[valid-type]
    introduction: Text(20000) = ""  # type: ignore[valid-type]
    created_at: FileDateTime | None = None
    updated_at: FileDateTime | None = None


class FileOwnerIn(Strict):
    display_name: Text(80) = ""  # type: ignore[valid-type]
    headline: Text(160) = ""  # type: ignore[valid-type]


class PortfolioDocument(Strict):
    """A whole portfolio file. `owner` and `exported_at` are for readers and ignored by import."""

    format: Annotated[
        Literal["readingroom-portfolio"], WithJsonSchema({"type": "string", "enum": ["readingroom-portfolio"]})
    ]
    version: Annotated[Literal[1], BeforeValidator(_not_bool)]
    exported_at: FileDateTime | None = None
    owner: FileOwnerIn | None = None
    portfolio: FilePortfolioIn
    items: Annotated[list[FileItemIn], Field(max_length=MAX_ITEMS)] = []


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
