"""Full-text matching: a query's words as an FTS5 MATCH expression or a PostgreSQL tsquery, and the
few SQL statements that read candidate ids from the indexes (index.py). Nothing here decides
visibility: callers pass the ids through the same rules as every other page.

Users' text never reaches either query language: it is cut into tokens (tokens.py), and each token
(letters and digits only) is quoted, so search syntax in a query is just more words.
"""

# ruff: noqa: S608, S611 - SQL built from our own table and column names; every value is a parameter

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models.expressions import RawSQL

from readingroom.search.index import source
from readingroom.search.tokens import tokens

MAX_TERMS = 12  # an AND of more words than this finds nothing useful and costs more
MIN_PREFIX = 3  # shorter prefixes would expand to too many index terms


@dataclass(frozen=True)
class Terms:
    """Every word must match; the last may match as a prefix (typing a name)."""

    words: tuple[str, ...]
    prefix_last: bool = False

    def fts5(self) -> str:
        quoted = [f'"{w}"' for w in self.words]  # tokens never contain a double quote
        if self.prefix_last:
            quoted[-1] += "*"
        return " AND ".join(quoted)

    def tsquery(self) -> str:
        quoted = [f"'{w}'" for w in self.words]  # nor a single quote or backslash
        if self.prefix_last:
            quoted[-1] += ":*"
        return " & ".join(quoted)

    def param(self) -> str:
        return self.tsquery() if connection.vendor == "postgresql" else self.fts5()


def parse_terms(text: str, *, allow_prefix: bool = False) -> Terms | None:
    """The words of a query, de-duplicated in order; None if it has no letters or digits.
    Raises ValueError when there are more than MAX_TERMS words."""
    words = tuple(dict.fromkeys(tokens(text)))
    if not words:
        return None
    if len(words) > MAX_TERMS:
        raise ValueError(f"too many words ({len(words)})")
    prefix = allow_prefix and len(words[-1]) >= MIN_PREFIX and not text[-1:].isspace()
    return Terms(words, prefix_last=prefix)


def _fetch_ids(sql: str, params: list) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def post_ids_newest(terms: Terms, *, before: int | None, limit: int) -> list[int]:
    """Ids of posts matching every word, newest first, below `before`: walks the index by id."""
    s = source("post")
    bound = before if before is not None else 2**63 - 1
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT {s.key} FROM {s.doc} WHERE vector @@ CAST(%s AS tsquery) AND {s.key} < %s "
            f"ORDER BY {s.key} DESC LIMIT %s"
        )
    else:
        sql = f"SELECT rowid FROM {s.fts} WHERE {s.fts} MATCH %s AND rowid < %s ORDER BY rowid DESC LIMIT %s"
    return _fetch_ids(sql, [terms.param(), bound, limit])


def post_candidates(terms: Terms, *, upto: int | None, limit: int) -> list[tuple[int, str]]:
    """(id, text) of the newest `limit` matches at or below id `upto`: the bounded set that
    relevance ranks. Reading ids is one index walk; the texts are `limit` row lookups."""
    s = source("post")
    bound = upto if upto is not None else 2**63 - 1
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT c.{s.key}, t.{s.text} FROM (SELECT {s.key} FROM {s.doc} WHERE vector @@ CAST(%s AS tsquery) "
            f"AND {s.key} <= %s ORDER BY {s.key} DESC LIMIT %s) AS c JOIN {s.table} AS t ON t.{s.key} = c.{s.key}"
        )
    else:
        sql = f"SELECT rowid, {s.text} FROM {s.fts} WHERE {s.fts} MATCH %s AND rowid <= %s ORDER BY rowid DESC LIMIT %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [terms.param(), bound, limit])
        return cursor.fetchall()


def rank(terms: Terms, candidates: list[tuple[int, str]], *, k1: float = 1.2, b: float = 0.75) -> list[int]:
    """Candidate ids, most relevant first (ties newest first): BM25's term-frequency saturation
    and length normalisation, computed here over the candidate set.

    Not the databases' own bm25()/ts_rank(): FTS5's bm25 counts every match in the whole index
    for its IDF (hundreds of milliseconds for a common word over millions of posts), and doing it
    here gives the same order on SQLite and PostgreSQL. Every candidate has every word (AND), so
    the IDF, equal for all of them, is left out."""
    if not candidates:
        return []
    docs = [(post_id, tokens(text)) for post_id, text in candidates]
    average = sum(len(words) for _, words in docs) / len(docs) or 1.0
    last = len(terms.words) - 1

    def matches(word: str, i: int, term: str) -> bool:
        return word == term or (terms.prefix_last and i == last and word.startswith(term))

    scored = []
    for post_id, words in docs:
        norm = k1 * (1 - b + b * len(words) / average)
        score = 0.0
        for i, term in enumerate(terms.words):
            tf = sum(1 for word in words if matches(word, i, term))
            score += tf * (k1 + 1) / (tf + norm) if tf else 0.0
        scored.append((-score, -post_id))
    return [-neg_id for _, neg_id in sorted(scored)]


def profile_ids_matching(terms: Terms) -> RawSQL:
    """A subquery of the user ids whose profile search text matches, for `user_id__in=`."""
    s = source("profile")
    if connection.vendor == "postgresql":
        return RawSQL(f"SELECT {s.key} FROM {s.doc} WHERE vector @@ CAST(%s AS tsquery)", [terms.param()])
    return RawSQL(f"SELECT rowid FROM {s.fts} WHERE {s.fts} MATCH %s", [terms.param()])
