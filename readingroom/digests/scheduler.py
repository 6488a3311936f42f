"""The digest scheduler: django-tasks has no periodic tasks, so every `readingroom worker` runs
this loop in a thread. Each minute it queues a `send_due_digests` run when there is work, none is
queued and a run slot is free; the DigestRun rows make several workers take turns (ADR 0009)."""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from django.db import close_old_connections, connection
from django.utils import timezone

from readingroom.digests import queries
from readingroom.digests.tasks import queue_run

logger = logging.getLogger(__name__)


def tick(*, now: datetime | None = None) -> bool:
    """Queue a digest run if one is needed and none is queued or running. True when queued."""
    if not queries.has_work(now=now or timezone.now()):
        return False
    return queue_run()


def run(stop: threading.Event, *, interval: float) -> None:
    """Tick every `interval` seconds until `stop` is set. Errors are logged, never fatal: the
    worker's main loop must keep running tasks whatever happens here."""
    while not stop.is_set():
        try:
            close_old_connections()
            tick()
        except Exception:
            logger.exception("digests: the scheduler could not check for due digests")
        finally:
            connection.close()  # this thread's own connection; a new one next time
        stop.wait(interval)


def start(*, interval: float) -> threading.Event:
    """Start the scheduler thread (a daemon: it never keeps the worker from exiting)."""
    stop = threading.Event()
    interval = max(interval, 1.0)  # RR_DIGEST_CHECK_SECONDS=0 must not make a busy loop
    threading.Thread(
        target=run, args=(stop,), kwargs={"interval": interval}, name="digest-scheduler", daemon=True
    ).start()
    return stop
