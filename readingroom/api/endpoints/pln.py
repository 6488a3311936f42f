"""The member's own PLN balance: the figures and suggestions, stage check-ins and the weekly time.
Through pln's forms, actions and queries, as its pages (readingroom/pln/views.py) do."""

from datetime import date, datetime
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field, Strict
from pydantic.json_schema import SkipJsonSchema

from readingroom.api.auth import MEMBER_READ, MEMBER_WRITE
from readingroom.api.common import READ_ERRORS, WRITE_ERRORS, form_invalid, present, viewer
from readingroom.api.pagination import list_window, page_body
from readingroom.api.schemas import Id, Input, Text
from readingroom.core.ratelimit import check_rate
from readingroom.pln import actions, checkin, queries
from readingroom.pln.forms import CheckInForm, TimeIntentionForm

router = Router(tags=["PLN balance"])


class WeekOut(Schema):
    start: date
    end: date
    label: str
    posts_read: int
    contributions: int = Field(description="Posts, replies and boosts made that week.")


class SuggestionOut(Schema):
    key: str = Field(description="digest, hashtag, reply, follow, time or balanced")
    title: str
    text: str
    url: str | None


class BalanceOut(Schema):
    start: date
    end: date
    following_people: int
    following_hashtags: int
    days_active: int = Field(description="Days with at least one timeline page opened.")
    timeline_pages: int
    posts_seen: int
    posts: int
    replies: int
    boosts: int
    intention_minutes_per_week: int | None
    reading_minutes_estimate: int = Field(
        description=f"{queries.SECONDS_PER_PAGE} s per timeline page opened plus "
        f"{queries.SECONDS_PER_POST} s per post shown, rounded to minutes."
    )
    cpd_hours: float | None = Field(description="CPD hours logged in the period; null where there is no CPD log.")
    recorded_minutes_per_week: int
    weeks: list[WeekOut]
    suggestions: list[SuggestionOut]


class CheckInIn(Input):
    answers: dict[Text(40), Text(40)] = Field(  # type: ignore[valid-type]
        max_length=20,
        description="Question key → option key, for every question in "
        + ", ".join(f"`{q.key}`" for q in checkin.QUESTIONS)
        + ".",
    )


class CheckInOut(Schema):
    id: int
    stage: str = Field(description="immersion, evaluation, know_it_all, perspective or balance")
    stage_label: str
    summary: str
    advice_title: str
    advice: list[str]
    answers: dict[str, str]
    created_at: datetime


class CheckInPage(Schema):
    items: list[CheckInOut]
    next_url: str | None
    next_max_id: int | None


class CheckInQuery(Input):
    max_id: Id | SkipJsonSchema[None] = Field(None, description="Only check-ins older than this cursor.")


class TimeIntentionOut(Schema):
    minutes_per_week: int | None = Field(description="null until the member sets it.")
    updated_at: datetime | None


class TimeIntentionIn(Input):
    minutes_per_week: Annotated[int, Strict(), Field(ge=0, le=actions.MAX_MINUTES_PER_WEEK)]


def _check_in(record) -> dict:
    guide = checkin.guide(record.stage)
    return {
        "id": record.pk,
        "stage": record.stage,
        "stage_label": guide.label,
        "summary": guide.summary,
        "advice_title": guide.advice_title,
        "advice": list(guide.advice),
        "answers": record.answers,
        "created_at": record.created_at,
    }


@router.get("/balance", response={200: BalanceOut, **READ_ERRORS}, auth=MEMBER_READ, url_name="pln_balance")
def balance(request: HttpRequest):
    """Your own last 4 weeks: following vs reading, contributing vs reading, time planned vs recorded,
    with the same suggestions as the balance page. Nobody else can read it."""
    b = queries.balance_for(viewer(request))
    out = present(request)
    return {
        "start": b.start,
        "end": b.end,
        "following_people": b.following_people,
        "following_hashtags": b.following_hashtags,
        "days_active": b.days_active,
        "timeline_pages": b.pages,
        "posts_seen": b.posts_seen,
        "posts": b.posts,
        "replies": b.replies,
        "boosts": b.boosts,
        "intention_minutes_per_week": b.intention_minutes,
        "reading_minutes_estimate": b.reading_minutes,
        "cpd_hours": b.cpd_hours if b.cpd_quarter_hours is not None else None,
        "recorded_minutes_per_week": b.recorded_minutes_per_week,
        "weeks": [
            {
                "start": w.start,
                "end": w.end,
                "label": w.label,
                "posts_read": w.posts_read,
                "contributions": w.contributions,
            }
            for w in b.weeks
        ],
        "suggestions": [
            {"key": s.key, "title": s.title, "text": s.text, "url": out.url(s.url) if s.url else None}
            for s in b.suggestions
        ],
    }


@router.post(
    "/balance/check-ins", response={201: CheckInOut, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="pln_check_ins"
)
def create_check_in(request: HttpRequest, payload: CheckInIn):
    """Answer the stage check-in; the answer is your stage, with advice for the next."""
    user = viewer(request)
    form = CheckInForm(payload.answers)
    unknown = sorted(set(payload.answers) - set(checkin.QUESTION_KEYS))
    if unknown:
        form.is_valid()
        for key in unknown:
            form.add_error(None, f"There is no question {key!r}.")
    if not form.is_valid() or unknown:
        raise form_invalid(form, rename={k: f"answers.{k}" for k in checkin.QUESTION_KEYS} | {"__all__": "answers"})
    check_rate("pln_check_in", user.pk, limit=30, period=300)
    record = actions.record_check_in(member=user, answers=form.cleaned_data)
    return Status(201, _check_in(record))


@router.get(
    "/balance/check-ins", response={200: CheckInPage, **READ_ERRORS}, auth=MEMBER_READ, url_name="pln_check_ins"
)
def list_check_ins(request: HttpRequest, response: HttpResponse, query: Query[CheckInQuery]):
    """Your check-ins, newest first (20 a page; follow `next_url`)."""
    page = queries.check_ins_page(viewer(request), before=query.max_id)
    return page_body(request, response, list_window(page), [_check_in(c) for c in page.items], forward=False)


def _intention(member) -> dict:
    row = queries.time_intention_row(member)
    return {"minutes_per_week": row.minutes_per_week if row else None, "updated_at": row.updated_at if row else None}


@router.get(
    "/balance/time-intention", response={200: TimeIntentionOut, **READ_ERRORS}, auth=MEMBER_READ, url_name="pln_time"
)
def get_time_intention(request: HttpRequest):
    return _intention(viewer(request))


@router.put(
    "/balance/time-intention", response={200: TimeIntentionOut, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="pln_time"
)
def put_time_intention(request: HttpRequest, payload: TimeIntentionIn):
    """The minutes a week you mean to give your learning network (0 to 3000)."""
    user = viewer(request)
    form = TimeIntentionForm({"minutes_per_week": payload.minutes_per_week})
    if not form.is_valid():
        raise form_invalid(form)
    check_rate("pln_time", user.pk, limit=60, period=300)
    actions.set_time_intention(member=user, minutes_per_week=form.cleaned_data["minutes_per_week"])
    return _intention(user)
