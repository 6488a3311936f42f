"""Every write to mentorships: ask, accept, decline, end. Notifications go out on commit."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from readingroom.learning import queries
from readingroom.learning.models import Mentorship, MentorshipStatus
from readingroom.learning.permissions import can_pair
from readingroom.notifications import actions as notifications

MENTORSHIP_KINDS = ("mentorship_request", "mentorship_accepted")


class MentorshipRefused(Exception):
    """A change that cannot be made; the message is for the member."""


def _notify_on_commit(kind: str, *, recipient_id: int, actor_id: int, subject_id: int) -> None:
    transaction.on_commit(
        lambda: notifications.notify(kind=kind, recipient_id=recipient_id, actor_id=actor_id, subject_id=subject_id)
    )


def ask_mentor(*, mentee, mentor, message: str = "") -> Mentorship:
    """The mentee asks `mentor` to mentor them; the mentor is told and may accept or decline."""
    if not can_pair(mentee, mentor):
        raise MentorshipRefused("You cannot ask this member.")
    existing = queries.open_between(mentee=mentee, mentor=mentor)
    if existing is not None:
        raise MentorshipRefused(_already(existing, mentor))
    try:
        with transaction.atomic():
            mentorship = Mentorship.objects.create(mentee=mentee, mentor=mentor, message=message.strip())
            _notify_on_commit(
                "mentorship_request", recipient_id=mentor.pk, actor_id=mentee.pk, subject_id=mentorship.pk
            )
    except IntegrityError as exc:  # the same ask sent twice at once: the one-open-per-pair constraint
        raise MentorshipRefused(f"You have already asked {mentor.profile.display_name}.") from exc
    return mentorship


def _already(existing: Mentorship, mentor) -> str:
    name = mentor.profile.display_name
    if existing.status == MentorshipStatus.ACTIVE:
        return f"{name} is already your mentor."
    return f"You have already asked {name}; they have not answered yet."


@transaction.atomic
def accept_mentorship(*, mentorship: Mentorship, mentor) -> Mentorship:
    """The mentor says yes. Refused when the ask is no longer open or the two may no longer pair."""
    row = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if row.mentor_id != mentor.pk or row.status != MentorshipStatus.PENDING:
        raise MentorshipRefused("This ask is no longer open.")
    if not can_pair(row.mentee, mentor):
        raise MentorshipRefused("You cannot mentor this member.")
    row.status, row.accepted_at = MentorshipStatus.ACTIVE, timezone.now()
    row.save(update_fields=["status", "accepted_at"])
    _notify_on_commit("mentorship_accepted", recipient_id=row.mentee_id, actor_id=mentor.pk, subject_id=row.pk)
    return row


@transaction.atomic
def decline_mentorship(*, mentorship: Mentorship, mentor) -> Mentorship:
    """The mentor says no to a pending ask. The mentee is not told in so many words: the ask
    simply leaves their list, as a declined follow request does."""
    row = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if row.mentor_id != mentor.pk or row.status != MentorshipStatus.PENDING:
        raise MentorshipRefused("This ask is no longer open.")
    return _close(row)


@transaction.atomic
def end_mentorship(*, mentorship: Mentorship, member) -> Mentorship:
    """Either side ends an active mentorship, or the mentee withdraws a pending ask. Doing it
    again changes nothing. Anything shared with "my mentors" is hidden from the mentor at once."""
    row = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if member.pk not in (row.mentor_id, row.mentee_id):
        raise MentorshipRefused("This is not your mentorship.")
    if row.status == MentorshipStatus.ENDED:
        return row
    if row.status == MentorshipStatus.PENDING and member.pk == row.mentor_id:
        raise MentorshipRefused("Decline the ask instead.")
    return _close(row)


def _close(row: Mentorship) -> Mentorship:
    row.status, row.ended_at = MentorshipStatus.ENDED, timezone.now()
    row.save(update_fields=["status", "ended_at"])
    notifications.forget_subjects(kind_slugs=MENTORSHIP_KINDS, subject_ids=[row.pk])
    return row
