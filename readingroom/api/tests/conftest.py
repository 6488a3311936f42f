import json

import pytest

from readingroom.api import actions
from readingroom.core.models import Visibility
from readingroom.posts import actions as post_actions
from readingroom.testing.factories import UserFactory


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "fuzz: schemathesis against the API (minutes of CPU; deselect with -m 'not fuzz' while working)"
    )


class ApiClient:
    """Django's test client speaking JSON to /api/v1/ with a Bearer token (or none)."""

    def __init__(self, client, secret: str | None = None):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}

    def _call(self, method: str, path: str, data=None, **extra):
        url = path if path.startswith("/") else f"/api/v1/{path}"
        kwargs = {**self.headers, **extra}
        if data is not None:
            kwargs.update(data=json.dumps(data), content_type="application/json")
        return getattr(self.client, method)(url, **kwargs)

    def get(self, path, params=None, **extra):
        url = path if path.startswith("/") else f"/api/v1/{path}"
        return self.client.get(url, params or {}, **{**self.headers, **extra})

    def post(self, path, data=None, **extra):
        return self._call("post", path, data, **extra)

    def patch(self, path, data=None, **extra):
        return self._call("patch", path, data, **extra)

    def put(self, path, data=None, **extra):
        return self._call("put", path, data, **extra)

    def delete(self, path, **extra):
        return self._call("delete", path, **extra)


def token_for(user, scope: str = "write") -> str:
    return actions.create_token(user=user, name=f"{scope} token", scope=scope).secret


@pytest.fixture
def api_for(client):
    """api_for(user, scope="write") → an ApiClient holding a new token of that member; api_for(None) → anonymous."""

    def make(user=None, scope: str = "write") -> ApiClient:
        return ApiClient(client, token_for(user, scope) if user is not None else None)

    return make


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    def _publish(author, body="Hello, reading room", visibility=Visibility.PUBLIC, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post_actions.create_post(author=author, body=body, visibility=visibility, **kwargs)

    return _publish


@pytest.fixture
def ada(db):
    return UserFactory(profile__handle="ada", profile__display_name="Ada Lovelace")


@pytest.fixture
def bob(db):
    return UserFactory(profile__handle="bob", profile__display_name="Bob Binder")
