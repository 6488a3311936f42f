import factory

from readingroom.learning.models import LearningVisibility
from readingroom.skills.models import Assessment, Rating, SkillArea, SkillFramework
from readingroom.testing.factories import UserFactory


class SkillFrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillFramework

    slug = factory.Sequence(lambda n: f"framework-{n}")
    name = factory.Sequence(lambda n: f"Framework {n}")


class SkillAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillArea

    framework = factory.SubFactory(SkillFrameworkFactory)
    code = factory.Sequence(lambda n: f"area-{n}")
    name = factory.Sequence(lambda n: f"Area {n}")
    position = factory.Sequence(lambda n: n)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    owner = factory.SubFactory(UserFactory)
    framework = factory.SubFactory(SkillFrameworkFactory)
    visibility = LearningVisibility.PRIVATE


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    assessment = factory.SubFactory(AssessmentFactory)
    area = factory.SubFactory(SkillAreaFactory)
    current = 1
    target = 3
