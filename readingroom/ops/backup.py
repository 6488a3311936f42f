"""Online backup and restore of the database and uploaded media.

SQLite: the backup API copies pages inside one read transaction, so the copy is a consistent
snapshot even while the server and worker keep writing (WAL lets them). PostgreSQL: pg_dump's
custom format, restored with pg_restore in a single transaction. Media: a plain tar beside the
database file (images are already compressed).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tarfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"
PAGES_PER_STEP = 1024  # 4 MiB at SQLite's default page size: progress without slowing the copy

Report = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def timestamped_path(directory: Path, suffix: str, *, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return directory / f"readingroom-{stamp}{suffix}"


def media_archive_path(backup_path: Path) -> Path:
    """The media tar that travels with a database backup: readingroom-X.sqlite3 -> readingroom-X.media.tar."""
    return backup_path.with_suffix(".media.tar")


def file_starts_with(path: Path, header: bytes) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(header)) == header


def human_size(n_bytes: int) -> str:
    size = float(n_bytes)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n_bytes} B"


class _PercentReporter:
    """Reports progress at most once per 10% so long copies show life without flooding."""

    def __init__(self, report: Report, label: str):
        self.report, self.label, self.last_tenth = report, label, -1

    def __call__(self, status: int, remaining: int, total: int) -> None:
        done = total - remaining
        tenth = done * 10 // total if total else 10
        if tenth > self.last_tenth:
            self.last_tenth = tenth
            self.report(f"  {self.label}: {tenth * 10}% ({done:,}/{total:,} pages)")


def _copy_sqlite(source: sqlite3.Connection, target: sqlite3.Connection, report: Report, label: str) -> None:
    # Holding a read transaction on the source pins one snapshot for the whole stepped copy, so
    # writers on other connections neither restart the backup nor make it inconsistent.
    source.execute("BEGIN")
    source.execute("SELECT count(*) FROM sqlite_master").fetchone()
    try:
        source.backup(target, pages=PAGES_PER_STEP, progress=_PercentReporter(report, label))
    finally:
        source.rollback()


def backup_sqlite(*, database: Path, target: Path, report: Report) -> None:
    """Copy a live SQLite database to target (written beside it, then renamed into place)."""
    if not database.exists():
        raise BackupError(f"There is no database at {database}; run `readingroom migrate` first.")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    # Opened read-write though only read: a read-only connection cannot always join a WAL database.
    source = sqlite3.connect(database, isolation_level=None, timeout=60)
    destination = sqlite3.connect(partial)
    try:
        _copy_sqlite(source, destination, report, "copying database")
        destination.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        destination.close()
        source.close()
    partial.replace(target)


def check_sqlite_backup(path: Path) -> None:
    if not path.is_file() or not file_starts_with(path, SQLITE_HEADER):
        raise BackupError(f"{path} is not a SQLite backup (expected a file made by `readingroom backup`).")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = connection.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} cannot be read as a SQLite database: {error}") from error
    finally:
        connection.close()
    if result != "ok":
        raise BackupError(f"{path} failed SQLite's integrity check: {result}")


def restore_sqlite(*, backup: Path, database: Path, report: Report) -> None:
    """Replace the live database's content with the backup's, through SQLite so open readers stay safe."""
    check_sqlite_backup(backup)
    database.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True, isolation_level=None)
    destination = sqlite3.connect(database, timeout=60)
    try:
        _copy_sqlite(source, destination, report, "restoring database")
    finally:
        destination.close()
        source.close()


def _pg_command(program: str, db: dict) -> tuple[list[str], dict[str, str]]:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} was not found; install PostgreSQL's client tools (apt-get install postgresql-client)."
        )
    args = [executable, "--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])  # the environment, not argv: argv is visible to ps
    if (db.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = str(db["OPTIONS"]["sslmode"])
    return args, env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    completed = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise BackupError(f"{what} failed (exit {completed.returncode}): {completed.stderr.strip()}")


def backup_postgres(*, db: dict, target: Path, report: Report) -> None:
    args, env = _pg_command("pg_dump", db)
    partial = target.with_name(target.name + ".partial")
    report(f"  dumping {db['NAME']} with pg_dump (custom format)…")
    _run([*args, "--format=custom", "--no-owner", "--file", str(partial)], env, "pg_dump")
    partial.replace(target)


def check_postgres_backup(path: Path) -> None:
    if not path.is_file() or not file_starts_with(path, PG_CUSTOM_HEADER):
        raise BackupError(f"{path} is not a pg_dump custom-format backup (expected a .dump from `readingroom backup`).")


def restore_postgres(*, db: dict, backup: Path, report: Report) -> None:
    check_postgres_backup(backup)
    args, env = _pg_command("pg_restore", db)
    report(f"  restoring {db['NAME']} with pg_restore (one transaction: all or nothing)…")
    restore_args = ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error"]
    _run([*args, *restore_args, str(backup)], env, "pg_restore")


def archive_media(*, media_root: Path, target: Path, report: Report) -> int:
    """Tar MEDIA_ROOT (relative names) to target; returns the number of files."""
    partial = target.with_name(target.name + ".partial")
    count = 0
    started = time.monotonic()
    with tarfile.open(partial, "w") as archive:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    archive.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
                    count += 1
                    if count % 1000 == 0:
                        report(f"  media: {count:,} files ({time.monotonic() - started:.0f}s)")
    partial.replace(target)
    return count


def restore_media(*, archive: Path, media_root: Path, report: Report) -> int:
    """Unpack into a fresh folder beside MEDIA_ROOT, then swap it in, so a failure leaves media as it was."""
    staging = media_root.with_name(media_root.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(archive, "r") as tar:
        members = [m for m in tar.getmembers() if m.isfile() or m.isdir()]
        tar.extractall(staging, members=members, filter="data")  # "data" refuses absolute paths and ..
    count = sum(1 for m in members if m.isfile())
    previous = media_root.with_name(media_root.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if media_root.exists():
        media_root.rename(previous)
    staging.rename(media_root)
    shutil.rmtree(previous, ignore_errors=True)
    report(f"  media: {count:,} files restored")
    return count
