""".env.example documents every environment variable the code reads, each with an explanation."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
READ = re.compile(r"""(?:os\.environ\.get|os\.getenv|os\.environ\[|env_bool|env_int)\(?\s*["']([A-Z][A-Z0-9_]+)["']""")
EXAMPLE_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]+)=")
# Set for tools, not configuration of the site.
NOT_CONFIGURATION = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def variables_read_by_the_code() -> set[str]:
    names = set()
    for path in (ROOT / "readingroom").rglob("*.py"):
        if "tests" not in path.parts:
            names |= set(READ.findall(path.read_text()))
    return names - NOT_CONFIGURATION


def documented_variables() -> dict[str, str]:
    """Each variable in .env.example with the comment line just above it."""
    documented, previous = {}, ""
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = EXAMPLE_LINE.match(line)
        if match:
            documented[match.group(1)] = previous
        previous = line
    return documented


def test_every_environment_variable_the_code_reads_is_in_env_example():
    read = variables_read_by_the_code()
    assert {"DATABASE_URL", "REDIS_URL", "RR_SITE_URL"} <= read  # the scan itself works
    assert read - set(documented_variables()) == set()


def test_every_variable_in_env_example_has_an_explanation_above_it():
    for name, comment in documented_variables().items():
        assert comment.startswith("# ") and not EXAMPLE_LINE.match(comment), f"{name} has no explanation"
