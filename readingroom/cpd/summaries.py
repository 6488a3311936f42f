"""What the CPD log lends other pages: the learning overview's card and a goal's evidence list.
Registered in CPDConfig.ready() (learning.hub and goals.evidence_sources are below cpd)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format

from readingroom.cpd import charts, queries
from readingroom.cpd.rules import format_hours
from readingroom.learning.permissions import audience_q

MAX_GOAL_EVIDENCE = 50


def status_text(progress: queries.Progress) -> str:
    """The indicator in words (never colour alone)."""
    if progress.status == "met":
        return f"Met: {format_hours(progress.logged)} of {format_hours(progress.required)}."
    if progress.status == "on_track":
        logged, required, due = (format_hours(q) for q in (progress.logged, progress.required, progress.due_now))
        return f"On track: {logged} of {required}, {due} due by now."
    months = progress.months_left
    return (
        f"Behind: {format_hours(progress.to_go)} to go. "
        f"About {format_hours(progress.per_month)} a month over the next {months} month{'s' if months != 1 else ''}."
    )


def hub_summary(member) -> dict:
    """The learning overview's CPD card: the rolling total against the requirement."""
    today = queries.member_today(member)
    progress = queries.progress(owner=member, today=today)
    if progress is None:
        totals = queries.period_totals(owner=member, start=queries.rolling_start(today, 12), end=today)
        return {
            "lines": [f"{format_hours(totals.quarter_hours)} logged in the last 12 months.", "No requirement set yet."]
        }
    months = progress.requirement.period_months
    return {
        "lines": [
            f"{format_hours(progress.logged)} of {format_hours(progress.required)} "
            f"in the last {months} month{'s' if months != 1 else ''}.",
            status_text(progress),
            charts.progress_chart(logged=progress.logged, required=progress.required, compact=True),
        ]
    }


def entries_for_goal(goal, viewer) -> list[dict]:
    """CPD entries linked to the goal that the viewer may see (goals.evidence_sources loader)."""
    entries = (
        goal.cpd_entries.filter(audience_q(viewer))
        .order_by("-started_on", "-id")
        .only("id", "title", "started_on", "quarter_hours")[:MAX_GOAL_EVIDENCE]
    )
    return [
        {
            "title": entry.title,
            "url": reverse("cpd:detail", args=[entry.pk]),
            "meta": f"{format_hours(entry.quarter_hours)} · {date_format(entry.started_on, 'j F Y')}",
        }
        for entry in entries
    ]
