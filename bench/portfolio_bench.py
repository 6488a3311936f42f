#!/usr/bin/env python
"""Portfolio PDF export benchmark, in-process: a member with a portfolio of 200 entries (goals
with steps and reflections, CPD entries, reflections, skills assessments with radar charts,
posts and written sections), exported to PDF end to end through Django's test client (session,
middleware, queries, pygal, Typst) N times. Target: p95 ≤ 5 s.

Usage (from the repository root):
    .venv/bin/python bench/portfolio_bench.py                     # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rr_bench .venv/bin/python bench/portfolio_bench.py
Options: --runs N (default 10), --items N (default 200).
Prints a Markdown table and writes bench/results/portfolio-<database>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timeline_bench import manage, setup_env  # noqa: E402

EMAIL = "portfolio-bench@bench.invalid"
LOREM = (
    "What happened? I ran a session on **linked data** for colleagues. So what? Most of them had never "
    "seen a triple; the examples from our own catalogue helped. Now what? I will write a short guide and "
    "offer a follow-up in the spring, with *hands-on* exercises."
)


def build_portfolio(items: int):
    from django.utils import timezone

    from readingroom.accounts.models import User
    from readingroom.cpd import rules
    from readingroom.cpd.models import CPDEntry
    from readingroom.goals.models import Goal, Reflection, Step
    from readingroom.portfolio import actions
    from readingroom.portfolio.models import Portfolio
    from readingroom.posts import actions as post_actions
    from readingroom.skills.models import Assessment, Rating, SkillArea, SkillFramework
    from readingroom.testing.factories import UserFactory

    member = User.objects.filter(email=EMAIL).first() or UserFactory(
        email=EMAIL, profile__handle="pfbench", profile__display_name="Bench Member", profile__headline="Librarian"
    )
    Portfolio.objects.filter(owner=member).delete()
    framework = SkillFramework.objects.filter(slug="pf-bench").first()
    if framework is None:
        framework = SkillFramework.objects.create(slug="pf-bench", name="Bench framework")
        for n in range(8):
            SkillArea.objects.create(framework=framework, code=f"area-{n}", name=f"Skills area {n}", position=n)
    areas = list(SkillArea.objects.filter(framework=framework))
    portfolio = actions.create_portfolio(owner=member, title="Chartership portfolio", introduction=LOREM * 2)
    today = timezone.localdate()
    stamp = int(time.time())
    kinds = [
        "goal",
        "cpd_entry",
        "reflection",
        "assessment",
        "post",
        "section",
        "cpd_entry",
        "goal",
        "post",
        "cpd_entry",
    ]
    for n in range(items):
        kind = kinds[n % len(kinds)]
        if kind in ("goal", "reflection"):
            goal = Goal.objects.create(
                owner=member,
                title=f"Goal {n}: learn something",
                why=LOREM,
                success_criteria=LOREM[:120],
                target_date=today + dt.timedelta(days=90),
                status="active",
            )
            for s in range(4):
                Step.objects.create(goal=goal, title=f"Step {s} of goal {n}", done=s < 2, position=s)
            goal.steps_total, goal.steps_done = 4, 2
            goal.save(update_fields=["steps_total", "steps_done"])
            reflection = Reflection.objects.create(goal=goal, body=LOREM, written_on=today)
            record = goal if kind == "goal" else reflection
        elif kind == "cpd_entry":
            fields = {
                "title": f"Webinar {stamp}-{n}",
                "started_on": today - dt.timedelta(days=n),
                "activity_type": "webinar",
                "quarter_hours": 6,
                "provider": "Provider",
            }
            record = CPDEntry.objects.create(
                owner=member,
                learned=LOREM,
                apply=LOREM,
                fingerprint=rules.fingerprint(ended_on=None, **fields),
                **fields,
            )
        elif kind == "assessment":
            record = Assessment.objects.create(owner=member, framework=framework, note=LOREM)
            Rating.objects.bulk_create(Rating(assessment=record, area=a, current=n % 5, target=4) for a in areas)
        elif kind == "post":
            record = post_actions.create_post(
                author=member, body=f"Post {n} about #cataloguing and linked data.", visibility="public"
            )
        if kind == "section":
            actions.add_section(portfolio=portfolio, heading=f"Section {n}", body=LOREM)
        else:
            actions.add_record(portfolio=portfolio, kind=kind, record=record, note=LOREM[:140])
    return member, portfolio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--items", type=int, default=200)
    args = parser.parse_args()
    label = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    setup_env(f"portfolio-{label}")
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    settings.RR_RATE_LIMITS_ENABLED = False
    manage("migrate", "-v0")
    member, portfolio = build_portfolio(args.items)

    from django.test import Client
    from django.urls import reverse

    from readingroom.portfolio.tests.pdftext import page_count

    client = Client()
    client.force_login(member)
    url = reverse("portfolio:export_pdf", args=[portfolio.pk])
    samples, sizes, pdf = [], [], b""
    for _ in range(args.runs):
        start = time.perf_counter()
        response = client.get(url)
        pdf = response.content
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200 and pdf.startswith(b"%PDF"), response.status_code
        sizes.append(len(pdf))
    q = statistics.quantiles(samples, n=100, method="inclusive") if len(samples) > 1 else [samples[0]] * 99
    results = {
        "items": portfolio.items.count(),
        "runs": len(samples),
        "p50_s": q[49],
        "p95_s": q[94],
        "max_s": max(samples),
        "pages": page_count(pdf),
        "bytes": sizes[-1],
        "target_p95_s": 5.0,
        # Typst memoises layout between compiles: the process's peak shows whether that grows.
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"portfolio-{label}.json").write_text(json.dumps(results, indent=2))
    print(f"\n### portfolio PDF export, {label}: {results['items']} items, {results['runs']} runs\n")
    print("| p50 s | p95 s | max s | pages | bytes | peak RSS MB | target p95 |")
    print("|---|---|---|---|---|---|---|")
    r = results
    print(
        f"| {r['p50_s']:.2f} | {r['p95_s']:.2f} | {r['max_s']:.2f} | {r['pages']} | {r['bytes']:,} "
        f"| {r['peak_rss_mb']:.0f} | ≤ 5 s |"
    )


if __name__ == "__main__":
    main()
