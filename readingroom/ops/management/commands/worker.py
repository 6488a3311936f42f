"""`readingroom worker`: runs queued background tasks (django-tasks-db's db_worker), and the digest
scheduler that queues digest runs (django-tasks has no periodic tasks; ADR 0009)."""

import math
from argparse import ArgumentTypeError

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from readingroom.digests import scheduler


def interval(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not math.isfinite(seconds) or not 0 <= seconds <= 60:
        raise ArgumentTypeError("must be between 0 and 60 seconds")
    return seconds


def max_tasks(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise ArgumentTypeError("must be a whole number of at least 1")
    return int(value)


class Command(BaseCommand):
    help = "Run background tasks from every queue until stopped (Ctrl-C or SIGTERM finishes the current task)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=interval, default=0.1, help="seconds to wait when the queue is empty (default 0.1)"
        )
        parser.add_argument("--batch", action="store_true", help="run every waiting task, then exit")
        parser.add_argument("--max-tasks", type=max_tasks, help="exit after this many tasks")
        parser.add_argument(
            "--no-digests", action="store_true", help="do not queue digest emails from this worker (others still do)"
        )

    def handle(self, *, interval, batch, max_tasks, verbosity, no_digests=False, **options):
        if not isinstance(task_backends["default"], DatabaseBackend):
            raise CommandError(
                "The task backend is not the database queue (RR_TASK_BACKEND), so there is nothing for a worker to run."
            )
        if connection.vendor == "sqlite":
            # Planner statistics for tables that have grown since last time (SQLite keeps none by
            # itself; without them a join can start from the wrong index). Cheap when nothing changed.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA optimize=0x10002")
        if not no_digests:
            if batch:
                scheduler.tick()  # queue digests that are due now, so this batch sends them
            else:
                scheduler.start(interval=settings.RR_DIGEST_CHECK_SECONDS)
        call_command(
            "db_worker",
            queue_name="*",
            interval=interval,
            batch=batch,
            max_tasks=max_tasks,
            reload=False,
            startup_delay=not batch,
            verbosity=verbosity,
        )
