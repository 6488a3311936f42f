"""Factories for portfolios, and the member's own records that go into them (made directly in
the database, as the other learning apps' actions would leave them)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from readingroom.cpd import rules as cpd_rules
from readingroom.cpd.models import CPDEntry
from readingroom.goals.models import Goal, Reflection, Step
from readingroom.portfolio.models import ItemKind, Portfolio, PortfolioItem
from readingroom.skills.models import Assessment, Rating, SkillArea, SkillFramework
from readingroom.testing.factories import UserFactory


class PortfolioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Portfolio

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Portfolio {n}")
    introduction = "I am a **cataloguer** working towards chartership."


class SectionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PortfolioItem

    portfolio = factory.SubFactory(PortfolioFactory)
    kind = ItemKind.SECTION
    position = factory.Sequence(int)
    heading = factory.Sequence(lambda n: f"Section {n}")
    body = "A reflective statement."


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Learn metadata standard {n}")
    why = "Our catalogue is moving to **linked data**."
    success_criteria = "I can describe a record in BIBFRAME."
    target_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=90))
    status = "active"


def add_steps(goal: Goal, *titles_done: tuple[str, bool]) -> None:
    for n, (title, done) in enumerate(titles_done):
        Step.objects.create(goal=goal, title=title, done=done, position=n)
    goal.steps_total = len(titles_done)
    goal.steps_done = sum(1 for _, done in titles_done if done)
    goal.save(update_fields=["steps_total", "steps_done"])


class ReflectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reflection

    goal = factory.SubFactory(GoalFactory)
    written_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    body = factory.Sequence(lambda n: f"What happened? I tried the tool, attempt {n}.")


class CPDEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CPDEntry

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Webinar on cataloguing {n}")
    started_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    activity_type = "webinar"
    quarter_hours = 6
    provider = "Library Association"
    delivery = "online"
    learned = "How to map MARC fields."
    apply = "I will update our workflow."
    fingerprint = factory.LazyAttribute(
        lambda o: cpd_rules.fingerprint(
            started_on=o.started_on,
            ended_on=None,
            title=o.title,
            activity_type=o.activity_type,
            quarter_hours=o.quarter_hours,
            provider=o.provider,
        )
    )


def default_framework(codes=("cataloguing", "digital", "outreach", "research")) -> SkillFramework:
    framework = SkillFramework.objects.create(slug="rr-default", name="Reading Room skills", is_default=True)
    for n, code in enumerate(codes):
        SkillArea.objects.create(framework=framework, code=code, name=code.title(), position=n)
    return framework


def assessment_for(owner, framework: SkillFramework, levels=(1, 2, 3, 0)) -> Assessment:
    assessment = Assessment.objects.create(owner=owner, framework=framework, note="After my first year.")
    areas = SkillArea.objects.filter(framework=framework, parent__isnull=True).order_by("position")
    for area, level in zip(areas, levels, strict=False):
        Rating.objects.create(assessment=assessment, area=area, current=level, target=min(level + 2, 4))
    return assessment
