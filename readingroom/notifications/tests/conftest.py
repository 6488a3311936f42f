"""Fixtures for the notifications app's own tests. They call notify() the way the higher apps do
(on commit), with subjects made by the shared factories, so these tests import nothing above this
app; tests/integration drives the real posts and network actions."""

import pytest

from readingroom.notifications import actions
from readingroom.testing.factories import MentionFactory, PostFactory, UserFactory


@pytest.fixture
def tell(django_capture_on_commit_callbacks):
    """tell("like", to=ana, by=ben, about=post): notify and run the on-commit email scheduling."""

    def _tell(kind, *, to, by, about=None):
        with django_capture_on_commit_callbacks(execute=True):
            subject_id = about.pk if about is not None else 0
            return actions.notify(kind=kind, recipient_id=to.pk, actor_id=by.pk, subject_id=subject_id)

    return _tell


@pytest.fixture
def mention(tell):
    """A post by `by` that mentions `to`, and its notification."""

    def _mention(*, to, by, body="Hello there", **post_fields):
        post = PostFactory(author=by, body=body, **post_fields)
        MentionFactory(post=post, user=to)
        tell("mention", to=to, by=by, about=post)
        return post

    return _mention


@pytest.fixture
def liked(tell):
    """`count` posts by `member`, each liked by a new member ("Fan 0", "Fan 1", …): one group each."""

    def _liked(member, count, *, kind="like"):
        posts = []
        for i in range(count):
            post = PostFactory(author=member, body=f"Post {i}")
            tell(kind, to=member, by=UserFactory(profile__display_name=f"Fan {i}"), about=post)
            posts.append(post)
        return posts

    return _liked
