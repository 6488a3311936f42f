"""`readingroom serve`: the production WSGI server (granian), with static files from WhiteNoise."""

import os
import shutil
import sys
from argparse import ArgumentTypeError
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

WSGI_APP = "readingroom.wsgi:application"


def bounded_int(low: int, high: int):
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise ArgumentTypeError(f"{value!r} is not a whole number") from None
        if not low <= number <= high:
            raise ArgumentTypeError(f"must be between {low} and {high}")
        return number

    return parse


def granian_executable() -> str:
    # The granian installed beside this Python, so a venv works without being activated.
    beside = Path(sys.executable).with_name("granian")
    found = str(beside) if beside.exists() else shutil.which("granian")
    if not found:
        raise CommandError("granian is not installed; run `pip install -r requirements.txt`.")
    return found


def default_workers() -> int:
    # Pages are mostly Python under the GIL: processes, not threads, use the cores. Two per core
    # keep a core busy while the other process waits on the database. Measured on 2 cores with
    # dataset S: 4 workers x 1 thread served the home timeline at 2.3x the requests of
    # 2 workers x 5 threads, with half the p50 (docs/performance.md).
    return 2 * (os.cpu_count() or 1)


def granian_argv(*, host: str, port: int, workers: int, threads: int) -> list[str]:
    return [
        granian_executable(),
        "--interface", "wsgi",
        WSGI_APP,
        "--host", host,
        "--port", str(port),
        "--workers", str(workers),
        "--blocking-threads", str(threads),
        "--no-ws",
    ]  # fmt: skip


class Command(BaseCommand):
    help = "Serve Reading Room with granian (WSGI) at http://HOST:PORT. DEBUG is always off here."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=bounded_int(1, 65535), default=8000, help="port (default 8000)")
        parser.add_argument(
            "--workers", type=bounded_int(1, 64), default=default_workers(),
            help="worker processes (default: 2 per CPU core)",
        )  # fmt: skip
        parser.add_argument(
            "--threads", type=bounded_int(1, 256), default=1,
            help="Python threads per worker (default 1: threads contend for the GIL)",
        )  # fmt: skip
        parser.add_argument(
            "--no-collectstatic", action="store_true",
            help="skip collecting static files first (they must already be collected)",
        )  # fmt: skip

    def handle(self, *, host, port, workers, threads, no_collectstatic, **options):
        if not no_collectstatic:
            # WhiteNoise serves the collected, hashed files; a stale manifest would turn pages into 500s.
            call_command("collectstatic", interactive=False, verbosity=0)
        argv = granian_argv(host=host, port=port, workers=workers, threads=threads)
        self.stdout.write(f"Serving Reading Room at http://{host}:{port} with {workers} granian workers")
        self.stdout.flush()
        connections.close_all()
        os.environ["RR_DEBUG"] = "0"  # a public server never shows debug pages
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readingroom.settings")
        os.execvp(argv[0], argv)  # noqa: S606 -- a fixed argv, no shell: the server replaces this process
