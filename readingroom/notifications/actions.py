"""Every write to notifications: notify, mark read, forget, and members' preferences.

Higher apps call `notify` on commit of their own actions (a like, a follow), and the forget_*
actions inside their transactions (a deleted post, a block), so a notification never outlives
what it is about.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from readingroom.accounts.models import Mute, User
from readingroom.accounts.queries import is_blocked_either_way
from readingroom.notifications import emails, kinds, queries
from readingroom.notifications.kinds import Delivery, Grouping
from readingroom.notifications.models import Notification, NotificationActor, NotificationPreference, QuietHours

# Rows kept per member; older groups are dropped as new ones arrive.
KEPT_PER_MEMBER = 1000


def _group_subject(kind: kinds.Kind, subject_id: int, now: datetime) -> int:
    if kind.grouping is Grouping.DAY:
        return int(now.timestamp()) // 86400  # the UTC day number
    return subject_id


def _may_notify(recipient: User, actor: User) -> bool:
    """Never oneself; never across a block (either way) or from someone the recipient mutes.
    Both must be active members with a profile (an account without one has not joined yet)."""
    if recipient.pk == actor.pk or not (recipient.is_active and actor.is_active):
        return False
    if getattr(recipient, "profile", None) is None or getattr(actor, "profile", None) is None:
        return False
    if is_blocked_either_way(recipient, actor):
        return False
    return not Mute.objects.filter(muter_id=recipient.pk, muted_id=actor.pk).exists()


@transaction.atomic
def notify(*, kind: str, recipient_id: int, actor_id: int, subject_id: int = 0) -> Notification | None:
    """Tell a member that `actor` did something (of `kind`) about `subject_id`.

    Joins the existing group when the kind groups, makes it unread and moves it to the top;
    emails on commit when the member wants this kind by email and the group was not already
    unread. Returns the notification, or None when nothing is to be shown.
    """
    spec = kinds.get(kind)
    if spec is None:
        raise ValueError(f"Unknown notification kind {kind!r}")
    if recipient_id == actor_id:
        return None
    delivery = queries.delivery_for(recipient_id, spec)
    if delivery == Delivery.OFF:
        return None
    users = {u.pk: u for u in User.objects.select_related("profile").filter(pk__in=[recipient_id, actor_id])}
    recipient, actor = users.get(recipient_id), users.get(actor_id)
    if recipient is None or actor is None or not _may_notify(recipient, actor):
        return None
    now = timezone.now()
    group_subject = _group_subject(spec, subject_id, now)
    if not _recipient_may_see(spec, recipient, actor, group_subject):
        return None
    group, created = Notification.objects.get_or_create(
        recipient=recipient, kind=kind, subject_id=group_subject, defaults={"created_at": now, "updated_at": now}
    )
    if not created and spec.grouping is Grouping.NONE:
        return group  # already told (e.g. the same mention again)
    was_unread = not created and group.read_at is None
    _add_latest_actor(group, actor, now)
    if created:
        _trim(recipient.pk)
    if delivery == Delivery.EMAIL and not was_unread:
        transaction.on_commit(lambda: emails.schedule_email(notification_id=group.pk, recipient_id=recipient.pk))
    return group


def _recipient_may_see(spec: kinds.Kind, recipient: User, actor: User, subject_id: int) -> bool:
    """The app that owns the subject decides, through its loader, as it will for the list page."""
    probe = Notification(recipient=recipient, kind=spec.slug, subject_id=subject_id)
    probe.actors = [queries.Actor(actor.pk, actor.profile.handle, actor.profile.display_name)]
    return bool(spec.load(recipient, [probe]))


def _add_latest_actor(group: Notification, actor: User, now: datetime) -> None:
    """Re-acting replaces the actor's row, so the group's position (its latest row id) moves up
    and it becomes unread, whoever acted."""
    NotificationActor.objects.filter(notification=group, actor=actor).delete()
    latest = NotificationActor.objects.create(notification=group, actor=actor, created_at=now)
    Notification.objects.filter(pk=group.pk).update(position=latest.pk, updated_at=now, read_at=None)
    group.position, group.updated_at, group.read_at = latest.pk, now, None


def _trim(recipient_id: int) -> None:
    """Keep each member's newest KEPT_PER_MEMBER groups (an indexed offset read, then a delete)."""
    rows = Notification.objects.filter(recipient_id=recipient_id).order_by("-position")
    oldest_kept = rows.values_list("position", flat=True)[KEPT_PER_MEMBER - 1 : KEPT_PER_MEMBER].first()
    if oldest_kept is not None:
        rows.filter(position__lt=oldest_kept).delete()


@transaction.atomic
def mark_read(*, member, notification_id: int) -> bool:
    """Mark one of the member's own notifications read. False when there is no such notification."""
    rows = Notification.objects.filter(pk=notification_id, recipient_id=member.pk)
    if not rows.exists():
        return False
    rows.filter(read_at__isnull=True).update(read_at=timezone.now())
    return True


@transaction.atomic
def mark_all_read(*, member, kind: str | None = None, up_to: int | None = None) -> int:
    """Mark the member's unread notifications read: of one kind if given, and only up to the
    position the member saw (`up_to`), so activity arriving meanwhile stays unread."""
    rows = Notification.objects.filter(recipient_id=member.pk, read_at__isnull=True)
    if kind:
        rows = rows.filter(kind=kind)
    if up_to is not None:
        rows = rows.filter(position__lte=up_to)
    return rows.update(read_at=timezone.now())


def forget_subjects(*, kind_slugs: Iterable[str], subject_ids: Iterable[int]) -> None:
    """Delete every notification about these subjects (e.g. a deleted post), for everyone.
    Call inside the transaction that removes the subject."""
    Notification.objects.filter(kind__in=list(kind_slugs), subject_id__in=list(subject_ids)).delete()


def forget_actor(*, recipient, actor) -> None:
    """Take `actor` out of the recipient's notifications, deleting groups left without anyone
    (a block). Call inside the transaction that makes the change."""
    touched = list(
        NotificationActor.objects.filter(notification__recipient_id=recipient.pk, actor_id=actor.pk).values_list(
            "notification_id", flat=True
        )
    )
    if not touched:
        return
    NotificationActor.objects.filter(notification_id__in=touched, actor_id=actor.pk).delete()
    anyone = NotificationActor.objects.filter(notification=OuterRef("pk"))
    Notification.objects.filter(pk__in=touched).filter(~Exists(anyone)).delete()


@transaction.atomic
def save_preferences(*, member, deliveries: dict[str, str], quiet: tuple[time, time] | None) -> None:
    """Store the member's delivery per kind (unknown kinds and values are ignored) and quiet hours."""
    for kind in kinds.all_kinds():
        delivery = deliveries.get(kind.slug)
        if delivery in Delivery.values:
            NotificationPreference.objects.update_or_create(
                member_id=member.pk, kind=kind.slug, defaults={"delivery": delivery}
            )
    if quiet is None:
        QuietHours.objects.filter(member_id=member.pk).delete()
    else:
        QuietHours.objects.update_or_create(member_id=member.pk, defaults={"start": quiet[0], "end": quiet[1]})


@transaction.atomic
def unsubscribe(*, member_id: int, kind: str) -> bool:
    """Stop emails (immediate and digest) of one kind; it stays in the app. False for no such member."""
    spec = kinds.get(kind)
    if spec is None or not User.objects.filter(pk=member_id).exists():
        return False
    current = queries.delivery_for(member_id, spec)
    if current in (Delivery.EMAIL, Delivery.DIGEST):
        NotificationPreference.objects.update_or_create(
            member_id=member_id, kind=kind, defaults={"delivery": Delivery.IN_APP}
        )
    return True
