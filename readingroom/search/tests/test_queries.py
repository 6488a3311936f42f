"""Search reads: the timelines' visibility rule for posts, the directory's for people; paging."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import override_settings

from readingroom.accounts import actions as account_actions
from readingroom.accounts.models import User
from readingroom.core.models import Visibility
from readingroom.network import actions as network_actions
from readingroom.posts import actions as post_actions
from readingroom.search import queries
from readingroom.search.engine import parse_terms
from readingroom.search.queries import PeopleFilters
from readingroom.testing.factories import InterestFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    def publish(author, body, visibility=Visibility.PUBLIC):
        with django_capture_on_commit_callbacks(execute=True):
            return post_actions.create_post(author=author, body=body, visibility=visibility)

    return publish


def newest(viewer, text, before=None):
    return queries.posts_newest(viewer=viewer, terms=parse_terms(text), before=before)


def texts(page) -> list[str]:
    return [p.body for p in page.items]


def test_posts_follow_the_timeline_visibility_rule(publish):
    author, follower, stranger = UserFactory(), UserFactory(), UserFactory()
    network_actions.follow(follower=follower, followee=author)
    publish(author, "Audience public", Visibility.PUBLIC)
    publish(author, "Audience members", Visibility.MEMBERS)
    publish(author, "Audience followers", Visibility.FOLLOWERS)
    assert texts(newest(None, "audience")) == ["Audience public"]
    assert texts(newest(stranger, "audience")) == ["Audience members", "Audience public"]
    assert len(newest(follower, "audience").items) == 3
    assert len(newest(author, "audience").items) == 3


def test_blocks_hide_posts_both_ways_and_mutes_hide_them_from_the_muter(publish):
    author, blocked, blocker, muter = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    publish(author, "Shelving tips")
    network_actions.block(blocker=author, blocked=blocked)
    network_actions.block(blocker=blocker, blocked=author)
    network_actions.mute(muter=muter, muted=author)
    assert newest(blocked, "shelving").items == []
    assert newest(blocker, "shelving").items == []
    assert newest(muter, "shelving").items == []
    assert texts(newest(UserFactory(), "shelving")) == ["Shelving tips"]


def test_suspended_authors_posts_are_not_found(publish):
    author = UserFactory()
    publish(author, "Vanishing act")
    User.objects.filter(pk=author.pk).update(is_active=False)
    assert newest(UserFactory(), "vanishing").items == []


@override_settings(RR_PAGE_SIZE=3)
def test_newest_first_pages_never_skip_or_repeat_even_past_hidden_posts(publish):
    author, viewer = UserFactory(), UserFactory()
    for i in range(12):
        publish(author, f"Paging item {i}", Visibility.FOLLOWERS if i % 3 == 0 else Visibility.PUBLIC)
    seen, before = [], None
    while True:
        page = newest(viewer, "paging", before)
        seen += texts(page)
        if not page.has_next:
            break
        before = page.next_cursor
    assert seen == [f"Paging item {i}" for i in reversed(range(12)) if i % 3 != 0]


@override_settings(RR_PAGE_SIZE=2)
def test_relevance_pages_walk_one_fixed_ranking_without_repeats(publish):
    author, viewer = UserFactory(), UserFactory()
    publish(author, "Outreach")
    publish(author, "Outreach outreach outreach, all about outreach")
    for i in range(4):
        publish(author, f"A long post that mentions outreach once among many other words {i}")
    first = queries.posts_by_relevance(viewer=viewer, terms=parse_terms("outreach"))
    publish(author, "Outreach published after the first page")  # not in the anchored ranking
    seen, page = texts(first), first
    while page.has_next:
        page = queries.posts_by_relevance(
            viewer=viewer, terms=parse_terms("outreach"), anchor=page.anchor, at=page.next_at
        )
        seen += texts(page)
    assert len(seen) == len(set(seen)) == 6
    assert "Outreach published after the first page" not in seen
    assert seen[0] == "Outreach outreach outreach, all about outreach"  # most mentions, short post
    assert seen[1] == "Outreach"


def test_relevance_ranks_only_a_bounded_candidate_set(publish, monkeypatch):
    monkeypatch.setattr(queries, "RELEVANCE_CANDIDATES", 3)
    author = UserFactory()
    for i in range(5):
        publish(author, f"Bounded {i}")
    page = queries.posts_by_relevance(viewer=author, terms=parse_terms("bounded"))
    assert sorted(texts(page)) == ["Bounded 2", "Bounded 3", "Bounded 4"]
    assert page.candidates == 3


# --- People -----------------------------------------------------------------------------------------


def person(handle, **fields):
    user = UserFactory(profile__handle=handle)
    interests = fields.pop("interests", [])
    account_actions.update_profile(profile=user.profile, data=fields)
    if interests:
        account_actions.set_interests(profile=user.profile, vocabulary_ids=[i.pk for i in interests], free_tags=[])
    return user


def found_people(viewer, text="", **filters) -> list[str]:
    terms = parse_terms(text, allow_prefix=True) if text else None
    page = queries.people(viewer=viewer, terms=terms, filters=PeopleFilters(**filters))
    return [p.handle for p in page.items]


def test_people_are_found_by_words_and_filtered_by_every_facet():
    rare_books = InterestFactory(slug="rare-books", name="Rare books")
    viewer = UserFactory()
    person(
        "nz_mentor",
        sector="academic",
        career_stage="senior",
        country="NZ",
        time_zone="Pacific/Auckland",
        open_to_mentoring=True,
        interests=[rare_books],
        headline="Special collections",
    )
    person(
        "uk_student",
        sector="public",
        career_stage="student",
        country="GB",
        time_zone="Europe/London",
        interests=[rare_books],
        headline="Special collections",
    )
    assert found_people(viewer, "special") == ["uk_student", "nz_mentor"]
    assert found_people(viewer, "special", sector="academic") == ["nz_mentor"]
    assert found_people(viewer, "special", career_stage="student") == ["uk_student"]
    assert found_people(viewer, "", interest="rare-books", country="GB") == ["uk_student"]
    assert found_people(viewer, "", open_to_mentoring=True) == ["nz_mentor"]
    assert found_people(viewer, "rare books new zealand") == ["nz_mentor"]  # interest and country names


def test_the_time_zone_filter_uses_each_members_offset_now():
    viewer = UserFactory(profile__time_zone="UTC")
    person("in_kolkata", time_zone="Asia/Kolkata")  # +5:30 all year
    person("in_new_york", time_zone="America/New_York")  # -5 or -4
    assert found_people(viewer, "in", utc_offset_min=5, utc_offset_max=6) == ["in_kolkata"]
    assert found_people(viewer, "in", utc_offset_min=-5, utc_offset_max=-4) == ["in_new_york"]
    assert found_people(viewer, "in", utc_offset_min=-3, utc_offset_max=2) == []
    january, july = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 7, 15, tzinfo=UTC)
    assert "America/New_York" in queries.zones_in_offset_range(-5, -5, january)
    assert "America/New_York" not in queries.zones_in_offset_range(-5, -5, july)


def test_a_hidden_field_is_never_matched_by_a_filter_or_a_word():
    viewer = UserFactory()
    person(
        "hides_all",
        sector="museum",
        country="FR",
        time_zone="Europe/Paris",
        organisation="Louvre",
        hidden_fields=["sector", "location", "time_zone", "organisation"],
    )
    assert found_people(viewer, "hides") == ["hides_all"]
    assert found_people(viewer, "louvre") == []
    assert found_people(viewer, "", sector="museum") == []
    assert found_people(viewer, "", country="FR") == []
    assert found_people(viewer, "hides", utc_offset_min=0, utc_offset_max=3) == []


def test_people_search_has_the_directorys_audience():
    viewer, blocked, blocker = UserFactory(), person("blocked_one"), person("blocker_one")
    person("hidden_one", discoverable=False)
    person("followers_only", visibility=Visibility.FOLLOWERS)
    network_actions.block(blocker=viewer, blocked=blocked)
    network_actions.block(blocker=blocker, blocked=viewer)
    assert found_people(viewer, "one") == []
    assert found_people(viewer, "followers") == []
    assert found_people(None, "followers") == []  # visitors never search people


# --- Hashtags -----------------------------------------------------------------------------------------


def test_hashtags_by_prefix_exact_name_first_with_counts_by_audience(publish):
    author = UserFactory()
    publish(author, "#cat one")
    publish(author, "#catalogue two")
    publish(author, "#catalogue three", Visibility.MEMBERS)
    publish(author, "#catsecret four", Visibility.FOLLOWERS)
    member_view = queries.hashtags(viewer=UserFactory(), prefix="cat")
    assert [(h.name, h.posts) for h in member_view] == [("cat", 1), ("catalogue", 2)]
    assert [(h.name, h.posts) for h in queries.hashtags(viewer=None, prefix="cat")] == [("cat", 1), ("catalogue", 1)]


def test_hashtag_counts_stop_at_the_cap(publish, monkeypatch):
    monkeypatch.setattr(queries, "HASHTAG_COUNT_CAP", 2)
    author = UserFactory()
    for i in range(4):
        publish(author, f"#capped {i}")
    (hit,) = queries.hashtags(viewer=None, prefix="capped")
    assert (hit.posts, hit.capped) == (2, True)
