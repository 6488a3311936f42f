"""The digest run: claim due members in batches (keyset by member id), build every batch's content
with set-based queries, send, record, and log a progress line per batch."""

from __future__ import annotations

import logging
import smtplib
import time
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from readingroom.digests import actions, content, queries
from readingroom.digests.candidates import RunCache
from readingroom.digests.content import Claim
from readingroom.digests.emails import Links, build_message
from readingroom.digests.models import DigestStatus

logger = logging.getLogger(__name__)
CLAIM_CONFLICTS = 3  # another worker kept winning the same members: leave them to it


def progress_line(done: int, total: int, seconds: float) -> str:
    return f"digests: {done:,}/{total:,} ({done * 100 // max(total, 1)}%) {seconds:.1f}s"


@task()
def send_due_digests() -> str:
    """Send every digest due now. Queued by the worker's scheduler (digests.scheduler)."""
    outcome = run_due_digests()
    if outcome is None:
        return "skipped: another run holds the lease"
    return ", ".join(f"{status} {count}" for status, count in sorted(outcome.items())) or "nothing due"


def queue_run() -> bool:
    """Queue a run unless one is already queued or every run slot is taken. True when queued."""
    with transaction.atomic():  # the note and the job row are written together, or neither
        if not actions.mark_queued_unless_busy(now=timezone.now()):
            return False
        send_due_digests.enqueue()
    return True


def run_due_digests(
    *, now: datetime | None = None, batch_size: int | None = None, log: Callable[[str], None] = logger.info
) -> Counter | None:
    """One run: returns how many digests ended in each status, or None when every run slot is taken."""
    now = now or timezone.now()
    batch_size = batch_size or settings.RR_DIGEST_BATCH_SIZE
    holder = uuid.uuid4().hex
    if not actions.take_lease(holder=holder, now=timezone.now()):
        return None
    outcome: Counter = Counter()
    try:
        actions.schedule_new_members(now=now)
        actions.follow_time_zone_changes(now=now)
        total = queries.due(now=now).count()
        if total > 2 * batch_size and send_due_digests.get_backend().supports_defer:
            # A large run: let a second worker (if there is one free) share it. A backend that runs
            # tasks at once (tests, development) has no other worker to share with.
            queue_run()
        if total:
            _send_all(now=now, total=total, batch_size=batch_size, outcome=outcome, log=log, holder=holder)
        actions.prune(now=now)
    finally:
        actions.release_lease(holder=holder)
    return outcome


def _send_all(*, now, total, batch_size, outcome: Counter, log, holder: str) -> None:
    floors = queries.floors(now=now)
    links = Links.resolve()
    cache = RunCache()
    started = time.monotonic()
    after, conflicts = 0, 0
    while True:
        claims = actions.claim_due(now=now, after_id=after, limit=batch_size)
        if claims is None:  # another worker claimed some of these first; its rows are done now
            conflicts += 1
            if conflicts > CLAIM_CONFLICTS:
                break
            continue
        if not claims:
            break
        outcome.update(send_batch(claims, now=now, floors=floors, links=links, cache=cache))
        after = claims[-1].member_id
        # Progress of everyone due when this run started, whichever run sent them.
        done = total - queries.due(now=now).count()
        log(progress_line(done, max(total, done), time.monotonic() - started))
        actions.renew_lease(holder=holder, now=timezone.now())


def send_batch(
    claims: list[Claim], *, now: datetime, floors: tuple[int, int], links: Links, cache: RunCache
) -> Counter:
    """Build and send one batch of claimed digests; record each one's outcome."""
    recipients = content.recipients([c.member_id for c in claims])
    sendable = [c for c in claims if c.member_id in recipients]
    contents = content.build_contents(sendable, floors=floors, cache=cache)
    outcomes: dict[int, tuple[str, int]] = {c.digest_id: (DigestStatus.SKIPPED, 0) for c in claims}
    messages = []
    for claim in sendable:
        found = contents[claim.member_id]
        if not found.items:
            outcomes[claim.digest_id] = (DigestStatus.EMPTY, 0)
            continue
        messages.append((claim, found.items, build_message(recipients[claim.member_id], claim, found, links=links)))
    _deliver(messages, outcomes)
    actions.record_outcomes(until=now, outcomes=outcomes, member_of={c.digest_id: c.member_id for c in claims})
    return Counter(status for status, _ in outcomes.values())


def _deliver(messages: list, outcomes: dict[int, tuple[str, int]]) -> None:
    """One connection to the mail server for the batch; a refused message fails alone."""
    if not messages:
        return
    connection = get_connection()
    try:
        connection.open()
    except (smtplib.SMTPException, OSError):
        logger.exception("digests: cannot reach the mail server; %s digests not sent", len(messages))
        for claim, items, _ in messages:
            outcomes[claim.digest_id] = (DigestStatus.FAILED, items)
        return
    try:
        for claim, items, message in messages:
            try:
                connection.send_messages([message])
                outcomes[claim.digest_id] = (DigestStatus.SENT, items)
            except (smtplib.SMTPException, OSError):
                logger.warning("digests: the mail server refused the digest of member %s", claim.member_id)
                outcomes[claim.digest_id] = (DigestStatus.FAILED, items)
    finally:
        connection.close()
