"""The synthetic generator writes rows directly (COPY / executemany and set-based timeline SQL),
so these tests check that what it writes is what the application itself would have written."""

import io

import pytest
from django.test import Client

from readingroom.accounts.models import Follow, Profile, User
from readingroom.core.models import Visibility
from readingroom.core.text import render_post
from readingroom.ops.synthetic import seed_synthetic
from readingroom.posts.models import Post, PostHashtag, TimelineEntry
from readingroom.posts.timeline import rebuild_home_timeline


@pytest.fixture
def dataset(db):
    out = io.StringIO()
    seed_synthetic(members=60, posts=900, follows_per_member=8, hashtags=12, stdout=out, active_percent=50)
    return out.getvalue()


def test_counts_and_progress(dataset):
    assert User.objects.filter(email__endswith="@bench.invalid").count() == 60
    assert Post.objects.count() == 900
    assert 8 * 40 <= Follow.objects.count() <= 8 * 60
    assert "posts: 900/900 (100%)" in dataset
    profile = Profile.objects.order_by("-followers_count").first()
    assert profile.followers_count == Follow.objects.filter(followee=profile.user).count()


def test_posts_render_as_the_composer_would(dataset):
    for post in Post.objects.order_by("?")[:40]:
        html = render_post(post.body, mention_url=lambda _h: None, hashtag_url=lambda name: f"/tags/{name}")
        assert post.body_html == html
        tags = sorted(PostHashtag.objects.filter(post=post).values_list("hashtag__name", flat=True))
        assert tags == sorted(word[1:] for word in post.body.split() if word.startswith("#"))


def test_a_new_post_gets_a_fresh_id(dataset, member):
    from readingroom.posts.actions import create_post

    post = create_post(author=member, body="After the synthetic posts", visibility=Visibility.PUBLIC)
    assert post.pk > Post.objects.exclude(pk=post.pk).order_by("-id").first().pk


def test_stored_timelines_match_a_rebuild(dataset):
    active = User.objects.filter(email__endswith="@bench.invalid", last_seen_at__isnull=False)
    seen = {u.pk: u for u in active}
    built = {}
    for uid in seen:
        built[uid] = list(
            TimelineEntry.objects.filter(owner_id=uid).order_by("-post_id").values_list("post_id", flat=True)
        )
    with_rows = [uid for uid, rows in built.items() if rows]
    without_rows = [uid for uid, rows in built.items() if not rows]
    assert with_rows and without_rows  # about half are away, and away members get no stored timeline
    for uid in with_rows:
        rebuild_home_timeline(owner=seen[uid])
        rebuilt = list(
            TimelineEntry.objects.filter(owner_id=uid).order_by("-post_id").values_list("post_id", flat=True)
        )
        assert rebuilt == built[uid]


def test_a_synthetic_member_can_read_their_home(dataset):
    owner = TimelineEntry.objects.values_list("owner_id", flat=True).first()
    client = Client()
    client.force_login(User.objects.get(pk=owner))
    response = client.get("/")
    assert response.status_code == 200
    newest = TimelineEntry.objects.filter(owner_id=owner).order_by("-post_id").first().post
    assert newest.body_html.split(".")[0][3:] in response.content.decode()


def test_the_indexes_dropped_for_the_load_are_all_back(db):
    from django.db import connection

    def indexes():
        with connection.cursor() as cursor:
            return {
                table: set(connection.introspection.get_constraints(cursor, table))
                for table in ("posts_post", "posts_posthashtag", "accounts_follow")
            }

    before = indexes()
    seed_synthetic(members=10, posts=30, follows_per_member=2, hashtags=8, stdout=io.StringIO())
    assert indexes() == before
    assert "post_author_idx" in before["posts_post"]


def test_synthetic_posts_and_members_are_searchable(dataset):
    from readingroom.search.engine import parse_terms
    from readingroom.search.queries import PeopleFilters, people, posts_newest

    viewer = User.objects.filter(email__endswith="@bench.invalid").first()
    post = Post.objects.order_by("-id").first()
    word = post.body.split()[1].strip(".").lower()
    found = posts_newest(viewer=viewer, terms=parse_terms(word)).items
    assert found and all(word in p.body.lower() for p in found)
    member = Profile.objects.exclude(user=viewer).order_by("user_id").first()
    hits = people(viewer=viewer, terms=parse_terms(member.handle), filters=PeopleFilters()).items
    assert member.handle in [p.handle for p in hits]
