"""The scheduler every worker runs: it queues one digest run at a time, and the real worker
process sends due digests to a real SMTP server."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from readingroom.digests import actions, scheduler, tasks
from readingroom.digests.models import DigestRun
from readingroom.digests.tests.conftest import make_due
from readingroom.testing.factories import FollowFactory, PostFactory, UserFactory

ROOT = Path(settings.BASE_DIR)


def digest_jobs():
    return DBTaskResult.objects.filter(task_path=tasks.send_due_digests.module_path)


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db
def test_a_tick_queues_one_run_when_digests_are_due_and_none_is_queued(database_queue, member):
    ben = UserFactory()
    FollowFactory(follower=member, followee=ben)
    PostFactory(author=ben)
    make_due(member)
    assert scheduler.tick() is True
    assert scheduler.tick() is False  # already queued: several workers ticking queue one run
    [job] = digest_jobs()
    assert job.task.call() == "sent 1"
    assert scheduler.tick() is False  # nothing due, everyone scheduled
    assert DigestRun.objects.get(pk=1).queued_until is None


@pytest.mark.django_db
def test_no_run_is_queued_while_every_run_slot_is_sending(database_queue, member, settings):
    settings.RR_DIGEST_RUNS = 2
    make_due(member)
    assert actions.take_lease(holder="busy worker", now=timezone.now())
    assert actions.take_lease(holder="another busy worker", now=timezone.now())
    assert scheduler.tick() is False
    assert not digest_jobs().exists()
    actions.release_lease(holder="busy worker")
    assert scheduler.tick() is True  # a free slot: a second worker may share the work


@pytest.mark.django_db
def test_a_queued_run_that_never_started_is_queued_again_later(database_queue, member, monkeypatch):
    make_due(member)
    assert scheduler.tick() is True
    later = timezone.now() + timedelta(minutes=11)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert scheduler.tick() is True
    assert digest_jobs().count() == 2  # the second run finds the lease free or does nothing


@pytest.mark.django_db
def test_a_large_run_queues_a_helper_for_another_worker(database_queue, settings):
    settings.RR_DIGEST_RUNS = 2
    ben = UserFactory()
    PostFactory(author=ben)
    for member in [UserFactory() for _ in range(5)]:
        FollowFactory(follower=member, followee=ben)
        make_due(member)
    assert tasks.run_due_digests(batch_size=2) == {"sent": 5}
    [helper] = digest_jobs()  # more than two batches were due: a second worker could have helped
    assert helper.task.call() == "nothing due"  # this one worker sent them all first


@pytest.mark.django_db
def test_nothing_is_queued_when_there_is_no_work(database_queue):
    assert scheduler.tick() is False
    assert not digest_jobs().exists()


def test_the_worker_process_sends_due_digests_and_logs_progress(tmp_path, smtp_server):
    """`readingroom worker --batch` ticks the scheduler once, then runs the queued run; a running
    worker's scheduler thread queues runs by itself. Its own SQLite site in a temporary data
    directory, on every CI leg."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "RR_TASK_BACKEND"} and "PYTEST" not in k}
    env |= {
        "RR_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'readingroom.sqlite3'}",
        "RR_PLAIN_STATIC": "1",
        "RR_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "RR_EMAIL_HOST": smtp_server.host,
        "RR_EMAIL_PORT": str(smtp_server.port),
        "RR_EMAIL_VERIFICATION": "none",
        "RR_DIGEST_CHECK_SECONDS": "1",
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "readingroom.ops.cli"]

    def readingroom(*args):
        done = subprocess.run([*command, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout + done.stderr

    def due_member(name, body):  # each shell starts the factories' sequences afresh: explicit handles
        readingroom(
            "shell",
            "-c",
            "from readingroom.testing.factories import UserFactory, FollowFactory, PostFactory\n"
            "from readingroom.digests.tests.conftest import make_due\n"
            f"member = UserFactory(email='{name}@example.org', profile__handle='{name}')\n"
            f"author = UserFactory(email='{name}_author@example.org', profile__handle='{name}_author')\n"
            f"FollowFactory(follower=member, followee=author); PostFactory(author=author, body='{body}')\n"
            "make_due(member)",
        )

    readingroom("migrate", "--noinput", "-v", "0")
    due_member("ana", "Worth a look")
    log = readingroom("worker", "--batch")
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "ana@example.org"
    assert "Worth a look" in message.get_body(("plain",)).get_content()
    assert "digests: 1/1 (100%)" in log

    due_member("ben", "Also worth a look")
    worker = subprocess.Popen(
        [*command, "worker"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        second = smtp_server.wait_for(2, timeout=60)[1]
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    assert second["To"] == "ben@example.org"
    assert "Also worth a look" in second.get_body(("plain",)).get_content()
