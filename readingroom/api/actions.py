"""Every write to personal access tokens: create, revoke, note use."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from readingroom.accounts.models import User
from readingroom.api import queries
from readingroom.api.models import PersonalAccessToken, Scope

MAX_ACTIVE_TOKENS = 20
NAME_MAX_LENGTH = 100
USE_RESOLUTION = timedelta(minutes=5)


@dataclass(frozen=True)
class NewToken:
    token: PersonalAccessToken
    secret: str  # shown to the member once, never stored


@transaction.atomic
def create_token(*, user, name: str, scope: str) -> NewToken:
    """Make a token; the returned secret is the only copy there will ever be."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("Give the token a name, e.g. the app or script that will use it.", code="required")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(f"A token name is at most {NAME_MAX_LENGTH} characters.", code="max_length")
    if scope not in Scope.values:
        raise ValidationError("Choose what the token may do.", code="scope")
    # Counted under a lock on the member's row, so two racing requests cannot both pass the cap.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    if queries.active_token_count(user=user) >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            f"You have {MAX_ACTIVE_TOKENS} tokens already: revoke one you no longer use first.", code="too_many"
        )
    secret = queries.TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PersonalAccessToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        prefix=secret[: len(queries.TOKEN_PREFIX) + 6],
        token_hash=queries.token_digest(secret),
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def revoke_token(*, user, token_id: int) -> bool:
    """Revoke one of the member's own tokens. False when there is no such active token."""
    updated = PersonalAccessToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return bool(updated)


def note_token_used(*, token: PersonalAccessToken, now=None) -> None:
    """Record use at most every USE_RESOLUTION: one conditional UPDATE, skipped in between."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < USE_RESOLUTION:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - USE_RESOLUTION)
    PersonalAccessToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
