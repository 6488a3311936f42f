"""Search tokens: Python's, SQLite FTS5's and PostgreSQL's rr_search_vector() must agree exactly."""

from __future__ import annotations

import pytest
from django.db import connection

from readingroom.search import tokendata
from readingroom.search.tokens import read_fts5_behaviour, tokens, tsvector_literal

CORPUS = [
    "Café au lait at the CAFE; cafe\u0301s and naïve Zoë",
    "e-books, ebooks and E-Books: https://Example.org/Path?x=1 or mail@example.org",
    "3.5 million items; v2.0.1 released; 1e5 records; 50% off; £20",
    "don't, won’t — “quoted” ‘words’ (brackets) [more] {braces} <angle>",
    "Straße, ÆSIR, Œuvre, Łódź, İstanbul, Ørsted, ſ",
    "ΣΟΦΙΑ σοφία Москва МОСКВА 東京大学 서울 عربي हिन्दी",
    "snake_case and kebab-case and CamelCase and #hashtag and @mention",
    "tabs\tand\nnewlines\r\nand  double  spaces",
    "emoji 🙂 between 📚books and ½ ² ³ ⅓",
    "back\\slash 'single' \"double\" colon:word star* caret^ (NEAR AND OR NOT)",
]


def test_python_tokens_fold_case_and_diacritics_and_split_on_punctuation():
    assert tokens("Café e-books https://Example.org") == ["cafe", "e", "books", "https", "example", "org"]
    assert tokens("cafe\u0301s naïve ÆSIR") == ["cafes", "naive", "æsir"]
    assert tokens("!!! ... ---") == []


def test_query_language_characters_are_all_separators():
    # Quotes, backslashes and FTS5/tsquery operators can never be inside a token.
    for ch in "\"'\\:*^()&|!<>-+{}[]":
        assert tokens(f"a{ch}b") == ["a", "b"], ch


def test_the_generated_tables_still_describe_this_sqlite_fts5():
    """A sample of code points (every 7th, plus the ones the tables name) asked of FTS5 itself."""
    named = {c for lo, hi in tokendata.SEPARATOR_RANGES[:60] for c in (lo, hi)}
    named |= {ord(c) for c in tokendata.FOLD_FROM[::5] + tokendata.DROP}
    sample = sorted(set(range(1, 0x3000, 7)) | set(range(0x10000, 0x10500, 11)) | named)
    separators, folds, dropped = read_fts5_behaviour(sample)
    for cp in sample:
        text = f"q{chr(cp)}z"
        if cp in separators:
            expected = ["q", "z"]
        elif cp in dropped:
            expected = ["qz"]
        else:
            expected = [f"q{folds.get(cp, chr(cp))}z"]
        assert tokens(text) == expected, hex(cp)


def _database_tokens(text: str) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT lexeme FROM unnest(rr_search_vector(%s))", [text])
            return sorted(row[0] for row in cursor.fetchall())
        cursor.execute("CREATE VIRTUAL TABLE temp.tok USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
        cursor.execute("CREATE VIRTUAL TABLE temp.tokv USING fts5vocab(temp, tok, 'row')")
        try:
            cursor.execute("INSERT INTO temp.tok(x) VALUES (%s)", [text])
            cursor.execute("SELECT term FROM temp.tokv")
            return sorted(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("DROP TABLE temp.tokv")
            cursor.execute("DROP TABLE temp.tok")


@pytest.mark.django_db
@pytest.mark.parametrize("text", CORPUS)
def test_the_database_indexes_exactly_the_python_tokens(text):
    assert _database_tokens(text) == sorted(set(tokens(text)))


VECTOR_SAMPLES = [
    "Cataloguing and METADATA, again: metadata!",
    "  leading spaces and trailing punctuation...",
    "Ça déjà vu — Œuvre naïve façade; ÀÉÎÕÜ ß æøå",
    "It's O'Brien's \\ backslash \\\\ and 'quotes'",
    "emoji 📚 between words 🏛️ and CJK 図書館 archives",
    "#uklibchat @ana https://example.org/a?b=c&d=e 3.14 x2",
    "tab\tnew\nline\r\nand\u00a0nbsp\u2003em-space",
    "",
    "!!!",
    "x" * 3000 + " short",
]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="rr_search_vector is PostgreSQL's")
@pytest.mark.parametrize("text", VECTOR_SAMPLES)
def test_bulk_rebuild_vectors_built_in_python_equal_the_sql_function(text):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::tsvector = rr_search_vector(%s), rr_search_vector(%s)::text",
            [tsvector_literal(text), text, text],
        )
        same, expected = cursor.fetchone()
    assert same, (tsvector_literal(text), expected)
