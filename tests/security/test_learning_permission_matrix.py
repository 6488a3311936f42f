"""The permission matrix for learning records: goals, steps, reflections, evidence files, CPD
entries, skills assessments, portfolios, share links, plans, balance check-ins and mentorships.

POLICY below is the single statement of the rules; the tests are generated from it (one case per
object type × visibility × principal × action) and drive the real pages through the test client.
A denied view/edit/delete answers 404 (an anonymous visitor to a sign-in page — or a suspended
owner, who is signed out — is sent to sign in instead), never 403 or 500, and a denied POST leaves
the object unchanged. A denied "list" means the object's unique text is absent from every listing
page that could show it. Staff get no special right to read anyone's learning records.

Visibility follows learning.permissions.audience_q: private (the owner), mentors (+ active
mentors), followers (+ followers), members (anyone signed in); blocks either way and a suspended
owner hide everything. Changes are the owner's alone, so they are checked at the widest audience
("members"), where only the ownership check can refuse them.

The people (one world per module, built once and removed afterwards; each case's records are made
inside the case's own transaction, so cases cannot see each other's changes):
anonymous; member (signed in, unrelated); follower (follows the owner); mentor (an active
mentorship with the owner as mentee); pending_mentor (asked by the owner, not yet answered);
blocked (the owner blocked them; a follow row is left in place on purpose); blocker (they blocked
the owner, and follow them); owner; admin (is_staff).

Generated cases: 729 (9 principals × 81 object/action rows), plus the case-count check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from readingroom.accounts.models import Follow
from readingroom.cpd import actions as cpd_actions
from readingroom.cpd.models import CPDEntry, CPDEvidence
from readingroom.goals import actions as goal_actions
from readingroom.goals.models import Goal, GoalEvidence, Plan, Reflection, Step
from readingroom.learning import actions as learning_actions
from readingroom.learning.models import LearningVisibility, Mentorship, MentorshipStatus
from readingroom.network import actions as network_actions
from readingroom.pln.models import StageCheckIn
from readingroom.portfolio import actions as portfolio_actions
from readingroom.portfolio.models import Portfolio, PortfolioItem, ShareLink
from readingroom.posts.models import Post
from readingroom.skills import actions as skills_actions
from readingroom.skills import queries as skills_queries
from readingroom.skills.models import Assessment, SkillArea, SkillFramework
from readingroom.testing.factories import UserFactory

PRINCIPALS = ("anonymous", "member", "follower", "mentor", "pending_mentor", "blocked", "blocker", "owner", "admin")


def row(*flags: int) -> dict[str, bool]:
    """One policy row, in PRINCIPALS order: 1 = allowed, 0 = denied."""
    assert len(flags) == len(PRINCIPALS)
    return dict(zip(PRINCIPALS, map(bool, flags), strict=True))


# The audience of each LearningVisibility, and of things that are only ever the owner's.
#                 anon member follower mentor pending blocked blocker owner admin
PRIVATE = row(0, 0, 0, 0, 0, 0, 0, 1, 0)
MENTORS = row(0, 0, 0, 1, 0, 0, 0, 1, 0)
FOLLOWERS = row(0, 0, 1, 1, 0, 0, 0, 1, 0)
MEMBERS = row(0, 1, 1, 1, 1, 0, 0, 1, 1)  # staff see what every member sees, no more
OWNER = PRIVATE
NOBODY = row(0, 0, 0, 0, 0, 0, 0, 0, 0)
ANYONE = row(1, 1, 1, 1, 1, 1, 1, 1, 1)
AUDIENCE = {"private": PRIVATE, "mentors": MENTORS, "followers": FOLLOWERS, "members": MEMBERS}
VISIBILITIES = tuple(AUDIENCE)


def _by_visibility(obj: str, actions: tuple[str, ...]) -> dict:
    return {(obj, vis): {action: AUDIENCE[vis] for action in actions} for vis in VISIBILITIES}


# Actions: view = its page (or the file download); list = the owner's listing pages (goals list,
# CPD log and export, skills history, learning overview); linked = shown on another record's page
# (a goal on a CPD entry's page, a CPD entry on a goal's page), which the viewer can see; edit and
# delete = the owner's forms (GET and POST); sweep = every other owner-only page of the record
# (add a step, move it, add evidence, ask my network...), POSTed: 404 and nothing changes.
POLICY: dict[tuple[str, str], dict[str, dict[str, bool]]] = {
    # A goal: its page, where it is linked, and (members: everyone signed in may see it) changes.
    **_by_visibility("goal", ("view", "linked")),
    ("goal", "members"): {
        "view": MEMBERS,
        "linked": MEMBERS,
        "list": OWNER,  # listings show a member their own goals only; others follow a link
        "edit": OWNER,  # the edit form and the status form
        "delete": OWNER,
        "sweep": OWNER,
    },
    ("goal", "suspended"): {"view": NOBODY},  # members-visible, owner suspended (and signed out)
    # Steps and reflections are seen on their goal's page, changed by its owner only.
    **_by_visibility("step", ("view",)),
    ("step", "members"): {"view": MEMBERS, "edit": OWNER},  # edit = tick and rename
    **_by_visibility("reflection", ("view",)),
    ("reflection", "members"): {"view": MEMBERS, "edit": OWNER, "delete": OWNER},
    # An evidence file is served to whoever may see its goal (or CPD entry), from private storage.
    **_by_visibility("goal_file", ("view",)),
    # A CPD entry.
    **_by_visibility("cpd", ("view", "linked")),
    ("cpd", "members"): {
        "view": MEMBERS,
        "linked": MEMBERS,
        "list": OWNER,  # the log, the CSV export
        "edit": OWNER,
        "delete": OWNER,
        "sweep": OWNER,  # add a link or a file, remove evidence
    },
    ("cpd", "suspended"): {"view": NOBODY},
    **_by_visibility("cpd_file", ("view",)),
    # A skills self-assessment (its note is the unique text).
    **_by_visibility("assessment", ("view",)),
    ("assessment", "members"): {
        "view": MEMBERS,
        "list": OWNER,  # the skills page's history
        "edit": OWNER,  # who may see it
        "delete": OWNER,
    },
    ("assessment", "suspended"): {"view": NOBODY},
    # A portfolio is its owner's alone (staff included: no one else); readers use a share link.
    ("portfolio", "own"): {
        "view": OWNER,  # the builder and the preview
        "list": OWNER,
        "export": OWNER,  # PDF, HTML and JSON
        "edit": OWNER,
        "delete": OWNER,
        "sweep": OWNER,  # add records and sections, edit, move and remove items, share links
    },
    # A share link opens the portfolio read-only for anyone while it is live.
    ("share_link", "valid"): {"view": ANYONE, "revoke": OWNER},
    ("share_link", "expired"): {"view": NOBODY},
    ("share_link", "revoked"): {"view": NOBODY},
    ("share_link", "unknown"): {"view": NOBODY},
    ("share_link", "suspended"): {"view": NOBODY},  # a live link of a suspended owner
    # A plan (a group of goals) has no audience of its own, even when its goals are shared.
    ("plan", "own"): {"view": OWNER, "list": OWNER, "edit": OWNER, "delete": OWNER},
    # The balance panel and stage check-ins are "my" pages only.
    ("check_in", "own"): {"view": OWNER, "list": OWNER},
    # Mentorships: the owner asked "mentor" (accepted) and "pending_mentor" (not answered yet).
    # list = its buttons on the mentors page; accept/decline are the mentor's; end is either side's.
    ("mentorship", "pending"): {
        "list": row(0, 0, 0, 0, 1, 0, 0, 1, 0),
        "accept": row(0, 0, 0, 0, 1, 0, 0, 0, 0),
        "decline": row(0, 0, 0, 0, 1, 0, 0, 0, 0),
    },
    ("mentorship", "active"): {
        "list": row(0, 0, 0, 1, 0, 0, 0, 1, 0),
        "end": row(0, 0, 0, 1, 0, 0, 0, 1, 0),
    },
    # Mentorship notifications go to the people involved only: the ask (with its message) to the
    # mentor asked, the acceptance to the mentee.
    ("mentorship_notice", "ask_pending"): {"list": row(0, 0, 0, 0, 1, 0, 0, 0, 0)},
    ("mentorship_notice", "ask_active"): {"list": row(0, 0, 0, 1, 0, 0, 0, 0, 0)},
    ("mentorship_notice", "accepted"): {"list": row(0, 0, 0, 0, 0, 0, 0, 1, 0)},
    # Learning records are not in search, however widely shared, and never in anyone's notifications.
    ("search", "members"): {"list": NOBODY},
    ("notifications", "private"): {"list": NOBODY},
}

TOKEN = "zqxlearnmatrix"  # unique text: present only where the object is shown
QUIET = {
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "RR_RATE_LIMITS_ENABLED": False,
}


@dataclass
class World:
    users: dict[str, object] = field(default_factory=dict)
    mentorships: dict[str, Mentorship] = field(default_factory=dict)
    framework: SkillFramework | None = None
    areas: list[SkillArea] = field(default_factory=list)
    own_framework: bool = False

    def principal(self, name: str):
        return None if name == "anonymous" else self.users[name]


def build_world() -> World:
    """The people and their relationships, through the real actions (notifications included)."""
    w = World()
    for name in ("owner", "member", "follower", "mentor", "pending_mentor", "blocked", "blocker"):
        w.users[name] = UserFactory(profile__display_name=f"{name.title()} {TOKEN}{name}", password=None)
    w.users["admin"] = UserFactory(is_staff=True, password=None, profile__display_name="Admin")
    owner = w.users["owner"]
    network_actions.follow(follower=w.users["follower"], followee=owner)
    network_actions.follow(follower=w.users["blocked"], followee=owner)
    network_actions.follow(follower=w.users["blocker"], followee=owner)
    network_actions.block(blocker=owner, blocked=w.users["blocked"])
    network_actions.block(blocker=w.users["blocker"], blocked=owner)
    # A block ends the follow; keep a follow row anyway, so that only the block stands in the way.
    for name in ("blocked", "blocker"):
        Follow.objects.get_or_create(follower=w.users[name], followee=owner)
    active = learning_actions.ask_mentor(mentee=owner, mentor=w.users["mentor"], message=f"Please {TOKEN}askactive")
    w.mentorships["active"] = learning_actions.accept_mentorship(mentorship=active, mentor=w.users["mentor"])
    w.mentorships["pending"] = learning_actions.ask_mentor(
        mentee=owner, mentor=w.users["pending_mentor"], message=f"Please {TOKEN}askpending"
    )
    w.framework = skills_queries.default_framework()
    if w.framework is None:  # a transactional test earlier in the run flushed the shipped one
        w.framework = SkillFramework.objects.create(slug="matrix-default", name="Matrix skills", is_default=True)
        w.own_framework = True
        for n, code in enumerate(("cataloguing", "digital", "outreach")):
            SkillArea.objects.create(framework=w.framework, code=code, name=code.title(), position=n)
    w.areas = skills_queries.rated_areas(w.framework)
    return w


def shared_world(django_db_blocker):
    """Build the world (committed, outside any case's transaction), hand it out, then remove it."""
    with django_db_blocker.unblock(), override_settings(**QUIET):
        w = build_world()
    yield w
    with django_db_blocker.unblock():
        get_user_model().objects.filter(pk__in=[u.pk for u in w.users.values()]).delete()
        if w.own_framework:
            w.framework.delete()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    yield from shared_world(django_db_blocker)


# --- Making the records (inside each case's transaction) -----------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


def make_goal(w: World, vis: str, *, title: str = f"Goal {TOKEN}goal", plan=None) -> Goal:
    owner = w.users["owner"]
    goal = goal_actions.create_goal(
        owner=owner,
        title=title,
        visibility=vis,
        status="active",
        target_date=_today() + dt.timedelta(days=30),
        plan=plan,
    )
    goal_actions.add_step(goal=goal, editor=owner, title=f"Step {TOKEN}step")
    goal_actions.add_reflection(goal=goal, editor=owner, body=f"So what? {TOKEN}reflection")
    goal_actions.add_file_evidence(
        goal=goal, editor=owner, upload=_upload("notes.txt", f"Notes {TOKEN}gfilebytes"), title=f"{TOKEN}gfile"
    )
    return goal


def make_entry(w: World, vis: str, *, title: str = f"Webinar {TOKEN}cpd", goals=()) -> CPDEntry:
    data = cpd_actions.EntryData(
        title=title,
        started_on=_today() - dt.timedelta(days=3),
        activity_type="webinar",
        quarter_hours=6,
        visibility=vis,
        goals=list(goals),
    )
    entry = cpd_actions.create_entry(owner=w.users["owner"], data=data)
    cpd_actions.add_evidence_file(
        entry=entry, upload=_upload("slides.txt", f"Slides {TOKEN}cfilebytes"), title=f"{TOKEN}cfile"
    )
    return entry


def make_assessment(w: World, vis: str) -> Assessment:
    return skills_actions.create_assessment(
        owner=w.users["owner"],
        framework=w.framework,
        areas=w.areas,
        levels={a.pk: (1, 3) for a in w.areas},
        note=f"After a year {TOKEN}assessment",
        visibility=vis,
    )


def make_portfolio(w: World) -> Portfolio:
    return portfolio_actions.create_portfolio(
        owner=w.users["owner"], title=f"Portfolio {TOKEN}portfolio", introduction="My chartership."
    )


def suspend_owner(w: World) -> None:
    get_user_model().objects.filter(pk=w.users["owner"].pk).update(is_active=False)


# --- Asserting ------------------------------------------------------------------------------------


def _signed_out(principal: str, vis: str) -> bool:
    """Anonymous, or the owner of a suspended account (whose session no longer counts)."""
    return principal == "anonymous" or (principal == "owner" and vis == "suspended")


def _assert_denied(response, principal: str, vis: str = "") -> None:
    """404 for members; a visitor to a sign-in page may be sent to sign in instead."""
    if _signed_out(principal, vis) and response.status_code == 302:
        assert reverse("account_login") in response["Location"]
        return
    assert response.status_code == 404, f"expected 404, got {response.status_code}"


def _text(response) -> str:
    if response.status_code != 200:
        return ""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _search_results(response) -> str:
    """The search page's results only: the page also repeats the query in its title and box."""
    return _text(response).partition('id="search-results"')[2]


# Every page that lists the signed-in member's own learning (and so could list someone else's).
LISTING_PAGES = {
    "overview": reverse_lazy("learning:overview"),
    "goals": reverse_lazy("goals:list"),
    "cpd_log": reverse_lazy("cpd:log"),
    "cpd_summary": reverse_lazy("cpd:summary"),
    "cpd_export": reverse_lazy("cpd:export"),
    "skills": reverse_lazy("skills:home"),
    "portfolios": reverse_lazy("portfolio:list"),
    "balance": reverse_lazy("pln:balance"),
    "check_in": reverse_lazy("pln:check_in"),
    "mentors": reverse_lazy("learning:mentors"),
    "notifications": reverse_lazy("notifications:list"),
}


def _assert_listed(client, w: World, token: str, allowed: bool, *, shown_on: set[str]) -> None:
    """Listed to the allowed on the `shown_on` pages; on no listing page for anyone else. Never on
    the owner's profile page."""
    for key, url in LISTING_PAGES.items():
        response = client.get(str(url))
        assert response.status_code in (200, 302), key
        if not allowed:
            assert token not in _text(response), key
        elif key in shown_on:  # the owner's own pages may name it elsewhere too (e.g. a filter)
            assert token in _text(response), key
    response = client.get(reverse("network:profile", args=[w.users["owner"].profile.handle]))
    assert response.status_code in (200, 302, 404)
    assert token not in _text(response)


def _get_and_post(client, url: str, data: dict, principal: str, allowed: bool, vis: str = ""):
    """The form page and its POST; a denied member gets 404 for both."""
    page = client.get(url)
    if allowed:
        assert page.status_code == 200, url
    else:
        _assert_denied(page, principal, vis)
    response = client.post(url, data)
    if allowed:
        assert response.status_code == 302, (url, response.status_code)
    else:
        _assert_denied(response, principal, vis)
    return response


def _sweep(client, urls: list[tuple[str, dict]], principal: str, allowed: bool, snapshot) -> None:
    """POST every other owner-only page: allowed answers anything but 404/500; denied is 404 and
    changes nothing (snapshot() is compared before and after)."""
    before = snapshot()
    for url, data in urls:
        response = client.post(url, data)
        assert response.status_code < 500, (url, response.status_code)
        if allowed:
            assert response.status_code != 404, url
        else:
            _assert_denied(response, principal)
    if not allowed:
        assert snapshot() == before


# --- Checks per object type -----------------------------------------------------------------------


def check_goal(client, w, capture, vis, action, principal, allowed):
    goal = make_goal(w, "members" if vis == "suspended" else vis)
    token = f"{TOKEN}goal"
    if vis == "suspended":
        suspend_owner(w)
    if action == "view":
        response = client.get(reverse("goals:detail", args=[goal.pk]))
        if allowed:
            assert response.status_code == 200 and token in _text(response)
        else:
            _assert_denied(response, principal, vis)
            assert token not in _text(response)
    elif action == "linked":
        # The owner's members-visible CPD entry links the goal: its page names only goals one may see.
        entry = make_entry(w, LearningVisibility.MEMBERS, goals=[goal])
        response = client.get(reverse("cpd:detail", args=[entry.pk]))
        assert response.status_code in (200, 302, 404)
        assert (token in _text(response)) is allowed
    elif action == "list":
        _assert_listed(client, w, token, allowed, shown_on={"goals", "overview"})
    elif action == "edit":
        data = {"title": "Rewritten by someone", "status": "achieved", "visibility": vis}
        _get_and_post(client, reverse("goals:edit", args=[goal.pk]), data, principal, allowed)
        status = client.post(reverse("goals:status", args=[goal.pk]), {"status": "set_aside"})
        goal.refresh_from_db()
        if allowed:
            assert status.status_code == 302
            assert goal.title == "Rewritten by someone" and goal.status == "set_aside"
        else:
            _assert_denied(status, principal)
            assert goal.title.endswith(token) and goal.status == "active"
    elif action == "delete":
        _get_and_post(client, reverse("goals:delete", args=[goal.pk]), {}, principal, allowed)
        assert Goal.objects.filter(pk=goal.pk).exists() is not allowed
    elif action == "sweep":
        step = goal.steps.get()
        reflection = goal.reflections.get()
        evidence = goal.evidence.get()
        args = [goal.pk]
        urls = [
            (reverse("goals:step_add", args=args), {"title": "Another step"}),
            (reverse("goals:step_move", args=[goal.pk, step.pk]), {"direction": "down"}),
            (reverse("goals:reflection_add", args=args), {"body": "Another reflection"}),
            (reverse("goals:evidence_add", args=args), {"kind": "link", "link-url": "https://example.org/x"}),
            (reverse("goals:ask", args=args), {"body": "Can anyone help?", "visibility": "members"}),
            (reverse("goals:share", args=args), {"body": "Can anyone help?", "visibility": "members"}),
            (reverse("goals:evidence_delete", args=[goal.pk, evidence.pk]), {}),
            (reverse("goals:reflection_delete", args=[goal.pk, reflection.pk]), {}),
            (reverse("goals:step_delete", args=[goal.pk, step.pk]), {}),
        ]

        def snapshot():
            return (
                list(Step.objects.filter(goal=goal).values_list("pk", "title", "position", "done")),
                list(Reflection.objects.filter(goal=goal).values_list("pk", "body")),
                list(GoalEvidence.objects.filter(goal=goal).values_list("pk", flat=True)),
                Goal.objects.filter(pk=goal.pk).values_list("title", "steps_total").get(),
                Post.objects.filter(author=w.users["owner"]).count(),
            )

        _sweep(client, urls, principal, allowed, snapshot)


def check_step(client, w, capture, vis, action, principal, allowed):
    goal = make_goal(w, vis)
    step = goal.steps.get()
    token = f"{TOKEN}step"
    if action == "view":
        response = client.get(reverse("goals:detail", args=[goal.pk]))
        assert (token in _text(response)) is allowed
        if not allowed:
            _assert_denied(response, principal)
        return
    toggle = client.post(reverse("goals:step_toggle", args=[goal.pk, step.pk]), {"done": "on"})
    url = reverse("goals:step_edit", args=[goal.pk, step.pk])
    _get_and_post(client, url, {"title": "Renamed by someone"}, principal, allowed)
    step.refresh_from_db()
    goal.refresh_from_db()
    if allowed:
        assert toggle.status_code == 302 and step.done and goal.steps_done == 1
        assert step.title == "Renamed by someone"
    else:
        _assert_denied(toggle, principal)
        assert not step.done and goal.steps_done == 0 and step.title.endswith(token)


def check_reflection(client, w, capture, vis, action, principal, allowed):
    goal = make_goal(w, vis)
    reflection = goal.reflections.get()
    token = f"{TOKEN}reflection"
    if action == "view":
        response = client.get(reverse("goals:detail", args=[goal.pk]))
        assert (token in _text(response)) is allowed
        if not allowed:
            _assert_denied(response, principal)
    elif action == "edit":
        url = reverse("goals:reflection_edit", args=[goal.pk, reflection.pk])
        data = {"body": "Rewritten by someone", "written_on": _today().isoformat()}
        _get_and_post(client, url, data, principal, allowed)
        reflection.refresh_from_db()
        assert (reflection.body == "Rewritten by someone") is allowed
        assert reflection.body.endswith(token) is not allowed
    else:
        url = reverse("goals:reflection_delete", args=[goal.pk, reflection.pk])
        _get_and_post(client, url, {}, principal, allowed)
        assert Reflection.objects.filter(pk=reflection.pk).exists() is not allowed


def _assert_file(response, secret: str, principal: str, allowed: bool) -> None:
    if allowed:
        assert response.status_code == 200 and secret in _text(response)
        assert response["Cache-Control"] == "private, no-store"
    else:
        _assert_denied(response, principal)
        assert secret not in _text(response)


def check_goal_file(client, w, capture, vis, action, principal, allowed):
    goal = make_goal(w, vis)
    evidence = goal.evidence.get()
    response = client.get(reverse("goals:evidence_file", args=[goal.pk, evidence.pk]))
    _assert_file(response, f"{TOKEN}gfilebytes", principal, allowed)


def check_cpd(client, w, capture, vis, action, principal, allowed):
    entry = make_entry(w, "members" if vis == "suspended" else vis)
    token = f"{TOKEN}cpd"
    if vis == "suspended":
        suspend_owner(w)
    if action == "view":
        response = client.get(reverse("cpd:detail", args=[entry.pk]))
        if allowed:
            assert response.status_code == 200 and token in _text(response)
        else:
            _assert_denied(response, principal, vis)
            assert token not in _text(response)
    elif action == "linked":
        # A members-visible goal of the owner: its page lists only the linked entries one may see.
        goal = make_goal(w, LearningVisibility.MEMBERS, title="A shared goal")
        entry.goals.add(goal)
        response = client.get(reverse("goals:detail", args=[goal.pk]))
        assert response.status_code in (200, 302, 404)
        assert (token in _text(response)) is allowed
    elif action == "list":
        _assert_listed(client, w, token, allowed, shown_on={"cpd_log", "cpd_export"})
    elif action == "edit":
        data = {
            "title": "Rewritten by someone",
            "started_on": entry.started_on.isoformat(),
            "activity_type": "course",
            "hours": "2",
            "visibility": vis,
        }
        _get_and_post(client, reverse("cpd:edit", args=[entry.pk]), data, principal, allowed)
        entry.refresh_from_db()
        assert (entry.title == "Rewritten by someone" and entry.quarter_hours == 8) is allowed
        assert (entry.title.endswith(token) and entry.quarter_hours == 6) is not allowed
    elif action == "delete":
        _get_and_post(client, reverse("cpd:delete", args=[entry.pk]), {}, principal, allowed)
        assert CPDEntry.objects.filter(pk=entry.pk).exists() is not allowed
    elif action == "sweep":
        evidence = entry.evidence.get()
        urls = [
            (reverse("cpd:evidence_link", args=[entry.pk]), {"link-url": "https://example.org/x", "link-title": "x"}),
            (reverse("cpd:evidence_upload", args=[entry.pk]), {"file-title": "x"}),
            (reverse("cpd:evidence_remove", args=[entry.pk, evidence.pk]), {}),
        ]

        def snapshot():
            return list(CPDEvidence.objects.filter(entry=entry).values_list("pk", "title"))

        _sweep(client, urls, principal, allowed, snapshot)


def check_cpd_file(client, w, capture, vis, action, principal, allowed):
    entry = make_entry(w, vis)
    evidence = entry.evidence.get()
    response = client.get(reverse("cpd:evidence_file", args=[entry.pk, evidence.pk]))
    _assert_file(response, f"{TOKEN}cfilebytes", principal, allowed)


def check_assessment(client, w, capture, vis, action, principal, allowed):
    item = make_assessment(w, "members" if vis == "suspended" else vis)
    token = f"{TOKEN}assessment"
    if vis == "suspended":
        suspend_owner(w)
    if action == "view":
        response = client.get(reverse("skills:assessment", args=[item.pk]))
        if allowed:
            assert response.status_code == 200 and token in _text(response)
        else:
            _assert_denied(response, principal, vis)
            assert token not in _text(response)
    elif action == "list":
        url = reverse("skills:assessment", args=[item.pk])
        _assert_listed(client, w, f'href="{url}"', allowed, shown_on={"skills"})
    elif action == "edit":
        url = reverse("skills:assessment_visibility", args=[item.pk])
        response = client.post(url, {"visibility": LearningVisibility.PRIVATE})
        item.refresh_from_db()
        if allowed:
            assert response.status_code == 302 and item.visibility == LearningVisibility.PRIVATE
        else:
            _assert_denied(response, principal)
            assert item.visibility == LearningVisibility.MEMBERS
    else:
        _get_and_post(client, reverse("skills:assessment_delete", args=[item.pk]), {}, principal, allowed)
        assert Assessment.objects.filter(pk=item.pk).exists() is not allowed


def check_portfolio(client, w, capture, vis, action, principal, allowed):
    portfolio = make_portfolio(w)
    goal = make_goal(w, LearningVisibility.PRIVATE, title=f"Private goal {TOKEN}pgoal")
    portfolio_actions.add_record(portfolio=portfolio, kind="goal", record=goal)
    section = portfolio_actions.add_section(portfolio=portfolio, heading="About me", body="A statement.")
    token = f"{TOKEN}portfolio"
    args = [portfolio.pk]
    if action == "view":
        for name in ("portfolio:detail", "portfolio:preview"):
            response = client.get(reverse(name, args=args))
            if allowed:
                assert response.status_code == 200 and token in _text(response)
            else:
                _assert_denied(response, principal)
                assert token not in _text(response)
    elif action == "list":
        _assert_listed(client, w, token, allowed, shown_on={"portfolios"})
    elif action == "export":
        for name in ("portfolio:export_pdf", "portfolio:export_html", "portfolio:export_json"):
            response = client.get(reverse(name, args=args))
            if allowed:
                assert response.status_code == 200, name
                assert name.endswith("pdf") or f"{TOKEN}pgoal" in _text(response)
            else:
                _assert_denied(response, principal)
    elif action == "edit":
        data = {"title": "Rewritten by someone", "introduction": ""}
        _get_and_post(client, reverse("portfolio:edit", args=args), data, principal, allowed)
        portfolio.refresh_from_db()
        assert (portfolio.title == "Rewritten by someone") is allowed
    elif action == "delete":
        _get_and_post(client, reverse("portfolio:delete", args=args), {}, principal, allowed)
        assert Portfolio.objects.filter(pk=portfolio.pk).exists() is not allowed
    elif action == "sweep":
        for name in ("portfolio:add", "portfolio:share"):
            page = client.get(reverse(name, args=[*args, "goal"] if name == "portfolio:add" else args))
            assert page.status_code == 200 if allowed else True
            if not allowed:
                _assert_denied(page, principal)
        item_args = [portfolio.pk, section.pk]
        urls = [
            (reverse("portfolio:add_item", args=args), {"kind": "goal", "record": goal.pk}),
            (reverse("portfolio:add_section", args=args), {"heading": "More", "body": "Text."}),
            (reverse("portfolio:edit_item", args=item_args), {"heading": "Changed", "body": "Changed."}),
            (reverse("portfolio:move_item", args=item_args), {"direction": "up"}),
            (reverse("portfolio:share", args=args), {"label": "For my assessor", "days": 30}),
            (reverse("portfolio:remove_item", args=item_args), {}),
        ]

        def snapshot():
            return (
                list(PortfolioItem.objects.filter(portfolio=portfolio).values_list("pk", "position", "heading")),
                ShareLink.objects.filter(portfolio=portfolio).count(),
            )

        _sweep(client, urls, principal, allowed, snapshot)


def check_share_link(client, w, capture, vis, action, principal, allowed):
    portfolio = make_portfolio(w)
    link, secret = portfolio_actions.create_share_link(portfolio=portfolio, days=30)
    if vis == "expired":
        ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    elif vis == "revoked":
        portfolio_actions.revoke_share_link(link=link)
    elif vis == "unknown":
        secret = secret[:-4] + ("aaaa" if not secret.endswith("aaaa") else "bbbb")
    elif vis == "suspended":
        suspend_owner(w)
    token = f"{TOKEN}portfolio"
    if action == "view":
        for name in ("portfolio:shared", "portfolio:shared_pdf"):
            response = client.get(reverse(name, args=[secret]))
            if allowed:
                assert response.status_code == 200, name
                assert name.endswith("pdf") or token in _text(response)
            else:
                # The page needs no sign-in: everyone, visitors included, gets the same 404.
                assert response.status_code == 404, (name, response.status_code)
                assert token not in _text(response)
        return
    response = client.post(reverse("portfolio:revoke_link", args=[portfolio.pk, link.pk]))
    link.refresh_from_db()
    if allowed:
        assert response.status_code == 302 and link.revoked_at is not None
        assert client.get(reverse("portfolio:shared", args=[secret])).status_code == 404
    else:
        _assert_denied(response, principal)
        assert link.revoked_at is None


def check_plan(client, w, capture, vis, action, principal, allowed):
    plan = Plan.objects.create(owner=w.users["owner"], title=f"Plan {TOKEN}plan")
    make_goal(w, LearningVisibility.MEMBERS, title="A shared goal in a plan", plan=plan)
    token = f"{TOKEN}plan"
    if action == "view":
        response = client.get(reverse("goals:plan", args=[plan.pk]))
        if allowed:
            assert response.status_code == 200 and token in _text(response)
        else:
            _assert_denied(response, principal)
    elif action == "list":
        _assert_listed(client, w, token, allowed, shown_on={"goals"})
    elif action == "edit":
        data = {"title": "Rewritten by someone", "description": ""}
        _get_and_post(client, reverse("goals:plan_edit", args=[plan.pk]), data, principal, allowed)
        plan.refresh_from_db()
        assert (plan.title == "Rewritten by someone") is allowed
    else:
        _get_and_post(client, reverse("goals:plan_delete", args=[plan.pk]), {}, principal, allowed)
        assert Plan.objects.filter(pk=plan.pk).exists() is not allowed


def check_check_in(client, w, capture, vis, action, principal, allowed):
    record = StageCheckIn.objects.create(owner=w.users["owner"], stage="evaluation", answers={})
    url = reverse("pln:check_in_result", args=[record.pk])
    if action == "view":
        response = client.get(url)
        if allowed:
            assert response.status_code == 200
        else:
            _assert_denied(response, principal)
    else:
        _assert_listed(client, w, f'href="{url}"', allowed, shown_on={"balance", "check_in"})


def check_mentorship(client, w, capture, vis, action, principal, allowed):
    mentorship = w.mentorships[vis]
    pk = mentorship.pk
    urls = {
        "accept": reverse("learning:accept_mentorship", args=[pk]),
        "decline": reverse("learning:decline_mentorship", args=[pk]),
        "end": reverse("learning:end_mentorship", args=[pk]),
    }
    if action == "list":
        text = _text(client.get(reverse("learning:mentors")))
        assert any(f'action="{url}"' in text for url in urls.values()) is allowed
        return
    with capture(execute=True):
        response = client.post(urls[action])
    status = Mentorship.objects.get(pk=pk).status
    if allowed:
        assert response.status_code == 302
        expected = MentorshipStatus.ACTIVE if action == "accept" else MentorshipStatus.ENDED
        assert status == expected
    else:
        _assert_denied(response, principal)
        assert status == mentorship.status


def check_mentorship_notice(client, w, capture, vis, action, principal, allowed):
    shown = {
        "ask_pending": f"{TOKEN}askpending",
        "ask_active": f"{TOKEN}askactive",
        "accepted": f"{TOKEN}mentor agreed to be your mentor",
    }[vis]
    response = client.get(reverse("notifications:list"))
    if principal == "anonymous":
        _assert_denied(response, principal)
    else:
        assert response.status_code == 200
    assert (shown in _text(response)) is allowed


def check_search(client, w, capture, vis, action, principal, allowed):
    make_goal(w, vis, title=f"Goal {TOKEN}sgoal")
    make_entry(w, vis, title=f"Webinar {TOKEN}scpd")
    make_assessment(w, vis)
    for query in (f"{TOKEN}sgoal", f"{TOKEN}scpd", f"{TOKEN}assessment"):
        for params in ({"q": query}, {"q": query, "show": "posts", "sort": "relevance"}):
            response = client.get(reverse("search:search"), params)
            assert response.status_code == 200
            assert (query in _search_results(response)) is allowed, params


def check_notifications(client, w, capture, vis, action, principal, allowed):
    """Private records, and what their owner does with them, reach nobody's notifications."""
    owner = w.users["owner"]
    with capture(execute=True):
        goal = make_goal(w, vis, title=f"Goal {TOKEN}ngoal")
        entry = make_entry(w, vis, title=f"Webinar {TOKEN}ncpd", goals=[goal])
        goal_actions.set_goal_status(goal=goal, editor=owner, status="achieved")
        portfolio = make_portfolio(w)
        portfolio_actions.add_record(portfolio=portfolio, kind="cpd_entry", record=entry)
        portfolio_actions.create_share_link(portfolio=portfolio, days=7)
    response = client.get(reverse("notifications:list"))
    assert response.status_code in (200, 302)
    for token in (f"{TOKEN}ngoal", f"{TOKEN}ncpd", f"{TOKEN}portfolio"):
        assert (token in _text(response)) is allowed


CHECKS = {
    "goal": check_goal,
    "step": check_step,
    "reflection": check_reflection,
    "goal_file": check_goal_file,
    "cpd": check_cpd,
    "cpd_file": check_cpd_file,
    "assessment": check_assessment,
    "portfolio": check_portfolio,
    "share_link": check_share_link,
    "plan": check_plan,
    "check_in": check_check_in,
    "mentorship": check_mentorship,
    "mentorship_notice": check_mentorship_notice,
    "search": check_search,
    "notifications": check_notifications,
}


def _cases():
    for (obj, vis), actions in POLICY.items():
        for action, allowed_by in actions.items():
            for principal in PRINCIPALS:
                verdict = "allowed" if allowed_by[principal] else "denied"
                yield pytest.param(
                    obj,
                    vis,
                    action,
                    principal,
                    allowed_by[principal],
                    id=f"{obj}[{vis}]-{principal}-{action}-{verdict}",
                )


CASES = list(_cases())


def login(client, world: World, principal: str):
    user = world.principal(principal)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("obj", "vis", "action", "principal", "allowed"), CASES)
def test_the_learning_policy_table_holds_for(
    client, world, django_capture_on_commit_callbacks, obj, vis, action, principal, allowed
):
    login(client, world, principal)
    CHECKS[obj](client, world, django_capture_on_commit_callbacks, vis, action, principal, allowed)


def test_the_module_docstring_reports_the_number_of_generated_cases():
    assert f"Generated cases: {len(CASES)} " in __doc__
