#!/usr/bin/env python
"""Timeline benchmark over real HTTP against the production server configuration.

Builds dataset S (10k members, ~300k Zipf follows, 100k posts, 300 hashtags) once per database,
starts `readingroom serve` (granian WSGI with its default workers, DEBUG off; RR_BENCH_SERVE_ARGS
adds serve options, e.g. "--workers 2 --threads 5") and `readingroom worker`, then
drives 8 concurrent clients (separate processes, keep-alive connections) through: home timeline
page 1 and page 20, hashtag page, profile page, create post; and measures the time until a post
by the most-followed member is in every active follower's home timeline.

Usage (from the repository root):
    .venv/bin/python bench/timeline_bench.py                      # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rr_bench REDIS_URL=redis://127.0.0.1:6379/1 \
        .venv/bin/python bench/timeline_bench.py                  # PostgreSQL + Redis
Options: --dataset S|M (default S; M is 100k members and 5M posts, built in about 9 minutes on SQLite),
--members N, --requests N per scenario (default 2000), --runs N (default 3), --connections N (default 8).
Prints a Markdown table (medians over runs) and writes bench/results/<label>.json.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import multiprocessing as mp
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765
CLIENTS = 8


def setup_env(label: str) -> None:
    os.environ.setdefault("RR_DATA_DIR", str(ROOT / "bench" / "var" / label))
    os.environ["DJANGO_SETTINGS_MODULE"] = "readingroom.settings"
    os.environ["RR_DISABLE_RATE_LIMITS"] = "1"  # measuring throughput, not the limiter
    os.environ["RR_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def manage(*args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, env=os.environ)


DATASETS = {
    # shared/PERFORMANCE.md: S is the peer's dataset; M is the one issue 3 re-runs this benchmark on.
    "S": {"members": 10_000},
    "M": {"members": 100_000, "posts": 5_000_000, "follows_per_member": 10, "active_percent": 20},
}


def ensure_dataset(members: int, **shape) -> None:
    from readingroom.accounts.models import User

    manage("migrate", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    if User.objects.filter(email__endswith="@bench.invalid").count() >= members:
        print("dataset present")
        return

    class Out:
        def write(self, line: str) -> None:
            print(line, flush=True)

    from readingroom.ops.synthetic import seed_synthetic

    seed_synthetic(members=members, stdout=Out(), **shape)


def make_sessions(user_ids: list[int]) -> dict[int, str]:
    """Signed-in sessions created the way Django's login does, without 10k password checks."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    from readingroom.accounts.models import User

    sessions = {}
    for user in User.objects.filter(pk__in=user_ids):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions[user.pk] = store.session_key
    return sessions


def plan(requests: int) -> dict[str, list[tuple]]:
    """Each scenario: a list of (method, path, session_key, body) requests, chosen up front."""
    from django.db.models import Count
    from django.urls import reverse

    from readingroom.accounts.models import Profile
    from readingroom.posts.models import Hashtag, TimelineEntry

    rng = random.Random(7)
    full = list(
        TimelineEntry.objects.values("owner_id")
        .annotate(n=Count("post_id"))
        .filter(n__gte=420)
        .order_by("owner_id")
        .values_list("owner_id", flat=True)[:300]
    )
    if not full:
        raise SystemExit("no member has 420 timeline rows: dataset too small for page 20")
    sessions = make_sessions(full)
    page20 = {}
    for uid in full:
        ids = list(
            TimelineEntry.objects.filter(owner_id=uid).order_by("-post_id").values_list("post_id", flat=True)[:381]
        )
        page20[uid] = ids[379]  # page 20 starts after 19 pages of 20
    tags = list(Hashtag.objects.order_by("id").values_list("name", flat=True)[:20])
    handles = list(Profile.objects.filter(user_id__in=full).values_list("handle", flat=True))
    home = reverse("posts:home")
    create = reverse("posts:create")

    def pick():
        uid = rng.choice(full)
        return uid, sessions[uid]

    scenarios: dict[str, list[tuple]] = {
        "home page 1": [],
        "home page 20": [],
        "hashtag page": [],
        "profile page": [],
        "create post": [],
    }
    for _ in range(requests):
        uid, sk = pick()
        scenarios["home page 1"].append(("GET", home, sk, None))
        uid, sk = pick()
        scenarios["home page 20"].append(("GET", f"{home}?before={page20[uid]}", sk, None))
        scenarios["hashtag page"].append(("GET", reverse("posts:hashtag", args=[rng.choice(tags)]), pick()[1], None))
        scenarios["profile page"].append(
            ("GET", reverse("network:profile", args=[rng.choice(handles)]), pick()[1], None)
        )
        body = f"Benchmark post {secrets.token_hex(4)} about #uklibchat and reading"
        scenarios["create post"].append(("POST", create, pick()[1], f"body={body}&visibility=public"))
    return scenarios


def client(jobs: list[tuple], out: mp.Queue) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    csrf = secrets.token_hex(16)  # an unmasked 32-character secret: Django accepts it as a token
    latencies, errors = [], 0
    for method, path, session_key, body in jobs:
        headers = {"Cookie": f"sessionid={session_key}; csrftoken={csrf}", "Host": "127.0.0.1"}
        if body is not None:
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": csrf}
        start = time.perf_counter()
        try:
            conn.request(method, path, body=body.encode() if body else None, headers=headers)
            resp = conn.getresponse()
            resp.read()
            ok = resp.status in (200, 302, 303)
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        latencies.append(time.perf_counter() - start)
        errors += 0 if ok else 1
    out.put((latencies, errors))


def run_scenario(jobs: list[tuple]) -> dict:
    warm = jobs[: len(jobs) // 10]
    chunks = [jobs[i::CLIENTS] for i in range(CLIENTS)]
    queue: mp.Queue = mp.Queue()
    client(warm, queue)  # warm caches and connections, not counted
    queue.get()
    procs = [mp.Process(target=client, args=(chunk, queue)) for chunk in chunks]
    start = time.perf_counter()
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    wall = time.perf_counter() - start
    for p in procs:
        p.join()
    lat = sorted(x for r in results for x in r[0])
    q = statistics.quantiles(lat, n=100, method="inclusive")
    return {
        "p50": q[49] * 1000,
        "p95": q[94] * 1000,
        "p99": q[98] * 1000,
        "rps": len(lat) / wall,
        "errors": sum(r[1] for r in results),
        "requests": len(lat),
    }


def drain_queue(limit: float = 300.0) -> float:
    """Wait until the worker has run every queued task (create-post leaves fan-outs behind)."""
    from django_tasks_db.models import DBTaskResult

    start = time.perf_counter()
    while DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists():
        if time.perf_counter() - start > limit:
            break
        time.sleep(0.05)
    return time.perf_counter() - start


def measure_fan_out() -> dict:
    """Time from the post request's response until every active follower has the post,
    measured with an empty queue so it is the fan-out itself, not the backlog before it."""
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from readingroom.accounts.models import Follow, Profile, User
    from readingroom.posts.models import Post, TimelineEntry

    top = Profile.objects.order_by("-followers_count").first()
    since = timezone.now() - timedelta(days=14)
    active = Follow.objects.filter(
        followee_id=top.user_id, follower__last_seen_at__gte=since, follower__is_active=True
    ).count()
    session = make_sessions([top.user_id])[top.user_id]
    before = Post.objects.filter(author_id=top.user_id).order_by("-id").values_list("id", flat=True).first() or 0
    csrf = secrets.token_hex(16)
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    conn.request(
        "POST",
        reverse("posts:create"),
        body=b"body=Fan-out+check+%23uklibchat&visibility=public",
        headers={
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
            "Host": "127.0.0.1",
        },
    )
    resp = conn.getresponse()
    resp.read()
    posted = time.perf_counter()
    post_id = None
    deadline = posted + 120
    while time.perf_counter() < deadline:
        if post_id is None:
            post_id = Post.objects.filter(author_id=top.user_id, id__gt=before).values_list("id", flat=True).first()
        if post_id is not None:
            have = TimelineEntry.objects.filter(post_id=post_id).exclude(owner_id=top.user_id).count()
            if have >= active:
                break
        time.sleep(0.01)
    elapsed = time.perf_counter() - posted
    User.objects.filter(pk=top.user_id).update(last_seen_at=timezone.now())
    return {
        "followers": top.followers_count,
        "active_followers": active,
        "seconds": elapsed,
        "rows_per_second": active / elapsed if elapsed else 0.0,
        "status": resp.status,
    }


WRK_SCRIPT = """
local reqs = {%s}
local csrf = "%s"
local i = 0
request = function()
  i = i + 1
  local r = reqs[(i %% #reqs) + 1]
  local headers = {["Cookie"] = "sessionid=" .. r[3] .. "; csrftoken=" .. csrf, ["Host"] = "127.0.0.1"}
  if r[4] ~= "" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["X-CSRFToken"] = csrf
    return wrk.format("POST", r[2], headers, r[4])
  end
  return wrk.format("GET", r[2], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"p50": %%f, "p95": %%f, "p99": %%f, '
    .. '"requests": %%d, "seconds": %%f, "errors": %%d}\\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def run_scenario_wrk(jobs: list[tuple], seconds: int) -> dict:
    """The same requests driven by wrk (C, 2 threads, 8 connections): far less client CPU than
    Python clients, which share the machine's 2 cores with the server."""
    import tempfile
    from urllib.parse import parse_qsl, urlencode

    def lua(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    rows = []
    for method, path, session_key, body in jobs:
        encoded = urlencode(parse_qsl(body)) if body else ""
        rows.append("{" + ", ".join([lua(method), lua(path), lua(session_key), lua(encoded)]) + "}")
    script = WRK_SCRIPT % (", ".join(rows), secrets.token_hex(16))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    subprocess.run(
        ["wrk", "-t1", "-c2", "-d2s", "-s", handle.name, f"http://127.0.0.1:{PORT}"], capture_output=True, check=True
    )  # warm-up, not counted
    wrk = ["wrk", f"-t{min(2, CLIENTS)}", f"-c{CLIENTS}", f"-d{seconds}s", "--timeout", "10s", "-s", handle.name]
    done = subprocess.run([*wrk, f"http://127.0.0.1:{PORT}"], capture_output=True, text=True, check=True)
    os.unlink(handle.name)
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / result["seconds"]
    return result


def worker_memory_mb(server: subprocess.Popen) -> dict:
    """Per granian worker: peak RSS (VmHWM), and now its private memory (RssAnon) and the file
    pages it maps (RssFile). SQLite maps the database (PRAGMA mmap_size): those pages are the
    operating system's page cache, shared by every worker, yet counted in each one's RSS."""
    rows = []
    for stat in Path("/proc").glob("[0-9]*/status"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(server.pid):

            def mb(key: str, fields=fields) -> float:
                return int(fields.get(key, "0 kB").split()[0]) / 1024

            rows.append({"peak": mb("VmHWM"), "private": mb("RssAnon"), "mapped files": mb("RssFile")})
    if not rows:
        return {"peak": 0.0, "private": 0.0, "mapped files": 0.0}
    return {key: max(r[key] for r in rows) for key in rows[0]}


def start_processes() -> tuple[subprocess.Popen, subprocess.Popen]:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", PORT), timeout=1):
        raise SystemExit(f"port {PORT} is already in use: another server would be measured")
    cli = [sys.executable, "-m", "readingroom.ops.cli"]
    logs = ROOT / "bench" / "results"
    logs.mkdir(parents=True, exist_ok=True)
    server_log = open(logs / "server.log", "a")  # noqa: SIM115 - kept open for the server's lifetime
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(PORT), "--no-collectstatic", *os.environ.get("RR_BENCH_SERVE_ARGS", "").split()],
        env=os.environ,
        stdout=server_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    worker = subprocess.Popen(
        [*cli, "worker"], env=os.environ, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 60  # workers import every view before they listen (readingroom/wsgi.py)
    while time.monotonic() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
            c.request("GET", "/local")
            c.getresponse().read()
            return server, worker
        except OSError:
            time.sleep(0.2)
    stop(server, worker)
    raise SystemExit("server did not start")


def stop(*procs: subprocess.Popen) -> None:
    for p in procs:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, 15)
    for p in procs:
        p.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", choices=sorted(DATASETS), default="S", help="S (10k members), M (100k, 5M posts)")
    parser.add_argument("--members", type=int, help="override the dataset's member count")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--client",
        choices=["wrk", "python"],
        default="wrk" if shutil.which("wrk") else "python",
        help="load generator: wrk (default when installed: apt-get install wrk) or Python processes",
    )
    parser.add_argument("--seconds", type=int, default=15, help="seconds per scenario with wrk")
    parser.add_argument(
        "--connections",
        type=int,
        default=8,
        help="concurrent clients (default 8); 1 measures service time without queueing",
    )
    args = parser.parse_args()
    global CLIENTS
    CLIENTS = args.connections
    label = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    if args.dataset != "S":
        label += f"-{args.dataset}"  # its own SQLite file; on PostgreSQL, point DATABASE_URL at its own database
    setup_env(label)
    shape = dict(DATASETS[args.dataset])
    members = shape.pop("members")
    ensure_dataset(args.members or members, **shape)
    scenarios = plan(args.requests)
    runs: list[dict] = []
    for run in range(args.runs):
        server, worker = start_processes()
        try:
            if args.client == "wrk":
                result = {name: run_scenario_wrk(jobs, args.seconds) for name, jobs in scenarios.items()}
            else:
                result = {name: run_scenario(jobs) for name, jobs in scenarios.items()}
            result["queue drain after create-post (s)"] = drain_queue()
            result["fan-out"] = measure_fan_out()
            result["web worker memory (MB)"] = worker_memory_mb(server)
        finally:
            stop(server, worker)
        runs.append(result)
        print(f"run {run + 1}: " + json.dumps(result, indent=None, default=float), flush=True)
    report(f"{label}-{args.client}-c{CLIENTS}", runs)


def report(label: str, runs: list[dict]) -> None:
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"timeline-{label}.json").write_text(json.dumps(runs, indent=2))
    print(f"\n### {label} (median of {len(runs)} runs)\n")
    print("| operation | p50 ms | p95 ms | p99 ms | req/s | errors |")
    print("|---|---|---|---|---|---|")
    for name in ["home page 1", "home page 20", "hashtag page", "profile page", "create post"]:
        med = {k: statistics.median(r[name][k] for r in runs) for k in ("p50", "p95", "p99", "rps", "errors")}
        cells = [f"{med[k]:.1f}" for k in ("p50", "p95", "p99")] + [f"{med['rps']:.0f}", f"{med['errors']:.0f}"]
        print(f"| {name} | " + " | ".join(cells) + " |")
    fan = [r["fan-out"] for r in runs]
    print(
        f"\nfan-out: {fan[0]['active_followers']} active followers; "
        f"median {statistics.median(f['seconds'] for f in fan):.3f}s "
        f"({statistics.median(f['rows_per_second'] for f in fan):,.0f} rows/s)"
    )
    print(
        f"queue drain after the create-post scenario: median "
        f"{statistics.median(r['queue drain after create-post (s)'] for r in runs):.1f}s"
    )
    memory = {k: max(r["web worker memory (MB)"][k] for r in runs) for k in ("peak", "private", "mapped files")}
    print(
        f"per web worker: peak RSS {memory['peak']:.0f} MB; at the end {memory['private']:.0f} MB private "
        f"+ {memory['mapped files']:.0f} MB of mapped files (code, and SQLite's shared page cache)"
    )


if __name__ == "__main__":
    main()
