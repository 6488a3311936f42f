"""Counting what members read without writing on every page view.

Timeline views call posts.reading.note_read(member_id, posts_shown); PLNConfig.ready() makes
BUFFER.note the listener. Counts gather per (member, local date) in this process's memory and are
written to ReadingDay by one upsert per member-day (actions.add_reading), on the first call after
the flush interval (60 s by default, RR_READING_FLUSH_SECONDS), and when the process exits.

Trade-off, chosen on purpose: a crash (or a kill -9) loses at most the last minute of this
process's counts. The balance panel is a private, approximate self-view, so that loss is
harmless, while a write on every timeline page would add load to the busiest pages we have.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from readingroom.pln import actions

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 60
MAX_POSTS_PER_PAGE = 1000  # a bound on one report, so a bad caller cannot inflate a day


def flush_interval() -> float:
    """Seconds between flushes. Test runs set it very long (root conftest), so a flush never lands
    inside another test's query count; pln's own tests set 60 and move a fake clock."""
    return float(getattr(settings, "RR_READING_FLUSH_SECONDS", FLUSH_SECONDS))


class ReadingBuffer:
    def __init__(self, *, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._lock = threading.Lock()
        self._counts: dict[tuple[int, date], list[int]] = {}
        self._last_flush = clock()
        # The database the counts were read against: a test run switches databases, and counts
        # must never be written into another one (see flush).
        self._db_name: str | None = None

    def note(self, member_id: int, posts_shown: int) -> None:
        """Count one timeline page; flush if the interval has passed since the last flush."""
        posts = max(0, min(int(posts_shown), MAX_POSTS_PER_PAGE))
        key = (int(member_id), timezone.localdate())  # the member's own day (their zone is active)
        with self._lock:
            if not self._counts:
                self._db_name = connection.settings_dict.get("NAME")
            counts = self._counts.setdefault(key, [0, 0])
            counts[0] += 1
            counts[1] += posts
            due = self.clock() - self._last_flush >= flush_interval()
        if due:
            self.flush()

    def pending(self) -> dict[tuple[int, date], tuple[int, int]]:
        with self._lock:
            return {key: (c[0], c[1]) for key, c in self._counts.items()}

    def _take(self) -> tuple[dict[tuple[int, date], list[int]], str | None]:
        with self._lock:
            taken, self._counts = self._counts, {}
            db_name, self._db_name = self._db_name, None
            self._last_flush = self.clock()
        return taken, db_name

    def flush(self) -> int:
        """Write what is buffered (one upsert per member-day); returns the rows written.
        Never raises a database error into the page that triggered it: the counts are dropped
        and logged instead (the same loss as a crash, see the module docstring)."""
        taken, db_name = self._take()
        if not taken:
            return 0
        if db_name != connection.settings_dict.get("NAME"):
            return 0  # read against another database (tests): they do not belong here
        try:
            return actions.add_reading(counts={key: (c[0], c[1]) for key, c in taken.items()})
        except DatabaseError:
            logger.warning("Could not write %d reading counts; dropped them", len(taken), exc_info=True)
            return 0

    def flush_at_exit(self) -> None:
        try:
            self.flush()
        except Exception:  # noqa: BLE001 - the interpreter is shutting down: never raise here
            logger.warning("Could not write reading counts at exit", exc_info=True)

    def discard(self) -> None:
        """Forget the buffer (tests; and a forked child, whose parent still holds and flushes the
        copied counts)."""
        self._lock = threading.Lock()  # a fork may copy the lock held by another thread
        self._counts = {}
        self._db_name = None
        self._last_flush = self.clock()


BUFFER = ReadingBuffer()

if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=BUFFER.discard)
