"""The compiled hydrate query must never be shared between visitors and members."""

import pytest

from readingroom.core.models import Visibility
from readingroom.posts import queries
from readingroom.testing.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_visitor_after_a_member_still_sees_only_public_posts(django_user_model):
    from django.contrib.auth.models import AnonymousUser

    author, member = UserFactory(), UserFactory()
    public = PostFactory(author=author, visibility=Visibility.PUBLIC)
    members_only = PostFactory(author=author, visibility=Visibility.MEMBERS)
    ids = [members_only.id, public.id]
    assert [p.id for p in queries.hydrate(ids, member)] == ids  # compiles the members' form first
    assert [p.id for p in queries.hydrate(ids, AnonymousUser())] == [public.id]
    assert [p.id for p in queries.hydrate(ids, member)] == ids


def test_each_member_gets_their_own_view_of_followers_only_posts():
    from readingroom.testing.factories import FollowFactory

    author, follower, stranger = UserFactory(), UserFactory(), UserFactory()
    FollowFactory(follower=follower, followee=author)
    private = PostFactory(author=author, visibility=Visibility.FOLLOWERS)
    assert [p.id for p in queries.hydrate([private.id], follower)] == [private.id]
    assert queries.hydrate([private.id], stranger) == []


def test_more_ids_than_the_largest_bucket_are_all_loaded():
    author = UserFactory()
    posts = [PostFactory(author=author) for _ in range(230)]
    ids = [p.id for p in reversed(posts)]
    assert [p.id for p in queries.hydrate(ids, author)] == ids
