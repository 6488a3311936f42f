"""Rate limits count in fixed windows (core.ratelimit): a test that makes N requests and expects
the N+1st refused must not straddle two windows, or the count starts again halfway."""

from __future__ import annotations

import time


def start_of_a_fresh_window(period: int, *, need_seconds: float = 20) -> None:
    """Wait (at most `need_seconds`) until the current window has `need_seconds` left."""
    while period - time.time() % period < need_seconds:
        time.sleep(0.2)
