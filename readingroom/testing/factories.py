"""factory_boy factories shared by every app's tests (members come with a Profile)."""

import factory
from django.utils import timezone

from readingroom.accounts.actions import refresh_search_text
from readingroom.accounts.models import Block, Follow, Interest, Mute, Profile, User
from readingroom.core.models import Visibility
from readingroom.posts.models import Mention, Post

PASSWORD = "correct horse battery staple"  # noqa: S105 - test members only


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    last_seen_at = factory.LazyFunction(timezone.now)
    profile = factory.RelatedFactory("readingroom.testing.factories.ProfileFactory", factory_related_name="user")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, profile=None)
    handle = factory.Sequence(lambda n: f"member{n}")
    display_name = factory.Sequence(lambda n: f"Member {n}")
    visibility = Visibility.PUBLIC
    time_zone = "Europe/London"
    onboarded_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def _search_text(obj, create, extracted, **kwargs):
        """What accounts.actions stores for people search (factories bypass the actions)."""
        if create:
            refresh_search_text(profile=obj)


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interest
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"interest-{n}")
    name = factory.Sequence(lambda n: f"Interest {n}")
    in_vocabulary = True


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    follower = factory.SubFactory(UserFactory)
    followee = factory.SubFactory(UserFactory)


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    blocker = factory.SubFactory(UserFactory)
    blocked = factory.SubFactory(UserFactory)


class MuteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mute

    muter = factory.SubFactory(UserFactory)
    muted = factory.SubFactory(UserFactory)


class PostFactory(factory.django.DjangoModelFactory):
    """A bare post row. Tests of behaviour should create posts through posts.actions.create_post."""

    class Meta:
        model = Post

    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Post number {n}")
    body_html = factory.LazyAttribute(lambda o: f"<p>{o.body}</p>")
    visibility = Visibility.PUBLIC


class MentionFactory(factory.django.DjangoModelFactory):
    """A bare mention row (create_post writes them for real posts)."""

    class Meta:
        model = Mention

    post = factory.SubFactory(PostFactory)
    user = factory.SubFactory(UserFactory)
