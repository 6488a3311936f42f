"""Personal access tokens: the settings page, the token's life, and what each scope may do."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from readingroom.api import actions
from readingroom.api.main import api
from readingroom.api.models import PersonalAccessToken
from readingroom.api.tests.conftest import ApiClient, token_for
from readingroom.posts.models import Post
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _create(client, name="My script", scope="read"):
    return client.post(reverse("api:tokens"), {"name": name, "scope": scope})


def _secret_in(response) -> str:
    return re.search(r'value="(rr_[A-Za-z0-9_-]+)"', response.content.decode()).group(1)


# --- The settings page ------------------------------------------------------------------------


def test_the_tokens_page_needs_a_signed_in_member(client):
    response = client.get(reverse("api:tokens"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_creating_a_token_shows_its_secret_once_and_stores_only_its_digest(member_client, member):
    response = _create(member_client, "Reading list script", "write")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = _secret_in(response)
    token = PersonalAccessToken.objects.get(user=member)
    assert token.name == "Reading list script" and token.scope == "write"
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix) and len(token.prefix) < len(secret) // 4
    assert secret not in str(PersonalAccessToken.objects.values().get())  # nowhere in the row
    listing = member_client.get(reverse("api:tokens")).content.decode()
    assert "Reading list script" in listing and token.prefix in listing and secret not in listing


def test_the_secret_has_256_bits_and_tokens_never_repeat(member):
    secrets = {actions.create_token(user=member, name=f"t{n}", scope="read").secret for n in range(5)}
    assert len(secrets) == 5
    assert all(len(s) == len("rr_") + 43 for s in secrets)


@pytest.mark.parametrize(
    ("name", "scope", "message"),
    [
        ("", "read", "Give the token a name"),
        ("n" * 101, "read", "at most 100 characters"),
        ("Fine", "admin", "Choose what the token may do."),
    ],
)
def test_a_bad_token_form_is_refused_with_a_message(member_client, member, name, scope, message):
    response = _create(member_client, name, scope)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PersonalAccessToken.objects.filter(user=member).exists()


def test_a_member_may_hold_at_most_twenty_active_tokens(member_client, member):
    for n in range(actions.MAX_ACTIVE_TOKENS):
        actions.create_token(user=member, name=f"t{n}", scope="read")
    response = _create(member_client, "One more")
    assert "revoke one you no longer use first" in response.content.decode()
    assert PersonalAccessToken.objects.filter(user=member).count() == actions.MAX_ACTIVE_TOKENS


def test_revoking_a_token_stops_it_at_once(member_client, member, client):
    secret = token_for(member, "read")
    token = PersonalAccessToken.objects.get(user=member)
    assert ApiClient(client, secret).get("me").status_code == 200

    response = member_client.post(reverse("api:revoke_token", args=[token.pk]))

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    answer = ApiClient(client, secret).get("me")
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "invalid_token"
    assert "Revoked" in member_client.get(reverse("api:tokens")).content.decode()


def test_a_member_cannot_revoke_someone_elses_token(member_client):
    other = UserFactory()
    token = actions.create_token(user=other, name="theirs", scope="read").token
    assert member_client.post(reverse("api:revoke_token", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_suspended_members_tokens_stop_working(member, client):
    secret = token_for(member, "write")
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert ApiClient(client, secret).get("me").status_code == 401


# --- Use ----------------------------------------------------------------------------------------


def test_last_used_is_recorded_at_most_every_five_minutes(member, client):
    secret = token_for(member, "read")
    api_client = ApiClient(client, secret)
    api_client.get("me")
    token = PersonalAccessToken.objects.get(user=member)
    first = token.last_used_at
    assert first is not None

    api_client.get("me")
    token.refresh_from_db()
    assert token.last_used_at == first  # not rewritten within five minutes

    PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=6))
    api_client.get("me")
    token.refresh_from_db()
    assert token.last_used_at > first


def test_a_member_using_only_a_token_counts_as_active(member, client):
    member.last_seen_at = timezone.now() - timedelta(days=30)
    member.save(update_fields=["last_seen_at"])
    ApiClient(client, token_for(member, "read")).get("timelines/home")
    member.refresh_from_db()
    assert member.last_seen_at > timezone.now() - timedelta(minutes=1)


@pytest.mark.parametrize(
    "header",
    ["Bearer rr_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 5000, "Token rr_abc"],
)
def test_a_bad_authorization_header_is_a_401_even_where_none_is_needed(client, header):
    response = client.get("/api/v1/timelines/local", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"
    assert response["WWW-Authenticate"].startswith("Bearer")


def _operations():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method.upper(), operation


WRITES = [(path, method) for path, method, _ in _operations() if method != "GET"]
READS = [(path, method) for path, method, _ in _operations() if method == "GET"]


@pytest.mark.parametrize(("path", "method"), WRITES, ids=[f"{m} {p}" for p, m in WRITES])
def test_a_read_token_may_not_call_any_write(member, client, path, method):
    post = Post.objects.create(author=member, body="Mine", body_html="<p>Mine</p>")
    url = path.replace("{post_id}", str(post.pk)).replace("{handle}", member.profile.handle)
    url = url.replace("{request_id}", "1").replace("{name}", "books")
    url = re.sub(r"\{[^}]+\}", "1", url)  # other ids: the scope is checked before the object is looked up
    response = client.generic(
        method, url, "{}", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token_for(member, 'read')}"
    )
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "insufficient_scope" and error["required_scope"] == "write"
    assert Post.objects.filter(pk=post.pk, body="Mine").exists()


@pytest.mark.parametrize(("path", "method"), WRITES, ids=[f"{m} {p}" for p, m in WRITES])
def test_every_write_declares_a_403_and_needs_a_member(path, method):
    operation = next(op for p, m, op in _operations() if (p, m) == (path, method))
    assert {401, 403, 422, 429} <= {int(code) for code in operation["responses"]}
    assert {} not in operation["security"]  # no anonymous access


@pytest.mark.parametrize(("path", "method"), READS, ids=[f"{m} {p}" for p, m in READS])
def test_every_read_works_with_a_read_token(member, client, path, method):
    Post.objects.create(author=member, body="Mine", body_html="<p>Mine</p>")
    url = path.replace("{post_id}", str(Post.objects.get().pk)).replace("{handle}", member.profile.handle)
    url = url.replace("{name}", "books")
    if path.startswith("/api/v1/groups/"):
        records = _own_group(member)
    elif path.startswith("/api/v1/conversations/"):
        records = _own_conversation(member)
    else:
        records = _own_learning_records(member)
    for name, value in records.items():
        url = url.replace("{" + name + "}", str(value))
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token_for(member, 'read')}")
    assert response.status_code == 200, response.content


def _own_conversation(member) -> dict:
    """A conversation the member started, with one message in it."""
    from readingroom.messaging import actions as messaging_actions
    from readingroom.testing.factories import UserFactory

    conversation = messaging_actions.start_conversation(sender=member, recipients=[UserFactory()], body="Hello")
    return {"conversation_id": conversation.pk}


def _own_group(member) -> dict:
    """A group the member owns (so its moderators' lists are theirs to read) and a link to it."""
    from readingroom.discussions import actions as discussion_actions
    from readingroom.groups import actions as group_actions

    group = group_actions.create_group(creator=member, name="My group", privacy="private")
    _, token = group_actions.create_invitation(actor=member, group=group)
    topic = discussion_actions.start_topic(author=member, group=group, title="My topic", body="Mine")
    return {"slug": group.slug, "token": token, "topic_id": topic.pk, "number": 1}


def _own_learning_records(member) -> dict:
    """One of each learning record the member owns, by the path parameter that names it."""
    from readingroom.cpd import actions as cpd_actions
    from readingroom.goals import actions as goal_actions
    from readingroom.goals import plan_actions
    from readingroom.goals.models import PlanTemplate
    from readingroom.portfolio import actions as portfolio_actions
    from readingroom.skills import actions as skill_actions
    from readingroom.skills.models import SkillFramework

    framework = SkillFramework.objects.get(is_default=True)
    area = framework.areas.filter(parent__isnull=True).first()
    assessment = skill_actions.create_assessment(
        owner=member, framework=framework, areas=[area], levels={area.pk: (1, 3)}
    )
    template = PlanTemplate.objects.filter(published=True).first()
    plan = plan_actions.start_plan(template=template, owner=member)
    goal = goal_actions.create_goal(owner=member, title="A goal")
    entry = cpd_actions.create_entry(
        owner=member,
        data=cpd_actions.EntryData(
            title="A webinar", started_on=timezone.localdate(), activity_type="webinar", quarter_hours=4
        ),
    )
    portfolio = portfolio_actions.create_portfolio(owner=member, title="Mine")
    return {
        "slug": framework.slug,
        "assessment_id": assessment.pk,
        "goal_id": goal.pk,
        "plan_id": plan.pk,
        "template_id": template.pk,
        "entry_id": entry.pk,
        "portfolio_id": portfolio.pk,
    }


# --- Sessions -----------------------------------------------------------------------------------


def test_a_signed_in_browser_may_read_with_its_session(member_client, member):
    response = member_client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["account"]["email"] == member.email
    assert response.json()["token_scope"] is None


def test_a_session_write_needs_the_csrf_token(member, client):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    page = browser.get(reverse("api:tokens"))  # any page sets the CSRF cookie
    csrf = page.cookies["csrftoken"].value

    refused = browser.post("/api/v1/posts", '{"body": "Hi"}', content_type="application/json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
    accepted = browser.post("/api/v1/posts", '{"body": "Hi"}', content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 201


# --- Rate limits --------------------------------------------------------------------------------


def test_a_token_past_its_request_limit_gets_a_429_with_retry_after(member, client, settings, monkeypatch):
    settings.RR_RATE_LIMITS_ENABLED = True
    cache.clear()
    monkeypatch.setattr("readingroom.api.auth.REQUESTS_PER_WINDOW", 3)
    api_client = ApiClient(client, token_for(member, "read"))
    assert [api_client.get("timelines/local").status_code for _ in range(3)] == [200, 200, 200]

    response = api_client.get("timelines/local")

    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "rate_limited" and error["retry_after"] > 0
    assert response["Retry-After"] == str(error["retry_after"])
    # Another token of another member has its own bucket.
    assert ApiClient(client, token_for(UserFactory(), "read")).get("timelines/local").status_code == 200


def test_posting_through_the_api_shares_the_pages_posting_limit(member, member_client, client, settings):
    settings.RR_RATE_LIMITS_ENABLED = True
    cache.clear()
    for n in range(30):
        assert (
            member_client.post(reverse("posts:create"), {"body": f"Post {n}", "visibility": "public"}).status_code
            == 302
        )
    response = ApiClient(client, token_for(member, "write")).post("posts", {"body": "One more"})
    assert response.status_code == 429 and response.json()["error"]["code"] == "rate_limited"


def test_the_tokens_page_is_in_the_settings_navigation(member_client):
    page = member_client.get(reverse("accounts:account")).content.decode()
    assert f'href="{reverse("api:tokens")}"' in page
    tokens_page = member_client.get(reverse("api:tokens")).content.decode()
    assert f'<a href="{reverse("api:tokens")}" aria-current="page">API tokens</a>' in tokens_page
