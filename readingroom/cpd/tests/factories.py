"""Factories for the CPD models (fingerprints computed the way cpd.actions does)."""

from datetime import date

import factory

from readingroom.cpd import rules
from readingroom.cpd.models import CPDEntry, CPDRequirement
from readingroom.goals.models import Goal
from readingroom.skills.models import SkillArea, SkillFramework
from readingroom.testing.factories import UserFactory


class CPDEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CPDEntry
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Webinar {n}")
    started_on = date(2025, 3, 14)
    activity_type = "webinar"
    quarter_hours = 6
    fingerprint = factory.LazyAttribute(
        lambda o: rules.fingerprint(
            started_on=o.started_on,
            ended_on=o.ended_on,
            title=o.title,
            activity_type=o.activity_type,
            quarter_hours=o.quarter_hours,
            provider=o.provider,
        )
    )
    ended_on = None
    provider = ""


class CPDRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CPDRequirement

    owner = factory.SubFactory(UserFactory)
    quarter_hours = 80
    period_months = 12


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Goal {n}")


def default_framework(areas=("cataloguing", "digital", "outreach")) -> list[SkillArea]:
    """The default framework's top-level areas (the shipped one when it is installed), at least three."""
    framework = SkillFramework.objects.filter(is_default=True, is_active=True).order_by("id").first()
    if framework is not None:
        found = list(SkillArea.objects.filter(framework=framework, parent__isnull=True).order_by("position", "id"))
        if len(found) >= 3:
            return found
    framework = SkillFramework.objects.create(slug="default-test", name="Test framework", is_default=True)
    return [
        SkillArea.objects.create(framework=framework, code=code, name=code.title(), position=i)
        for i, code in enumerate(areas)
    ]
