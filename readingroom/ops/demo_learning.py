"""The demo community's learning records: Ana (the demo member) has started a plan from a template,
logged CPD against a requirement, rated her skills twice, asked a mentor and built a portfolio, so
every learning page has something to show on first run. Written through the apps' own actions."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from readingroom.cpd import actions as cpd_actions
from readingroom.goals import actions as goal_actions
from readingroom.goals import plan_actions
from readingroom.goals.models import PlanTemplate
from readingroom.learning import actions as learning_actions
from readingroom.learning.models import LearningVisibility
from readingroom.portfolio import actions as portfolio_actions
from readingroom.skills import actions as skill_actions
from readingroom.skills.models import SkillFramework

# (days ago, title, activity type, hours, provider, delivery, what I learned)
CPD = [
    (
        6,
        "#uklibchat: library services for remote communities",
        "hashtag_chat",
        1.0,
        "#uklibchat",
        "online",
        "Small services share the same problems across time zones; two people offered their outreach plans.",
    ),
    (
        20,
        "Webinar: an introduction to research data management",
        "webinar",
        1.5,
        "Regional research libraries group",
        "online",
        "What a data management plan asks for, and where the library can help before a grant is written.",
    ),
    (
        41,
        "Reading: three articles on information literacy frameworks",
        "reading",
        2.0,
        "",
        "",
        "Threshold concepts explain why my one-off sessions do not stick; I want to try a sequence of short ones.",
    ),
    (
        75,
        "New professionals' day",
        "conference",
        6.0,
        "Library association",
        "in_person",
        "Met people doing the job I want in five years; chartership looks possible alongside full-time work.",
    ),
    (
        110,
        "Cataloguing with RDA: a short course",
        "course",
        7.5,
        "Library school short courses",
        "online",
        "Relationship designators and why our records were inconsistent; I now fix them as I go.",
    ),
    (
        160,
        "Volunteering: family history drop-in",
        "volunteering",
        4.0,
        "Local archive",
        "in_person",
        "People arrive with one document and a story; the interview matters more than the search.",
    ),
]


def seed_learning(people: dict, stdout) -> dict:
    """Learning records for the demo member `ana` (and a mentorship with `tom_retired`)."""
    ana = people.get("ana")
    if ana is None:
        return {}
    today = timezone.localdate()
    template = PlanTemplate.objects.filter(published=True).order_by("id").first()
    plan = (
        plan_actions.start_plan(template=template, owner=ana, started_on=today - timedelta(days=60))
        if template
        else None
    )
    goals = list(plan.goals.order_by("id")) if plan else []
    if goals:
        goal_actions.set_goal_status(goal=goals[0], editor=ana, status="active")
        for step in list(goals[0].steps.order_by("position", "id"))[:2]:
            goal_actions.set_step_done(step=step, editor=ana, done=True)
        goal_actions.add_reflection(
            goal=goals[0],
            editor=ana,
            body="## What happened?\nI asked the chat about outreach in small services.\n\n"
            "## So what?\nOthers had solved what I thought was my problem alone.\n\n"
            "## Now what?\nTry one of their ideas this month and report back.",
            written_on=today - timedelta(days=5),
        )
    own = goal_actions.create_goal(
        owner=ana,
        title="Run an information literacy session series for first-year students",
        why="One-off sessions do not stick; a short series might.",
        success_criteria="Three sessions delivered and feedback from at least 20 students.",
        target_date=today + timedelta(days=120),
        status="active",
        visibility=LearningVisibility.FOLLOWERS,
    )
    goal_actions.add_step(
        goal=own, editor=ana, title="Draft three 20-minute sessions", due_date=today + timedelta(days=20)
    )
    goal_actions.add_step(
        goal=own, editor=ana, title="Agree dates with two lecturers", due_date=today + timedelta(days=40)
    )
    cpd_actions.set_requirement(
        owner=ana, quarter_hours=20 * 4, period_months=12, label="Revalidation: 20 hours a year"
    )
    entries = []
    for days_ago, title, kind, hours, provider, delivery, learned in CPD:
        data = cpd_actions.EntryData(
            title=title,
            started_on=today - timedelta(days=days_ago),
            activity_type=kind,
            quarter_hours=int(hours * 4),
            provider=provider,
            delivery=delivery,
            learned=learned,
            goals=[own] if kind in ("reading", "webinar") else [],
        )
        entries.append(cpd_actions.create_entry(owner=ana, data=data))
    framework = SkillFramework.objects.filter(is_default=True).first()
    assessments = []
    if framework:
        areas = list(framework.areas.filter(parent__isnull=True).order_by("position", "id"))
        for offset, bump in ((90, 0), (3, 1)):
            levels = {
                a.id: (min(4, 1 + (i % 3) + (bump if i % 2 else 0)), min(4, 2 + (i % 3))) for i, a in enumerate(areas)
            }
            assessment = skill_actions.create_assessment(owner=ana, framework=framework, areas=areas, levels=levels)
            assessment.created_at = timezone.now() - timedelta(days=offset)
            assessment.save(update_fields=["created_at"])
            assessments.append(assessment)
    mentor = people.get("tom_retired")
    if mentor is not None:
        mentorship = learning_actions.ask_mentor(
            mentee=ana, mentor=mentor, message="Would you mentor me through my first year?"
        )
        learning_actions.accept_mentorship(mentorship=mentorship, mentor=mentor)
    portfolio = portfolio_actions.create_portfolio(
        owner=ana,
        title="My first year as a new professional",
        introduction="What I set out to learn this year, what I did, and what changed in my practice.",
    )
    portfolio_actions.add_section(
        portfolio=portfolio,
        heading="Reflective statement",
        body="I started the year unsure where my career was going. The network, the chats and a mentor helped.",
    )
    portfolio_actions.add_record(portfolio=portfolio, kind="goal", record=own)
    for entry in entries[:3]:
        portfolio_actions.add_record(portfolio=portfolio, kind="cpd_entry", record=entry)
    if assessments:
        portfolio_actions.add_record(portfolio=portfolio, kind="assessment", record=assessments[-1])
    stdout.write(
        f"Demo learning: a plan of {len(goals)} goals, {len(entries)} CPD entries, "
        f"{len(assessments)} skills assessments and a portfolio for Ana."
    )
    return {"goals": len(goals) + 1, "cpd_entries": len(entries)}


__all__ = ["seed_learning"]
