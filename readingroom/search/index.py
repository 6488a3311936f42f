"""The full-text indexes and the triggers that keep them in step with their tables.

Two sources are indexed: posts' `body` and profiles' `search_text` (kept by accounts.actions).
On SQLite each is an external-content FTS5 table (the text stays in its own table; FTS5 keeps
only the index). On PostgreSQL each is a `search_*_doc` table of (key, tsvector) with a GIN
index. Either way, database triggers follow every INSERT, UPDATE of the text and DELETE, so every
writer (actions, bulk loads, the admin, raw SQL) keeps the index right without knowing about it.

Bulk loaders call `bulk_load()` (triggers off, one rebuild at the end) or `rebuild_search_index()`.
"""

# ruff: noqa: S608 - SQL built from our own table and column names; every value is a parameter

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction

from readingroom.accounts.actions import refresh_all_search_texts
from readingroom.accounts.models import Profile
from readingroom.posts.models import Post
from readingroom.search.tokens import pg_vector_function_sql, tsvector_literal

TOKENIZE = "unicode61 remove_diacritics 2"  # tokens.py and tokendata.py describe exactly this tokenizer


@dataclass(frozen=True)
class Source:
    name: str  # "post" or "profile"
    table: str
    key: str  # integer primary key column
    text: str  # the indexed text column

    @property
    def fts(self) -> str:  # SQLite
        return f"search_{self.name}_fts"

    @property
    def doc(self) -> str:  # PostgreSQL
        return f"search_{self.name}_doc"


def sources() -> tuple[Source, Source]:
    return (
        Source("post", Post._meta.db_table, "id", "body"),
        Source("profile", Profile._meta.db_table, "user_id", "search_text"),
    )


def source(name: str) -> Source:
    return next(s for s in sources() if s.name == name)


def _is_postgres(conn=None) -> bool:
    return (conn or connection).vendor == "postgresql"


# --- SQLite: FTS5 ------------------------------------------------------------------------------


def _sqlite_tables(s: Source) -> list[str]:
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {s.fts} USING fts5("
        f"{s.text}, content='{s.table}', content_rowid='{s.key}', tokenize='{TOKENIZE}')"
    ]


def _sqlite_triggers(s: Source) -> list[str]:
    # External content: FTS5 must be told the old text to remove it ('delete' command).
    # Empty texts (boosts) are never indexed, so they are never removed either.
    remove = f"INSERT INTO {s.fts}({s.fts}, rowid, {s.text}) SELECT 'delete', old.{s.key}, old.{s.text}"
    add = f"INSERT INTO {s.fts}(rowid, {s.text}) SELECT new.{s.key}, new.{s.text}"
    return [
        f"CREATE TRIGGER IF NOT EXISTS {s.fts}_ai AFTER INSERT ON {s.table} WHEN new.{s.text} <> '' BEGIN {add}; END",
        f"CREATE TRIGGER IF NOT EXISTS {s.fts}_ad AFTER DELETE ON {s.table} "
        f"WHEN old.{s.text} <> '' BEGIN {remove}; END",
        f"CREATE TRIGGER IF NOT EXISTS {s.fts}_au AFTER UPDATE OF {s.text} ON {s.table} "
        f"WHEN old.{s.text} IS NOT new.{s.text} "
        f"BEGIN {remove} WHERE old.{s.text} <> ''; {add} WHERE new.{s.text} <> ''; END",
    ]


def _sqlite_trigger_names(s: Source) -> list[str]:
    return [f"{s.fts}_ai", f"{s.fts}_ad", f"{s.fts}_au"]


def _sqlite_rebuild(s: Source) -> list[str]:
    return [
        f"INSERT INTO {s.fts}({s.fts}) VALUES ('delete-all')",
        f"INSERT INTO {s.fts}(rowid, {s.text}) SELECT {s.key}, {s.text} FROM {s.table} WHERE {s.text} <> ''",
        f"INSERT INTO {s.fts}({s.fts}) VALUES ('optimize')",  # one b-tree segment: fastest reads
    ]


# --- PostgreSQL: tsvector documents ------------------------------------------------------------


def _pg_tables(s: Source) -> list[str]:
    return [
        f"CREATE TABLE IF NOT EXISTS {s.doc} ({s.key} bigint PRIMARY KEY, vector tsvector NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS {s.doc}_vector ON {s.doc} USING gin (vector)",
    ]


def _pg_triggers(s: Source) -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION {s.doc}_sync() RETURNS trigger LANGUAGE plpgsql AS $rr$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM {s.doc} WHERE {s.key} = OLD.{s.key};
  ELSIF TG_OP = 'UPDATE' AND NEW.{s.text} IS NOT DISTINCT FROM OLD.{s.text} THEN
    RETURN NULL;
  ELSIF NEW.{s.text} = '' THEN
    DELETE FROM {s.doc} WHERE {s.key} = NEW.{s.key};
  ELSE
    INSERT INTO {s.doc} ({s.key}, vector) VALUES (NEW.{s.key}, rr_search_vector(NEW.{s.text}))
    ON CONFLICT ({s.key}) DO UPDATE SET vector = EXCLUDED.vector;
  END IF;
  RETURN NULL;
END $rr$""",
        # Django's test flush and `TRUNCATE` fire no row triggers.
        f"""CREATE OR REPLACE FUNCTION {s.doc}_truncate() RETURNS trigger LANGUAGE plpgsql AS $rr$
BEGIN TRUNCATE {s.doc}; RETURN NULL; END $rr$""",
        f"CREATE OR REPLACE TRIGGER {s.doc}_sync AFTER INSERT OR DELETE OR UPDATE OF {s.text} ON {s.table} "
        f"FOR EACH ROW EXECUTE FUNCTION {s.doc}_sync()",
        f"CREATE OR REPLACE TRIGGER {s.doc}_truncate AFTER TRUNCATE ON {s.table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {s.doc}_truncate()",
    ]


def _pg_drop_triggers(s: Source) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {s.doc}_sync ON {s.table}",
        f"DROP TRIGGER IF EXISTS {s.doc}_truncate ON {s.table}",
    ]


PG_REBUILD_BATCH = 20_000


def _pg_rebuild_sql(s: Source) -> list[str]:
    """The rebuild in SQL alone, for the migration (inside its schema editor; tables are small then)."""
    return [
        f"TRUNCATE {s.doc}",
        f"INSERT INTO {s.doc} ({s.key}, vector) SELECT {s.key}, rr_search_vector({s.text}) FROM {s.table} "
        f"WHERE {s.text} <> ''",
    ]


def _pg_rebuild(s: Source, cursor) -> None:
    """Fill the table first and build the GIN index once (far faster than row by row). The vectors
    are computed in Python (tokens.tsvector_literal, the same as rr_search_vector) and sent with
    COPY, in keyset batches (a connection cannot read a cursor while a COPY is under way)."""
    _run(cursor, [f"TRUNCATE {s.doc}", f"DROP INDEX IF EXISTS {s.doc}_vector"])
    last = -1
    while True:
        cursor.execute(
            f"SELECT {s.key}, {s.text} FROM {s.table} WHERE {s.key} > %s AND {s.text} <> '' "
            f"ORDER BY {s.key} LIMIT %s",
            [last, PG_REBUILD_BATCH],
        )
        rows = cursor.fetchall()
        if not rows:
            break
        with cursor.cursor.copy(f"COPY {s.doc} ({s.key}, vector) FROM STDIN") as copy:
            for key, text in rows:
                copy.write_row((key, tsvector_literal(text)))
        last = rows[-1][0]
    _run(cursor, [f"CREATE INDEX {s.doc}_vector ON {s.doc} USING gin (vector)", f"ANALYZE {s.doc}"])


# --- Installing, removing, rebuilding ---------------------------------------------------------------


def _run(cursor, statements: list[str]) -> None:
    for sql in statements:
        cursor.execute(sql)


def install(schema_editor=None) -> None:
    """Create the index tables and triggers, and index what is already there (the migration)."""
    conn = schema_editor.connection if schema_editor else connection
    with conn.cursor() as cursor:
        if _is_postgres(conn):
            cursor.execute(pg_vector_function_sql())
        for s in sources():
            if _is_postgres(conn):
                _run(cursor, _pg_tables(s) + _pg_rebuild_sql(s) + _pg_triggers(s))
            else:
                _run(cursor, _sqlite_tables(s) + _sqlite_rebuild(s) + _sqlite_triggers(s))


def uninstall(schema_editor=None) -> None:
    conn = schema_editor.connection if schema_editor else connection
    with conn.cursor() as cursor:
        for s in sources():
            if _is_postgres(conn):
                _run(cursor, _pg_drop_triggers(s))
                _run(cursor, [f"DROP TABLE IF EXISTS {s.doc}", f"DROP FUNCTION IF EXISTS {s.doc}_sync()"])
                cursor.execute(f"DROP FUNCTION IF EXISTS {s.doc}_truncate()")
            else:
                _run(cursor, [f"DROP TRIGGER IF EXISTS {name}" for name in _sqlite_trigger_names(s)])
                cursor.execute(f"DROP TABLE IF EXISTS {s.fts}")
        if _is_postgres(conn):
            cursor.execute("DROP FUNCTION IF EXISTS rr_search_vector(text)")


def is_installed() -> bool:
    names = set(connection.introspection.table_names(include_views=False))
    wanted = "search_post_doc" if _is_postgres() else "search_post_fts"
    return wanted in names


def drop_triggers() -> None:
    with connection.cursor() as cursor:
        for s in sources():
            if _is_postgres():
                _run(cursor, _pg_drop_triggers(s))
            else:
                _run(cursor, [f"DROP TRIGGER IF EXISTS {name}" for name in _sqlite_trigger_names(s)])


def ensure_triggers() -> list[str]:
    """Recreate any missing trigger; returns the sources that had one missing (their index may
    have missed writes, so the caller rebuilds them). SQLite drops a table's triggers when a
    migration rebuilds the table (its way of altering columns), hence this check after migrate."""
    if not is_installed():
        return []
    missing = []
    with connection.cursor() as cursor:
        for s in sources():
            if _is_postgres():
                cursor.execute(
                    "SELECT count(*) FROM pg_trigger WHERE tgname IN (%s, %s)", [f"{s.doc}_sync", f"{s.doc}_truncate"]
                )
                if cursor.fetchone()[0] < 2:
                    missing.append(s.name)
                    _run(cursor, _pg_triggers(s))
            else:
                names = _sqlite_trigger_names(s)
                cursor.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s, %s)", names
                )
                if cursor.fetchone()[0] < len(names):
                    missing.append(s.name)
                    _run(cursor, _sqlite_triggers(s))
    return missing


def rebuild_search_index(*, names: tuple[str, ...] = ("post", "profile"), stdout=None) -> dict[str, float]:
    """Re-index posts and profiles from scratch (profiles' search text is recomputed first).

    For after bulk loads that bypassed the triggers; takes a write lock for its duration.
    Returns seconds per source."""
    timings: dict[str, float] = {}
    for name in names:
        s = source(name)
        started = time.monotonic()
        with transaction.atomic():
            if name == "profile":
                refresh_all_search_texts()
            with connection.cursor() as cursor:
                if _is_postgres():
                    _pg_rebuild(s, cursor)
                else:
                    _run(cursor, _sqlite_rebuild(s))
        timings[name] = time.monotonic() - started
        if stdout is not None:
            stdout.write(f"  search index ({name}s): {timings[name]:.1f}s")
    return timings


@contextmanager
def bulk_load(*, stdout=None) -> Iterator[None]:
    """Turn the index triggers off around a bulk load, then rebuild the indexes once and turn the
    triggers back on. Only for loads while nothing else writes (seeding, restores)."""
    drop_triggers()
    try:
        yield
    finally:
        try:
            rebuild_search_index(stdout=stdout)
        finally:
            ensure_triggers()
