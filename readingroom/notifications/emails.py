"""Notification emails: scheduled after commit (waiting out quiet hours), sent by a task.

Every email carries RFC 8058 one-click unsubscribe headers. Their URL holds a signed token that
names the member and the kind, so it works without signing in and cannot be forged or altered.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from readingroom.accounts.models import User
from readingroom.notifications import kinds, queries
from readingroom.notifications.kinds import Delivery
from readingroom.notifications.models import Notification

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "readingroom.notifications.unsubscribe"
SUBJECT_MAX = 150


def unsubscribe_token(*, member_id: int, kind: str) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"m": member_id, "k": kind}, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(member id, kind) from a token this site signed, or None for anything else."""
    if not token or len(token) > 200:
        return None
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, UnicodeError):
        return None
    member_id, kind = (data.get("m"), data.get("k")) if isinstance(data, dict) else (None, None)
    if not isinstance(member_id, int) or not isinstance(kind, str) or kinds.get(kind) is None:
        return None
    return member_id, kind


def scoped_unsubscribe_token(*, member_id: int, scope: str) -> str:
    """A one-click token for email that is not about one kind (scope "digest": the digest app's).
    Each scope signs with its own salt, so a token for one scope is worthless for another."""
    return signing.Signer(salt=f"{UNSUBSCRIBE_SALT}.{scope}").sign_object({"m": member_id}, compress=True)


def read_scoped_unsubscribe_token(token: str, *, scope: str) -> int | None:
    """The member id from a token this site signed for `scope`, or None for anything else."""
    if not token or len(token) > 200:
        return None
    try:
        data = signing.Signer(salt=f"{UNSUBSCRIBE_SALT}.{scope}").unsign_object(token)
    except (signing.BadSignature, ValueError, UnicodeError):
        return None
    member_id = data.get("m") if isinstance(data, dict) else None
    return member_id if isinstance(member_id, int) else None


def list_unsubscribe_headers(unsubscribe_url: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe (POST to the URL), for every email the site sends members."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def schedule_email(*, notification_id: int, recipient_id: int) -> None:
    """Queue the email, to run when the recipient's quiet hours end if they are in them now.
    Call on commit. A backend that cannot defer (the immediate one) holds a quiet-hours email back."""
    until = queries.email_quiet_until(recipient_id, now=timezone.now())
    job = send_notification_email
    if until is not None:
        if not job.get_backend().supports_defer:
            logger.info("Notification %s: quiet hours, and the task backend cannot defer; not emailed", notification_id)
            return
        job = job.using(run_after=until)
    job.enqueue(notification_id)


@task()
def send_notification_email(notification_id: int) -> str:
    """Send one notification's email, if it is still wanted. Idempotent: a group is emailed once
    per new activity (`emailed_position`), and running the task twice sends one email."""
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None or notification.read_at is not None:
        return "skipped: gone or already read"
    kind = kinds.get(notification.kind)
    recipient = User.objects.select_related("profile").filter(pk=notification.recipient_id, is_active=True).first()
    if kind is None or recipient is None or not recipient.email:
        return "skipped: no kind or recipient"
    if queries.delivery_for(recipient.pk, kind) != Delivery.EMAIL:
        return "skipped: email turned off"
    until = queries.email_quiet_until(recipient.pk, now=timezone.now())
    if until is not None and send_notification_email.get_backend().supports_defer:
        send_notification_email.using(run_after=until).enqueue(notification_id)
        return "deferred: quiet hours"
    shown = queries.decorate(recipient, [notification])
    if not shown:
        return "skipped: no longer visible"
    claimed = Notification.objects.filter(pk=notification.pk, emailed_position__lt=F("position")).update(
        emailed_position=F("position")
    )
    if not claimed:
        return "skipped: already emailed"
    build_message(recipient, shown[0]).send()
    return "sent"


def build_message(recipient, notification: Notification) -> EmailMultiAlternatives:
    description = notification.description
    token = unsubscribe_token(member_id=recipient.pk, kind=notification.kind)
    unsubscribe_url = absolute(reverse("notifications:unsubscribe", args=[token]))
    context = {
        "site_name": settings.SITE_NAME,
        "text": description.text,
        "excerpt": description.excerpt,
        "url": absolute(reverse("notifications:open", args=[notification.pk])),
        "kind_label": kinds.get(notification.kind).label.lower(),
        "settings_url": absolute(reverse("notifications:settings")),
        "unsubscribe_url": unsubscribe_url,
        "display_name": recipient.profile.display_name,
    }
    subject = " ".join(f"[{settings.SITE_NAME}] {description.text}".split())[:SUBJECT_MAX]
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("notifications/email/notification.txt", context),
        to=[recipient.email],
        headers=list_unsubscribe_headers(unsubscribe_url),
    )
    message.attach_alternative(render_to_string("notifications/email/notification.html", context), "text/html")
    return message
