import factory

from readingroom.goals.models import Goal, Plan, PlanTemplate, Reflection, Step, TemplateGoal, TemplateStep
from readingroom.learning.models import LearningVisibility
from readingroom.testing.factories import UserFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Plan {n}")


class GoalFactory(factory.django.DjangoModelFactory):
    """A bare goal row; steps made with StepFactory do not update its counts (actions do)."""

    class Meta:
        model = Goal

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Goal {n}")
    visibility = LearningVisibility.PRIVATE


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    goal = factory.SubFactory(GoalFactory)
    title = factory.Sequence(lambda n: f"Step {n}")
    position = factory.Sequence(lambda n: n)


class ReflectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reflection

    goal = factory.SubFactory(GoalFactory)
    body = factory.Sequence(lambda n: f"Reflection {n}")
    body_html = factory.LazyAttribute(lambda o: f"<p>{o.body}</p>")


class PlanTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanTemplate

    slug = factory.Sequence(lambda n: f"template-{n}")
    title = factory.Sequence(lambda n: f"Template {n}")
    published = True


class TemplateGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateGoal

    template = factory.SubFactory(PlanTemplateFactory)
    title = factory.Sequence(lambda n: f"Template goal {n}")
    position = factory.Sequence(lambda n: n)


class TemplateStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateStep

    goal = factory.SubFactory(TemplateGoalFactory)
    title = factory.Sequence(lambda n: f"Template step {n}")
    position = factory.Sequence(lambda n: n)
