"""The indexes follow their tables through database triggers, and can be rebuilt in bulk."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from readingroom.accounts import actions as account_actions
from readingroom.core.models import Visibility
from readingroom.posts import actions as post_actions
from readingroom.posts.models import Post
from readingroom.search import index
from readingroom.search.engine import parse_terms, post_ids_newest
from readingroom.testing.factories import UserFactory


def found(text: str) -> list[int]:
    return post_ids_newest(parse_terms(text), before=None, limit=100)


@pytest.fixture
def author(db):
    return UserFactory()


def publish(author, body, capture, **kwargs) -> Post:
    with capture(execute=True):
        return post_actions.create_post(author=author, body=body, visibility=Visibility.PUBLIC, **kwargs)


def test_a_new_post_is_found_an_edited_post_by_its_new_words_and_a_deleted_post_not_at_all(
    author, django_capture_on_commit_callbacks
):
    post = publish(author, "Weeding the reference collection", django_capture_on_commit_callbacks)
    assert found("weeding") == [post.pk]
    post_actions.edit_post(post=post, editor=author, body="Rearranging the reference collection")
    assert found("weeding") == []
    assert found("rearranging") == [post.pk]
    post_actions.delete_post(post=post, actor=author)
    assert found("rearranging") == []


def test_boosts_have_no_text_and_are_not_indexed(author, django_capture_on_commit_callbacks):
    original = publish(author, "Conservation lab open day", django_capture_on_commit_callbacks)
    booster = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        post_actions.boost(user=booster, post=original)
    assert Post.objects.filter(boost_of=original).exists()
    assert found("conservation") == [original.pk]


def test_bulk_inserts_update_the_index_through_the_triggers(author):
    Post.objects.bulk_create([Post(author=author, body=f"Bulk loaded item {i}", body_html="") for i in range(5)])
    assert len(found("bulk loaded")) == 5


def test_profile_words_follow_profile_edits_and_hidden_fields(member):
    profile = member.profile
    account_actions.update_profile(profile=profile, data={"organisation": "Wellcome Collection"})
    profile.refresh_from_db()
    assert "Wellcome Collection" in profile.search_text
    account_actions.update_profile(profile=profile, data={"hidden_fields": ["organisation"]})
    profile.refresh_from_db()
    assert "Wellcome" not in profile.search_text


def test_rebuilding_gives_the_same_answers_as_the_triggers(author, django_capture_on_commit_callbacks):
    for word in ("alpha", "beta", "alpha beta"):
        publish(author, f"Rebuild check {word}", django_capture_on_commit_callbacks)
    before = {w: found(w) for w in ("alpha", "beta", "rebuild")}
    index.rebuild_search_index()
    assert {w: found(w) for w in ("alpha", "beta", "rebuild")} == before


def test_a_bulk_load_without_triggers_is_indexed_when_it_ends(author):
    with index.bulk_load():
        Post.objects.bulk_create([Post(author=author, body=f"Quiet load {i}", body_html="") for i in range(3)])
        assert found("quiet") == []  # triggers are off meanwhile
    assert len(found("quiet")) == 3
    Post.objects.create(author=author, body="Quiet again", body_html="")
    assert len(found("quiet")) == 4  # and back on afterwards


def test_missing_triggers_are_recreated_after_migrate(author):
    index.drop_triggers()
    assert sorted(index.ensure_triggers()) == ["post", "profile"]
    assert index.ensure_triggers() == []
    Post.objects.create(author=author, body="Triggers restored", body_html="")
    assert len(found("restored")) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE triggers are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_truncating_posts_empties_the_postgresql_index():
    author = UserFactory()
    Post.objects.create(author=author, body="Soon truncated", body_html="")
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Post._meta.db_table} CASCADE")
        cursor.execute("SELECT count(*) FROM search_post_doc")
        assert cursor.fetchone()[0] == 0


def test_the_rebuild_command_reindexes_everything_and_restores_the_triggers(author):
    index.drop_triggers()
    Post.objects.create(author=author, body="Missed by the index", body_html="")
    assert found("missed") == []
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "Search index rebuilt" in out.getvalue()
    assert len(found("missed")) == 1
    Post.objects.create(author=author, body="Missed no more", body_html="")
    assert len(found("missed")) == 2
