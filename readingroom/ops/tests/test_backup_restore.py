"""Backup then restore gives back exactly what was backed up, on SQLite and on PostgreSQL.

The SQLite case runs the real `readingroom` command in subprocesses against a temporary SQLite file,
so it runs on every CI leg, PostgreSQL's included.
"""

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from readingroom.accounts.models import User
from readingroom.testing.factories import FollowFactory, PostFactory, UserFactory

ROOT = Path(settings.BASE_DIR)


def readingroom(env: dict, *args: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "readingroom.ops.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout


def sqlite_dump(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def files_under(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory):
    """A migrated SQLite site in its own data directory, with a few members, a follow and a post."""
    data = tmp_path_factory.mktemp("site")
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "RR_TASK_BACKEND"}}
    env.update(RR_DATA_DIR=str(data), DATABASE_URL=f"sqlite:///{data / 'readingroom.sqlite3'}")
    readingroom(env, "migrate", "--noinput", "-v", "0")
    readingroom(
        env,
        "shell",
        "-c",
        "from readingroom.testing.factories import FollowFactory, PostFactory, UserFactory\n"
        "members = [UserFactory() for _ in range(4)]\n"
        "FollowFactory(follower=members[0], followee=members[1])\n"
        "PostFactory(author=members[1], body='Café ☕ and catalogues')\n",
    )
    (data / "media" / "avatars").mkdir(parents=True)
    (data / "media" / "avatars" / "a.webp").write_bytes(b"RIFF\x00\x01 not really an image")
    return data, env


def test_backup_then_restore_on_sqlite_gives_an_identical_database_and_media(sqlite_site):
    data, env = sqlite_site
    live, media = data / "readingroom.sqlite3", data / "media"
    before, media_before = sqlite_dump(live), files_under(media)

    output = readingroom(env, "backup", str(data / "b.sqlite3"))
    assert "Backup complete" in output
    assert sqlite_dump(data / "b.sqlite3") == before
    assert (data / "b.media.tar").is_file()

    readingroom(
        env,
        "shell",
        "-c",
        "from readingroom.accounts.models import User\n"
        "from readingroom.testing.factories import UserFactory\n"
        "User.objects.order_by('pk').first().delete()\n"
        "UserFactory()\n",
    )
    (media / "avatars" / "a.webp").unlink()
    (media / "later.txt").write_text("uploaded after the backup")
    assert sqlite_dump(live) != before

    output = readingroom(env, "restore", str(data / "b.sqlite3"), "--noinput")
    assert "Restore complete" in output
    assert sqlite_dump(live) == before
    assert files_under(media) == media_before


def test_the_default_backup_goes_to_var_backups_with_a_utc_timestamp(sqlite_site):
    data, env = sqlite_site
    readingroom(env, "backup", "--no-media")
    backups = list((data / "backups").glob("readingroom-*Z.sqlite3"))
    assert len(backups) == 1
    assert sqlite_dump(backups[0]) == sqlite_dump(data / "readingroom.sqlite3")


def test_the_worker_runs_waiting_tasks_and_exits_in_batch_mode(sqlite_site):
    _, env = sqlite_site
    readingroom(env, "worker", "--batch")


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(db, tmp_path):
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_text("not a database")
    with pytest.raises(Exception, match="is not a"):
        call_command("restore", str(bogus), "--noinput")
    assert User.objects.count() == 0


def test_backup_refuses_to_overwrite_an_existing_file(db, tmp_path):
    existing = tmp_path / "kept.dump"
    existing.write_text("keep me")
    with pytest.raises(Exception, match="already exists"):
        call_command("backup", str(existing))
    assert existing.read_text() == "keep me"


def postgres_checksums() -> dict[str, str]:
    """One digest per table (every row, in a stable order) and each sequence's position."""
    sums = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT string_agg(t::text, '|' ORDER BY t::text) FROM {quoted} t")  # noqa: S608
            sums[table] = hashlib.sha256((cursor.fetchone()[0] or "").encode()).hexdigest()
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences ORDER BY sequencename")
        sums.update({f"seq:{name}": str(value) for name, value in cursor.fetchall()})
    return sums


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL pointing at PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_on_postgresql_gives_identical_tables_and_sequences(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    members = UserFactory.create_batch(3)
    FollowFactory(follower=members[0], followee=members[1])
    PostFactory(author=members[2], body="Café ☕ and catalogues")
    before = postgres_checksums()

    call_command("backup", str(tmp_path / "site.dump"))
    User.objects.filter(pk=members[0].pk).delete()
    UserFactory()
    assert postgres_checksums() != before

    call_command("restore", str(tmp_path / "site.dump"), "--noinput")
    assert postgres_checksums() == before
