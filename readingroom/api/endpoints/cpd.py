"""The CPD log: entries (keyset list with filters, create, read, edit, delete), totals for any
period with the rolling figure, the member's requirement, and the CSV export.

Each operation does what the matching page does (readingroom/cpd/views.py) through the same
forms, actions, queries and permission checks: someone else's private entry is a 404."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from urllib.parse import urlencode

from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field, Strict
from pydantic.json_schema import SkipJsonSchema

from readingroom.api.auth import MEMBER_READ, MEMBER_WRITE
from readingroom.api.common import OBJECT_READ_ERRORS, READ_ERRORS, WRITE_ERRORS, form_invalid, viewer
from readingroom.api.errors import ApiError
from readingroom.api.schemas import PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX, BodyId, Id, Input, Text
from readingroom.core.ratelimit import check_rate
from readingroom.cpd import actions, csvio, queries
from readingroom.cpd.forms import EntryForm, FilterForm, PeriodForm, RequirementForm, entry_initial
from readingroom.cpd.models import ActivityType, CPDEntry, Delivery
from readingroom.cpd.permissions import can_edit_entry, check_can_edit_entry
from readingroom.cpd.summaries import status_text
from readingroom.learning.models import LearningVisibility

router = Router(tags=["CPD"])

ActivityCode = Literal[tuple(ActivityType.values)]  # type: ignore[valid-type]
DeliveryCode = Literal[tuple(["", *Delivery.values])]  # type: ignore[valid-type]
VisibilityCode = Literal[tuple(LearningVisibility.values)]  # type: ignore[valid-type]
Hours = Annotated[
    Annotated[float, Strict()] | Annotated[Text(20, min_length=1), Strict()],  # type: ignore[valid-type]
    Field(description='To the quarter hour: 1.75, or a string such as "1,5", "1:30" or "90m"; > 0 and ≤ 1000.'),
]
# Dates as strings checked by the page form: pydantic would also take 0 or 1.7e9 as a timestamp.
DateText = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", max_length=10, json_schema_extra={"format": "date"})]
Cursor = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}\.\d{1,19}$", max_length=40)]

# --- Schemas -------------------------------------------------------------------------------------


class EntryIn(Input):
    title: Text(200, min_length=1)  # type: ignore[valid-type]
    started_on: DateText = Field(description="From 1970 to a year from today.")
    ended_on: DateText | None = Field(None, description="The last day of a range; not before started_on.")
    activity_type: ActivityCode
    hours: Hours
    provider: Text(200) = ""  # type: ignore[valid-type]
    delivery: DeliveryCode = ""
    learned: Text(5000) = ""  # type: ignore[valid-type]
    apply: Text(5000) = ""  # type: ignore[valid-type]
    visibility: VisibilityCode = LearningVisibility.PRIVATE
    goals: list[BodyId] = Field(default_factory=list, max_length=100, description="Ids of your own goals.")
    skill_areas: list[BodyId] = Field(
        default_factory=list, max_length=100, description="Top-level area ids of the default framework."
    )


class EntryPatchIn(Input):
    """Fields left out are unchanged; `ended_on: null` makes it a one-day entry."""

    title: Text(200, min_length=1) | None = None  # type: ignore[valid-type]
    started_on: DateText | None = None
    ended_on: DateText | None = None
    activity_type: ActivityCode | None = None
    hours: Hours | None = None
    provider: Text(200) | None = None  # type: ignore[valid-type]
    delivery: DeliveryCode | None = None
    learned: Text(5000) | None = None  # type: ignore[valid-type]
    apply: Text(5000) | None = None  # type: ignore[valid-type]
    visibility: VisibilityCode | None = None
    goals: list[BodyId] | None = Field(None, max_length=100)
    skill_areas: list[BodyId] | None = Field(None, max_length=100)


class GoalRef(Schema):
    id: int
    title: str


class AreaRef(Schema):
    id: int
    code: str
    name: str


class EvidenceOut(Schema):
    id: int
    title: str
    url: str | None = Field(description="The link, or where to download the file (signed-in session or token).")
    is_file: bool


class EntryOut(Schema):
    id: int
    url: str
    owner_handle: str | None
    title: str
    started_on: date
    ended_on: date | None
    activity_type: str
    activity_type_label: str
    hours: float
    quarter_hours: int
    provider: str
    delivery: str
    learned: str
    apply: str
    visibility: str
    goals: list[GoalRef]
    skill_areas: list[AreaRef]
    evidence: list[EvidenceOut]


class EntryPage(Schema):
    items: list[EntryOut]
    next_url: str | None
    next_cursor: str | None


class EntryListQuery(Input):
    cursor: Cursor | SkipJsonSchema[None] = Field(None, description="Only entries after this one (from `next_cursor`).")
    limit: Annotated[int, Field(ge=1, le=PAGE_LIMIT_MAX)] = PAGE_LIMIT_DEFAULT
    date_from: DateText | SkipJsonSchema[None] = None
    date_to: DateText | SkipJsonSchema[None] = None
    activity_type: ActivityCode | SkipJsonSchema[None] = None
    area: Id | SkipJsonSchema[None] = Field(None, description="A skills area id.")
    goal: Id | SkipJsonSchema[None] = Field(None, description="One of your goal ids.")


class PeriodQuery(Input):
    date_from: DateText | SkipJsonSchema[None] = Field(
        None, description="Default: the start of your requirement's rolling period (or 12 months)."
    )
    date_to: DateText | SkipJsonSchema[None] = Field(None, description="Default: today.")


class TypeTotal(Schema):
    activity_type: str
    label: str
    hours: float


class RequirementOut(Schema):
    label: str
    hours: float
    period_months: int


class ProgressOut(Schema):
    period_start: date
    period_end: date
    logged_hours: float
    required_hours: float
    due_now_hours: float
    status: Literal["met", "on_track", "behind"]
    status_text: str
    to_go_hours: float
    per_month_hours: float
    months_left: int


class TotalsOut(Schema):
    date_from: date
    date_to: date
    hours: float
    by_activity_type: list[TypeTotal]
    requirement: RequirementOut | None
    progress: ProgressOut | None


class RequirementIn(Input):
    label: Text(120) = ""  # type: ignore[valid-type]
    hours: Hours
    period_months: Annotated[int, Field(ge=1, le=60)] = 12


class RequirementState(Schema):
    requirement: RequirementOut | None
    progress: ProgressOut | None


# --- Presenting ------------------------------------------------------------------------------------


def _h(quarters: int) -> float:
    return quarters / 4


def _entry(request: HttpRequest, entry: CPDEntry) -> dict:
    user = viewer(request)
    mine = can_edit_entry(user, entry)
    # Another member sees only the goals they may see themselves (the same rule as the page).
    goals = entry.goals.all() if mine else queries.detail_context(entry, user)["goals"]
    return {
        "id": entry.pk,
        "url": request.build_absolute_uri(reverse("cpd:detail", args=[entry.pk])),
        "owner_handle": None if mine else getattr(getattr(entry.owner, "profile", None), "handle", None),
        **{
            k: getattr(entry, k)
            for k in (
                "title",
                "started_on",
                "ended_on",
                "activity_type",
                "quarter_hours",
                "provider",
                "delivery",
                "learned",
                "apply",
                "visibility",
            )
        },
        "activity_type_label": entry.get_activity_type_display(),
        "hours": _h(entry.quarter_hours),
        "goals": [{"id": g.pk, "title": g.title} for g in goals],
        "skill_areas": [{"id": a.pk, "code": a.code, "name": a.name} for a in entry.skill_areas.all()],
        "evidence": [
            {
                "id": e.pk,
                "title": e.title,
                "is_file": bool(e.file_id),
                "url": request.build_absolute_uri(reverse("cpd:evidence_file", args=[entry.pk, e.pk]))
                if e.file_id
                else e.url,
            }
            for e in entry.evidence.all()
        ],
    }


def _fresh(request: HttpRequest, pk: int) -> dict:
    entry = queries.entry_for_viewer(pk, viewer(request))
    prefetch_related_objects([entry], "goals", "skill_areas", "evidence")
    return _entry(request, entry)


def _progress(progress: queries.Progress | None) -> dict | None:
    if progress is None:
        return None
    return {
        "period_start": progress.start,
        "period_end": progress.end,
        "logged_hours": _h(progress.logged),
        "required_hours": _h(progress.required),
        "due_now_hours": _h(progress.due_now),
        "status": progress.status,
        "status_text": status_text(progress),
        "to_go_hours": _h(progress.to_go),
        "per_month_hours": _h(progress.per_month),
        "months_left": progress.months_left,
    }


def _requirement(requirement) -> dict | None:
    if requirement is None:
        return None
    return {
        "label": requirement.label,
        "hours": _h(requirement.quarter_hours),
        "period_months": requirement.period_months,
    }


def _form_data(values: dict) -> dict:
    """API values as the page form's POST data."""
    data = {}
    for name, value in values.items():
        if value is None:
            data[name] = ""
        elif isinstance(value, date):
            data[name] = value.isoformat()
        elif isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif isinstance(value, float):
            data[name] = repr(value) if value == value and abs(value) < 1e6 else "invalid"
        else:
            data[name] = value
    return data


def _entry_form(user, values: dict) -> EntryForm:
    form = EntryForm(_form_data(values), owner=user, today=queries.member_today(user))
    if not form.is_valid():
        raise form_invalid(form)
    return form


def _save(form: EntryForm, *, user, entry: CPDEntry | None) -> CPDEntry:
    try:
        if entry is None:
            return actions.create_entry(owner=user, data=form.entry_data())
        return actions.edit_entry(entry=entry, data=form.entry_data())
    except actions.DuplicateEntry as exc:
        existing = exc.existing
        raise ApiError(
            422,
            "validation_failed",
            exc.messages[0],
            fields=[
                {
                    "field": "__all__",
                    "location": "body",
                    "code": "duplicate",
                    "message": f"{exc.messages[0]} (entry {existing.pk})",
                }
            ],
        ) from None


# --- Entries ---------------------------------------------------------------------------------------


@router.get("/cpd/entries", response={200: EntryPage, **READ_ERRORS}, auth=MEMBER_READ, url_name="cpd_entries")
def list_entries(request: HttpRequest, response: HttpResponse, query: Query[EntryListQuery]):
    """Your CPD entries, newest first by date; follow `next_url` (or `Link: rel="next"`) for older ones."""
    user = viewer(request)
    params = {
        k: v
        for k, v in query.model_dump().items()
        if k in ("date_from", "date_to", "activity_type", "area", "goal") and v is not None
    }
    form = FilterForm(_form_data(params), owner=user)
    if not form.is_valid():
        raise form_invalid(form, location="query")
    page = queries.log_page(
        owner=user, filters=form.filters(), cursor=queries.parse_cursor(query.cursor), size=query.limit
    )
    prefetch_related_objects(page.items, "goals", "skill_areas", "evidence")
    next_url = None
    if page.next_cursor:
        others = {k: v for k, v in request.GET.items() if k != "cursor"}
        next_url = request.build_absolute_uri(f"{request.path}?{urlencode({**others, 'cursor': page.next_cursor})}")
        response["Link"] = f'<{next_url}>; rel="next"'
    return {"items": [_entry(request, e) for e in page.items], "next_url": next_url, "next_cursor": page.next_cursor}


@router.post("/cpd/entries", response={201: EntryOut, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="cpd_entries")
def create_entry(request: HttpRequest, payload: EntryIn):
    """Log an activity. A second entry with the same dates, title, type, hours and provider is
    refused (422, code `duplicate` on the field)."""
    user = viewer(request)
    form = _entry_form(user, payload.model_dump())
    check_rate("cpd_entry", user.pk, limit=120, period=300)
    entry = _save(form, user=user, entry=None)
    return Status(201, _fresh(request, entry.pk))


@router.get(
    "/cpd/entries/{entry_id}", response={200: EntryOut, **OBJECT_READ_ERRORS}, auth=MEMBER_READ, url_name="cpd_entry"
)
def get_entry(request: HttpRequest, entry_id: Id):
    """An entry you may see: your own, or one its owner shared with you (404 otherwise)."""
    return _fresh(request, entry_id)


@router.patch(
    "/cpd/entries/{entry_id}", response={200: EntryOut, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="cpd_entry"
)
def edit_entry(request: HttpRequest, payload: EntryPatchIn, entry_id: Id):
    user = viewer(request)
    entry = queries.entry_for_viewer(entry_id, user)
    check_can_edit_entry(user, entry)
    current = entry_initial(entry)
    changes = payload.model_dump(exclude_unset=True)
    form = _entry_form(user, {**current, **changes})
    _save(form, user=user, entry=entry)
    return _fresh(request, entry.pk)


@router.delete("/cpd/entries/{entry_id}", response={204: None, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="cpd_entry")
def delete_entry(request: HttpRequest, entry_id: Id):
    """Delete an entry with its evidence files, for good."""
    user = viewer(request)
    entry = queries.entry_for_viewer(entry_id, user)
    check_can_edit_entry(user, entry)
    actions.delete_entry(entry=entry)
    return Status(204, None)


# --- Totals and requirement ------------------------------------------------------------------------


@router.get("/cpd/totals", response={200: TotalsOut, **READ_ERRORS}, auth=MEMBER_READ, url_name="cpd_totals")
def totals(request: HttpRequest, query: Query[PeriodQuery]):
    """Hours in a period (by the entries' start dates) by activity type, and the rolling figure
    against your requirement (see the summary page for how met / on track / behind are decided)."""
    user = viewer(request)
    form = PeriodForm(_form_data(query.model_dump()))
    if not form.is_valid():
        raise form_invalid(form, location="query")
    today = queries.member_today(user)
    requirement = queries.requirement_for(user)
    progress = queries.progress(owner=user, today=today, requirement=requirement)
    months = requirement.period_months if requirement else 12
    start, end = form.period(default_start=queries.rolling_start(today, months), default_end=today)
    result = queries.period_totals(owner=user, start=start, end=end)
    return {
        "date_from": start,
        "date_to": end,
        "hours": _h(result.quarter_hours),
        "by_activity_type": [{"activity_type": v, "label": label, "hours": _h(q)} for v, label, q in result.by_type],
        "requirement": _requirement(requirement),
        "progress": _progress(progress),
    }


def _state(user) -> dict:
    requirement = queries.requirement_for(user)
    progress = queries.progress(owner=user, today=queries.member_today(user), requirement=requirement)
    return {"requirement": _requirement(requirement), "progress": _progress(progress)}


@router.get(
    "/cpd/requirement", response={200: RequirementState, **READ_ERRORS}, auth=MEMBER_READ, url_name="cpd_requirement"
)
def get_requirement(request: HttpRequest):
    """Your requirement (null when none is set) and where you stand against it today."""
    return _state(viewer(request))


@router.put(
    "/cpd/requirement", response={200: RequirementState, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="cpd_requirement"
)
def set_requirement(request: HttpRequest, payload: RequirementIn):
    """Set the hours you must log per period, e.g. 20 hours every 12 months."""
    user = viewer(request)
    form = RequirementForm(_form_data(payload.model_dump()))
    if not form.is_valid():
        raise form_invalid(form)
    d = form.cleaned_data
    actions.set_requirement(owner=user, quarter_hours=d["hours"], period_months=d["period_months"], label=d["label"])
    return _state(user)


@router.delete("/cpd/requirement", response={204: None, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="cpd_requirement")
def clear_requirement(request: HttpRequest):
    actions.clear_requirement(owner=viewer(request))
    return Status(204, None)


@router.get(
    "/cpd/export.csv",
    response={200: None, **READ_ERRORS},
    auth=MEMBER_READ,
    url_name="cpd_export",
    openapi_extra={
        "responses": {
            200: {
                "description": "Every entry of yours as CSV (the columns are listed on the import page).",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def export_csv(request: HttpRequest):
    response = StreamingHttpResponse(csvio.export_lines(viewer(request)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cpd-log.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
