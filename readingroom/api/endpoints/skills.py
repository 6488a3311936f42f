"""Skills: frameworks, and members' self-assessments. Each operation does what the matching page
does (readingroom/skills/views.py), through the same form, action, query and audience rule:
another member's assessment is a 404 unless they shared it with you."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field, Strict

from readingroom.api.auth import MEMBER_READ, MEMBER_WRITE
from readingroom.api.common import OBJECT_READ_ERRORS, READ_ERRORS, WRITE_ERRORS, form_invalid, present, viewer
from readingroom.api.errors import ApiError
from readingroom.api.pagination import list_window, page_body
from readingroom.api.schemas import BodyId, Id, Input, ListQuery, MemberOut, Text
from readingroom.core.ratelimit import check_rate
from readingroom.learning.models import LearningVisibility
from readingroom.skills import actions, queries
from readingroom.skills.forms import NOTE_MAX, AssessmentVisibilityForm, RateSkillsForm
from readingroom.skills.loader import MAX_AREAS
from readingroom.skills.models import LEVEL_MAX, LEVEL_MIN
from readingroom.skills.permissions import check_own_assessment, check_view_assessment

router = Router(tags=["Skills"])

Level = Annotated[
    int,
    Strict(),
    Field(ge=LEVEL_MIN, le=LEVEL_MAX, description="0 not yet, 1 aware, 2 working knowledge, 3 skilled, 4 expert"),
]
LearningAudience = Literal[tuple(LearningVisibility.values)]  # type: ignore[valid-type]
FrameworkSlug = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")]


# --- Schemas ---------------------------------------------------------------------------------


class SkillSubAreaOut(Schema):
    id: int
    code: str
    name: str
    description: str


class SkillAreaOut(SkillSubAreaOut):
    sub_areas: list[SkillSubAreaOut]


class SkillFrameworkOut(Schema):
    slug: str
    name: str
    description: str
    version: str
    is_default: bool
    updated_at: datetime


class SkillFrameworkDetailOut(SkillFrameworkOut):
    areas: list[SkillAreaOut] = Field(description="The areas members rate, in order, each with its sub-areas.")


class SkillFrameworkListOut(Schema):
    items: list[SkillFrameworkOut]


class SkillRatingOut(Schema):
    area: int = Field(description="The area's id.")
    area_code: str
    area_name: str
    current: int
    target: int


class SkillAssessmentOut(Schema):
    id: int
    owner: MemberOut
    framework: str = Field(description="The framework's slug.")
    note: str
    visibility: LearningAudience
    created_at: datetime
    url: str
    ratings: list[SkillRatingOut]


class SkillAssessmentPage(Schema):
    """One page, newest first. Follow `next_url` (also in the Link header) for older items."""

    items: list[SkillAssessmentOut]
    next_url: str | None
    next_max_id: int | None


class SkillRatingIn(Input):
    area: BodyId
    current: Level
    target: Level


class SkillAssessmentIn(Input):
    """Rate every area of the default framework (GET /skills/frameworks/{slug} lists them)."""

    ratings: list[SkillRatingIn] = Field(min_length=1, max_length=MAX_AREAS)
    note: Text(NOTE_MAX) = ""  # type: ignore[valid-type]
    visibility: LearningAudience = LearningVisibility.PRIVATE


class SkillAssessmentPatchIn(Input):
    visibility: LearningAudience


# --- Frameworks ------------------------------------------------------------------------------


def _framework(fw) -> dict:
    return {
        "slug": fw.slug,
        "name": fw.name,
        "description": fw.description,
        "version": fw.version,
        "is_default": fw.is_default,
        "updated_at": fw.updated_at,
    }


def _area(area) -> dict:
    return {"id": area.pk, "code": area.code, "name": area.name, "description": area.description}


@router.get(
    "/skills/frameworks",
    response={200: SkillFrameworkListOut, **READ_ERRORS},
    auth=MEMBER_READ,
    url_name="skill_frameworks",
)
def list_frameworks(request: HttpRequest):
    """The skills frameworks loaded here, the default first."""
    return {"items": [_framework(fw) for fw in queries.active_frameworks()]}


@router.get(
    "/skills/frameworks/{slug}",
    response={200: SkillFrameworkDetailOut, **OBJECT_READ_ERRORS},
    auth=MEMBER_READ,
    url_name="skill_framework",
)
def get_framework(request: HttpRequest, slug: FrameworkSlug):
    framework = queries.framework_with_areas(slug)
    if framework is None:
        raise Http404("No such framework")
    areas = [{**_area(a), "sub_areas": [_area(s) for s in a.sub_areas]} for a in framework.rated_areas]
    return {**_framework(framework), "areas": areas}


# --- Assessments -----------------------------------------------------------------------------


def _assessment(request, item) -> dict:
    return {
        "id": item.pk,
        "owner": present(request).member(item.owner.profile),
        "framework": item.framework.slug,
        "note": item.note,
        "visibility": item.visibility,
        "created_at": item.created_at,
        "url": present(request).url(reverse("skills:assessment", args=[item.pk])),
        "ratings": [
            {
                "area": r.area_id,
                "area_code": r.area.code,
                "area_name": r.area.name,
                "current": r.current,
                "target": r.target,
            }
            for r in item.rating_list
        ],
    }


@router.get(
    "/skills/assessments",
    response={200: SkillAssessmentPage, **READ_ERRORS},
    auth=MEMBER_READ,
    url_name="skill_assessments",
)
def list_assessments(request: HttpRequest, response: HttpResponse, query: Query[ListQuery]):
    """Your own assessments, newest first, 20 a page."""
    page = queries.own_assessments_page(viewer(request), before=query.max_id)
    items = [_assessment(request, a) for a in page.items]
    return page_body(request, response, list_window(page), items, forward=False)


def _rating_errors(payload: SkillAssessmentIn, area_ids: set[int]) -> list[dict]:
    errors, seen = [], set()
    for index, rating in enumerate(payload.ratings):
        where = f"ratings.{index}.area"
        if rating.area not in area_ids:
            errors.append(
                {
                    "field": where,
                    "location": "body",
                    "code": "unknown_area",
                    "message": "There is no such area in the framework.",
                }
            )
        elif rating.area in seen:
            errors.append(
                {
                    "field": where,
                    "location": "body",
                    "code": "duplicate_area",
                    "message": "Each area may be rated only once.",
                }
            )
        seen.add(rating.area)
    return errors


@router.post(
    "/skills/assessments",
    response={201: SkillAssessmentOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="skill_assessments",
)
def create_assessment(request: HttpRequest, payload: SkillAssessmentIn):
    """Rate yourself against the default framework: every area, now and as a target (0-4)."""
    user = viewer(request)
    framework = queries.default_framework()
    if framework is None:
        raise Http404("No skills framework is loaded")
    areas = queries.rated_areas(framework)
    errors = _rating_errors(payload, {a.pk for a in areas})
    if errors:
        message = errors[0]["message"] if len(errors) == 1 else "Some of the input is not valid."
        raise ApiError(422, "validation_failed", message, fields=errors)
    data = {"note": payload.note, "visibility": payload.visibility}
    for rating in payload.ratings:
        data[f"area_{rating.area}_now"] = str(rating.current)
        data[f"area_{rating.area}_target"] = str(rating.target)
    form = RateSkillsForm(data, areas=areas)
    if not form.is_valid():
        raise form_invalid(form, rename=_api_field_names(areas))
    check_rate("skills_assessment", user.pk, limit=60, period=3600)
    item = actions.create_assessment(
        owner=user,
        framework=framework,
        areas=areas,
        levels=form.levels(),
        note=form.cleaned_data["note"],
        visibility=form.cleaned_data["visibility"],
    )
    return Status(201, _assessment(request, queries.assessment_for(user, item.pk)))


def _api_field_names(areas) -> dict[str, str]:
    names = {}
    for area in areas:
        names[f"area_{area.pk}_now"] = f"ratings[area={area.pk}].current"
        names[f"area_{area.pk}_target"] = f"ratings[area={area.pk}].target"
    return names


@router.get(
    "/skills/assessments/{assessment_id}",
    response={200: SkillAssessmentOut, **OBJECT_READ_ERRORS},
    auth=MEMBER_READ,
    url_name="skill_assessment",
)
def get_assessment(request: HttpRequest, assessment_id: Id):
    """An assessment: yours, or another member's that they shared with you (404 otherwise)."""
    user = viewer(request)
    return _assessment(request, check_view_assessment(user, queries.assessment_for(user, assessment_id)))


@router.patch(
    "/skills/assessments/{assessment_id}",
    response={200: SkillAssessmentOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="skill_assessment",
)
def change_assessment(request: HttpRequest, payload: SkillAssessmentPatchIn, assessment_id: Id):
    """Change who may see one of your assessments."""
    user = viewer(request)
    item = check_own_assessment(user, queries.assessment_for(user, assessment_id))
    form = AssessmentVisibilityForm({"visibility": payload.visibility})
    if not form.is_valid():
        raise form_invalid(form)
    actions.set_assessment_visibility(assessment=item, visibility=form.cleaned_data["visibility"])
    return _assessment(request, queries.assessment_for(user, item.pk))


@router.delete(
    "/skills/assessments/{assessment_id}",
    response={204: None, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="skill_assessment",
)
def delete_assessment(request: HttpRequest, assessment_id: Id):
    """Delete one of your assessments for good."""
    user = viewer(request)
    actions.delete_assessment(assessment=check_own_assessment(user, queries.assessment_for(user, assessment_id)))
    return Status(204, None)
