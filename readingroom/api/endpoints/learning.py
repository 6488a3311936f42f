"""Mentors: your mentorships both ways, asking someone to mentor you, and the mentor's accept or
decline; either side ends it. The same form, actions and checks as /learning/mentors/."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from readingroom.api.auth import MEMBER_READ, MEMBER_WRITE
from readingroom.api.common import READ_ERRORS, WRITE_ERRORS, form_invalid, present, viewer
from readingroom.api.errors import ApiError
from readingroom.api.schemas import Handle, Id, Input, MemberOut, Text
from readingroom.core.ratelimit import check_rate
from readingroom.learning import actions, queries
from readingroom.learning.forms import MESSAGE_MAX, AskMentorForm
from readingroom.learning.permissions import check_mentorship_party

router = Router(tags=["Mentors"])


class MentorshipOut(Schema):
    id: int
    role: Literal["mentor", "mentee"] = Field(description="Your side of it: `mentee` when they mentor you.")
    status: Literal["pending", "active", "ended"]
    member: MemberOut = Field(description="The other person.")
    message: str = Field(description="What the mentee wrote when asking.")
    created_at: datetime
    accepted_at: datetime | None
    ended_at: datetime | None


class MentorshipListOut(Schema):
    mentors: list[MentorshipOut] = Field(description="Active: they mentor you.")
    mentees: list[MentorshipOut] = Field(description="Active: you mentor them.")
    asks_to_me: list[MentorshipOut] = Field(description="Pending asks waiting for your answer.")
    my_asks: list[MentorshipOut] = Field(description="Pending asks you sent.")


class AskMentorIn(Input):
    handle: Handle
    message: Text(MESSAGE_MAX) = ""  # type: ignore[valid-type]


def _mentorship(request, row, user) -> dict:
    mine = row.mentee_id == user.pk
    other = row.mentor if mine else row.mentee
    return {
        "id": row.pk,
        "role": "mentee" if mine else "mentor",
        "status": row.status,
        "member": present(request).member(other.profile),
        "message": row.message,
        "created_at": row.created_at,
        "accepted_at": row.accepted_at,
        "ended_at": row.ended_at,
    }


@router.get("/mentorships", response={200: MentorshipListOut, **READ_ERRORS}, auth=MEMBER_READ, url_name="mentorships")
def list_mentorships(request: HttpRequest):
    """Your open mentorships, both ways, and the asks still waiting, newest first."""
    user = viewer(request)
    lists = queries.open_mentorships(user)
    return {
        name: [_mentorship(request, row, user) for row in getattr(lists, name)]
        for name in ("mentors", "mentees", "asks_to_me", "my_asks")
    }


@router.post("/mentorships", response={201: MentorshipOut, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="mentorships")
def ask_mentor(request: HttpRequest, payload: AskMentorIn):
    """Ask a member (by handle) to be your mentor. Members you may not ask are a 422 on `handle`,
    worded as if they did not exist."""
    user = viewer(request)
    form = AskMentorForm({"handle": payload.handle, "message": payload.message}, asker=user)
    if not form.is_valid():
        raise form_invalid(form)
    check_rate("mentor_ask", user.pk, limit=30, period=3600)
    try:
        row = actions.ask_mentor(mentee=user, mentor=form.cleaned_data["mentor"], message=form.cleaned_data["message"])
    except actions.MentorshipRefused as exc:
        raise ApiError(422, "validation_failed", str(exc), fields=[_handle_error(str(exc))]) from exc
    return Status(201, _mentorship(request, queries.mentorship_for(user, row.pk), user))


def _handle_error(message: str) -> dict:
    return {"field": "handle", "location": "body", "code": "invalid", "message": message}


def _respond(request: HttpRequest, mentorship_id: int, *, as_mentor: bool, act) -> dict:
    user = viewer(request)
    row = check_mentorship_party(user, queries.mentorship_for(user, mentorship_id), as_mentor=as_mentor)
    check_rate("mentorship", user.pk, limit=120, period=3600)
    try:
        act(row, user)
    except actions.MentorshipRefused as exc:
        raise ApiError(403, "forbidden", str(exc)) from exc
    return _mentorship(request, queries.mentorship_for(user, row.pk), user)


@router.post(
    "/mentorships/{mentorship_id}/accept",
    response={200: MentorshipOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="mentorship_accept",
)
def accept_mentorship(request: HttpRequest, mentorship_id: Id):
    """As the mentor asked: say yes (403 when the ask is no longer open)."""
    return _respond(
        request, mentorship_id, as_mentor=True, act=lambda m, u: actions.accept_mentorship(mentorship=m, mentor=u)
    )


@router.post(
    "/mentorships/{mentorship_id}/decline",
    response={200: MentorshipOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="mentorship_decline",
)
def decline_mentorship(request: HttpRequest, mentorship_id: Id):
    """As the mentor asked: say no (403 when the ask is no longer open)."""
    return _respond(
        request, mentorship_id, as_mentor=True, act=lambda m, u: actions.decline_mentorship(mentorship=m, mentor=u)
    )


@router.post(
    "/mentorships/{mentorship_id}/end",
    response={200: MentorshipOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="mentorship_end",
)
def end_mentorship(request: HttpRequest, mentorship_id: Id):
    """End a mentorship (either side), or withdraw your own pending ask. Ending twice changes nothing."""
    return _respond(
        request, mentorship_id, as_mentor=False, act=lambda m, u: actions.end_mentorship(mentorship=m, member=u)
    )
