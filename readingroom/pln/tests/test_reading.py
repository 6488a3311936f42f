"""Reading counts: timeline views report what they showed; the buffer writes at most once a minute."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from readingroom.pln import actions
from readingroom.pln.models import ReadingDay
from readingroom.pln.reading import BUFFER, ReadingBuffer
from readingroom.pln.tests.factories import ReadingDayFactory, days_ago
from readingroom.posts import reading
from readingroom.testing.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(settings):
    """The process-wide buffer on a clock the test moves by hand, with the production interval
    (a test run may lengthen it so no flush lands inside another test's query count)."""
    settings.RR_READING_FLUSH_SECONDS = 60
    fake = Clock()
    real = BUFFER.clock
    BUFFER.clock = fake
    BUFFER.discard()
    yield fake
    BUFFER.clock = real


def readingday_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if "pln_readingday" in q["sql"].lower()]


def test_the_pln_buffer_listens_to_posts_reading():
    assert BUFFER.note in reading._LISTENERS


def test_note_read_with_no_listeners_does_nothing(monkeypatch):
    monkeypatch.setattr(reading, "_LISTENERS", [])
    reading.note_read(1, 20)  # no error, no effect
    assert BUFFER.pending() == {}


def test_fifty_timeline_views_write_nothing_until_the_interval_passes(member, member_client, clock):
    for _ in range(3):
        PostFactory()
    urls = [reverse("posts:home"), reverse("posts:local"), reverse("posts:hashtag", args=["archives"])]
    urls.append(reverse("network:profile", args=[member.profile.handle]))
    with CaptureQueriesContext(connection) as ctx:
        for n in range(50):
            clock.now += 1  # 50 seconds in all: still inside the minute
            assert member_client.get(urls[n % len(urls)]).status_code == 200
    assert readingday_writes(ctx.captured_queries) == []
    assert not ReadingDay.objects.exists()
    ((key, (pages, _posts)),) = BUFFER.pending().items()
    assert key[0] == member.pk and pages == 50

    clock.now += 11  # past the minute: the next view flushes
    with CaptureQueriesContext(connection) as ctx:
        member_client.get(reverse("posts:local"))
    assert len(readingday_writes(ctx.captured_queries)) == 1
    row = ReadingDay.objects.get(owner=member)
    assert row.pages == 51 and BUFFER.pending() == {}


def test_the_posts_shown_are_counted_per_page(member, member_client, clock):
    for _ in range(3):
        PostFactory()
    member_client.get(reverse("posts:local"))
    member_client.get(reverse("posts:local"))
    BUFFER.flush()
    row = ReadingDay.objects.get(owner=member)
    assert (row.pages, row.posts_seen) == (2, 6)


def test_visitors_and_failed_pages_are_not_counted(member_client, member, clock):
    assert Client().get(reverse("posts:local")).status_code == 200
    member_client.get(reverse("network:profile", args=["nobody-here"]))
    assert BUFFER.pending() == {}


def test_flush_adds_to_an_existing_day_and_writes_one_upsert_per_member_day(clock):
    ada, bob = UserFactory(), UserFactory()
    ReadingDayFactory(owner=ada, day=days_ago(0), pages=2, posts_seen=30)
    buffer = ReadingBuffer(clock=clock)
    for _ in range(3):
        buffer.note(ada.pk, 20)
    buffer.note(bob.pk, 5)
    with CaptureQueriesContext(connection) as ctx:
        assert buffer.flush() == 2
    assert len(readingday_writes(ctx.captured_queries)) == 2
    assert ReadingDay.objects.values_list("pages", "posts_seen").get(owner=ada) == (5, 90)
    assert ReadingDay.objects.values_list("pages", "posts_seen").get(owner=bob) == (1, 5)
    assert buffer.flush() == 0  # nothing left


def test_counts_of_a_deleted_member_are_dropped_quietly(clock):
    gone = UserFactory()
    buffer = ReadingBuffer(clock=clock)
    buffer.note(gone.pk, 10)
    gone.delete()
    assert buffer.flush() == 0
    assert not ReadingDay.objects.exists()


def test_a_huge_or_negative_count_is_bounded(clock):
    ada = UserFactory()
    buffer = ReadingBuffer(clock=clock)
    buffer.note(ada.pk, 10**12)
    buffer.note(ada.pk, -5)
    buffer.flush()
    assert ReadingDay.objects.get(owner=ada).posts_seen == 1000


def test_counts_read_against_another_database_are_not_written(clock, monkeypatch):
    ada = UserFactory()
    buffer = ReadingBuffer(clock=clock)
    buffer.note(ada.pk, 10)
    monkeypatch.setattr(buffer, "_db_name", "some-other-database")
    assert buffer.flush() == 0
    assert not ReadingDay.objects.exists()


def test_flush_at_exit_never_raises(clock, monkeypatch):
    ada = UserFactory()
    buffer = ReadingBuffer(clock=clock)
    buffer.note(ada.pk, 10)

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(actions, "add_reading", broken)
    buffer.flush_at_exit()  # logged, not raised
    assert buffer.pending() == {}


def test_threads_noting_at_once_lose_no_count(clock):
    ada = UserFactory()
    buffer = ReadingBuffer(clock=clock)

    def read_many():
        for _ in range(500):
            buffer.note(ada.pk, 2)

    threads = [threading.Thread(target=read_many) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert buffer.pending() == {(ada.pk, days_ago(0)): (4000, 8000)}


@pytest.mark.django_db(transaction=True)
def test_concurrent_flushes_from_two_processes_add_up(clock):
    """Two buffers (as two web processes would have) flushing the same member-day on separate
    connections at once: the upsert adds both, whichever lands first."""
    ada = UserFactory()
    buffers = [ReadingBuffer(clock=clock) for _ in range(2)]
    for buffer in buffers:
        for _ in range(10):
            buffer.note(ada.pk, 3)
    errors = []

    def flush(buffer):
        try:
            buffer.flush()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    if (
        connection.vendor == "sqlite"
        and connection.settings_dict["NAME"] in ("", ":memory:")
        or "mode=memory" in str(connection.settings_dict["NAME"])
    ):
        for buffer in buffers:  # an in-memory SQLite database is one connection: flush in turn
            buffer.flush()
    else:
        threads = [threading.Thread(target=flush, args=(b,)) for b in buffers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert ReadingDay.objects.values_list("pages", "posts_seen").get(owner=ada) == (20, 60)
