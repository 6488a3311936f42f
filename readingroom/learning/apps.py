"""The learning app, its mentors section of the learning area, and the notification kinds it
plugs into the notifications app (ADR 0008): mentorship_request and mentorship_accepted. Their
subject is the mentorship; only its mentor (an ask) or mentee (an acceptance) sees them."""

from __future__ import annotations

from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "readingroom.learning"
    label = "learning"

    def ready(self) -> None:
        from readingroom.learning import hub
        from readingroom.learning.queries import mentors_summary
        from readingroom.notifications import kinds
        from readingroom.notifications.kinds import Delivery, Grouping, Kind

        hub.register(key="mentors", label="Mentors", url_name="learning:mentors", order=60, summary=mentors_summary)
        kinds.register(
            Kind(
                slug="mentorship_request",
                label="Mentoring asks",
                default_delivery=Delivery.EMAIL,
                grouping=Grouping.NONE,
                load=load_mentorships,
                describe=describe_mentorship,
                help_text="When someone asks you to be their mentor.",
            )
        )
        kinds.register(
            Kind(
                slug="mentorship_accepted",
                label="Mentors accepting",
                default_delivery=Delivery.IN_APP,
                grouping=Grouping.NONE,
                load=load_mentorships,
                describe=describe_mentorship,
                help_text="When someone agrees to be your mentor.",
            )
        )


def load_mentorships(viewer, notifications):
    """One query for a page: an ask is shown to its mentor while it is pending or active, an
    acceptance to its mentee while the mentorship is active."""
    from readingroom.learning.models import Mentorship, MentorshipStatus

    ids = {n.subject_id for n in notifications}
    rows = {
        m.pk: m for m in Mentorship.objects.filter(pk__in=ids).only("id", "mentor_id", "mentee_id", "status", "message")
    }
    shown = []
    for n in notifications:
        row = rows.get(n.subject_id)
        if row is None:
            continue
        if n.kind == "mentorship_request":
            ok = row.mentor_id == viewer.pk and row.status in (MentorshipStatus.PENDING, MentorshipStatus.ACTIVE)
        else:
            ok = row.mentee_id == viewer.pk and row.status == MentorshipStatus.ACTIVE
        if ok:
            n.subject = row
            shown.append(n)
    return shown


def describe_mentorship(viewer, notification):
    from django.urls import reverse

    from readingroom.notifications.kinds import Description, actors_text, excerpt

    asked = notification.kind == "mentorship_request"
    verb = "asked you to be their mentor" if asked else "agreed to be your mentor"
    return Description(
        text=f"{actors_text(notification)} {verb}",
        url=reverse("learning:mentors"),
        excerpt=excerpt(notification.subject.message) if asked else "",
    )
