#!/usr/bin/env python
"""Digest benchmark: every member of a synthetic community due at once, one run, timed.

Builds (once) a synthetic dataset with `readingroom seed synthetic --members N` in a scratch data
directory of its own (bench/var/digests-<database>-<N>; a run changes schedules, so it never uses
the other benchmarks' dataset), then makes it look like a week of activity: likes on recent posts,
replies to some of them, and 1% of members with a "like" notification they chose to get in the
digest. Synthetic follows are all a few minutes old, so every member also has new followers: a
worst case where nearly every member gets a digest.

Each measurement resets every schedule to "weekly, due a minute ago" and times one
`digests.tasks.run_due_digests` (claim, build, render, send, record; progress lines as the worker
logs them). Emails go to a backend that serialises each message to bytes, as an SMTP backend
does before sending, and discards it; --smtp sends them to a local aiosmtpd server instead.

Usage (from the repository root):
    .venv/bin/python bench/digest_bench.py --members 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rr_digest_bench .venv/bin/python bench/digest_bench.py
Options: --members N (default 20000), --batch N (members per batch, default RR_DIGEST_BATCH_SIZE),
--repeat N (runs to time, default 1), --runs N (worker processes sending at once, as with N
`readingroom worker`s; default 1), --smtp, --profile (cProfile of one run, top 25 by own time).
Prints members/s and writes bench/results/digests-<database>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class SerializingBackend:
    """An email backend that does what SMTP's does to a message up to the wire, then drops it."""

    sent = 0
    bytes = 0

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return False

    def close(self):
        pass

    def send_messages(self, messages):
        for message in messages:
            SerializingBackend.bytes += len(message.message().as_bytes(linesep="\r\n"))
        SerializingBackend.sent += len(messages)
        return len(messages)


def setup(label: str, members: int) -> None:
    os.environ.setdefault("RR_DATA_DIR", str(ROOT / "bench" / "var" / f"digests-{label}-{members}"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "readingroom.settings"
    os.environ["RR_EMAIL_VERIFICATION"] = "none"  # synthetic members have no confirmed-address rows
    # Runs here are timed in-process: nothing is queued for a worker (no helper runs either).
    os.environ["RR_TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import django

    django.setup()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], check=True, env=os.environ)


def ensure_dataset(members: int) -> None:
    from readingroom.accounts.models import User
    from readingroom.ops.synthetic import seed_synthetic

    if User.objects.filter(email__endswith="@bench.invalid").count() >= members:
        print("dataset present")
        return

    class Out:
        def write(self, line: str) -> None:
            print(line, flush=True)

    seed_synthetic(members=members, stdout=Out())
    add_week_of_activity(random.Random(7))


def add_week_of_activity(rng: random.Random) -> None:
    """Likes on the last week's posts, replies to 5% of them, and digest-wanted notifications."""
    from django.db import connection, transaction
    from django.utils import timezone

    from readingroom.accounts.models import User
    from readingroom.notifications.models import Notification, NotificationActor, NotificationPreference
    from readingroom.posts.models import Post

    started = time.monotonic()
    week = timezone.now() - timedelta(days=7)
    recent = list(Post.objects.filter(created_at__gte=week).values_list("pk", "author_id"))
    members = list(User.objects.filter(email__endswith="@bench.invalid").values_list("pk", flat=True))
    table = Post._meta.db_table
    random_count = "abs(random()) % 6" if connection.vendor == "sqlite" else "floor(random() * 6)::int"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET likes_count = {random_count}, boosts_count = {random_count} WHERE created_at >= %s",
            [week],
        )
    replies = [
        Post(
            author_id=rng.choice(members), body="A reply", body_html="<p>A reply</p>", reply_to_id=pk, thread_root_id=pk
        )
        for pk, _ in rng.sample(recent, len(recent) // 20)
    ]
    Post.objects.bulk_create(replies, batch_size=2000)
    chosen = rng.sample(recent, min(len(members) // 100, len(recent)))
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(member_id=author, kind="like", delivery="digest") for _, author in chosen],
        ignore_conflicts=True,
    )
    notes = Notification.objects.bulk_create(
        [Notification(recipient_id=author, kind="like", subject_id=pk) for pk, author in chosen],
        ignore_conflicts=True,
        batch_size=2000,
    )
    notes = list(Notification.objects.filter(kind="like", subject_id__in=[pk for pk, _ in chosen]))
    actors = NotificationActor.objects.bulk_create(
        [NotificationActor(notification=n, actor_id=rng.choice(members)) for n in notes], batch_size=2000
    )
    for n, a in zip(notes, actors, strict=True):
        n.position = a.pk
    Notification.objects.bulk_update(notes, ["position"], batch_size=2000)
    with connection.cursor() as cursor:  # fresh planner statistics, as the worker's PRAGMA optimize keeps them
        cursor.execute("ANALYZE")
    print(
        f"a week of activity: likes and boosts on {len(recent):,} posts, {len(replies):,} replies, "
        f"{len(notes):,} digest notifications in {time.monotonic() - started:.1f}s"
    )


def reset_schedules() -> dict:
    """Every member weekly and due a minute ago, with no digest sent yet."""
    from django.utils import timezone

    from readingroom.digests import actions
    from readingroom.digests.models import Digest, DigestRun, DigestSchedule

    started = time.monotonic()
    created = actions.schedule_new_members(now=timezone.now())
    backfill = time.monotonic() - started
    Digest.objects.all().delete()
    DigestRun.objects.all().delete()
    DigestSchedule.objects.update(
        frequency="weekly", next_digest_at=timezone.now() - timedelta(minutes=1), last_sent_until=None
    )
    return {"schedules_created": created, "schedules_created_seconds": backfill}


def time_phases() -> None:
    """Wrap the run's steps with timers (seconds summed over a run, in PHASES)."""
    from readingroom.digests import actions, content, tasks

    spent = PHASES

    def timed(owner, name: str, label: str) -> None:
        inner = getattr(owner, name)

        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - start

        setattr(owner, name, wrapper)

    timed(actions, "claim_due", "claim")
    timed(content, "recipients", "recipients")
    timed(content, "read_candidates", "content: candidate rows")
    timed(content.VISIBLE_POSTS, "allowed", "content: post visibility")
    timed(content.VISIBLE_PEOPLE, "allowed", "content: profile visibility")
    timed(content, "_post_items", "content: post fields")
    timed(content, "_notifications", "content: notifications")
    timed(tasks, "build_message", "render (text + HTML)")
    timed(tasks, "_deliver", "send (MIME + backend)")
    timed(actions, "record_outcomes", "record outcomes")


PHASES: dict[str, float] = {}


def measure_run(batch: int | None) -> dict:
    from digest_bench import SerializingBackend  # the class Django loads, not __main__'s copy

    from readingroom.digests.tasks import run_due_digests

    SerializingBackend.sent = SerializingBackend.bytes = 0
    PHASES.clear()
    started = time.monotonic()
    outcome = run_due_digests(batch_size=batch, log=lambda line: print(line, flush=True))
    seconds = time.monotonic() - started
    total = sum(outcome.values())
    return {
        "members": total,
        "seconds": seconds,
        "members_per_second": total / seconds,
        "outcome": {str(k): v for k, v in outcome.items()},
        "bytes_per_email": SerializingBackend.bytes // max(SerializingBackend.sent, 1),
        "phases_seconds": {name: round(value, 2) for name, value in PHASES.items()},
    }


def _worker_run(batch: int | None, results) -> None:
    """One worker process's run (for --runs N): Django set up afresh from the inherited environment."""
    import django

    django.setup()
    from django.conf import settings

    from readingroom.digests.tasks import run_due_digests

    settings.EMAIL_BACKEND = "digest_bench.SerializingBackend"
    outcome = run_due_digests(batch_size=batch, log=lambda line: print(line, flush=True))
    results.put({str(k): v for k, v in (outcome or {}).items()})


def measure_parallel(batch: int | None, runs: int) -> dict:
    """`runs` worker processes each start a run at once, as several `readingroom worker`s would."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    started = time.monotonic()
    processes = [context.Process(target=_worker_run, args=(batch, results)) for _ in range(runs)]
    for process in processes:
        process.start()
    outcomes = [results.get() for _ in processes]
    for process in processes:
        process.join()
    seconds = time.monotonic() - started
    total: dict[str, int] = {}
    for outcome in outcomes:
        for status, count in outcome.items():
            total[status] = total.get(status, 0) + count
    members = sum(total.values())
    return {"members": members, "seconds": seconds, "members_per_second": members / seconds, "outcome": total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--smtp", action="store_true", help="send to a local aiosmtpd server")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--runs", type=int, default=1, help="worker processes running at once (RR_DIGEST_RUNS)")
    args = parser.parse_args()
    label = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    setup(label, args.members)
    from django.conf import settings

    ensure_dataset(args.members)
    controller = None
    if args.smtp:
        from aiosmtpd.controller import Controller
        from aiosmtpd.handlers import Sink

        controller = Controller(Sink(), hostname="127.0.0.1", port=8025)
        controller.start()
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 8025
    else:
        settings.EMAIL_BACKEND = "digest_bench.SerializingBackend"
    time_phases()
    runs = []
    for _ in range(args.repeat):
        prepared = reset_schedules()
        if args.runs > 1:
            os.environ["RR_DIGEST_RUNS"] = str(args.runs)
            result = measure_parallel(args.batch, args.runs)
        elif args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            result = measure_run(args.batch)
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("tottime").print_stats(25)
            stats.sort_stats("cumtime").print_stats("digests|mail/message|template/loader")
        else:
            result = measure_run(args.batch)
        runs.append({**prepared, **result})
        print(json.dumps(runs[-1], default=float))
    if controller is not None:
        controller.stop()
    best = min(runs, key=lambda r: r["seconds"])
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    summary = {"database": label, "members": args.members, "smtp": args.smtp, "processes": args.runs, "runs": runs}
    (out / f"digests-{label}.json").write_text(json.dumps(summary, indent=2, default=float))
    per_100k = 100_000 / best["members_per_second"]
    print(
        f"\n### digests, {label}: {best['members']:,} members in {best['seconds']:.1f}s "
        f"= {best['members_per_second']:.0f} members/s (100,000 members: {per_100k:.0f}s at this rate)"
    )


if __name__ == "__main__":
    main()
