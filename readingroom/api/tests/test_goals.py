"""Goals, steps, reflections, evidence, plans and templates through /api/v1/: the same rules as
the pages (someone else's private goal is a 404; bad dates a 422)."""

import pytest

from readingroom.goals import actions
from readingroom.goals.models import Goal, PlanTemplate
from readingroom.goals.tests.factories import GoalFactory
from readingroom.posts.models import Post
from readingroom.testing.factories import FollowFactory

pytestmark = pytest.mark.django_db


def test_goal_crud_and_status(api_for, ada):
    api = api_for(ada)
    created = api.post("goals", {"title": "Learn SPARQL", "target_date": "2030-06-01"})
    assert created.status_code == 201, created.json()
    goal = created.json()
    assert goal["visibility"] == "private" and goal["status"] == "planned" and goal["is_owner"]
    assert goal["url"].endswith(f"/learning/goals/{goal['id']}/")
    patched = api.patch(f"goals/{goal['id']}", {"title": "Learn SPARQL well", "progress_override": 30})
    assert patched.json()["title"] == "Learn SPARQL well" and patched.json()["progress"] == 30
    cleared = api.patch(f"goals/{goal['id']}", {"progress_override": None, "target_date": None}).json()
    assert cleared["progress_override"] is None and cleared["target_date"] is None
    achieved = api.post(f"goals/{goal['id']}/status", {"status": "achieved"}).json()
    assert achieved["status"] == "achieved" and achieved["achieved_at"] and achieved["progress"] == 100
    assert api.delete(f"goals/{goal['id']}").status_code == 204
    assert not Goal.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"title": "x", "target_date": "1999-12-31"},
        {"title": "x", "target_date": "2999-01-01"},
        {"title": "x", "target_date": "2026-02-30"},
        {"title": "x", "progress_override": 101},
        {"title": ""},
        {"title": "x" * 201},
        {"title": "x", "visibility": "public"},
    ],
)
def test_bad_goal_input_is_a_422(api_for, ada, payload):
    response = api_for(ada).post("goals", payload)
    assert response.status_code == 422, response.json()
    assert response.json()["error"]["code"] == "validation_failed"
    assert not Goal.objects.exists()


def test_a_bad_target_date_names_the_field(api_for, ada):
    error = api_for(ada).post("goals", {"title": "x", "target_date": "1999-12-31"}).json()["error"]
    assert error["fields"][0]["field"] == "target_date" and "2000 or later" in error["message"]


def test_someone_elses_private_goal_is_a_404_everywhere(api_for, ada, bob):
    goal = GoalFactory(owner=bob, visibility="private")
    step = actions.add_step(goal=goal, editor=bob, title="Secret step")
    api = api_for(ada)
    for path in (
        f"goals/{goal.pk}",
        f"goals/{goal.pk}/steps",
        f"goals/{goal.pk}/reflections",
        f"goals/{goal.pk}/evidence",
    ):
        assert api.get(path).status_code == 404, path
    assert api.patch(f"goals/{goal.pk}", {"title": "Mine"}).status_code == 404
    assert api.post(f"goals/{goal.pk}/steps/{step.pk}/toggle", {"done": True}).status_code == 404
    assert api.delete(f"goals/{goal.pk}").status_code == 404
    assert api.get("goals/9223372036854775807").status_code == 404
    assert api.get("goals/99999999999999999999").status_code == 422
    assert api_for(None).get(f"goals/{goal.pk}").status_code == 401


def test_a_shared_goal_is_read_only_for_its_audience(api_for, ada, bob):
    goal = GoalFactory(owner=bob, visibility="followers")
    FollowFactory(follower=ada, followee=bob)
    actions.add_step(goal=goal, editor=bob, title="Visible step")
    api = api_for(ada)
    body = api.get(f"goals/{goal.pk}").json()
    assert body["is_owner"] is False and body["owner"] == "bob"
    assert [s["title"] for s in api.get(f"goals/{goal.pk}/steps").json()] == ["Visible step"]
    assert api.patch(f"goals/{goal.pk}", {"title": "Mine"}).status_code == 404
    assert api.post(f"goals/{goal.pk}/reflections", {"body": "Hi"}).status_code == 404


def test_steps_toggle_move_and_keep_progress(api_for, ada):
    api = api_for(ada)
    goal_id = api.post("goals", {"title": "Goal"}).json()["id"]
    ids = [api.post(f"goals/{goal_id}/steps", {"title": t}).json()["step"]["id"] for t in ("a", "b")]
    changed = api.post(f"goals/{goal_id}/steps/{ids[0]}/toggle", {"done": True}).json()
    assert changed["step"]["done"] and changed["goal"]["progress"] == 50
    order = api.post(f"goals/{goal_id}/steps/{ids[1]}/move", {"direction": "up"}).json()
    assert [s["title"] for s in order] == ["b", "a"]
    assert api.patch(f"goals/{goal_id}/steps/{ids[1]}", {"due_date": "1850-01-01"}).status_code == 422
    assert api.patch(f"goals/{goal_id}/steps/{ids[1]}", {"title": "B"}).json()["title"] == "B"
    assert api.delete(f"goals/{goal_id}/steps/{ids[0]}").status_code == 204
    assert api.get(f"goals/{goal_id}").json()["steps_total"] == 1


def test_reflections_crud(api_for, ada):
    api = api_for(ada)
    goal_id = api.post("goals", {"title": "Goal"}).json()["id"]
    made = api.post(f"goals/{goal_id}/reflections", {"body": "**Good** day"})
    assert made.status_code == 201 and "<strong>Good</strong>" in made.json()["body_html"]
    rid = made.json()["id"]
    edited = api.patch(f"goals/{goal_id}/reflections/{rid}", {"body": "Better"}).json()
    assert edited["edited_at"] and edited["body"] == "Better"
    assert api.post(f"goals/{goal_id}/reflections", {"body": "x", "written_on": "2999-01-01"}).status_code == 422
    assert api.delete(f"goals/{goal_id}/reflections/{rid}").status_code == 204
    assert api.get(f"goals/{goal_id}/reflections").json() == []


def test_evidence_links_and_own_posts(api_for, ada, bob, publish):
    api = api_for(ada)
    goal_id = api.post("goals", {"title": "Goal"}).json()["id"]
    mine, theirs = publish(ada, "My slides"), publish(bob, "Bob's slides")
    link = api.post(f"goals/{goal_id}/evidence/link", {"url": "https://example.org/c", "title": "Course"})
    assert link.status_code == 201 and link.json()["url"] == "https://example.org/c"
    post = api.post(f"goals/{goal_id}/evidence/post", {"post": str(mine.pk)})
    assert post.status_code == 201 and post.json()["url"].endswith(f"/posts/{mine.pk}")
    assert api.post(f"goals/{goal_id}/evidence/post", {"post": str(theirs.pk)}).status_code == 422
    assert api.post(f"goals/{goal_id}/evidence/link", {"url": "ftp://example.org"}).status_code == 422
    assert [e["kind"] for e in api.get(f"goals/{goal_id}/evidence").json()] == ["post", "link"]
    assert api.delete(f"goals/{goal_id}/evidence/{link.json()['id']}").status_code == 204


def test_ask_my_network_respects_the_goals_visibility(api_for, ada):
    api = api_for(ada)
    goal_id = api.post("goals", {"title": "Learn Welsh"}).json()["id"]
    refused = api.post(f"goals/{goal_id}/ask", {"visibility": "followers"})
    assert refused.status_code == 422 and not Post.objects.exists()
    api.patch(f"goals/{goal_id}", {"visibility": "followers"})
    assert api.post(f"goals/{goal_id}/ask", {"visibility": "members"}).status_code == 422
    asked = api.post(f"goals/{goal_id}/ask", {"visibility": "followers"})
    assert asked.status_code == 201
    post = Post.objects.get()
    assert post.visibility == "followers" and "I'm working towards: Learn Welsh." in post.body
    assert f"/learning/goals/{goal_id}/" in post.body


def test_goals_list_pages_by_keyset_and_filters_by_status(api_for, ada, bob):
    for n in range(23):
        actions.create_goal(owner=ada, title=f"Goal {n}", status="active" if n % 2 else "planned")
    GoalFactory(owner=bob, visibility="members")
    api = api_for(ada)
    first = api.get("goals").json()
    assert len(first["items"]) == 20 and first["next_max_id"]
    second = api.get(first["next_url"].removeprefix("http://testserver")).json()
    assert len(second["items"]) == 3 and second["next_url"] is None
    assert {g["owner"] for g in first["items"] + second["items"]} == {"ada"}
    assert len(api.get("goals", {"status": "active"}).json()["items"]) == 11
    assert api.get("goals", {"status": "nonsense"}).status_code == 422


def test_templates_and_starting_a_plan(api_for, ada, bob):
    api = api_for(ada)
    listed = api.get("plan-templates").json()["items"]
    template = next(t for t in listed if t["slug"] == "first-year-new-professional")
    assert template["goals"] and template["goals"][0]["steps"]
    assert api.post(f"plan-templates/{template['id']}/start", {"started_on": "1990-01-01"}).status_code == 422
    started = api.post(f"plan-templates/{template['id']}/start", {"started_on": "2026-01-05"})
    assert started.status_code == 201
    plan = started.json()
    assert len(plan["goals"]) == len(template["goals"]) and all(g["visibility"] == "private" for g in plan["goals"])
    assert api.get(f"plans/{plan['id']}").json()["title"] == "First year as a new professional"
    assert [p["id"] for p in api.get("plans").json()["items"]] == [plan["id"]]
    assert api_for(bob).get(f"plans/{plan['id']}").status_code == 404
    draft = PlanTemplate.objects.create(slug="draft", title="Draft")
    assert api.get(f"plan-templates/{draft.pk}").status_code == 404
    assert api.post(f"plan-templates/{draft.pk}/start", {}).status_code == 404


def test_a_read_token_cannot_write(api_for, ada):
    assert api_for(ada, scope="read").post("goals", {"title": "x"}).status_code == 403
