"""`readingroom live`: the live-updates process (WebSockets over ASGI, granian), beside `serve`.

Pages stay on the WSGI server; this process only holds browsers' WebSockets and relays "a
message changed" events to them (ADR 0014). One worker holds thousands of idle connections."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connections

from readingroom.ops.management.commands.serve import bounded_int, granian_executable

ASGI_APP = "readingroom.asgi:application"


def granian_argv(*, host: str, port: int, workers: int) -> list[str]:
    return [
        granian_executable(),
        "--interface", "asginl",  # no lifespan events: Django's ASGI handler has none
        ASGI_APP,
        "--host", host,
        "--port", str(port),
        "--workers", str(workers),
    ]  # fmt: skip


class Command(BaseCommand):
    help = "Serve live updates (WebSockets) with granian (ASGI) at ws://HOST:PORT."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument(
            "--port", type=bounded_int(1, 65535), default=settings.RR_LIVE_PORT,
            help=f"port (default RR_LIVE_PORT, {settings.RR_LIVE_PORT})",
        )  # fmt: skip
        parser.add_argument("--workers", type=bounded_int(1, 16), default=1, help="worker processes (default 1)")

    def handle(self, *, host, port, workers, **options):
        argv = granian_argv(host=host, port=port, workers=workers)
        self.stdout.write(f"Live updates at ws://{host}:{port}/ws/ with {workers} granian worker(s)")
        self.stdout.flush()
        connections.close_all()
        os.environ["RR_DEBUG"] = "0"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readingroom.settings")
        os.execvp(argv[0], argv)  # noqa: S606 -- a fixed argv, no shell: the server replaces this process
