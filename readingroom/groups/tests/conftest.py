"""Fixtures for the groups app's own tests. They import nothing above this app: the tests of a
group's posts and of their home timelines are posts' (readingroom/posts/tests/test_group_*.py)."""

import pytest


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run a block's on-commit callbacks (notifications and their emails) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
