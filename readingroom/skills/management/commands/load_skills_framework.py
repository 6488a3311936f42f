"""Load (or re-load) a skills framework file: `manage.py load_skills_framework PATH [--default]`."""

from django.core.management.base import BaseCommand, CommandError

from readingroom.skills import actions
from readingroom.skills.loader import MAX_FILE_BYTES, FrameworkError


class Command(BaseCommand):
    help = "Load a skills framework from a TOML file (see docs/skills-framework-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The framework file (.toml).")
        parser.add_argument("--default", action="store_true", help="Make it the framework members assess against.")

    def handle(self, *args, path: str, default: bool, **options):
        try:
            with open(path, "rb") as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Could not read {path}: {exc.strerror}") from exc
        try:
            framework = actions.load_framework(data=data, make_default=default)
        except FrameworkError as exc:
            raise CommandError(f"{path} was not loaded:\n  " + "\n  ".join(exc.errors)) from exc
        areas = framework.areas.filter(parent__isnull=True, retired=False).count()
        default_note = " (the default)" if framework.is_default else ""
        self.stdout.write(self.style.SUCCESS(f"Loaded {framework.name}{default_note}: {areas} areas."))
