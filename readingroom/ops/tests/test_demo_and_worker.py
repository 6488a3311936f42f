"""The demo community loads through the real actions, and the real worker delivers fan-out."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import F
from django.urls import reverse

from readingroom.accounts.models import Profile, User
from readingroom.cpd.models import CPDEntry
from readingroom.discussions.models import Topic
from readingroom.groups.models import Group, JoinRequest, Membership
from readingroom.learning.models import Mentorship
from readingroom.notifications.models import Notification
from readingroom.ops.demo import MEMBER_EMAIL, MEMBER_PASSWORD, seed_demo
from readingroom.ops.demo_discussions import TOPICS
from readingroom.ops.demo_groups import GROUPS
from readingroom.ops.demo_learning import CPD
from readingroom.ops.demo_people import PEOPLE
from readingroom.portfolio.models import Portfolio
from readingroom.posts.models import Post, TimelineEntry
from readingroom.skills.models import Assessment

ROOT = Path(__file__).resolve().parents[3]


class Out:
    def __init__(self):
        self.lines = []

    def write(self, line):
        self.lines.append(line)


@pytest.mark.django_db
def test_demo_builds_a_varied_community_with_timelines_and_a_known_member_sign_in(client):
    result = seed_demo(Out())
    assert result["created"] == len(PEOPLE) >= 38
    profiles = Profile.objects.exclude(handle="rr_admin")
    assert profiles.values("sector").distinct().count() >= 8
    assert profiles.values("country").distinct().count() >= 15
    assert profiles.values("time_zone").distinct().count() >= 15
    assert Post.objects.filter(reply_to__isnull=False).exists()
    assert Post.objects.filter(body__contains="#uklibchat").exists()
    assert Post.objects.filter(body__contains="#cpd23").exists()
    ana = User.objects.get(email=MEMBER_EMAIL)
    assert TimelineEntry.objects.filter(owner=ana).count() >= 10
    assert client.login(email=MEMBER_EMAIL, password=MEMBER_PASSWORD)
    assert User.objects.get(email="admin@readingroom.example").is_superuser


@pytest.mark.django_db
def test_the_demo_member_has_a_learning_record_on_every_learning_page(client):
    seed_demo(Out())
    ana = User.objects.get(email=MEMBER_EMAIL)
    client.force_login(ana)
    goals = client.get("/learning/goals/")
    assert "Run an information literacy session series" in goals.content.decode()
    assert "uklibchat" in client.get("/learning/cpd/log/").content.decode()
    assert "Revalidation: 20 hours a year" in client.get("/learning/cpd/").content.decode()
    assert CPDEntry.objects.filter(owner=ana).count() == len(CPD)
    assert Assessment.objects.filter(owner=ana).count() == 2
    assert Mentorship.objects.filter(mentee=ana, status="active").exists()
    portfolio = Portfolio.objects.get(owner=ana)
    assert portfolio.items.count() >= 5
    assert "My first year as a new professional" in client.get("/learning/portfolios/").content.decode()


@pytest.mark.django_db
def test_the_demo_has_groups_of_every_kind_built_through_the_real_actions(client):
    result = seed_demo(Out())
    groups = {g.name: g for g in Group.objects.all()}
    assert result["groups"] == len(groups) == len(GROUPS) >= 3
    assert {g.privacy for g in groups.values()} == {"public", "private", "hidden"}
    for group in groups.values():
        members = Membership.objects.filter(group=group)
        assert group.members_count == members.count() >= 3, group.name
        assert members.filter(role="owner").count() == 1 and members.filter(role="moderator").exists()
        assert group.conduct and group.conduct_html and group.tags.exists() and group.resources.exists()
        assert not members.filter(conduct_accepted_at__isnull=True).exists()  # everyone accepted it
        top = Post.objects.filter(group=group, reply_to__isnull=True)
        assert top.exists() and group.posts_count == Post.objects.filter(group=group).count()
        assert set(top.values_list("visibility", flat=True)) == {"public" if group.is_public else "members"}
    assert Post.objects.filter(group__isnull=False, reply_to__isnull=False, reply_to__group=F("group")).exists()
    cohort = groups["MLIS cohort 2027"]
    assert JoinRequest.objects.filter(group=cohort).exists()  # someone is waiting for an answer


@pytest.mark.django_db
def test_the_demo_member_is_in_the_private_cohort_and_its_privacy_holds(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # notifications go out on commit
        seed_demo(Out())
    ana = User.objects.get(email=MEMBER_EMAIL)
    cohort = Group.objects.get(name="MLIS cohort 2027")
    welcome = Post.objects.filter(group=cohort, reply_to__isnull=True).order_by("pk").first()
    assert Notification.objects.filter(recipient=ana, kind="group_joined", subject_id=cohort.pk).exists()
    owner = Membership.objects.get(group=cohort, role="owner").user
    assert Notification.objects.filter(recipient=owner, kind="group_request").exists()
    assert TimelineEntry.objects.filter(owner=ana, post__group=cohort).exists()
    client.force_login(ana)
    directory = client.get("/groups/").content.decode()
    assert "MLIS cohort 2027" in directory and "Lone archivists" in directory
    assert "#uklibchat organisers" not in directory  # hidden, and Ana is not in it
    assert "Introduce yourself" in client.get(f"/groups/{cohort.slug}").content.decode()
    assert "You are now a member of MLIS cohort 2027" in client.get("/notifications/").content.decode()
    assert client.get(reverse("posts:detail", args=[welcome.pk])).status_code == 200
    outsider = Profile.objects.get(handle="ben_chat").user
    client.force_login(outsider)
    assert client.get(reverse("posts:detail", args=[welcome.pk])).status_code == 404
    assert client.get(f"/groups/{cohort.slug}").status_code == 302
    hidden = Group.objects.get(privacy="hidden")
    client.force_login(ana)
    assert client.get(f"/groups/{hidden.slug}/about").status_code == 404
    client.force_login(owner)
    assert "Lucy" in client.get(f"/groups/{cohort.slug}/requests").content.decode()


@pytest.mark.django_db
def test_seeding_demo_twice_changes_nothing():
    seed_demo(Out())
    counts = (User.objects.count(), Post.objects.count(), Group.objects.count(), Membership.objects.count())
    out = Out()
    assert seed_demo(out) == {"created": 0}
    assert (User.objects.count(), Post.objects.count(), Group.objects.count(), Membership.objects.count()) == counts
    assert "nothing changed" in out.lines[-1]


def _run(code: str, env: dict) -> str:
    script = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='readingroom.settings'; django.setup()\n" + code
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def test_the_worker_process_fans_a_post_out_to_followers(tmp_path):
    """Runs outside pytest-django's test database: its own data directory (and database on PostgreSQL)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env |= {"RR_DATA_DIR": str(tmp_path), "RR_PLAIN_STATIC": "1", "PYTHONPATH": str(ROOT)}
    if settings.IS_POSTGRES:
        import psycopg

        url = os.environ["DATABASE_URL"]
        base, _, _ = url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS rr_worker_test")
            conn.execute("CREATE DATABASE rr_worker_test")
        env["DATABASE_URL"] = f"{base}/rr_worker_test"
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    post_id = _run(
        "from readingroom.testing.factories import UserFactory, FollowFactory\n"
        "from readingroom.posts.actions import create_post\n"
        "author = UserFactory(); fans = [UserFactory() for _ in range(3)]\n"
        "[FollowFactory(follower=f, followee=author) for f in fans]\n"
        "print(create_post(author=author, body='Hello #uklibchat', visibility='public').pk)",
        env,
    )
    count_rows = (
        "from readingroom.posts.models import TimelineEntry; "
        f"print(TimelineEntry.objects.filter(post_id={post_id}).count())"
    )
    assert _run(count_rows, env) == "1"  # only the author's own row until the worker runs
    worker = subprocess.Popen(
        [sys.executable, "-m", "readingroom.ops.cli", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        rows = "1"
        while time.monotonic() < deadline and rows != "4":
            time.sleep(0.5)
            rows = _run(count_rows, env)
        assert rows == "4"
    finally:
        worker.terminate()
        worker.wait(timeout=20)


@pytest.mark.django_db
def test_the_demo_has_discussions_with_an_answered_question(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # reply notifications go out on commit
        result = seed_demo(Out())
    assert result["topics"] == Topic.objects.count() == len(TOPICS)
    question = Topic.objects.get(title__startswith="How are you all referencing datasets")
    assert question.group.name == "MLIS cohort 2027" and question.kind == "question"
    assert question.accepted_reply.number == 3 and question.accepted_reply.author.profile.handle == "nadia_researcher"
    assert question.replies_count == question.last_number - 1 == 3
    asker = Profile.objects.get(handle="ana").user
    # The asker watches her topic: the classmates' replies reached her notifications.
    assert Notification.objects.filter(recipient=asker, kind="topic_reply", subject_id=question.pk).exists()
    answerer = Profile.objects.get(handle="nadia_researcher").user
    assert Notification.objects.filter(recipient=answerer, kind="answer_accepted", subject_id=question.pk).exists()
