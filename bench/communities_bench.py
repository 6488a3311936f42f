#!/usr/bin/env python
"""Communities benchmark (discussions and direct messages) over real HTTP against the production
server configuration.

Builds (once, in its own database) dataset S's members and follows (bench/timeline_bench.py) plus
issue 5's discussions: 200 groups, 50k topics with a Zipf-skewed number of replies (1M in all) and
one topic of exactly 500 replies (readingroom/ops/synthetic_discussions.py), and 1M direct
messages in 50k conversations (readingroom/ops/synthetic_messages.py). Then starts
`readingroom serve` (granian WSGI, DEBUG off) and `readingroom worker` and drives concurrent
clients, signed in as members of the largest group (2,000 members, thousands of topics), through:

- the group's topic list, latest activity first (page 1), and 20 pages deep by its keyset cursor;
- the same list ordered by most replies (top);
- the 500-reply topic: its first page and its last page of replies (50 per page, with authors,
  parents and attachments, and the reader's position recorded);
- posting a reply to a topic;
- a member's conversation list (members with about 170 conversations), a conversation's page of
  its latest messages, and sending a message.

Targets (issue 5): topic list and a 500-reply topic page p95 ≤ 20 ms; conversation list p95 ≤ 10 ms.

Usage (from the repository root):
    .venv/bin/python bench/communities_bench.py                      # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rr_bench_communities REDIS_URL=redis://127.0.0.1:6379/1 \
        .venv/bin/python bench/communities_bench.py                  # PostgreSQL + Redis
Options: --requests N per scenario (default 2000), --runs N (default 3), --connections N (default 8),
--members N (default 10000). Prints a Markdown table (medians over runs) and writes
bench/results/communities-<database>-c<N>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
import timeline_bench as tb  # noqa: E402  (the server, sessions and clients are shared)

SCENARIOS = ["topic list (latest)", "topic list page 20", "topic list (top)", "topic page 1 (500 replies)",
             "topic last page (500 replies)", "post a reply", "conversation list", "conversation page",
             "send a message"]  # fmt: skip


def ensure_dataset(members: int) -> None:
    class Out:
        def write(self, line: str) -> None:
            print(line, flush=True)

    tb.ensure_dataset(members)
    from readingroom.ops.synthetic_discussions import seed_discussions

    seed_discussions(stdout=Out())
    from readingroom.ops.synthetic_messages import seed_messages

    seed_messages(stdout=Out())


def plan(requests: int) -> dict[str, list[tuple]]:
    from django.urls import reverse

    from readingroom.accounts.models import User
    from readingroom.discussions import queries
    from readingroom.discussions.models import Topic
    from readingroom.groups.models import Group, Membership
    from readingroom.ops.synthetic_discussions import BIG_GROUP_SLUG, LONG_TOPIC_TITLE

    rng = random.Random(9)
    group = Group.objects.get(slug=BIG_GROUP_SLUG)
    readers = list(Membership.objects.filter(group=group).order_by("user_id").values_list("user_id", flat=True)[:300])
    sessions = tb.make_sessions(readers)
    long_topic = Topic.objects.get(group=group, title=LONG_TOPIC_TITLE)
    someone = User.objects.get(pk=readers[0])
    cursor, filters = None, queries.TopicFilters()
    for _ in range(19):  # the cursor that opens page 20
        page = queries.topic_list(someone, group, filters, after=queries.parse_topic_cursor(cursor))
        cursor = page.next_cursor
    assert cursor, "the big group has fewer than 20 pages of topics"
    listing = reverse("discussions:list", args=[group.slug])
    topic_path = reverse("discussions:topic", args=[group.slug, long_topic.pk])
    last_from = queries.page_start(long_topic, long_topic.last_number)
    open_topics = list(
        Topic.objects.filter(group=group, is_locked=False, is_archived=False)
        .exclude(pk=long_topic.pk)
        .order_by("-pk")
        .values_list("pk", flat=True)[:200]
    )

    def sk():
        return sessions[rng.choice(readers)]

    scenarios: dict[str, list[tuple]] = {name: [] for name in SCENARIOS}
    for _ in range(requests):
        scenarios["topic list (latest)"].append(("GET", listing, sk(), None))
        scenarios["topic list page 20"].append(("GET", f"{listing}?after={quote(cursor)}", sk(), None))
        scenarios["topic list (top)"].append(("GET", f"{listing}?sort=top", sk(), None))
        scenarios["topic page 1 (500 replies)"].append(("GET", topic_path, sk(), None))
        scenarios["topic last page (500 replies)"].append(("GET", f"{topic_path}?from={last_from}", sk(), None))
        target = reverse("discussions:reply", args=[group.slug, rng.choice(open_topics)])
        body = quote(f"Benchmark reply {secrets.token_hex(4)}: what worked for our cataloguing team")
        scenarios["post a reply"].append(("POST", target, sk(), f"body={body}"))
    _plan_messages(scenarios, requests, rng)
    return scenarios


def _plan_messages(scenarios: dict, requests: int, rng: random.Random) -> None:
    from django.urls import reverse

    from readingroom.accounts.models import User
    from readingroom.messaging.models import Participant
    from readingroom.ops.synthetic_messages import HEAVY_MEMBERS

    heavy = list(
        User.objects.filter(email__endswith="@bench.invalid")
        .order_by("pk")
        .values_list("pk", flat=True)[:HEAVY_MEMBERS]
    )
    sessions = tb.make_sessions(heavy)
    theirs = {}
    for uid, conversation_id in Participant.objects.filter(user_id__in=heavy, left_at__isnull=True).values_list(
        "user_id", "conversation_id"
    ):
        theirs.setdefault(uid, []).append(conversation_id)
    inbox = reverse("messaging:inbox")
    for _ in range(requests):
        uid = rng.choice(heavy)
        scenarios["conversation list"].append(("GET", inbox, sessions[uid], None))
        uid = rng.choice(heavy)
        conversation = rng.choice(theirs[uid])
        scenarios["conversation page"].append(
            ("GET", reverse("messaging:conversation", args=[conversation]), sessions[uid], None)
        )
        uid = rng.choice(heavy)
        conversation = rng.choice(theirs[uid])
        body = quote(f"Benchmark message {secrets.token_hex(4)}: see you at the chat tonight")
        scenarios["send a message"].append(
            ("POST", reverse("messaging:send", args=[conversation]), sessions[uid], f"body={body}")
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    tb.CLIENTS = args.connections
    label = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    tb.setup_env(f"communities-{label}")
    ensure_dataset(args.members)
    scenarios = plan(args.requests)
    runs = []
    for run in range(args.runs):
        server, worker = tb.start_processes()
        try:
            result = {name: tb.run_scenario(jobs) for name, jobs in scenarios.items()}
            result["web worker memory (MB)"] = tb.worker_memory_mb(server)
        finally:
            tb.stop(server, worker)
        runs.append(result)
        print(f"run {run + 1}: " + json.dumps(result, default=float), flush=True)
    out = tb.ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    name = f"communities-{label}-c{args.connections}"
    (out / f"{name}.json").write_text(json.dumps(runs, indent=2))
    print(f"\n### {name} (median of {len(runs)} runs)\n")
    print("| operation | p50 ms | p95 ms | p99 ms | req/s | errors |")
    print("|---|---|---|---|---|---|")
    for scenario in SCENARIOS:
        med = {k: statistics.median(r[scenario][k] for r in runs) for k in ("p50", "p95", "p99", "rps", "errors")}
        cells = [f"{med[k]:.1f}" for k in ("p50", "p95", "p99")] + [f"{med['rps']:.0f}", f"{med['errors']:.0f}"]
        print(f"| {scenario} | " + " | ".join(cells) + " |")
    memory = max(r["web worker memory (MB)"]["private"] for r in runs)
    print(f"\nper web worker: at most {memory:.0f} MB private memory")


if __name__ == "__main__":
    main()
