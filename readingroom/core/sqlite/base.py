"""SQLite with a writers' queue: every write transaction first takes an advisory file lock.

SQLite has one writer at a time. A connection that finds the write lock taken waits in SQLite's
busy handler, which sleeps on a fixed schedule (1, 2, 5, 10, 15, 20, 25 ms …) and so may sleep on
long after the lock is free. flock() on a file beside the database queues writers in the kernel
instead, and the next writer starts within about a millisecond of the last one's commit (a test
holds the lock for 180 ms: SQLite's own wait handed over about 50 ms late, the queue at once).
Only file databases take it; an in-memory database has one process and nothing to queue for.
(The timeline benchmark's create-post tail did not move with it: see docs/performance.md.)
"""

from __future__ import annotations

import fcntl
import os
import time

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_lock_fd: int | None = None
    _writer_lock_held = False

    def _writer_lock_path(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}.writers"

    def _take_writer_lock(self) -> None:
        path = self._writer_lock_path()
        if path is None:
            return
        if self._writer_lock_fd is None:
            self._writer_lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        # Poll rather than block so a stuck writer ends in the same "database is locked" error,
        # after the same timeout, as SQLite's own wait would; the short sleeps keep the hand-over
        # prompt (about 0.2 ms) at a cost of microseconds of CPU.
        deadline = time.monotonic() + float(self.settings_dict["OPTIONS"].get("timeout", 5))
        pause = 0.0001
        while True:
            try:
                fcntl.flock(self._writer_lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OperationalError("database is locked (waited for the writers' queue)") from None
                time.sleep(pause)
                pause = min(pause * 2, 0.001)
            else:
                self._writer_lock_held = True
                return

    def _release_writer_lock(self) -> None:
        if self._writer_lock_held and self._writer_lock_fd is not None:
            fcntl.flock(self._writer_lock_fd, fcntl.LOCK_UN)
        self._writer_lock_held = False

    def _start_transaction_under_autocommit(self):
        if self.transaction_mode == "IMMEDIATE":
            self._take_writer_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_writer_lock()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_writer_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_writer_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_writer_lock()
            if self._writer_lock_fd is not None:
                os.close(self._writer_lock_fd)
                self._writer_lock_fd = None
