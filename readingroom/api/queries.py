"""Read paths for personal access tokens."""

from __future__ import annotations

import hashlib

from readingroom.api.models import PersonalAccessToken

TOKEN_PREFIX = "rr_"  # noqa: S105 - marks our tokens, not a secret
TOKEN_MAX_LENGTH = 100  # anything longer is not one of ours; refuse before hashing


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def active_token(secret: str) -> PersonalAccessToken | None:
    """The unrevoked token of an active member for this secret, with its member loaded, or None.

    Found by its digest through a unique index: the secret has 256 bits of entropy, so there
    is nothing to learn from timing and no need to compare in constant time."""
    if not secret or len(secret) > TOKEN_MAX_LENGTH or not secret.startswith(TOKEN_PREFIX) or not secret.isascii():
        return None
    return (
        PersonalAccessToken.objects.select_related("user")
        .filter(token_hash=token_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def tokens_of(*, user) -> list[PersonalAccessToken]:
    """A member's tokens for the settings page, active first, newest first."""
    return list(PersonalAccessToken.objects.filter(user=user).order_by("revoked_at", "-id")[:200])


def active_token_count(*, user) -> int:
    return PersonalAccessToken.objects.filter(user=user, revoked_at__isnull=True).count()
