"""Authentication hardening and rate limits, with the limits switched ON (tests normally run
without them; see conftest.py)."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from readingroom import settings as project_settings
from readingroom.posts.models import Post
from readingroom.testing.factories import PASSWORD, UserFactory


@pytest.fixture
def limits_on(settings):
    settings.RR_RATE_LIMITS_ENABLED = True
    settings.ACCOUNT_RATE_LIMITS = project_settings.ACCOUNT_RATE_LIMITS
    assert settings.ACCOUNT_RATE_LIMITS, "the project's own limits must be configured"
    cache.clear()
    return settings


def _assert_friendly_429(response) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Slow down" in page and "try again in" in page


@pytest.mark.django_db
def test_posting_past_the_limit_answers_429_with_retry_after_and_a_friendly_page(limits_on, member_client, member):
    url = reverse("posts:create")
    for n in range(30):
        assert member_client.post(url, {"body": f"Post {n}", "visibility": "public"}).status_code == 302
    response = member_client.post(url, {"body": "One too many", "visibility": "public"})
    _assert_friendly_429(response)
    assert not Post.objects.filter(body="One too many").exists()


@pytest.mark.django_db
def test_following_past_the_limit_answers_429(limits_on, member_client):
    people = UserFactory.create_batch(101)
    for person in people[:100]:
        response = member_client.post(reverse("network:follow", args=[person.profile.handle]))
        assert response.status_code == 302
    _assert_friendly_429(member_client.post(reverse("network:follow", args=[people[100].profile.handle])))


def _signup(client, n: int):
    data = {
        "display_name": f"New {n}",
        "handle": f"newcomer_{n}",
        "email": f"newcomer{n}@example.org",
        "password1": "a long and unusual passphrase",
        "password2": "a long and unusual passphrase",
        "accept_conduct": "on",
    }
    return client.post(reverse("account_signup"), data, REMOTE_ADDR="203.0.113.9")


@pytest.mark.django_db
def test_sign_up_past_five_per_half_hour_from_one_address_answers_429(limits_on, client):
    for n in range(5):
        assert _signup(client, n).status_code == 302
        client.logout()
    response = _signup(client, 5)
    assert response.status_code == 429


def _verified_member():
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _login(client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR="198.51.100.7")


@pytest.mark.django_db
def test_failed_logins_are_throttled_with_a_cool_off_never_a_permanent_lock(limits_on, client):
    """allauth counts failed logins per account (5 per 5 minutes) in the cache. Once over, even the
    right password is refused with a message; when the window passes (simulated by clearing the
    cache, where the counters live) the owner signs in again. Nothing is stored on the account."""
    user = _verified_member()
    for _ in range(5):
        response = _login(client, user.email, "wrong password, sorry")
        assert response.status_code == 200 and SESSION_KEY not in client.session
    refused = _login(client, user.email, PASSWORD)
    assert SESSION_KEY not in client.session
    assert refused.status_code in (200, 429)
    assert "too many" in refused.content.decode().lower()
    user.refresh_from_db()
    assert user.is_active  # no lock on the account itself

    cache.clear()  # the cool-off window has passed
    fresh = Client()
    response = _login(fresh, user.email, PASSWORD)
    assert response.status_code == 302
    assert fresh.session[SESSION_KEY] == str(user.pk)


@pytest.mark.django_db
def test_the_session_key_changes_at_login(client):
    user = _verified_member()
    client.get(reverse("account_login"))
    session = client.session
    session["before_login"] = True
    session.save()
    before = client.session.session_key
    response = _login(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert client.session.session_key != before


@pytest.mark.django_db
def test_logout_needs_a_post(member_client, member):
    response = member_client.get(reverse("account_logout"))
    assert SESSION_KEY in member_client.session  # a GET (e.g. an <img src>) cannot sign anyone out
    assert response.status_code in (200, 405)
    member_client.post(reverse("account_logout"))
    assert SESSION_KEY not in member_client.session


@pytest.mark.django_db
def test_csrf_is_enforced_on_posts(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(reverse("posts:create"), {"body": "Forged", "visibility": "public"})
    assert response.status_code == 403
    assert not Post.objects.filter(body="Forged").exists()
    follow = client.post(reverse("network:follow", args=[UserFactory().profile.handle]))
    assert follow.status_code == 403


@pytest.mark.django_db
def test_csrf_token_from_the_page_lets_a_real_form_post(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    client.get(reverse("posts:create"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("posts:create"), {"body": "Genuine", "visibility": "public", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short pass", "too short"),  # 10 characters
        ("elevenchars", "too short"),
        ("password1234", "too common"),
        ("qwertyuiop123", "too common"),
        ("123456789012", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused_at_sign_up(client, password, reason):
    data = {
        "display_name": "Weak",
        "handle": "weak_password",
        "email": "weak@example.org",
        "password1": password,
        "password2": password,
        "accept_conduct": "on",
    }
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not Post.objects.exists()
    from readingroom.accounts.models import User

    assert not User.objects.filter(email="weak@example.org").exists()
