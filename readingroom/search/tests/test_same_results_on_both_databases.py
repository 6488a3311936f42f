"""One corpus, one set of expected answers: the test passes on SQLite and on PostgreSQL, so both
give identical result sets (run it with DATABASE_URL set for PostgreSQL)."""

from __future__ import annotations

import pytest

from readingroom.accounts import actions as account_actions
from readingroom.core.models import Visibility
from readingroom.posts import actions as post_actions
from readingroom.search import queries
from readingroom.search.engine import parse_terms
from readingroom.search.queries import PeopleFilters
from readingroom.testing.factories import InterestFactory, UserFactory

POSTS = {
    "p1": "Digital preservation at the archive",
    "p2": "Café culture in the reading room",
    "p3": "CAFE opening hours; cafés everywhere",
    "p4": "e-books and ebooks: lending E-Books",
    "p5": "See https://example.org/preservation for details",
    "p6": "Straße names in Łódź archives",
    "p7": "Métadonnées et catalogage: METADATA",
    "p8": "ΣΟΦΙΑ and Москва collections",
    "p9": "The preservation of digital archives, digitally",
    "p10": "#uklibchat tonight: cataloguing chat",
    "p11": "don't panic; it's only metadata",
    "p12": "3.5 million records, version 2.0",
}

# Query -> the posts found, newest first.
EXPECTED_POSTS = {
    "preservation": ["p9", "p5", "p1"],
    "digital preservation": ["p9", "p1"],
    "PRESERVATION digital": ["p9", "p1"],
    "cafe": ["p3", "p2"],
    "CAFÉ": ["p3", "p2"],
    "cafés": ["p3"],
    "ebooks": ["p4"],
    "e-books": ["p4"],
    "books": ["p4"],
    "example": ["p5"],
    "https://example.org": ["p5"],
    "łódź": ["p6"],
    "lodz": [],  # FTS5 does not fold Ł (no Unicode decomposition): neither database does
    "straße": ["p6"],
    "strasse": [],
    "metadata": ["p11", "p7"],
    "metadonnees": ["p7"],
    "Métadonnées": ["p7"],
    "σοφια": ["p8"],
    "МОСКВА": ["p8"],
    "uklibchat": ["p10"],
    "#uklibchat": ["p10"],
    "don't": ["p11"],
    "3.5": ["p12"],
    "digitally": ["p9"],
    "digit": [],  # whole words only for posts: no stemming, no prefixes
    "archive": ["p1"],
    "archives": ["p9", "p6"],
    "preservation OR cafe": [],  # operators are words like any other
    '"preservation" NEAR(digital)': [],  # quotes and brackets go; "near" is a word to find
    "preservation -digital": ["p9", "p1"],
}

PROFILES = [
    {
        "handle": "zoe_a",
        "display_name": "Zoë Ångström",
        "headline": "Métadonnées specialist",
        "organisation": "Bibliothèque nationale",
        "interests": ["Cataloguing and metadata"],
    },
    {
        "handle": "ada_l",
        "display_name": "Ada Lovelace",
        "headline": "Cataloguing e-books",
        "organisation": "Analytical Engines",
        "interests": ["Digital preservation"],
    },
    {
        "handle": "sam_s",
        "display_name": "Sam Secret",
        "headline": "Records",
        "organisation": "Hidden Agency",
        "hidden_fields": ["organisation", "interests"],
        "interests": ["Open access"],
    },
]

# Query (the last word may be a prefix of 3+ letters) -> the people found, newest first.
EXPECTED_PEOPLE = {
    "zoe": ["zoe_a"],
    "ångström": ["zoe_a"],
    "angstrom": ["zoe_a"],
    "bibliotheque": ["zoe_a"],
    "catal": ["ada_l", "zoe_a"],  # "Cataloguing ..." headline and interest
    "catalo metadata": [],  # only the last word is a prefix
    "metadata catalo": ["zoe_a"],
    "ca": [],  # too short to be a prefix
    "ada_l": ["ada_l"],
    "lovelace analytical": ["ada_l"],
    "digital preservation": ["ada_l"],
    "hidden": [],  # a hidden organisation is not searchable
    "open access": [],  # nor are hidden interests
    "sam": ["sam_s"],
    "records": ["sam_s"],
}


@pytest.fixture
def corpus(db, django_capture_on_commit_callbacks):
    author = UserFactory(profile__handle="corpus_author", profile__display_name="Corpus Author")
    ids = {}
    with django_capture_on_commit_callbacks(execute=True):
        for key, body in POSTS.items():
            ids[key] = post_actions.create_post(author=author, body=body, visibility=Visibility.PUBLIC).pk
    for spec in PROFILES:
        spec = dict(spec)
        interests = spec.pop("interests")
        user = UserFactory(profile__handle=spec.pop("handle"))
        account_actions.update_profile(profile=user.profile, data=spec)
        account_actions.set_interests(
            profile=user.profile,
            vocabulary_ids=[InterestFactory(slug=n.lower().replace(" ", "-"), name=n).pk for n in interests],
            free_tags=[],
        )
    return author, {v: k for k, v in ids.items()}


@pytest.mark.parametrize(("query", "expected"), list(EXPECTED_POSTS.items()))
def test_posts_newest_first_are_the_same_on_every_database(corpus, query, expected):
    viewer, key_of = corpus
    terms = parse_terms(query)
    page = queries.posts_newest(viewer=viewer, terms=terms) if terms else None
    assert [key_of[p.pk] for p in page.items] == expected


@pytest.mark.parametrize(("query", "expected"), list(EXPECTED_POSTS.items()))
def test_posts_by_relevance_find_the_same_set_on_every_database(corpus, query, expected):
    viewer, key_of = corpus
    page = queries.posts_by_relevance(viewer=viewer, terms=parse_terms(query))
    assert sorted(key_of[p.pk] for p in page.items) == sorted(expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("preservation", ["p1", "p9", "p5"]), ("metadata", ["p7", "p11"]), ("archives digital", ["p9"])],
)
def test_relevance_order_is_the_same_on_every_database(corpus, query, expected):
    """Ranked in Python over the candidates' texts, so not even the order depends on the database."""
    viewer, key_of = corpus
    page = queries.posts_by_relevance(viewer=viewer, terms=parse_terms(query))
    assert [key_of[p.pk] for p in page.items] == expected


@pytest.mark.parametrize(("query", "expected"), list(EXPECTED_PEOPLE.items()))
def test_people_are_the_same_on_every_database(corpus, query, expected):
    viewer, _ = corpus
    page = queries.people(viewer=viewer, terms=parse_terms(query, allow_prefix=True), filters=PeopleFilters())
    assert [p.handle for p in page.items] == expected
