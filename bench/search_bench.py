#!/usr/bin/env python
"""Search benchmark, in-process, against the synthetic dataset in bench/var/<database>.

Uses the dataset bench/timeline_bench.py builds (`readingroom seed synthetic`; built here too if
missing), makes sure the search index covers it (timing a full rebuild when it does not, or when
--rebuild is given), then measures, for signed-in members chosen at random:

- the query layer alone (search.queries: index read + visibility + hydrate of a 20-post page):
  posts newest first (page 1 and page 5 by keyset), posts by relevance (ranking the newest 1,000
  matches), people by words, hashtags by prefix;
- whole requests through Django's test client (middleware, session, form, templates; no HTTP
  server): /search/?q=... for everything, posts newest first, posts by relevance.

Queries mix very common words (every synthetic post draws 8-30 words from 33, so each of those
words is in roughly half of all posts: the worst case for an index), pairs and triples of them,
rare hashtag words and a word that is in no post.

Usage (from the repository root):
    .venv/bin/python bench/search_bench.py                     # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rr_bench .venv/bin/python bench/search_bench.py
Options: --members N (dataset size when it must be built, default 10000), --requests N per
scenario (default 300), --rebuild (time a full index rebuild first).
Prints a Markdown table and writes bench/results/search-<database>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timeline_bench import ensure_dataset, make_sessions, setup_env  # noqa: E402

COMMON = ["library", "archive", "metadata", "digital", "preservation", "community", "research", "reading"]
RARE = ["topic250", "topic199", "topic120", "critlib", "cpd23"]
MISSING = ["zanzibarite"]


def queries_to_run(rng: random.Random, n: int) -> list[str]:
    out = []
    for i in range(n):
        kind = i % 6
        if kind in (0, 1):
            out.append(rng.choice(COMMON))
        elif kind == 2:
            out.append(" ".join(rng.sample(COMMON, 2)))
        elif kind == 3:
            out.append(" ".join(rng.sample(COMMON, 3)))
        elif kind == 4:
            out.append(rng.choice(RARE))
        else:
            out.append(rng.choice(MISSING + RARE))
    return out


def percentiles(samples: list[float]) -> dict:
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": q[49] * 1000, "p95": q[94] * 1000, "p99": q[98] * 1000, "n": len(samples)}


def timed(fn, items) -> list[float]:
    out = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        out.append(time.perf_counter() - start)
    return out


def index_status(stdout) -> dict:
    from django.db import connection

    from readingroom.posts.models import Post
    from readingroom.search import index

    with_text = Post.objects.exclude(body="").count()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM search_post_doc")
        else:
            cursor.execute("SELECT count(*) FROM search_post_fts_docsize")
        indexed = cursor.fetchone()[0]
    from readingroom.accounts.models import Profile

    without_text = Profile.objects.filter(search_text="").count()
    status = {"posts_with_text": with_text, "indexed": indexed, "profiles_without_search_text": without_text}
    if indexed != with_text or without_text:
        stdout.write(
            f"index covers {indexed:,} of {with_text:,} posts, {without_text:,} profiles lack text: rebuilding"
        )
        status["rebuild_seconds"] = index.rebuild_search_index(stdout=stdout)
    return status


def measure(requests: int, rng: random.Random) -> dict:
    from django.test import Client

    from readingroom.accounts.models import User
    from readingroom.posts.models import Post
    from readingroom.search import queries
    from readingroom.search.engine import parse_terms
    from readingroom.search.queries import PeopleFilters

    member_ids = list(User.objects.filter(email__endswith="@bench.invalid").values_list("id", flat=True)[:2000])
    members = list(User.objects.filter(pk__in=rng.sample(member_ids, min(200, len(member_ids)))))
    texts = queries_to_run(rng, requests)
    jobs = [(rng.choice(members), text) for text in texts]
    results: dict[str, dict] = {}

    def newest(job):
        viewer, text = job
        return queries.posts_newest(viewer=viewer, terms=parse_terms(text))

    def newest_page5(job):
        viewer, text = job
        terms, before = parse_terms(text), None
        for _ in range(5):
            page = queries.posts_newest(viewer=viewer, terms=terms, before=before)
            if not page.has_next:
                break
            before = page.next_cursor

    def relevance(job):
        viewer, text = job
        return queries.posts_by_relevance(viewer=viewer, terms=parse_terms(text))

    def people(job):
        viewer, text = job
        return queries.people(viewer=viewer, terms=parse_terms(text, allow_prefix=True), filters=PeopleFilters())

    def hashtags(job):
        viewer, text = job
        return queries.hashtags(viewer=viewer, prefix=text.split()[0][:4])

    for name, fn in [
        ("posts newest, page 1 (query layer)", newest),
        ("posts by relevance, page 1 (query layer)", relevance),
        ("people by words (query layer)", people),
        ("hashtags by prefix (query layer)", hashtags),
    ]:
        timed(fn, jobs[: max(10, requests // 10)])  # warm caches and compiled queries
        results[name] = percentiles(timed(fn, jobs))
    results["posts newest, pages 1-5 (query layer, 5 pages)"] = percentiles(timed(newest_page5, jobs[: requests // 3]))

    sessions = make_sessions([m.pk for m in members])
    client = Client()

    def request(params):
        def run(job):
            viewer, text = job
            client.cookies["sessionid"] = sessions[viewer.pk]
            response = client.get("/search/", {"q": text, **params})
            assert response.status_code == 200, response.status_code

        return run

    for name, params in [
        ("GET /search/ everything", {}),
        ("GET /search/ posts newest", {"show": "posts"}),
        ("GET /search/ posts by relevance", {"show": "posts", "sort": "relevance"}),
    ]:
        timed(request(params), jobs[: max(10, requests // 10)])
        results[name] = percentiles(timed(request(params), jobs))
    results["dataset"] = {"posts": Post.objects.count(), "members": User.objects.count()}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rebuild", action="store_true", help="time a full rebuild of the search index first")
    args = parser.parse_args()
    label = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    setup_env(label)
    os.environ["RR_DISABLE_RATE_LIMITS"] = "1"
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    settings.RR_RATE_LIMITS_ENABLED = False
    ensure_dataset(args.members)

    class Out:
        def write(self, line: str) -> None:
            print(line, flush=True)

    if args.rebuild:
        from readingroom.search.index import rebuild_search_index

        status = {"rebuild_seconds": rebuild_search_index(stdout=Out())}
    else:
        status = index_status(Out())
    results = measure(args.requests, random.Random(11))
    results["index"] = status
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"search-{label}.json").write_text(json.dumps(results, indent=2, default=float))
    print(f"\n### search, {label}: {results['dataset']['posts']:,} posts, {results['dataset']['members']:,} members\n")
    print("| operation | p50 ms | p95 ms | p99 ms | n |")
    print("|---|---|---|---|---|")
    for name, r in results.items():
        if "p50" in r:
            print(f"| {name} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {r['n']} |")
    print(f"\nindex: {json.dumps(status, default=float)}")


if __name__ == "__main__":
    main()
