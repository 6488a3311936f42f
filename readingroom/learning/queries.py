"""Read paths for mentors: a member's mentors, mentees and asks, each with the other's profile."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from readingroom.core.pagination import MAX_ID
from readingroom.learning.models import Mentorship, MentorshipStatus

LIST_LIMIT = 200  # open mentorships per list: far more than anyone keeps


@dataclass
class MentorLists:
    mentors: list[Mentorship] = field(default_factory=list)  # active, the member is mentee
    mentees: list[Mentorship] = field(default_factory=list)  # active, the member is mentor
    asks_to_me: list[Mentorship] = field(default_factory=list)  # pending, awaiting the member's answer
    my_asks: list[Mentorship] = field(default_factory=list)  # pending, the member asked

    @property
    def all(self) -> list[Mentorship]:
        return [*self.mentors, *self.mentees, *self.asks_to_me, *self.my_asks]


def _rows():
    return Mentorship.objects.select_related("mentor__profile", "mentee__profile")


def open_mentorships(member) -> MentorLists:
    """The member's pending and active mentorships, both ways, newest first (one query). People
    suspended since are left out, as everywhere else."""
    rows = (
        _rows()
        .filter(Q(mentor=member) | Q(mentee=member), status__in=[MentorshipStatus.PENDING, MentorshipStatus.ACTIVE])
        .filter(mentor__is_active=True, mentee__is_active=True)
        .order_by("-id")[: LIST_LIMIT * 4]
    )
    lists = MentorLists()
    for row in rows:
        mine = row.mentee_id == member.pk
        if row.status == MentorshipStatus.ACTIVE:
            (lists.mentors if mine else lists.mentees).append(row)
        else:
            (lists.my_asks if mine else lists.asks_to_me).append(row)
    return lists


def mentorship_for(member, pk) -> Mentorship | None:
    """A mentorship the member is part of, or None (also for ids out of range)."""
    if not isinstance(pk, int) or not 0 < pk <= MAX_ID:
        return None
    return _rows().filter(Q(mentor=member) | Q(mentee=member), pk=pk).first()


def open_between(*, mentee, mentor) -> Mentorship | None:
    return Mentorship.objects.filter(
        mentee=mentee, mentor=mentor, status__in=[MentorshipStatus.PENDING, MentorshipStatus.ACTIVE]
    ).first()


def mentors_summary(member) -> dict:
    """The learning overview's lines for Mentors (one query)."""
    lists = open_mentorships(member)
    lines = []
    if lists.mentors or lists.mentees:
        lines.append(f"{_count(len(lists.mentors), 'mentor')}, {_count(len(lists.mentees), 'mentee')}.")
    if lists.asks_to_me:
        n = len(lists.asks_to_me)
        lines.append(f"{_count(n, 'ask')} waiting for your answer.")
    if lists.my_asks:
        lines.append(f"You are waiting for {_count(len(lists.my_asks), 'answer')}.")
    return {"lines": lines or ["Ask someone whose work you admire to be your mentor."]}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
