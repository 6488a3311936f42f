"""Goal, step, reflection and evidence actions: bounds, counts, ordering and ownership."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from readingroom.goals import actions, queries
from readingroom.goals.models import Goal, GoalEvidence, GoalStatus, Step
from readingroom.goals.tests.factories import GoalFactory
from readingroom.groups import actions as group_actions
from readingroom.learning.models import EvidenceFile, LearningVisibility
from readingroom.posts import actions as post_actions
from readingroom.skills.tests.factories import SkillAreaFactory, SkillFrameworkFactory
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_create_goal_is_private_and_planned_by_default(member):
    goal = actions.create_goal(owner=member, title="  Learn SQL  ")
    assert (goal.title, goal.status, goal.visibility) == ("Learn SQL", "planned", "private")
    assert goal.progress == 0


@pytest.mark.parametrize(
    "target",
    [date(1999, 12, 31), date(timezone.localdate().year + 21, 1, 1)],
)
def test_target_dates_must_be_sane(member, target):
    with pytest.raises(ValidationError) as caught:
        actions.create_goal(owner=member, title="Goal", target_date=target)
    assert "target_date" in caught.value.error_dict
    assert not Goal.objects.exists()


def test_bounded_fields_and_progress_are_refused(member):
    with pytest.raises(ValidationError) as caught:
        actions.create_goal(owner=member, title="x" * 201, why="y" * 4001, progress_override=101)
    assert set(caught.value.error_dict) == {"title", "why", "progress_override"}


def test_skill_areas_come_from_the_default_frameworks_top_level(member):
    default = SkillFrameworkFactory(is_default=True)
    area = SkillAreaFactory(framework=default)
    sub = SkillAreaFactory(framework=default, parent=area)
    other = SkillAreaFactory()
    goal = actions.create_goal(owner=member, title="Goal", skill_areas=[area.pk])
    assert list(goal.skill_areas.all()) == [area]
    for bad in (sub, other):
        with pytest.raises(ValidationError):
            actions.create_goal(owner=member, title="Goal", skill_areas=[bad.pk])


def test_steps_keep_the_goals_counts_and_progress(member):
    goal = actions.create_goal(owner=member, title="Goal")
    first = actions.add_step(goal=goal, editor=member, title="One")
    actions.add_step(goal=goal, editor=member, title="Two")
    actions.add_step(goal=goal, editor=member, title="Three")
    actions.set_step_done(step=first, editor=member, done=True)
    actions.set_step_done(step=first, editor=member, done=True)  # twice changes nothing
    goal.refresh_from_db()
    assert (goal.steps_total, goal.steps_done, goal.progress) == (3, 1, 33)
    actions.delete_step(step=first, editor=member)
    goal.refresh_from_db()
    assert (goal.steps_total, goal.steps_done, goal.progress) == (2, 0, 0)


def test_progress_override_wins_and_achieved_means_complete(member):
    goal = actions.create_goal(owner=member, title="Goal", progress_override=40)
    actions.add_step(goal=goal, editor=member, title="One")
    assert goal.progress == 40
    actions.update_goal(goal=goal, editor=member, progress_override=None)
    actions.set_goal_status(goal=goal, editor=member, status=GoalStatus.ACHIEVED)
    assert goal.progress == 100 and goal.achieved_at is not None
    actions.set_goal_status(goal=goal, editor=member, status=GoalStatus.ACTIVE)
    assert goal.achieved_at is None


def test_moving_steps_swaps_neighbours_and_stops_at_the_ends(member):
    goal = actions.create_goal(owner=member, title="Goal")
    a, b, c = (actions.add_step(goal=goal, editor=member, title=t) for t in "abc")
    actions.move_step(step=c, editor=member, direction="up")
    actions.move_step(step=a, editor=member, direction="up")
    assert [s.title for s in queries.steps(goal)] == ["a", "c", "b"]
    actions.move_step(step=b, editor=member, direction="down")
    assert [s.title for s in queries.steps(goal)] == ["a", "c", "b"]


def test_steps_have_sane_due_dates(member):
    goal = actions.create_goal(owner=member, title="Goal")
    with pytest.raises(ValidationError) as caught:
        actions.add_step(goal=goal, editor=member, title="", due_date=date(1900, 1, 1))
    assert set(caught.value.error_dict) == {"title", "due_date"}
    assert not Step.objects.exists()


def test_nobody_else_may_change_a_goal(member):
    goal = actions.create_goal(owner=member, title="Goal", visibility=LearningVisibility.MEMBERS)
    other = UserFactory()
    step = actions.add_step(goal=goal, editor=member, title="One")
    for attempt in (
        lambda: actions.update_goal(goal=goal, editor=other, title="Mine now"),
        lambda: actions.add_step(goal=goal, editor=other, title="Sneaky"),
        lambda: actions.set_step_done(step=step, editor=other, done=True),
        lambda: actions.add_reflection(goal=goal, editor=other, body="Hi"),
        lambda: actions.delete_goal(goal=goal, editor=other),
    ):
        with pytest.raises(Http404):
            attempt()
    goal.refresh_from_db()
    assert goal.title == "Goal" and goal.steps_done == 0


def test_reflections_are_rendered_safely_and_edits_are_dated(member):
    goal = actions.create_goal(owner=member, title="Goal")
    reflection = actions.add_reflection(
        goal=goal, editor=member, body="### What happened?\n\n<script>alert(1)</script> **went well**"
    )
    assert "<h3>What happened?</h3>" in reflection.body_html
    assert "<script>" not in reflection.body_html and "<strong>went well</strong>" in reflection.body_html
    assert reflection.edited_at is None
    actions.edit_reflection(reflection=reflection, editor=member, body="Changed")
    assert reflection.edited_at is not None and reflection.body_html == "<p>Changed</p>\n"
    with pytest.raises(ValidationError):
        actions.add_reflection(goal=goal, editor=member, body="x", written_on=timezone.localdate() + timedelta(days=2))


def test_post_evidence_must_be_the_owners_own_post_and_not_a_boost(member):
    goal = actions.create_goal(owner=member, title="Goal")
    mine = post_actions.create_post(author=member, body="My talk slides", visibility="public")
    theirs = post_actions.create_post(author=UserFactory(), body="Someone else", visibility="public")
    boost = post_actions.boost(user=member, post=theirs)
    cohort = group_actions.create_group(creator=member, name="Cohort", privacy="private")
    in_group = post_actions.create_post(author=member, body="Said in the cohort", visibility="public", group=cohort)
    evidence = actions.add_post_evidence(goal=goal, editor=member, post_ref=f"https://rr.example/posts/{mine.pk}")
    assert evidence.post == mine and evidence.title == "My talk slides"
    for ref in (theirs.pk, boost.pk, in_group.pk, "not a post", "99999999999999999999999", str(mine.pk)):
        with pytest.raises(ValidationError):
            actions.add_post_evidence(goal=goal, editor=member, post_ref=ref)
    assert GoalEvidence.objects.count() == 1


def test_link_evidence_needs_a_web_address(member):
    goal = actions.create_goal(owner=member, title="Goal")
    with pytest.raises(ValidationError):
        actions.add_link_evidence(goal=goal, editor=member, url="javascript:alert(1)")
    link = actions.add_link_evidence(goal=goal, editor=member, url="https://example.org/course")
    assert link.title == "https://example.org/course"


def test_deleting_a_goal_deletes_its_evidence_files(member, django_capture_on_commit_callbacks):
    goal = actions.create_goal(owner=member, title="Goal")
    upload = SimpleUploadedFile("notes.txt", b"What I learned", content_type="text/plain")
    evidence = actions.add_file_evidence(goal=goal, editor=member, upload=upload)
    path = evidence.file.file.path
    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_goal(goal=goal, editor=member)
    assert not EvidenceFile.objects.exists()
    import os

    assert not os.path.exists(path)


def test_a_file_that_is_not_an_accepted_kind_is_refused(member):
    goal = actions.create_goal(owner=member, title="Goal")
    upload = SimpleUploadedFile("tool.exe", b"MZ\x00\x00binary", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        actions.add_file_evidence(goal=goal, editor=member, upload=upload)
    assert "upload" in caught.value.error_dict
    assert not EvidenceFile.objects.exists()


@pytest.mark.parametrize(
    ("goal_visibility", "post_visibility", "allowed"),
    [
        ("members", "members", True),
        ("members", "followers", True),
        ("members", "public", False),
        ("followers", "followers", True),
        ("followers", "members", False),
        ("mentors", "followers", False),
        ("private", "followers", False),
    ],
)
def test_ask_my_network_never_reaches_more_people_than_the_goal(member, goal_visibility, post_visibility, allowed):
    goal = GoalFactory(owner=member, visibility=goal_visibility)
    if allowed:
        post = actions.ask_network(goal=goal, author=member, body="Help please", visibility=post_visibility)
        assert post.visibility == post_visibility and post.author == member
    else:
        with pytest.raises(ValidationError):
            actions.ask_network(goal=goal, author=member, body="Help please", visibility=post_visibility)


def test_hub_summary_counts_open_goals(member):
    soon = timezone.localdate() + timedelta(days=10)
    actions.create_goal(owner=member, title="Soon", status="active", target_date=soon)
    actions.create_goal(owner=member, title="Later", status="planned", progress_override=50)
    lines = queries.hub_summary(member)["lines"]
    assert lines[0] == "1 active goal, 1 planned."
    assert "Soon" in lines[1]
    assert lines[2] == "Overall progress: 25% across your open goals."
