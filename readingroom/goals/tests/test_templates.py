"""Plan templates: the shipped ones, starting a plan (a copy the member owns), and organisers'
pages (404 for everyone else)."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission

from readingroom.goals import plan_actions
from readingroom.goals.models import Goal, Plan, PlanTemplate, Step
from readingroom.goals.tests.factories import PlanTemplateFactory, TemplateGoalFactory, TemplateStepFactory
from readingroom.skills.tests.factories import SkillAreaFactory, SkillFrameworkFactory
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_two_templates_of_our_own_ship_published():
    shipped = PlanTemplate.objects.filter(author__isnull=True, published=True)
    titles = set(shipped.values_list("title", flat=True))
    assert {"First year as a new professional", "Chartership-style portfolio in 12 months"} <= titles
    for template in shipped:
        goals = list(template.goals.all())
        assert 4 <= len(goals) <= 6
        assert all(2 <= g.steps.count() <= 4 for g in goals)


def test_starting_a_plan_copies_goals_steps_dates_and_areas(member):
    area = SkillAreaFactory(framework=SkillFrameworkFactory(is_default=True))
    template = PlanTemplateFactory(title="Year one")
    tgoal = TemplateGoalFactory(template=template, title="Find a mentor", why="Help", target_offset_weeks=4)
    tgoal.skill_areas.set([area])
    TemplateStepFactory(goal=tgoal, title="Ask someone", due_offset_days=10)
    TemplateStepFactory(goal=tgoal, title="Meet", due_offset_days=None)
    start = date(2026, 1, 5)
    plan = plan_actions.start_plan(template=template, owner=member, started_on=start)
    goal = plan.goals.get()
    assert (plan.owner, plan.title, plan.template) == (member, "Year one", template)
    assert (goal.owner, goal.title, goal.why, goal.visibility) == (member, "Find a mentor", "Help", "private")
    assert goal.target_date == start + timedelta(weeks=4)
    assert list(goal.skill_areas.all()) == [area]
    assert [(s.title, s.due_date) for s in goal.steps.all()] == [("Ask someone", date(2026, 1, 15)), ("Meet", None)]
    assert (goal.steps_total, goal.steps_done) == (2, 0)

    # The member owns the copy: later template edits change nothing they have.
    tgoal.title = "Changed"
    tgoal.save()
    TemplateStepFactory(goal=tgoal, title="New step")
    goal.refresh_from_db()
    assert goal.title == "Find a mentor" and goal.steps.count() == 2
    template.delete()
    plan.refresh_from_db()
    assert plan.template is None and Goal.objects.filter(plan=plan).count() == 1


def test_a_draft_template_cannot_be_started_or_seen_by_members(member_client, member):
    draft = PlanTemplateFactory(published=False, title="Secret draft")
    TemplateGoalFactory(template=draft)
    assert member_client.get(f"/learning/templates/{draft.pk}/").status_code == 404
    assert member_client.post(f"/learning/templates/{draft.pk}/start/").status_code == 404
    assert "Secret draft" not in member_client.get("/learning/templates/").content.decode()
    assert not Plan.objects.exists()


def test_start_page_flow_and_bad_start_dates(member_client, member):
    template = PlanTemplate.objects.get(slug="first-year-new-professional")
    html = member_client.get(f"/learning/templates/{template.pk}/").content.decode()
    assert "Start this plan" in html and "Find a mentor" in html
    response = member_client.post(f"/learning/templates/{template.pk}/start/", {"started_on": "1800-01-01"})
    assert response.status_code == 200 and "2000 or later" in response.content.decode()
    response = member_client.post(f"/learning/templates/{template.pk}/start/", {"started_on": "2026-03-02"})
    plan = Plan.objects.get(owner=member)
    assert response.status_code == 302 and response["Location"] == f"/learning/plans/{plan.pk}/"
    assert plan.goals.count() == template.goals.count()
    assert Step.objects.filter(goal__plan=plan).count() == sum(g.steps.count() for g in template.goals.all())
    html = member_client.get(f"/learning/plans/{plan.pk}/").content.decode()
    assert "Find a mentor" in html
    other = UserFactory()
    member_client.force_login(other)
    assert member_client.get(f"/learning/plans/{plan.pk}/").status_code == 404


def test_organiser_pages_are_404_for_members(member_client):
    template = PlanTemplate.objects.first()
    for url in (
        "/learning/templates/new/",
        f"/learning/templates/{template.pk}/edit/",
        f"/learning/templates/{template.pk}/goals/new/",
        f"/learning/templates/{template.pk}/delete/",
    ):
        assert member_client.get(url).status_code == 404, url
    assert member_client.post(f"/learning/templates/{template.pk}/publish/", {"published": "off"}).status_code == 404
    template.refresh_from_db()
    assert template.published


@pytest.mark.parametrize("how", ["staff", "permission"])
def test_an_organiser_writes_and_publishes_a_template(client, how):
    organiser = UserFactory(is_staff=how == "staff")
    if how == "permission":
        organiser.user_permissions.add(Permission.objects.get(codename="publish_plantemplate"))
    client.force_login(organiser)
    response = client.post("/learning/templates/new/", {"title": "Cataloguing bootcamp", "duration_weeks": "6"})
    template = PlanTemplate.objects.get(title="Cataloguing bootcamp")
    assert response.status_code == 302 and not template.published
    client.post(f"/learning/templates/{template.pk}/publish/", {"published": "on"})
    template.refresh_from_db()
    assert not template.published  # no goals yet
    response = client.post(
        f"/learning/templates/{template.pk}/goals/new/",
        {"title": "Learn RDA", "target_offset_weeks": "4", "steps": "Read the toolkit | 7\nCatalogue ten books | x"},
    )
    assert "after | give a number of days" in response.content.decode()
    client.post(
        f"/learning/templates/{template.pk}/goals/new/",
        {"title": "Learn RDA", "target_offset_weeks": "4", "steps": "Read the toolkit | 7\nCatalogue ten books"},
    )
    tgoal = template.goals.get()
    assert [(s.title, s.due_offset_days) for s in tgoal.steps.all()] == [
        ("Read the toolkit", 7),
        ("Catalogue ten books", None),
    ]
    edit_html = client.get(f"/learning/templates/{template.pk}/goals/{tgoal.pk}/edit/").content.decode()
    assert "Read the toolkit | 7" in edit_html
    client.post(f"/learning/templates/{template.pk}/publish/", {"published": "on"})
    template.refresh_from_db()
    assert template.published
