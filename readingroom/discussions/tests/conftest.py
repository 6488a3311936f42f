"""Fixtures for the discussions app's own tests."""

import pytest

from readingroom.groups.models import Role
from readingroom.groups.tests.helpers import add_member, make_group, owner_of


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run a block's on-commit callbacks (the notification task and emails) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def forum(db):
    """A private group with its owner, a moderator and two members."""
    group = make_group(name="Cataloguers", privacy="private")
    return {
        "group": group,
        "owner": owner_of(group),
        "moderator": add_member(group, role=Role.MODERATOR),
        "asker": add_member(group),
        "helper": add_member(group),
    }
