"""Who is calling: a personal access token, a signed-in browser session, or nobody.

Each operation lists the ways it accepts (ninja tries them in order). A Bearer header is always
decisive: a bad or revoked token is a 401, never a quiet fall-back to the session or to anonymous.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from readingroom.api import actions, queries
from readingroom.api.errors import ApiError
from readingroom.api.models import PersonalAccessToken
from readingroom.core.ratelimit import check_rate
from readingroom.posts.middleware import SEEN_RESOLUTION
from readingroom.posts.timeline import note_member_seen

# Every caller that is someone gets one bucket for all API requests (writes also count against
# the same per-member limits as the pages: posting, following, editing the profile).
REQUESTS_PER_WINDOW = 300
WINDOW_SECONDS = 300
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@dataclass(frozen=True)
class Principal:
    user: Any  # a User, or AnonymousUser
    token: PersonalAccessToken | None = None

    @property
    def is_member(self) -> bool:
        return self.user.is_authenticated


def _seen(user) -> None:
    """What ActivityMiddleware does for a session: a member using only an app is still active,
    so fan-out keeps filling their home timeline."""
    now = timezone.now()
    if user.last_seen_at is None or now - user.last_seen_at > SEEN_RESOLUTION:
        note_member_seen(user=user, now=now)


class BearerToken(HttpBearer):
    """Authorization: Bearer rr_…; `write=True` on operations that change anything."""

    def __init__(self, *, write: bool = False):
        self.write = write
        super().__init__()

    def __call__(self, request) -> Principal | None:
        header = request.headers.get("Authorization")
        if not header:
            return None
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer":
            raise ApiError(401, "invalid_token", "Send a personal access token as: Authorization: Bearer <token>.")
        return self.authenticate(request, secret.strip())

    def authenticate(self, request, token: str) -> Principal:
        found = queries.active_token(token)
        if found is None:
            raise ApiError(401, "invalid_token", "This token is not valid: it may be mistyped or revoked.")
        if self.write and not found.can_write:
            raise ApiError(
                403,
                "insufficient_scope",
                "This token may only read. Create a token with the write scope in Settings → API tokens.",
                required_scope="write",
            )
        check_rate("api", f"token:{found.pk}", limit=REQUESTS_PER_WINDOW, period=WINDOW_SECONDS)
        actions.note_token_used(token=found)
        _seen(found.user)
        request.user = found.user
        return Principal(user=found.user, token=found)


class SessionCookie(APIKeyCookie):
    """The member signed in to the site in this browser (same-site use, e.g. the docs page).
    Writes need Django's CSRF token in the X-CSRFToken header, as every form on the site does."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request) -> Principal | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise ApiError(
                403, "csrf_failed", "The CSRF check failed: send the X-CSRFToken header with session requests."
            )
        check_rate("api", f"user:{user.pk}", limit=REQUESTS_PER_WINDOW, period=WINDOW_SECONDS)
        return Principal(user=user)

    def authenticate(self, request, key):  # pragma: no cover - __call__ does the work
        return None


def anonymous(request) -> Principal:
    """Last in the list of operations anyone may call: no credentials, a visitor's view."""
    return Principal(user=AnonymousUser())


# The ways each kind of operation accepts, in order.
ANYONE = [BearerToken(), SessionCookie(), anonymous]
MEMBER_READ = [BearerToken(), SessionCookie()]
MEMBER_WRITE = [BearerToken(write=True), SessionCookie()]
