"""The SQLite backend's writers' queue: a waiting writer starts the moment the last one commits."""

import threading
import time

import pytest
from django.db.utils import OperationalError

from readingroom.core.sqlite.base import DatabaseWrapper


def wrapper(path, timeout: float = 5) -> DatabaseWrapper:
    return DatabaseWrapper(
        {
            "ENGINE": "readingroom.core.sqlite",
            "NAME": str(path),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": timeout, "init_command": "PRAGMA journal_mode=WAL"},
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "TEST": {},
        },
        alias="writers-test",
    )


@pytest.fixture(autouse=True)
def own_connections(django_db_blocker):
    # These tests open their own connections to their own file, not the test database.
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "queue.sqlite3"
    setup = wrapper(path)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    setup.close()
    return path


def write_in_transaction(db: DatabaseWrapper, body: str) -> None:
    db.ensure_connection()
    db._start_transaction_under_autocommit()
    with db.cursor() as cursor:
        cursor.execute("INSERT INTO note (body) VALUES (%s)", [body])


def test_a_waiting_writer_starts_as_soon_as_the_holder_commits(database):
    first, second = wrapper(database), wrapper(database)
    second.inc_thread_sharing()  # opened here, used by the other writer's thread
    write_in_transaction(first, "first")
    started = {}

    def other_writer():
        try:
            write_in_transaction(second, "second")
            started["at"] = time.monotonic()
            second.commit()
        except Exception as error:  # reported by the assertion below
            started["error"] = error

    thread = threading.Thread(target=other_writer)
    thread.start()
    # Long enough that SQLite's own busy handler would be between sleeps (its retries fall at
    # 128 and 178 ms, then 228 ms): the queue hands over within a few milliseconds instead.
    time.sleep(0.18)
    assert "at" not in started, "the second writer did not wait for the first"
    committed_at = time.monotonic()
    first.commit()
    thread.join(5)
    assert "error" not in started, started.get("error")
    assert started["at"] - committed_at < 0.02
    with first.cursor() as cursor:
        cursor.execute("SELECT body FROM note ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == ["first", "second"]
    first.close()
    second.close()


def test_rollback_and_close_release_the_queue(database):
    first, second = wrapper(database, timeout=0.3), wrapper(database, timeout=0.3)
    write_in_transaction(first, "rolled back")
    first.rollback()
    write_in_transaction(second, "kept")
    second.commit()
    write_in_transaction(first, "abandoned")
    first.close()  # a connection closed mid-transaction (a killed request) frees the queue
    write_in_transaction(second, "also kept")
    second.commit()
    with second.cursor() as cursor:
        cursor.execute("SELECT body FROM note ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == ["kept", "also kept"]
    second.close()


def test_a_stuck_writer_ends_in_database_is_locked_after_the_timeout(database):
    holder, waiter = wrapper(database), wrapper(database, timeout=0.2)
    write_in_transaction(holder, "held")
    began = time.monotonic()
    with pytest.raises(OperationalError, match="locked"):
        write_in_transaction(waiter, "refused")
    assert 0.2 <= time.monotonic() - began < 2
    holder.commit()
    holder.close()
    waiter.close()


def test_an_in_memory_database_has_no_queue_file(tmp_path):
    db = wrapper(":memory:")
    with db.cursor() as cursor:
        cursor.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    write_in_transaction(db, "in memory")
    db.commit()
    assert db._writer_lock_fd is None
    db.close()
