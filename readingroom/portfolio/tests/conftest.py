import pytest

from readingroom.portfolio import actions
from readingroom.portfolio.models import ItemKind
from readingroom.portfolio.tests.factories import (
    CPDEntryFactory,
    GoalFactory,
    ReflectionFactory,
    add_steps,
    assessment_for,
    default_framework,
)
from readingroom.testing.factories import UserFactory


@pytest.fixture
def owner(db):
    return UserFactory(profile__display_name="Ada Archivist", profile__headline="Digital archivist, Leeds")


@pytest.fixture
def other(db):
    return UserFactory(profile__display_name="Bob Binder")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def framework(db):
    return default_framework()


@pytest.fixture
def full_portfolio(owner, framework, publish_post):
    """A portfolio holding one item of every kind, in a known order."""
    goal = GoalFactory(owner=owner, title="Learn BIBFRAME")
    add_steps(goal, ("Read the primer", True), ("Map ten records", False))
    reflection = ReflectionFactory(goal=goal, body="So what? *Linked data* is less scary.")
    entry = CPDEntryFactory(owner=owner, title="Webinar: RDA in practice")
    assessment = assessment_for(owner, framework)
    post = publish_post(owner, "Just finished mapping my first record #bibframe")
    portfolio = actions.create_portfolio(owner=owner, title="Chartership 2025", introduction="I *catalogue* things.")
    actions.add_section(portfolio=portfolio, heading="Reflective statement", body="Over the year I **grew**.")
    actions.add_record(portfolio=portfolio, kind=ItemKind.GOAL, record=goal, note="My main goal.")
    actions.add_record(portfolio=portfolio, kind=ItemKind.CPD_ENTRY, record=entry)
    actions.add_record(portfolio=portfolio, kind=ItemKind.REFLECTION, record=reflection)
    actions.add_record(portfolio=portfolio, kind=ItemKind.ASSESSMENT, record=assessment)
    actions.add_record(portfolio=portfolio, kind=ItemKind.POST, record=post)
    return portfolio


@pytest.fixture
def publish_post(django_capture_on_commit_callbacks):
    from readingroom.posts import actions as post_actions

    def publish(author, body, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post_actions.create_post(author=author, body=body, visibility="public", **kwargs)

    return publish
