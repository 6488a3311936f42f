#!/usr/bin/env python
"""CPD log benchmark, in-process, against a member with 10,000 CPD entries.

Builds (once) a bench member whose log holds N entries over ten years (bulk insert, with goals
and skills areas linked), and a requirement, in its own database (RR_DATA_DIR=bench/var/cpd by
default; DATABASE_URL is honoured), then measures:

- the query layer alone: the log's first page, a deep page (by keyset, 100 pages in), the totals
  for a period (one grouped SUM), the rolling figure against the requirement, the monthly and
  area totals behind the charts;
- whole requests through Django's test client (middleware, session, templates; no HTTP server):
  GET /learning/cpd/log/ (first page and a deep page), GET /learning/cpd/ (the summary with its
  totals and three charts), GET /api/v1/cpd/totals.

Targets (issue 4): the first page p95 ≤ 30 ms, the totals ≤ 50 ms.

Usage (from the repository root):
    .venv/bin/python bench/cpd_bench.py                      # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rr_cpd_bench .venv/bin/python bench/cpd_bench.py
Options: --entries N (default 10000), --requests N per scenario (default 300).
Prints a Markdown table and writes bench/results/cpd-<database>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_EMAIL = "cpd-bench@bench.invalid"


def setup_env(label: str) -> None:
    os.environ.setdefault("RR_DATA_DIR", str(ROOT / "bench" / "var" / "cpd"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "readingroom.settings"
    os.environ["RR_DISABLE_RATE_LIMITS"] = "1"  # measuring throughput, not the limiter
    os.environ["RR_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def manage(*args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, env=os.environ)


def ensure_dataset(entries: int):
    """The bench member with `entries` entries; built by bulk insert the first time."""
    from django.db import transaction

    from readingroom.accounts.actions import ensure_profile
    from readingroom.accounts.models import User
    from readingroom.cpd import rules
    from readingroom.cpd.models import ActivityType, CPDEntry, CPDRequirement, Delivery
    from readingroom.goals.models import Goal
    from readingroom.skills.models import SkillArea, SkillFramework

    manage("migrate", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    member = User.objects.filter(email=BENCH_EMAIL).first()
    if member and CPDEntry.objects.filter(owner=member).count() >= entries:
        print("dataset present", flush=True)
        return member
    started = time.perf_counter()
    rng = random.Random(11)
    with transaction.atomic():
        if member is None:
            member = User.objects.create_user(email=BENCH_EMAIL, password=None)
            ensure_profile(user=member)
        CPDEntry.objects.filter(owner=member).delete()
        goals = [Goal.objects.get_or_create(owner=member, title=f"Bench goal {i}")[0] for i in range(10)]
        framework = SkillFramework.objects.filter(is_default=True).first()
        if framework is None:
            framework = SkillFramework.objects.create(slug="bench", name="Bench framework", is_default=True)
            for i in range(8):
                SkillArea.objects.create(framework=framework, code=f"area-{i}", name=f"Area {i}", position=i)
        areas = list(SkillArea.objects.filter(framework=framework, parent__isnull=True))
        today = date.today()
        kinds, deliveries = list(ActivityType.values), ["", *Delivery.values]
        rows = []
        for i in range(entries):
            started_on = today - timedelta(days=rng.randrange(0, 3650))
            title = f"Bench activity {i}: {rng.choice(['metadata', 'outreach', 'preservation', 'teaching'])}"
            kind, quarters = rng.choice(kinds), rng.randint(1, 32)
            rows.append(
                CPDEntry(
                    owner=member,
                    title=title,
                    started_on=started_on,
                    activity_type=kind,
                    quarter_hours=quarters,
                    provider="Bench provider",
                    delivery=rng.choice(deliveries),
                    learned="Something learned. " * 5,
                    apply="Something to apply. " * 3,
                    fingerprint=rules.fingerprint(
                        started_on=started_on,
                        ended_on=None,
                        title=title,
                        activity_type=kind,
                        quarter_hours=quarters,
                        provider="Bench provider",
                    ),
                )
            )
        CPDEntry.objects.bulk_create(rows, batch_size=1000)
        ids = list(CPDEntry.objects.filter(owner=member).values_list("id", flat=True))
        goal_links = [CPDEntry.goals.through(cpdentry_id=pk, goal_id=rng.choice(goals).pk) for pk in ids if pk % 3 == 0]
        area_links = [
            CPDEntry.skill_areas.through(cpdentry_id=pk, skillarea_id=area.pk)
            for pk in ids
            for area in rng.sample(areas, k=min(len(areas), rng.randint(0, 2)))
        ]
        CPDEntry.goals.through.objects.bulk_create(goal_links, batch_size=1000)
        CPDEntry.skill_areas.through.objects.bulk_create(area_links, batch_size=1000)
        CPDRequirement.objects.update_or_create(owner=member, defaults={"quarter_hours": 80, "period_months": 12})
    print(f"built {entries:,} entries in {time.perf_counter() - started:.1f} s", flush=True)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cpd_cpdentry")
    return member


def percentiles(samples: list[float]) -> dict:
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return {
        "p50": q[49] * 1000,
        "p95": q[94] * 1000,
        "p99": q[98] * 1000,
        "per_s": len(samples) / sum(samples),
        "n": len(samples),
    }


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def measure(member, requests: int) -> dict:
    from django.test import Client

    from readingroom.cpd import queries

    today = queries.member_today(member)
    deep = None
    for _ in range(100):  # the cursor 100 pages (2,000 entries) in
        page = queries.log_page(owner=member, cursor=deep)
        deep = queries.parse_cursor(page.next_cursor)
    deep_cursor = f"{deep[0].isoformat()}.{deep[1]}"
    start = queries.rolling_start(today, 12)
    areas = queries.default_areas()

    layer = {
        "log page 1 (query layer)": lambda: queries.log_page(owner=member),
        "log page 101 (query layer, keyset)": lambda: queries.log_page(owner=member, cursor=deep),
        "period totals (query layer, one SUM)": lambda: queries.period_totals(owner=member, start=start, end=today),
        "rolling figure vs requirement (query layer)": lambda: queries.progress(owner=member, today=today),
        "monthly by type, 12 months (query layer)": lambda: queries.monthly_by_type(owner=member, today=today),
        "hours by area (query layer)": lambda: queries.hours_by_area(owner=member, start=start, end=today, areas=areas),
    }
    results: dict[str, dict] = {}
    for name, fn in layer.items():
        timed(fn, max(10, requests // 10))  # warm caches and compiled queries
        results[name] = percentiles(timed(fn, requests))

    client = Client()
    client.force_login(member)

    def get(path, **params):
        def run():
            response = client.get(path, params)
            assert response.status_code == 200, (path, response.status_code)

        return run

    pages = {
        "GET /learning/cpd/log/ (first page)": get("/learning/cpd/log/"),
        "GET /learning/cpd/log/?before=… (page 101)": get("/learning/cpd/log/", before=deep_cursor),
        "GET /learning/cpd/ (summary: totals + 3 charts)": get("/learning/cpd/"),
        "GET /api/v1/cpd/totals": get("/api/v1/cpd/totals"),
    }
    for name, fn in pages.items():
        timed(fn, max(10, requests // 10))
        results[name] = percentiles(timed(fn, requests))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    label = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    setup_env(label)
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    settings.RR_RATE_LIMITS_ENABLED = False
    member = ensure_dataset(args.entries)
    results = measure(member, args.requests)
    print(f"\nCPD log, {label}, {args.entries:,} entries, {args.requests} requests per scenario\n")
    print("| scenario | p50 ms | p95 ms | p99 ms | req/s |")
    print("|---|---:|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {r['per_s']:.0f} |")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"cpd-{label}.json").write_text(json.dumps({"entries": args.entries, "results": results}, indent=2))


if __name__ == "__main__":
    main()
