"""The learning permission matrix through the API: for every row of POLICY
(test_learning_permission_matrix.py), each principal, holding a write token, gets from /api/v1/
what the pages give them.

Allowed: 200/201 (204 for writes that answer nothing) and the object's text present. Denied: 404,
never 403 — except that a visitor (or a suspended owner, whose tokens stop working) gets 401, the
API's "sign in first" — and a denied write changes nothing. A denied "list" means the object's
text is absent from every API list that could show it.

Rows with no API operation are left to the pages: a share link is opened as a page (`/p/<token>/`),
plans are changed on their pages, and a single check-in is read on its page. A CPD entry is not
listed on a goal in the API (only on the goal's page), so its "linked" row asserts that no goal
answer names it, for anyone.
"""

from __future__ import annotations

import json

import pytest

from readingroom.api import actions as api_actions
from readingroom.cpd.models import CPDEntry
from readingroom.goals.models import Goal, GoalEvidence, Plan, Reflection, Step
from readingroom.learning.models import LearningVisibility, Mentorship, MentorshipStatus
from readingroom.pln.models import StageCheckIn
from readingroom.portfolio import actions as portfolio_actions
from readingroom.portfolio.models import Portfolio, PortfolioItem, ShareLink
from readingroom.skills.models import Assessment
from tests.security.test_learning_permission_matrix import (
    CASES,
    TOKEN,
    World,
    make_assessment,
    make_entry,
    make_goal,
    make_portfolio,
    shared_world,
    suspend_owner,
)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    yield from shared_world(django_db_blocker)


class Api:
    def __init__(self, client, w: World, principal: str):
        self.client, self.principal = client, principal
        user = w.principal(principal)
        secret = api_actions.create_token(user=user, name="matrix", scope="write").secret if user else None
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}

    def get(self, path: str, params=None):
        return self.client.get(f"/api/v1/{path}", params or {}, **self.headers)

    def send(self, method: str, path: str, body: dict | None = None):
        data = json.dumps(body or {})
        return self.client.generic(method, f"/api/v1/{path}", data, content_type="application/json", **self.headers)


def _signed_out(principal: str, vis: str) -> bool:
    return principal == "anonymous" or (principal == "owner" and vis == "suspended")


def _denied(response, principal: str, vis: str = "") -> None:
    """Every learning operation needs a member: a visitor (or a dead token) is 401, others 404."""
    expected = 401 if _signed_out(principal, vis) else 404
    assert response.status_code == expected, f"expected {expected}, got {response.status_code}"
    assert response.json()["error"]["code"] in ("not_found", "not_authenticated", "invalid_token")


def _ok(response, status: int = 200) -> None:
    assert response.status_code == status, f"expected {status}, got {response.status_code}: {response.content[:300]}"


def _listed(response) -> str:
    if response.status_code != 200:
        return ""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


# Every API list of the member's own learning (and so every one that could list someone else's).
API_LISTS = {
    "goals": "goals",
    "plans": "plans",
    "cpd": "cpd/entries",
    "cpd_export": "cpd/export.csv",
    "assessments": "skills/assessments",
    "portfolios": "portfolios",
    "check_ins": "balance/check-ins",
    "mentorships": "mentorships",
    "notifications": "notifications",
}


def _assert_listed(api, token: str, allowed: bool, *, shown_on: set[str]) -> None:
    for key, path in API_LISTS.items():
        response = api.get(path)
        assert response.status_code in (200, 401), key
        if not allowed:
            assert token not in _listed(response), key
        elif key in shown_on:
            assert token in _listed(response), key


def _read(api, path: str, token: str, principal: str, allowed: bool, vis: str = "") -> None:
    response = api.get(path)
    if allowed:
        _ok(response)
        assert token in response.content.decode(), path
    else:
        _denied(response, principal, vis)


def _sweep(api, calls: list[tuple[str, str, dict | None]], principal: str, allowed: bool, snapshot) -> None:
    before = snapshot()
    for method, path, body in calls:
        response = api.send(method, path, body)
        assert response.status_code < 500, (path, response.status_code)
        if allowed:
            assert response.status_code not in (401, 404), (path, response.status_code)
        else:
            _denied(response, principal)
    if not allowed:
        assert snapshot() == before


# --- Checks per object type -----------------------------------------------------------------------


def api_goal(api, w, capture, vis, action, principal, allowed):
    goal = make_goal(w, "members" if vis == "suspended" else vis)
    token = f"{TOKEN}goal"
    if vis == "suspended":
        suspend_owner(w)
    if action == "view":
        _read(api, f"goals/{goal.pk}", token, principal, allowed, vis)
        _read(api, f"goals/{goal.pk}/steps", f"{TOKEN}step", principal, allowed, vis)
        _read(api, f"goals/{goal.pk}/reflections", f"{TOKEN}reflection", principal, allowed, vis)
        _read(api, f"goals/{goal.pk}/evidence", f"{TOKEN}gfile", principal, allowed, vis)
    elif action == "linked":
        entry = make_entry(w, LearningVisibility.MEMBERS, goals=[goal])
        response = api.get(f"cpd/entries/{entry.pk}")
        assert response.status_code in (200, 401, 404)
        assert (token in _listed(response)) is allowed
    elif action == "list":
        _assert_listed(api, token, allowed, shown_on={"goals"})
    elif action == "edit":
        edit = api.send("PATCH", f"goals/{goal.pk}", {"title": "Rewritten by someone"})
        status = api.send("POST", f"goals/{goal.pk}/status", {"status": "set_aside"})
        goal.refresh_from_db()
        if allowed:
            _ok(edit)
            _ok(status)
            assert goal.title == "Rewritten by someone" and goal.status == "set_aside"
        else:
            _denied(edit, principal)
            _denied(status, principal)
            assert goal.title.endswith(token) and goal.status == "active"
    elif action == "delete":
        response = api.send("DELETE", f"goals/{goal.pk}")
        if allowed:
            _ok(response, 204)
        else:
            _denied(response, principal)
        assert Goal.objects.filter(pk=goal.pk).exists() is not allowed
    elif action == "sweep":
        step, reflection, evidence = goal.steps.get(), goal.reflections.get(), goal.evidence.get()
        base = f"goals/{goal.pk}"
        calls = [
            ("POST", f"{base}/steps", {"title": "Another step"}),
            ("POST", f"{base}/steps/{step.pk}/move", {"direction": "down"}),
            ("POST", f"{base}/reflections", {"body": "Another reflection"}),
            ("POST", f"{base}/evidence/link", {"url": "https://example.org/x"}),
            ("POST", f"{base}/evidence/post", {"post": "1"}),
            ("POST", f"{base}/ask", {"visibility": "members"}),
            ("DELETE", f"{base}/evidence/{evidence.pk}", None),
            ("DELETE", f"{base}/reflections/{reflection.pk}", None),
            ("DELETE", f"{base}/steps/{step.pk}", None),
        ]

        def snapshot():
            return (
                list(Step.objects.filter(goal=goal).values_list("pk", "title", "position", "done")),
                list(Reflection.objects.filter(goal=goal).values_list("pk", "body")),
                list(GoalEvidence.objects.filter(goal=goal).values_list("pk", flat=True)),
            )

        _sweep(api, calls, principal, allowed, snapshot)


def api_step(api, w, capture, vis, action, principal, allowed):
    goal = make_goal(w, vis)
    step = goal.steps.get()
    if action == "view":
        _read(api, f"goals/{goal.pk}/steps", f"{TOKEN}step", principal, allowed)
        return
    toggle = api.send("POST", f"goals/{goal.pk}/steps/{step.pk}/toggle", {"done": True})
    rename = api.send("PATCH", f"goals/{goal.pk}/steps/{step.pk}", {"title": "Renamed by someone"})
    step.refresh_from_db()
    if allowed:
        _ok(toggle)
        _ok(rename)
        assert step.done and step.title == "Renamed by someone"
    else:
        _denied(toggle, principal)
        _denied(rename, principal)
        assert not step.done and step.title.endswith(f"{TOKEN}step")


def api_reflection(api, w, capture, vis, action, principal, allowed):
    goal = make_goal(w, vis)
    reflection = goal.reflections.get()
    path = f"goals/{goal.pk}/reflections"
    if action == "view":
        _read(api, path, f"{TOKEN}reflection", principal, allowed)
    elif action == "edit":
        response = api.send("PATCH", f"{path}/{reflection.pk}", {"body": "Rewritten by someone"})
        reflection.refresh_from_db()
        if allowed:
            _ok(response)
        else:
            _denied(response, principal)
        assert (reflection.body == "Rewritten by someone") is allowed
    else:
        response = api.send("DELETE", f"{path}/{reflection.pk}")
        if allowed:
            _ok(response, 204)
        else:
            _denied(response, principal)
        assert Reflection.objects.filter(pk=reflection.pk).exists() is not allowed


def api_goal_file(api, w, capture, vis, action, principal, allowed):
    goal = make_goal(w, vis)
    _read(api, f"goals/{goal.pk}/evidence", f"{TOKEN}gfile", principal, allowed)


def api_cpd(api, w, capture, vis, action, principal, allowed):
    entry = make_entry(w, "members" if vis == "suspended" else vis)
    token = f"{TOKEN}cpd"
    if vis == "suspended":
        suspend_owner(w)
    if action == "view":
        _read(api, f"cpd/entries/{entry.pk}", token, principal, allowed, vis)
    elif action == "linked":
        goal = make_goal(w, LearningVisibility.MEMBERS, title="A shared goal")
        entry.goals.add(goal)
        for path in (f"goals/{goal.pk}", f"goals/{goal.pk}/evidence"):
            response = api.get(path)
            assert response.status_code in (200, 401, 404)
            assert token not in _listed(response), path
    elif action == "list":
        _assert_listed(api, token, allowed, shown_on={"cpd", "cpd_export"})
    elif action == "edit":
        response = api.send("PATCH", f"cpd/entries/{entry.pk}", {"title": "Rewritten by someone", "hours": 2})
        entry.refresh_from_db()
        if allowed:
            _ok(response)
            assert entry.title == "Rewritten by someone" and entry.quarter_hours == 8
        else:
            _denied(response, principal)
            assert entry.title.endswith(token) and entry.quarter_hours == 6
    elif action == "delete":
        response = api.send("DELETE", f"cpd/entries/{entry.pk}")
        if allowed:
            _ok(response, 204)
        else:
            _denied(response, principal)
        assert CPDEntry.objects.filter(pk=entry.pk).exists() is not allowed
    elif action == "sweep":
        # Evidence is added on the pages only; through the API, linking the entry to a goal is
        # the one other change, and only the owner's own goals may be named.
        other = make_goal(w, LearningVisibility.PRIVATE, title="Another goal")
        response = api.send("PATCH", f"cpd/entries/{entry.pk}", {"goals": [other.pk]})
        linked = list(entry.goals.values_list("pk", flat=True))
        if allowed:
            _ok(response)
            assert linked == [other.pk]
        else:
            _denied(response, principal)
            assert linked == []


def api_cpd_file(api, w, capture, vis, action, principal, allowed):
    entry = make_entry(w, vis)
    _read(api, f"cpd/entries/{entry.pk}", f"{TOKEN}cfile", principal, allowed)


def api_assessment(api, w, capture, vis, action, principal, allowed):
    item = make_assessment(w, "members" if vis == "suspended" else vis)
    token = f"{TOKEN}assessment"
    if vis == "suspended":
        suspend_owner(w)
    path = f"skills/assessments/{item.pk}"
    if action == "view":
        _read(api, path, token, principal, allowed, vis)
    elif action == "list":
        _assert_listed(api, token, allowed, shown_on={"assessments"})
    elif action == "edit":
        response = api.send("PATCH", path, {"visibility": LearningVisibility.PRIVATE})
        item.refresh_from_db()
        if allowed:
            _ok(response)
        else:
            _denied(response, principal)
        assert (item.visibility == LearningVisibility.PRIVATE) is allowed
    else:
        response = api.send("DELETE", path)
        if allowed:
            _ok(response, 204)
        else:
            _denied(response, principal)
        assert Assessment.objects.filter(pk=item.pk).exists() is not allowed


def api_portfolio(api, w, capture, vis, action, principal, allowed):
    portfolio = make_portfolio(w)
    goal = make_goal(w, LearningVisibility.PRIVATE, title=f"Private goal {TOKEN}pgoal")
    portfolio_actions.add_record(portfolio=portfolio, kind="goal", record=goal)
    section = portfolio_actions.add_section(portfolio=portfolio, heading="About me", body="A statement.")
    token, base = f"{TOKEN}portfolio", f"portfolios/{portfolio.pk}"
    if action == "view":
        _read(api, base, token, principal, allowed)
        _read(api, f"{base}/share-links", "[", principal, allowed)
    elif action == "list":
        _assert_listed(api, token, allowed, shown_on={"portfolios"})
    elif action == "export":
        _read(api, f"{base}/export/json", f"{TOKEN}pgoal", principal, allowed)
        response = api.get(f"{base}/export/pdf")
        if allowed:
            _ok(response)
            assert response["Content-Type"] == "application/pdf"
        else:
            _denied(response, principal)
    elif action == "edit":
        response = api.send("PATCH", base, {"title": "Rewritten by someone"})
        portfolio.refresh_from_db()
        if allowed:
            _ok(response)
        else:
            _denied(response, principal)
        assert (portfolio.title == "Rewritten by someone") is allowed
    elif action == "delete":
        response = api.send("DELETE", base)
        if allowed:
            _ok(response, 204)
        else:
            _denied(response, principal)
        assert Portfolio.objects.filter(pk=portfolio.pk).exists() is not allowed
    elif action == "sweep":
        items = list(portfolio.items.order_by("position", "id").values_list("pk", flat=True))
        calls = [
            ("POST", f"{base}/items", {"kind": "section", "heading": "More", "body": "Text."}),
            ("POST", f"{base}/items", {"kind": "goal", "record_id": goal.pk}),
            ("PATCH", f"{base}/items/{section.pk}", {"heading": "Changed"}),
            ("POST", f"{base}/items/order", {"item_ids": list(reversed(items))}),
            ("POST", f"{base}/share-links", {"days": 30}),
            ("DELETE", f"{base}/items/{section.pk}", None),
        ]

        def snapshot():
            return (
                list(PortfolioItem.objects.filter(portfolio=portfolio).values_list("pk", "position", "heading")),
                ShareLink.objects.filter(portfolio=portfolio).count(),
            )

        _sweep(api, calls, principal, allowed, snapshot)


def api_share_link(api, w, capture, vis, action, principal, allowed):
    portfolio = make_portfolio(w)
    link, _secret = portfolio_actions.create_share_link(portfolio=portfolio, days=30)
    response = api.send("DELETE", f"portfolios/{portfolio.pk}/share-links/{link.pk}")
    link.refresh_from_db()
    if allowed:
        _ok(response, 204)
        assert link.revoked_at is not None
    else:
        _denied(response, principal)
        assert link.revoked_at is None


def api_plan(api, w, capture, vis, action, principal, allowed):
    plan = Plan.objects.create(owner=w.users["owner"], title=f"Plan {TOKEN}plan")
    make_goal(w, LearningVisibility.MEMBERS, title="A shared goal in a plan", plan=plan)
    if action == "view":
        _read(api, f"plans/{plan.pk}", f"{TOKEN}plan", principal, allowed)
    else:
        _assert_listed(api, f"{TOKEN}plan", allowed, shown_on={"plans"})


def api_check_in(api, w, capture, vis, action, principal, allowed):
    record = StageCheckIn.objects.create(owner=w.users["owner"], stage="evaluation", answers={})
    response = api.get("balance/check-ins")
    if principal == "anonymous":
        _denied(response, principal)
        return
    _ok(response)
    assert (record.pk in [item["id"] for item in response.json()["items"]]) is allowed


def api_mentorship(api, w, capture, vis, action, principal, allowed):
    mentorship = w.mentorships[vis]
    if action == "list":
        response = api.get("mentorships")
        if principal == "anonymous":
            _denied(response, principal)
            return
        _ok(response)
        ids = [m["id"] for rows in response.json().values() for m in rows]
        assert (mentorship.pk in ids) is allowed
        return
    with capture(execute=True):
        response = api.send("POST", f"mentorships/{mentorship.pk}/{action}")
    status = Mentorship.objects.get(pk=mentorship.pk).status
    if allowed:
        _ok(response)
        assert status == (MentorshipStatus.ACTIVE if action == "accept" else MentorshipStatus.ENDED)
    else:
        _denied(response, principal)
        assert status == mentorship.status


def api_mentorship_notice(api, w, capture, vis, action, principal, allowed):
    shown = {
        "ask_pending": f"{TOKEN}askpending",
        "ask_active": f"{TOKEN}askactive",
        "accepted": f"{TOKEN}mentor agreed to be your mentor",
    }[vis]
    response = api.get("notifications")
    if principal == "anonymous":
        _denied(response, principal)
    assert (shown in _listed(response)) is allowed


def api_search(api, w, capture, vis, action, principal, allowed):
    make_goal(w, vis, title=f"Goal {TOKEN}sgoal")
    make_entry(w, vis, title=f"Webinar {TOKEN}scpd")
    make_assessment(w, vis)
    for query in (f"{TOKEN}sgoal", f"{TOKEN}scpd", f"{TOKEN}assessment"):
        for kind in (None, "posts"):
            response = api.get("search", {"q": query, **({"type": kind} if kind else {})})
            assert response.status_code == 200, response.status_code
            assert (query in _listed(response)) is allowed


def api_notifications(api, w, capture, vis, action, principal, allowed):
    with capture(execute=True):
        goal = make_goal(w, vis, title=f"Goal {TOKEN}ngoal")
        entry = make_entry(w, vis, title=f"Webinar {TOKEN}ncpd", goals=[goal])
        portfolio = make_portfolio(w)
        portfolio_actions.add_record(portfolio=portfolio, kind="cpd_entry", record=entry)
    with capture(execute=True):  # the owner reaches the goal (others get a 404 and change nothing)
        api.send("POST", f"goals/{goal.pk}/status", {"status": "achieved"})
    response = api.get("notifications")
    for token in (f"{TOKEN}ngoal", f"{TOKEN}ncpd", f"{TOKEN}portfolio"):
        assert (token in _listed(response)) is allowed


API_CHECKS = {
    "goal": api_goal,
    "step": api_step,
    "reflection": api_reflection,
    "goal_file": api_goal_file,
    "cpd": api_cpd,
    "cpd_file": api_cpd_file,
    "assessment": api_assessment,
    "portfolio": api_portfolio,
    "share_link": api_share_link,
    "plan": api_plan,
    "check_in": api_check_in,
    "mentorship": api_mentorship,
    "mentorship_notice": api_mentorship_notice,
    "search": api_search,
    "notifications": api_notifications,
}
# (object, action) pairs with no API operation: the pages alone carry them (see the docstring).
PAGE_ONLY = {("share_link", "view"), ("plan", "edit"), ("plan", "delete"), ("check_in", "view")}
API_CASES = [case for case in CASES if (case.values[0], case.values[2]) not in PAGE_ONLY]


def test_every_object_type_of_the_learning_matrix_is_checked_through_the_api():
    assert {case.values[0] for case in CASES} <= set(API_CHECKS), "add an API check for the new object type"


def test_page_only_rows_name_real_rows():
    rows = {(case.values[0], case.values[2]) for case in CASES}
    assert rows >= PAGE_ONLY


@pytest.mark.django_db
@pytest.mark.parametrize(("obj", "vis", "action", "principal", "allowed"), API_CASES)
def test_the_api_answers_like_the_learning_pages_for(
    client, world, django_capture_on_commit_callbacks, obj, vis, action, principal, allowed
):
    api = Api(client, world, principal)
    API_CHECKS[obj](api, world, django_capture_on_commit_callbacks, vis, action, principal, allowed)
