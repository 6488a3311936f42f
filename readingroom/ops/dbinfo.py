"""Which kind of database a settings dict names, in the terms backup and restore need."""

from pathlib import Path

from django.core.management.base import CommandError


def database_kind(db: dict) -> str:
    engine = db["ENGINE"]
    if engine in ("django.db.backends.sqlite3", "readingroom.core.sqlite"):
        return "sqlite"
    if engine.startswith("django.db.backends.postgresql"):
        return "postgres"
    raise CommandError(f"Backups support SQLite and PostgreSQL, not {engine}.")


def sqlite_path(db: dict) -> Path:
    name = str(db["NAME"])
    if not name or name == ":memory:" or "mode=memory" in name:
        raise CommandError("The database is in memory; there is no file to back up or restore.")
    return Path(name)
