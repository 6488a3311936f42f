"""The goals pages: list, create (with pre-fill), bad input, steps with and without htmx,
reflections, evidence, "ask my network", and the learning hub card."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from readingroom.goals import actions, evidence_sources
from readingroom.goals.models import Goal, GoalEvidence, Reflection
from readingroom.goals.tests.factories import GoalFactory, PlanFactory
from readingroom.posts.models import Post
from readingroom.skills.tests.factories import SkillAreaFactory, SkillFrameworkFactory
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_list_groups_by_plan_and_marks_overdue_goals_in_text(member_client, member):
    plan = PlanFactory(owner=member, title="My first year")
    past = timezone.localdate() - timedelta(days=3)
    actions.create_goal(owner=member, title="Late one", target_date=past, status="active", plan=plan)
    actions.create_goal(owner=member, title="Loose one")
    GoalFactory(title="Someone else's goal", visibility="members")
    html = member_client.get("/learning/goals/").content.decode()
    assert "My first year" in html and "Goals outside a plan" in html
    assert "Late one" in html and "Overdue" in html and "<progress" in html
    assert "Someone else" not in html
    filtered = member_client.get("/learning/goals/?status=active").content.decode()
    assert "Late one" in filtered and "Loose one" not in filtered
    assert member_client.get("/learning/goals/?status=nonsense").status_code == 200


def test_create_prefills_from_the_skills_page(member_client):
    area = SkillAreaFactory(framework=SkillFrameworkFactory(is_default=True), name="Cataloguing")
    html = member_client.get(f"/learning/goals/new/?skill_area={area.pk}&title=Get+better+at+cataloguing").content
    html = html.decode()
    assert 'value="Get better at cataloguing"' in html
    assert re.search(rf'<input[^>]*value="{area.pk}"[^>]*checked', html)
    assert member_client.get("/learning/goals/new/?skill_area=999999999999999999999&title=").status_code == 200


def test_create_keeps_input_and_explains_bad_dates(member_client, member):
    response = member_client.post(
        "/learning/goals/new/",
        {
            "title": "Learn Python",
            "why": "Automate things",
            "target_date": "1990-01-01",
            "visibility": "private",
            "status": "planned",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html
    assert "Choose a target date in 2000 or later." in html and "Automate things" in html
    response = member_client.post(
        "/learning/goals/new/",
        {
            "title": "Learn Python",
            "target_date": "2026-02-30",
            "visibility": "private",
            "status": "planned",
            "progress_override": "500",
        },
    )
    assert "Enter a date such as" in response.content.decode()
    assert "from 0 to 100" in response.content.decode()
    assert not Goal.objects.exists()


def test_create_edit_status_and_delete(member_client, member):
    response = member_client.post(
        "/learning/goals/new/", {"title": "Learn Python", "visibility": "members", "status": "planned"}
    )
    goal = Goal.objects.get()
    assert response.status_code == 302 and goal.owner == member and goal.visibility == "members"
    member_client.post(
        f"/learning/goals/{goal.pk}/edit/", {"title": "Learn Django", "visibility": "private", "status": "active"}
    )
    goal.refresh_from_db()
    assert (goal.title, goal.visibility, goal.status) == ("Learn Django", "private", "active")
    member_client.post(f"/learning/goals/{goal.pk}/status/", {"status": "achieved"})
    goal.refresh_from_db()
    assert goal.status == "achieved" and goal.achieved_at
    assert "Delete “Learn Django”?" in member_client.get(f"/learning/goals/{goal.pk}/delete/").content.decode()
    member_client.post(f"/learning/goals/{goal.pk}/delete/")
    assert not Goal.objects.exists()


@pytest.mark.parametrize("goal_id", ["0", "99999999999999999999", "9223372036854775807"])
def test_missing_and_huge_ids_are_404s(member_client, goal_id):
    assert member_client.get(f"/learning/goals/{goal_id}/").status_code == 404
    assert member_client.post(f"/learning/goals/{goal_id}/steps/1/toggle/").status_code == 404


def test_wrong_methods_are_refused(member_client, member):
    goal = GoalFactory(owner=member)
    assert member_client.get(f"/learning/goals/{goal.pk}/status/").status_code == 405
    assert member_client.get(f"/learning/goals/{goal.pk}/steps/1/toggle/").status_code == 405


def test_ticking_a_step_without_js_redirects_and_with_htmx_returns_the_partial(member_client, member):
    goal = GoalFactory(owner=member)
    one = actions.add_step(goal=goal, editor=member, title="Read the book")
    actions.add_step(goal=goal, editor=member, title="Write notes")
    response = member_client.post(f"/learning/goals/{goal.pk}/steps/{one.pk}/toggle/", {"done": "on"})
    assert response.status_code == 302 and response["Location"].endswith("#steps")
    goal.refresh_from_db()
    assert goal.progress == 50
    response = member_client.post(
        f"/learning/goals/{goal.pk}/steps/{one.pk}/toggle/", {"done": "off"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.startswith('<div id="goal-progress-steps">') and 'value="0"' in html and "Mark done" in html


def test_someone_elses_step_id_is_a_404(member_client, member):
    mine = GoalFactory(owner=member)
    theirs = GoalFactory(visibility="members")
    step = actions.add_step(goal=theirs, editor=theirs.owner, title="Theirs")
    assert member_client.post(f"/learning/goals/{mine.pk}/steps/{step.pk}/toggle/").status_code == 404
    assert (
        member_client.post(f"/learning/goals/{mine.pk}/steps/{step.pk}/move/", {"direction": "up"}).status_code == 404
    )


def test_adding_a_bad_step_shows_the_form_with_the_error(member_client, member):
    goal = GoalFactory(owner=member)
    response = member_client.post(f"/learning/goals/{goal.pk}/steps/new/", {"title": "Plan", "due_date": "3000-01-01"})
    html = response.content.decode()
    assert response.status_code == 200 and "within 20 years" in html and 'value="Plan"' in html


def test_reflection_page_offers_the_prompts_without_imposing_them(member_client, member):
    goal = GoalFactory(owner=member)
    html = member_client.get(f"/learning/goals/{goal.pk}/reflections/new/").content.decode()
    assert "What happened?" in html and "data-insert-prompts" in html
    today = timezone.localdate().isoformat()
    member_client.post(f"/learning/goals/{goal.pk}/reflections/new/", {"written_on": today, "body": "Plain words"})
    reflection = Reflection.objects.get()
    assert reflection.body == "Plain words"
    member_client.post(
        f"/learning/goals/{goal.pk}/reflections/{reflection.pk}/edit/", {"written_on": today, "body": "More words"}
    )
    reflection.refresh_from_db()
    assert reflection.edited_at and reflection.body == "More words"
    member_client.post(f"/learning/goals/{goal.pk}/reflections/{reflection.pk}/delete/")
    assert not Reflection.objects.exists()


def test_evidence_page_adds_links_and_own_posts(member_client, member):
    goal = GoalFactory(owner=member)
    post = Post.objects.create(author=member, body="My conference talk", visibility="public")
    html = member_client.get(f"/learning/goals/{goal.pk}/evidence/new/").content.decode()
    assert "My conference talk" in html
    member_client.post(
        f"/learning/goals/{goal.pk}/evidence/new/",
        {"kind": "link", "link-url": "https://example.org/x", "link-title": "Course page"},
    )
    member_client.post(f"/learning/goals/{goal.pk}/evidence/new/", {"kind": "post", "post-recent": str(post.pk)})
    response = member_client.post(f"/learning/goals/{goal.pk}/evidence/new/", {"kind": "post", "post-post": "123abc"})
    assert "Choose one of your own posts" in response.content.decode()
    assert sorted(GoalEvidence.objects.values_list("kind", flat=True)) == ["link", "post"]
    assert "Course page" in member_client.get(f"/learning/goals/{goal.pk}/").content.decode()


def test_registered_evidence_sources_show_on_the_goal_page(member_client, member):
    goal = GoalFactory(owner=member)
    evidence_sources.register(
        "test-cpd", "CPD entries", lambda g, v: [{"title": f"Webinar for {g.title}", "url": "/cpd/1/", "meta": "1 h"}]
    )
    try:
        html = member_client.get(f"/learning/goals/{goal.pk}/").content.decode()
    finally:
        evidence_sources.unregister("test-cpd")
    assert "CPD entries" in html and f"Webinar for {goal.title}" in html and "1 h" in html


def test_ask_my_network_explains_a_private_goal_and_posts_for_a_shared_one(member_client, member):
    goal = GoalFactory(owner=member, title="Learn Welsh", visibility="private")
    html = member_client.get(f"/learning/goals/{goal.pk}/ask/").content.decode()
    assert "share the goal with your followers or with members first" in html
    assert (
        member_client.post(f"/learning/goals/{goal.pk}/ask/", {"body": "x", "visibility": "followers"}).status_code
        == 200
    )
    assert not Post.objects.exists()
    member_client.post(f"/learning/goals/{goal.pk}/ask/share/", {"visibility": "followers"})
    goal.refresh_from_db()
    assert goal.visibility == "followers"
    html = member_client.get(f"/learning/goals/{goal.pk}/ask/").content.decode()
    assert (
        f"I&#x27;m working towards: Learn Welsh. Any resources or advice? http://testserver/learning/goals/{goal.pk}/"
        in html
    )
    response = member_client.post(
        f"/learning/goals/{goal.pk}/ask/", {"body": "Help with Welsh?", "visibility": "members"}
    )
    assert "Select a valid choice" in response.content.decode() and not Post.objects.exists()
    response = member_client.post(
        f"/learning/goals/{goal.pk}/ask/", {"body": "Help with Welsh?", "visibility": "followers"}, follow=True
    )
    post = Post.objects.get()
    assert post.visibility == "followers" and f"/posts/{post.pk}" in response.content.decode()


def test_the_learning_overview_shows_the_goals_card(member_client, member):
    actions.create_goal(owner=member, title="Goal", status="active")
    html = member_client.get("/learning/").content.decode()
    assert "Goals" in html and "1 active goal, 0 planned." in html


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get("/learning/goals/").status_code == 302
    assert client.get("/learning/templates/").status_code == 302


def test_other_members_goals_do_not_appear_in_my_list(member_client):
    other = UserFactory()
    actions.create_goal(owner=other, title="Hidden goal", visibility="members")
    assert "Hidden goal" not in member_client.get("/learning/goals/").content.decode()
