"""Every read of notifications: the list page, the header count, one notification, preferences.

A page costs a constant number of queries: the rows, their latest visible actors (one windowed
query), and one query per subject loader (posts' kinds share one, network's kinds another).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from readingroom.accounts.models import Block, Mute
from readingroom.core.pagination import Page
from readingroom.core.prepared import PreparedQuery
from readingroom.notifications import kinds
from readingroom.notifications.kinds import Delivery
from readingroom.notifications.models import Notification, NotificationActor, NotificationPreference, QuietHours
from readingroom.notifications.quiet_hours import member_zone, quiet_until

# The badge says "99+" beyond this: counting further would only cost time.
UNREAD_CAP = 100
ACTORS_SHOWN = 3
# Hidden subjects (deleted posts, blocks) leave a page short; read at most this many batches.
CANDIDATE_ROUNDS = 3


@dataclass(frozen=True)
class Actor:
    user_id: int
    handle: str
    display_name: str


def visible_actor_q(viewer_id: int, *, actor: str = "actor") -> Q:
    """Actors who may still notify the viewer: active, not blocked either way, not muted by them."""
    return (
        Q(**{f"{actor}__is_active": True})
        & ~Q(**{f"{actor}__in": Block.objects.filter(blocker_id=viewer_id).values("blocked_id")})
        & ~Q(**{f"{actor}__in": Block.objects.filter(blocked_id=viewer_id).values("blocker_id")})
        & ~Q(**{f"{actor}__in": Mute.objects.filter(muter_id=viewer_id).values("muted_id")})
    )


def _rows(viewer) -> QuerySet[Notification]:
    """The viewer's notifications of registered kinds that still have a visible actor."""
    return _rows_for(viewer.pk)


def _rows_for(viewer_id: int) -> QuerySet[Notification]:
    visible = NotificationActor.objects.filter(notification=OuterRef("pk")).filter(visible_actor_q(viewer_id))
    slugs = [k.slug for k in kinds.all_kinds()]
    return Notification.objects.filter(recipient_id=viewer_id, kind__in=slugs).filter(Exists(visible))


# Every signed-in page shows the count: the query is compiled once per process and thread and
# replayed (building it with the ORM took more time than a whole timeline query).
_UNREAD = PreparedQuery(
    lambda viewer_id, _ids: _rows_for(viewer_id).filter(read_at__isnull=True).only("pk").order_by()[:UNREAD_CAP]
)


def unread_count(viewer) -> int:
    """Unread notifications, counted up to UNREAD_CAP: one indexed query."""
    if viewer is None or not viewer.is_authenticated:
        return 0
    # The registered kinds and the cap are compiled into the query, so they are part of its key.
    key = ("unread", tuple(k.slug for k in kinds.all_kinds()), UNREAD_CAP)
    return len(_UNREAD.fetch(key=key, viewer_pk=viewer.pk, ids=[0]))


def badge_label(count: int) -> str:
    return f"{UNREAD_CAP - 1}+" if count >= UNREAD_CAP else str(count)


def attach_actors(viewer, notifications: Sequence[Notification]) -> None:
    """Set `actors` (the latest few visible actors, newest first) and `actor_total` on each."""
    by_id = {n.pk: n for n in notifications}
    for n in notifications:
        n.actors, n.actor_total = [], 0
    if not by_id:
        return
    latest_first = Window(RowNumber(), partition_by=[F("notification_id")], order_by=F("id").desc())
    total = Window(Count("id"), partition_by=[F("notification_id")])
    rows = (
        NotificationActor.objects.filter(notification_id__in=list(by_id))
        .filter(visible_actor_q(viewer.pk))
        .annotate(rank=latest_first, total=total)
        .filter(rank__lte=ACTORS_SHOWN)
        .order_by("notification_id", "rank")
        .values_list("notification_id", "actor_id", "actor__profile__handle", "actor__profile__display_name", "total")
    )
    for notification_id, actor_id, handle, name, count in rows:
        n = by_id[notification_id]
        n.actors.append(Actor(actor_id, handle or "", name or handle or "A member"))
        n.actor_total = count


def decorate(viewer, notifications: Sequence[Notification]) -> list[Notification]:
    """Actors, subjects and descriptions for notifications; drops those the viewer may no longer see."""
    attach_actors(viewer, notifications)
    candidates = [n for n in notifications if n.actors and kinds.get(n.kind) is not None]
    visible: set[int] = set()
    by_loader: dict[object, list[Notification]] = {}
    for n in candidates:
        by_loader.setdefault(kinds.get(n.kind).load, []).append(n)
    for load, group in by_loader.items():
        visible.update(id(n) for n in load(viewer, group) if n.actors)
    shown = [n for n in candidates if id(n) in visible]
    for n in shown:
        n.description = kinds.get(n.kind).describe(viewer, n)
    return shown


def notification_page(*, viewer, kind: str | None = None, before: int | None = None) -> Page[Notification]:
    """The viewer's notifications, latest activity first, keyset-paged by position (never OFFSET)."""
    size = settings.RR_PAGE_SIZE
    rows = _rows(viewer)
    if kind:
        rows = rows.filter(kind=kind)
    shown: list[Notification] = []
    cursor, want = before, size + 1
    for _ in range(CANDIDATE_ROUNDS):
        batch = rows if cursor is None else rows.filter(position__lt=cursor)
        candidates = list(batch.order_by("-position")[:want])
        shown += decorate(viewer, candidates)
        if len(shown) > size:
            shown = shown[:size]
            return Page(shown, shown[-1].position)
        if len(candidates) < want:
            return Page(shown, None)
        cursor, want = candidates[-1].position, min(want * 2, 200)
    return Page(shown, cursor)


def notification_for(viewer, pk: int) -> Notification | None:
    """One of the viewer's own notifications, decorated, or None if it is not theirs or not visible."""
    if viewer is None or not viewer.is_authenticated:
        return None
    found = _rows(viewer).filter(pk=pk).first()
    shown = decorate(viewer, [found]) if found else []
    return shown[0] if shown else None


def delivery_for(member_id: int, kind: kinds.Kind) -> str:
    chosen = NotificationPreference.objects.filter(member_id=member_id, kind=kind.slug).values_list("delivery")
    row = chosen.first()
    return row[0] if row else kind.default_delivery


def deliveries(member) -> dict[str, str]:
    """The member's delivery for every registered kind (their choice, else the kind's default)."""
    chosen = dict(NotificationPreference.objects.filter(member_id=member.pk).values_list("kind", "delivery"))
    return {k.slug: chosen.get(k.slug, k.default_delivery) for k in kinds.all_kinds()}


def quiet_hours(member) -> QuietHours | None:
    return QuietHours.objects.filter(member_id=member.pk).first()


def email_quiet_until(member_id: int, *, now: datetime) -> datetime | None:
    """When the member's quiet hours end, if `now` falls inside them (in their own time zone)."""
    row = (
        QuietHours.objects.filter(member_id=member_id)
        .annotate(zone=F("member__profile__time_zone"))
        .values_list("start", "end", "zone")
        .first()
    )
    if row is None:
        return None
    start, end, zone = row
    return quiet_until(now=now, start=start, end=end, zone=member_zone(zone))


def _wanted_in_digest_q() -> Q:
    """Notifications of a kind their recipient wants in the digest (by choice, or by default)."""
    digest_by_default = [k.slug for k in kinds.all_kinds() if k.default_delivery == Delivery.DIGEST]
    chosen = NotificationPreference.objects.filter(member_id=OuterRef("recipient_id"), kind=OuterRef("kind"))
    return Exists(chosen.filter(delivery=Delivery.DIGEST)) | (Q(kind__in=digest_by_default) & ~Exists(chosen))


def members_wanting_digest_items(*, since: datetime) -> QuerySet:
    """Ids of active members with unread notifications since `since` of a kind they want in the
    digest (by choice, or by the kind's default). For the digest task, built separately."""
    return (
        Notification.objects.filter(read_at__isnull=True, updated_at__gte=since, recipient__is_active=True)
        .filter(_wanted_in_digest_q())
        .values_list("recipient_id", flat=True)
        .distinct()
    )


def digest_notifications(
    member, *, since: datetime, until: datetime, exclude_kinds: Sequence[str] = (), limit: int = 10
) -> list[Notification]:
    """The member's unread notifications with activity in [since, until) of kinds they want in the
    digest, latest first, decorated (text, link) and only those they may still see."""
    rows = (
        _rows(member)
        .filter(read_at__isnull=True, updated_at__gte=since, updated_at__lt=until)
        .exclude(kind__in=list(exclude_kinds))
        .filter(_wanted_in_digest_q())
        .order_by("-position")[:limit]
    )
    return decorate(member, list(rows))
