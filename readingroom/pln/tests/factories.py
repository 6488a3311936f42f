import datetime

import factory
from django.utils import timezone

from readingroom.pln.models import ReadingDay, Stage, StageCheckIn, TimeIntention
from readingroom.testing.factories import UserFactory


class StageCheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StageCheckIn

    owner = factory.SubFactory(UserFactory)
    stage = Stage.EVALUATION
    answers = factory.LazyFunction(dict)


class TimeIntentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeIntention

    owner = factory.SubFactory(UserFactory)
    minutes_per_week = 60


class ReadingDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReadingDay

    owner = factory.SubFactory(UserFactory)
    day = factory.LazyFunction(timezone.localdate)
    pages = 1
    posts_seen = 20


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)
