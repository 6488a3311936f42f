"""What a search token is, identically on SQLite and PostgreSQL (docs/adr/0006-search.md).

A token is a maximal run of characters that SQLite FTS5's `unicode61 remove_diacritics 2`
tokenizer treats as token characters (letters, digits and a few others, per Unicode 6.1),
case-folded and stripped of diacritics the way that tokenizer does it. No stemming, no stop words.

SQLite does this in its tokenizer. PostgreSQL's own parser would not agree (it keeps URLs, hosts,
e-mail addresses, decimals and hyphenated words whole, and `unaccent` folds differently), so on
PostgreSQL `rr_search_vector(text)` first turns every separator into a space with a regular
expression and then folds with `translate()`, using tables read out of FTS5 itself
(`tokendata.py`). Python uses the same tables for the words of a query. Regenerate the tables
(`python -m readingroom.search.tokens`) only together with a migration that recreates the
PostgreSQL function and rebuilds its index.
"""

# ruff: noqa: S608 - SQL built from our own table and column names; every value is a parameter

from __future__ import annotations

import re
import sqlite3
from functools import cache

from readingroom.search import tokendata

MAX_CODE_POINT = 0x10FFFF


@cache
def _separator_re() -> re.Pattern[str]:
    ranges = "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in tokendata.SEPARATOR_RANGES)
    return re.compile(f"[{ranges}]+")


@cache
def _fold_table() -> dict[int, int | None]:
    table: dict[int, int | None] = {ord(a): ord(b) for a, b in zip(tokendata.FOLD_FROM, tokendata.FOLD_TO, strict=True)}
    table.update({ord(c): None for c in tokendata.DROP})
    return table


# In ASCII, FTS5's token characters are exactly the letters and digits (test_tokens checks it):
# one byte table lower-cases letters and turns everything else into a space.
_ASCII_TABLE = bytes((c | 0x20) if chr(c).isalpha() else c if chr(c).isdigit() else 0x20 for c in range(128)) + bytes(
    [0x20] * 128
)


def _folded(text: str) -> str:
    """Separators turned into spaces, then case and diacritics folded: what FTS5 tokenises."""
    if text.isascii():  # most text, and many times faster than the general path
        return text.encode("ascii").translate(_ASCII_TABLE).decode("ascii")
    return _separator_re().sub(" ", text).translate(_fold_table())


def tokens(text: str) -> list[str]:
    """The search tokens of text, in order (duplicates kept)."""
    return _folded(text).split()


# --- PostgreSQL -----------------------------------------------------------------------------------

_SPACES = re.compile(" +")


def tsvector_literal(text: str) -> str:
    """The tsvector rr_search_vector(text) computes, as its input literal, built in Python.

    Bulk rebuilds send these through COPY: the SQL function is exact but costs about a millisecond
    a row (5M posts: over an hour), this about 20 µs. Positions follow the SQL function's: the
    split is on single spaces after runs of separators became one space, so a leading separator
    takes position 1. test_index checks the two agree on a varied corpus."""
    parts = []
    for pos, tok in enumerate(_SPACES.sub(" ", _folded(text)).split(" "), 1):
        if tok and len(tok.encode()) < 2047:
            lexeme = tok.replace("\\", "\\\\").replace("'", "''")
            parts.append(f"'{lexeme}':{min(pos, 16383)}")
    return " ".join(parts)


def _sql_escape(ch: str) -> str:
    cp = ord(ch)
    return f"\\u{cp:04X}" if cp <= 0xFFFF else f"\\U{cp:08X}"


def pg_vector_function_sql() -> str:
    """CREATE FUNCTION rr_search_vector(text): the same tokens as FTS5, as a tsvector with positions.

    PostgreSQL's text-search parser and lower() are not used (they classify and fold by the
    server's locale): separators become spaces by a regular expression of code-point ranges
    (applied before folding, as FTS5 decides token boundaries on the original character), then
    translate() folds, and the tokens are written as a tsvector literal with their positions.
    Escapes keep the statement ASCII. A token of 2,047 bytes or more (a tsvector's limit) is
    left out; FTS5 would keep it, an accepted difference."""
    ranges = "".join(f"{_sql_escape(chr(lo))}-{_sql_escape(chr(hi))}" for lo, hi in tokendata.SEPARATOR_RANGES)
    fold_from = "".join(_sql_escape(c) for c in tokendata.FOLD_FROM + tokendata.DROP)
    fold_to = "".join(_sql_escape(c) for c in tokendata.FOLD_TO)
    return (
        "CREATE OR REPLACE FUNCTION rr_search_vector(body text) RETURNS tsvector "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $rr$ "
        "SELECT coalesce(string_agg('''' || tok || ''':' || least(pos, 16383), ' '), '')::tsvector "
        "FROM regexp_split_to_table(translate("
        f"regexp_replace(body, '[{ranges}]+', ' ', 'g'), E'{fold_from}', E'{fold_to}'), ' ') "
        "WITH ORDINALITY AS t(tok, pos) WHERE tok <> '' AND octet_length(tok) < 2047 $rr$"
    )


# --- Reading the tables out of FTS5 ---------------------------------------------------------------


def read_fts5_behaviour(code_points) -> tuple[set[int], dict[int, str], set[int]]:
    """(separators, folds, dropped) for the given code points, asked of this SQLite's FTS5.

    Each code point is indexed between two letters: three tokens mean it separates, one token
    shows what it folds to (or that it is dropped)."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2', detail=none)")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    wanted = [cp for cp in code_points if not 0xD800 <= cp <= 0xDFFF and cp != 0]
    db.executemany("INSERT INTO t(rowid, x) VALUES (?, ?)", [(cp, f"q{chr(cp)}z") for cp in wanted])
    found: dict[int, list[str]] = {}
    for doc, term in db.execute("SELECT doc, term FROM v"):
        found.setdefault(doc, []).append(term)
    separators, folds, dropped = set(), {}, set()
    for cp in wanted:
        terms = sorted(found.get(cp, []))
        if terms == ["q", "z"]:
            separators.add(cp)
        elif len(terms) == 1 and terms[0][1:-1] == "":
            dropped.add(cp)
        elif len(terms) == 1 and terms[0][1:-1] != chr(cp):
            folds[cp] = terms[0][1:-1]
    db.close()
    return separators, folds, dropped


def _ranges(values: list[int]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for v in values:
        if out and out[-1][1] == v - 1:
            out[-1][1] = v
        else:
            out.append([v, v])
    return [(lo, hi) for lo, hi in out]


def write_token_data(path) -> None:
    separators, folds, dropped = read_fts5_behaviour(range(1, MAX_CODE_POINT + 1))
    pairs = sorted(folds.items())
    lines = [
        '"""Generated by `python -m readingroom.search.tokens` from SQLite '
        f'{sqlite3.sqlite_version}\'s FTS5 unicode61 tokenizer. Do not edit."""',
        "",
        "# ruff: noqa: E501",
        "# fmt: off",
        f"SEPARATOR_RANGES = {_ranges(sorted(separators))!r}",
        f"FOLD_FROM = {''.join(chr(cp) for cp, _ in pairs)!r}",
        f"FOLD_TO = {''.join(to for _, to in pairs)!r}",
        f"DROP = {''.join(chr(cp) for cp in sorted(dropped))!r}",
        "",
    ]
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(lines))


if __name__ == "__main__":
    from pathlib import Path

    write_token_data(Path(__file__).with_name("tokendata.py"))
