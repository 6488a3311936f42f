"""The `readingroom` command: Django's management commands with Reading Room's settings preset."""

import os
import sys

USAGE = """\
Usage: readingroom COMMAND [OPTIONS]

  serve       serve the site with granian (--host, --port, --workers)
  worker      run background tasks (--interval, --batch)
  seed        seed demo | seed synthetic --members N
  backup      back up the database and media (optional PATH)
  restore     restore FILE made by backup (--noinput)

Every Django management command works too (migrate, createsuperuser, check, ...).
`readingroom COMMAND --help` describes one command.
"""


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readingroom.settings")
    if not args or args in (["-h"], ["--help"], ["help"]):
        sys.stdout.write(USAGE)
        return
    from django.core.management import execute_from_command_line  # Django is set up only for real commands

    execute_from_command_line(["readingroom", *args])


if __name__ == "__main__":
    main()
