"""Production settings pass Django's deploy checks, and the security headers and cookies hold."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

# core sits at the bottom layer, so its tests build users with Django's API, not the shared factories.
PASSWORD = "a long enough staff password"

PRODUCTION_ENV = {
    "RR_SITE_URL": "https://rr.example.org",
    "RR_HTTPS": "1",
    "RR_ALLOWED_HOSTS": "rr.example.org",
}


def run_with_production_env(tmp_path, *args: str) -> subprocess.CompletedProcess:
    # Nothing from the test run leaks in (conftest allows async-unsafe calls for Playwright).
    env = {k: v for k, v in os.environ.items() if not k.startswith("RR_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(PRODUCTION_ENV, RR_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="readingroom.settings")
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_checks_are_clean_under_production_settings(tmp_path):
    result = run_with_production_env(tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_make_cookies_secure_and_turn_on_hsts(tmp_path):
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ('DEBUG', 'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SILENCED_SYSTEM_CHECKS')}))"
    )
    result = run_with_production_env(tmp_path, "-c", script)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SILENCED_SYSTEM_CHECKS"] == []


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_unsafe_inline(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_signing_in_over_https_sets_a_secure_http_only_session_cookie(client, settings):
    settings.SESSION_COOKIE_SECURE = True  # what RR_HTTPS=1 sets (checked above)
    staff = get_user_model().objects.create_user(email="staff@example.org", password=PASSWORD, is_staff=True)
    response = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD}, secure=True)
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_an_unknown_address_gives_our_404_page_not_a_server_error(client):
    response = client.get("/no/such/page/here/")
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    assert b"<h1>Not found</h1>" in response.content


def test_an_unknown_address_gives_a_signed_in_member_our_404_page_too(member_client):
    response = member_client.get("/no/such/page/here/")
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
