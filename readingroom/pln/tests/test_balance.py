"""The balance figures against constructed activity, and each suggestion rule firing and not."""

import datetime

import pytest
from django.utils import timezone

from readingroom.cpd.models import CPDEntry
from readingroom.pln import queries, suggestions
from readingroom.pln.queries import Balance
from readingroom.pln.tests.factories import ReadingDayFactory, StageCheckInFactory, TimeIntentionFactory, days_ago
from readingroom.posts import actions as post_actions
from readingroom.posts.models import Post
from readingroom.testing.factories import FollowFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def at(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def backdate(post: Post, days: int) -> Post:
    Post.objects.filter(pk=post.pk).update(created_at=at(days))
    return post


def cpd(owner, *, quarters: int, started_on: datetime.date, n: int = 0) -> CPDEntry:
    return CPDEntry.objects.create(
        owner=owner,
        title=f"Webinar {n}",
        started_on=started_on,
        activity_type="webinar",
        quarter_hours=quarters,
        fingerprint=f"fp-{owner.pk}-{n}",
    )


def test_balance_figures_come_from_the_members_own_activity_in_the_last_4_weeks(member):
    other = UserFactory()
    for _ in range(3):
        FollowFactory(follower=member)
    FollowFactory(follower=other, followee=member)  # a follower, not a follow
    post_actions.follow_hashtag(user=member, name="archives")
    ReadingDayFactory(owner=member, day=days_ago(0), pages=4, posts_seen=80)
    ReadingDayFactory(owner=member, day=days_ago(10), pages=2, posts_seen=40)
    ReadingDayFactory(owner=member, day=days_ago(27), pages=1, posts_seen=10)
    ReadingDayFactory(owner=member, day=days_ago(28), pages=9, posts_seen=900)  # before the period
    ReadingDayFactory(owner=other, day=days_ago(0), pages=9, posts_seen=900)  # someone else's
    original = PostFactory(author=other)
    PostFactory(author=member)
    backdate(PostFactory(author=member), 12)
    PostFactory(author=member, reply_to=original)
    PostFactory(author=member, boost_of=original)
    backdate(PostFactory(author=member), 40)  # too old
    PostFactory(author=other)
    TimeIntentionFactory(owner=member, minutes_per_week=90)
    cpd(member, quarters=6, started_on=days_ago(3), n=1)
    cpd(member, quarters=4, started_on=days_ago(60), n=2)  # too old
    cpd(other, quarters=8, started_on=days_ago(3), n=3)

    b = queries.balance_for(member)

    assert (b.start, b.end) == (days_ago(27), days_ago(0))
    assert (b.following_people, b.following_hashtags, b.following) == (3, 1, 4)
    assert (b.days_active, b.pages, b.posts_seen) == (3, 7, 130)
    assert (b.posts, b.replies, b.boosts, b.contributions) == (2, 1, 1, 4)
    assert b.intention_minutes == 90 and b.intended_minutes == 360
    assert b.cpd_quarter_hours == 6 and b.cpd_hours == 1.5 and b.cpd_minutes == 90
    assert b.reading_minutes == round((7 * 30 + 130 * 15) / 60) == 36
    assert b.recorded_minutes == 126 and b.recorded_minutes_per_week == 32
    assert [w.posts_read for w in b.weeks] == [10, 0, 40, 80]
    assert [w.contributions for w in b.weeks] == [0, 0, 1, 3]
    assert b.weeks[0].start == b.start and b.weeks[-1].end == b.end


def test_a_member_with_no_activity_gets_zeros_and_no_intention(member):
    b = queries.balance_for(member)
    assert (b.following, b.days_active, b.posts_seen, b.contributions) == (0, 0, 0, 0)
    assert b.intention_minutes is None and b.cpd_quarter_hours == 0
    assert [w.posts_read for w in b.weeks] == [0, 0, 0, 0]


def test_the_balance_costs_a_fixed_handful_of_queries(member, django_assert_max_num_queries):
    for n in range(20):
        ReadingDayFactory(owner=member, day=days_ago(n), pages=30, posts_seen=600)
        PostFactory(author=member)
    post_actions.follow_hashtag(user=member, name="busy")
    with django_assert_max_num_queries(7):
        queries.balance_for(member)


def test_the_busiest_followed_hashtag_comes_from_the_home_timeline(member, django_capture_on_commit_callbacks):
    author = UserFactory()
    FollowFactory(follower=member, followee=author)
    post_actions.follow_hashtag(user=member, name="cataloguing")
    post_actions.follow_hashtag(user=member, name="quiet")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            post_actions.create_post(author=author, body=f"Post {n} #cataloguing", visibility="public")
        post_actions.create_post(author=author, body="One #quiet post", visibility="public")
        post_actions.create_post(author=author, body="Not followed #elsewhere", visibility="public")
    assert queries.busiest_followed_hashtag(member, since=days_ago(27)) == ("cataloguing", 3)
    assert queries.busiest_followed_hashtag(UserFactory(), since=days_ago(27)) is None


def test_recent_check_ins_are_the_members_own_newest_first(member):
    first = StageCheckInFactory(owner=member, stage="immersion")
    latest = StageCheckInFactory(owner=member, stage="evaluation")
    StageCheckInFactory()
    assert queries.latest_check_in(member) == latest
    assert queries.recent_check_ins(member) == [latest, first]
    page = queries.check_ins_page(member, size=1)
    assert page.items == [latest] and page.next_cursor == latest.pk
    assert queries.check_ins_page(member, before=page.next_cursor, size=1).items == [first]
    assert queries.check_in_by_id(10**30) is None and queries.check_in_by_id(0) is None


def test_the_hub_summary_names_the_latest_stage_and_a_headline_figure(member):
    assert "Take the stage check-in" in queries.hub_summary(member)["lines"][0]
    StageCheckInFactory(owner=member, stage="perspective")
    ReadingDayFactory(owner=member, posts_seen=42)
    PostFactory(author=member)
    lines = queries.hub_summary(member)["lines"]
    assert lines[0].startswith("Latest check-in: Perspective (")
    assert lines[1] == "Last 4 weeks: about 42 posts read, 1 of your own posts, replies and boosts."


# --- The suggestion rules, on figures alone -------------------------------------------------


def figures(**changes) -> Balance:
    """A member in balance: reads moderately, contributes, follows enough, keeps to their time."""
    start = days_ago(27)
    base = dict(
        start=start,
        end=days_ago(0),
        following_people=20,
        following_hashtags=3,
        days_active=10,
        pages=40,
        posts_seen=300,
        posts=2,
        replies=3,
        boosts=1,
        intention_minutes=30,
        cpd_quarter_hours=0,
    )
    base.update(changes)
    return Balance(**base)


def keys(b: Balance, busiest=None) -> list[str]:
    return [s.key for s in suggestions.suggest(b, busiest_hashtag=busiest)]


def test_a_member_in_balance_is_told_to_keep_it_up():
    b = figures()
    assert b.recorded_minutes >= 0.5 * b.intended_minutes  # the fixture really is in balance
    assert keys(b) == ["balanced"]
    (only,) = suggestions.suggest(b)
    assert only.title == "You're in balance — keep it up" and only.url == ""


@pytest.mark.parametrize(
    "changes",
    [{"posts_seen": 600}, {"days_active": 20}, {"intention_minutes": 10}],  # 10 min/week vs ~48 recorded
)
def test_reading_a_lot_suggests_the_weekly_digest(changes):
    got = suggestions.suggest(figures(**changes))
    digest = next(s for s in got if s.key == "digest")
    assert digest.url == "/settings/digest/" and "weekly" in digest.title


def test_reading_moderately_does_not_suggest_the_digest():
    assert "digest" not in keys(figures(posts_seen=599, days_active=19))


def test_many_posts_and_a_busy_followed_hashtag_suggest_quietening_it():
    got = suggestions.suggest(figures(posts_seen=400), busiest_hashtag=("cataloguing", 45))
    tag = next(s for s in got if s.key == "hashtag")
    assert "#cataloguing brought 45 posts" in tag.text and tag.url == "/tags/cataloguing"


@pytest.mark.parametrize(
    ("posts_seen", "busiest"),
    [(299, ("cataloguing", 45)), (400, ("cataloguing", 29)), (400, None)],
)
def test_no_hashtag_suggestion_without_both_many_posts_and_a_busy_hashtag(posts_seen, busiest):
    assert "hashtag" not in keys(figures(posts_seen=posts_seen), busiest)


def test_the_busiest_hashtag_is_only_looked_up_when_it_could_matter():
    assert suggestions.needs_busiest_hashtag(figures(posts_seen=300))
    assert not suggestions.needs_busiest_hashtag(figures(posts_seen=299))
    assert not suggestions.needs_busiest_hashtag(figures(posts_seen=900, following_hashtags=0))


def test_contributing_nothing_suggests_one_reply():
    assert "reply" in keys(figures(posts=0, replies=0, boosts=0))
    assert "reply" not in keys(figures(posts=0, replies=0, boosts=1))


def test_following_very_few_suggests_the_directory():
    got = suggestions.suggest(figures(following_people=5, following_hashtags=4))
    follow = next(s for s in got if s.key == "follow")
    assert follow.url == "/people/" and "two people" in follow.title
    assert "follow" not in keys(figures(following_people=7, following_hashtags=3))


def test_recording_under_half_the_planned_time_suggests_booking_a_slot():
    assert "time" in keys(figures(intention_minutes=120))  # ~48 min recorded vs 480 planned
    assert "time" not in keys(figures(intention_minutes=None))
    assert "time" not in keys(figures(intention_minutes=0))


def test_suggestions_never_shame():
    b = figures(posts_seen=900, days_active=25, posts=0, replies=0, boosts=0, following_people=0, following_hashtags=1)
    text = " ".join(s.title + " " + s.text for s in suggestions.suggest(b, busiest_hashtag=("x", 99))).lower()
    for word in ("too much", "addict", "lazy", "you failed", "should have", "only "):
        assert word not in text
