import factory
from django.utils import timezone

from readingroom.learning.models import Mentorship, MentorshipStatus
from readingroom.testing.factories import UserFactory


class MentorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentorship

    mentee = factory.SubFactory(UserFactory)
    mentor = factory.SubFactory(UserFactory)
    status = MentorshipStatus.ACTIVE
    accepted_at = factory.LazyFunction(timezone.now)
