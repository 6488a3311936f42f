"""Who sees a goal, its steps, reflections and evidence file: every visibility × every kind of
viewer, through the pages (the API is checked in readingroom/api/tests/test_goals.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from readingroom.goals import actions
from readingroom.goals.tests.factories import GoalFactory
from readingroom.learning.models import MentorshipStatus
from readingroom.learning.tests.factories import MentorshipFactory
from readingroom.testing.factories import BlockFactory, FollowFactory, UserFactory

pytestmark = pytest.mark.django_db

VIEWERS = ("owner", "member", "follower", "mentor", "pending_mentor", "blocked_follower", "anonymous")
SEES = {
    "private": {"owner"},
    "mentors": {"owner", "mentor"},
    "followers": {"owner", "mentor", "follower"},
    "members": {"owner", "mentor", "follower", "member", "pending_mentor"},
}


def _viewer(kind, owner):
    if kind == "anonymous":
        return None
    if kind == "owner":
        return owner
    user = UserFactory()
    if kind == "follower":
        FollowFactory(follower=user, followee=owner)
    elif kind == "mentor":
        MentorshipFactory(mentee=owner, mentor=user)
    elif kind == "pending_mentor":
        MentorshipFactory(mentee=owner, mentor=user, status=MentorshipStatus.PENDING, accepted_at=None)
    elif kind == "blocked_follower":
        FollowFactory(follower=user, followee=owner)
        BlockFactory(blocker=owner, blocked=user)
    return user


@pytest.fixture
def shared_goal(db):
    owner = UserFactory()
    goal = GoalFactory(owner=owner, title="Catalogue the maps")
    actions.add_step(goal=goal, editor=owner, title="Count the drawers")
    actions.add_reflection(goal=goal, editor=owner, body="It went **well**")
    upload = SimpleUploadedFile("notes.txt", b"secret notes", content_type="text/plain")
    evidence = actions.add_file_evidence(goal=goal, editor=owner, upload=upload, title="My notes")
    return goal, evidence


@pytest.mark.parametrize("visibility", list(SEES))
@pytest.mark.parametrize("kind", VIEWERS)
def test_goal_steps_reflections_and_files_follow_the_goals_audience(client, shared_goal, visibility, kind):
    goal, evidence = shared_goal
    goal.visibility = visibility
    goal.save(update_fields=["visibility"])
    user = _viewer(kind, goal.owner)
    if user is not None:
        client.force_login(user)
    page = client.get(f"/learning/goals/{goal.pk}/")
    download = client.get(f"/learning/goals/{goal.pk}/evidence/{evidence.pk}/file")
    if kind in SEES[visibility]:
        assert page.status_code == 200
        html = page.content.decode()
        assert "Catalogue the maps" in html and "Count the drawers" in html and "<strong>well</strong>" in html
        assert download.status_code == 200 and b"".join(download.streaming_content) == b"secret notes"
        assert ("Edit goal" in html) == (kind == "owner")
    elif kind == "anonymous":
        assert page.status_code == 302 and download.status_code == 302
    else:
        assert page.status_code == 404 and download.status_code == 404


def test_a_suspended_owners_goals_are_hidden(client, shared_goal):
    goal, _ = shared_goal
    goal.visibility = "members"
    goal.save(update_fields=["visibility"])
    goal.owner.is_active = False
    goal.owner.save(update_fields=["is_active"])
    client.force_login(UserFactory())
    assert client.get(f"/learning/goals/{goal.pk}/").status_code == 404


def test_a_viewer_who_may_see_a_goal_still_may_not_change_it(client, shared_goal):
    goal, evidence = shared_goal
    goal.visibility = "members"
    goal.save(update_fields=["visibility"])
    client.force_login(UserFactory())
    step = goal.steps.get()
    reflection = goal.reflections.get()
    base = f"/learning/goals/{goal.pk}"
    for url in (
        f"{base}/edit/",
        f"{base}/delete/",
        f"{base}/status/",
        f"{base}/steps/new/",
        f"{base}/steps/{step.pk}/toggle/",
        f"{base}/steps/{step.pk}/delete/",
        f"{base}/reflections/{reflection.pk}/edit/",
        f"{base}/evidence/{evidence.pk}/delete/",
        f"{base}/ask/",
    ):
        assert client.post(url, {"status": "achieved", "title": "x"}).status_code == 404, url
    goal.refresh_from_db()
    assert goal.status == "planned" and goal.steps.filter(done=True).count() == 0


def test_post_evidence_is_shown_only_to_those_who_may_see_the_post(client, member):
    from readingroom.posts import actions as post_actions

    goal = GoalFactory(owner=member, visibility="members")
    post = post_actions.create_post(author=member, body="Followers-only thoughts", visibility="followers")
    actions.add_post_evidence(goal=goal, editor=member, post_ref=post.pk)
    stranger, fan = UserFactory(), UserFactory()
    FollowFactory(follower=fan, followee=member)
    client.force_login(stranger)
    assert "Followers-only thoughts" not in client.get(f"/learning/goals/{goal.pk}/").content.decode()
    client.force_login(fan)
    assert "Followers-only thoughts" in client.get(f"/learning/goals/{goal.pk}/").content.decode()
