"""The registry of notification kinds. Higher apps register theirs in `AppConfig.ready()`, so an
app adds a kind without this app (or any other) knowing about it. See docs/adr/0008-notifications.md.

A kind says how its notifications group, how they are delivered by default, and provides two
hooks, because only the app that owns a subject knows who may still see it and how to name it:

- `load(viewer, notifications)`: bulk-load the subjects of a page of notifications (one query
  per loader, however many notifications), set `notification.subject`, and return only those the
  viewer may still see. It may also narrow `notification.actors` (e.g. to profiles the viewer may
  see). Kinds that share one loader function are loaded together, in one call.
- `describe(viewer, notification)`: text, link and a short excerpt, from what `load` attached.
  It must not query the database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from readingroom.notifications.models import Notification


class Delivery(models.TextChoices):
    """How a member wants one kind of notification. Every choice but OFF shows it in the app."""

    IN_APP = "in_app", "In the app only"
    EMAIL = "email", "In the app, and by email at once"
    DIGEST = "digest", "In the app, and in the email digest"
    OFF = "off", "Off"


class Grouping(Enum):
    """How new activity joins an existing notification row (Mastodon/GitHub-style groups)."""

    NONE = "none"  # one notification per subject (a mention, a reply)
    SUBJECT = "subject"  # every actor on the same subject shares one row ("Ana and 4 others liked…")
    DAY = "day"  # one row per UTC day, whatever the subject ("Ana and 2 others followed you")


@dataclass(frozen=True)
class Description:
    text: str  # plain text, e.g. "Ana Example and 4 others liked your post"
    url: str  # the subject's page (a site path)
    excerpt: str = ""  # a short plain-text quote of the subject, or ""


Loader = Callable[[Any, Sequence["Notification"]], list["Notification"]]
Describer = Callable[[Any, "Notification"], Description]


@dataclass(frozen=True)
class Kind:
    slug: str  # stored on each row: at most 30 characters, never renamed
    label: str  # plural, for tabs and settings: "Mentions"
    default_delivery: Delivery
    grouping: Grouping
    load: Loader
    describe: Describer
    help_text: str = ""  # for the settings page: "When someone @mentions you in a post"


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind. Registering the same slug twice with a different definition is a bug."""
    if len(kind.slug) > 30 or not kind.slug.replace("_", "").isalnum():
        raise ValueError(f"Notification kind slug {kind.slug!r} must be 1-30 letters, digits or underscores")
    existing = _KINDS.get(kind.slug)
    if existing is not None and existing != kind:
        raise ValueError(f"Notification kind {kind.slug!r} is already registered")
    _KINDS[kind.slug] = kind
    return kind


def get(slug: str) -> Kind | None:
    return _KINDS.get(slug)


def all_kinds() -> list[Kind]:
    """Every registered kind, in registration order (the order of tabs and settings)."""
    return list(_KINDS.values())


def unregister(slug: str) -> None:
    """For tests that register a kind of their own."""
    _KINDS.pop(slug, None)


# --- Helpers for describe hooks ----------------------------------------------------------------


def actors_text(notification: Notification) -> str:
    """ "Ana", "Ana and Ben", or "Ana and 4 others" from the latest visible actors."""
    names = [a.display_name for a in notification.actors]
    total = max(getattr(notification, "actor_total", len(names)), len(names))
    if not names:
        return "Someone"
    if total == 1:
        return names[0]
    if total == 2 and len(names) >= 2:
        return f"{names[0]} and {names[1]}"
    others = total - 1
    return f"{names[0]} and {others} other{'' if others == 1 else 's'}"


def excerpt(text: str, limit: int = 140) -> str:
    """A short one-line quote of member text for lists and emails."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
