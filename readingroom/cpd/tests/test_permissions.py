"""Who sees an entry and its evidence (the audience rule × viewers), and what leaks nowhere:
goal evidence lists, files, edit pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from readingroom.accounts.models import Block, Follow
from readingroom.cpd import actions
from readingroom.cpd.models import CPDEvidence
from readingroom.cpd.summaries import entries_for_goal
from readingroom.cpd.tests.factories import CPDEntryFactory, GoalFactory
from readingroom.learning.models import EvidenceFile, Mentorship
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people(db):
    owner, follower, mentor, stranger, blocked = (UserFactory() for _ in range(5))
    Follow.objects.create(follower=follower, followee=owner)
    Follow.objects.create(follower=blocked, followee=owner)
    Mentorship.objects.create(mentee=owner, mentor=mentor, status="active")
    Block.objects.create(blocker=owner, blocked=blocked)
    return {"owner": owner, "follower": follower, "mentor": mentor, "stranger": stranger, "blocked": blocked}


EXPECTED = {
    "private": {"owner"},
    "mentors": {"owner", "mentor"},
    "followers": {"owner", "mentor", "follower"},
    "members": {"owner", "mentor", "follower", "stranger"},
}


@pytest.mark.parametrize("visibility", list(EXPECTED))
def test_entry_page_and_evidence_follow_the_audience_rule(client, people, visibility):
    entry = CPDEntryFactory(owner=people["owner"], visibility=visibility)
    evidence = actions.add_evidence_file(entry=entry, upload=SimpleUploadedFile("cert.pdf", PDF))
    for name, person in people.items():
        client.force_login(person)
        page = client.get(reverse("cpd:detail", args=[entry.pk]))
        download = client.get(reverse("cpd:evidence_file", args=[entry.pk, evidence.pk]))
        allowed = name in EXPECTED[visibility]
        assert page.status_code == (200 if allowed else 404), (name, visibility)
        assert download.status_code == (200 if allowed else 404), (name, visibility)
        if allowed:
            assert b"".join(download.streaming_content) == PDF
    client.logout()
    assert client.get(reverse("cpd:detail", args=[entry.pk])).status_code == 302  # to the login page


def test_only_the_owner_may_edit_delete_or_add_evidence(client, people):
    entry = CPDEntryFactory(owner=people["owner"], visibility="members")
    client.force_login(people["stranger"])
    assert client.get(reverse("cpd:edit", args=[entry.pk])).status_code == 404
    assert client.post(reverse("cpd:delete", args=[entry.pk])).status_code == 404
    assert client.post(reverse("cpd:evidence_link", args=[entry.pk]), {"link-url": "https://x.org"}).status_code == 404
    assert not CPDEvidence.objects.exists()
    assert "Edit entry" not in client.get(reverse("cpd:detail", args=[entry.pk])).content.decode()


def test_a_suspended_owners_entries_are_hidden(client, people):
    entry = CPDEntryFactory(owner=people["owner"], visibility="members")
    people["owner"].is_active = False
    people["owner"].save()
    client.force_login(people["stranger"])
    assert client.get(reverse("cpd:detail", args=[entry.pk])).status_code == 404


def test_evidence_of_another_entry_is_not_reachable_through_mine(client, people):
    theirs = CPDEntryFactory(owner=people["stranger"])
    secret = actions.add_evidence_file(entry=theirs, upload=SimpleUploadedFile("secret.pdf", PDF))
    mine = CPDEntryFactory(owner=people["owner"])
    client.force_login(people["owner"])
    assert client.get(reverse("cpd:evidence_file", args=[mine.pk, secret.pk])).status_code == 404
    assert client.get(reverse("cpd:evidence_file", args=[mine.pk, 99999999999999999999])).status_code == 404
    assert client.post(reverse("cpd:evidence_remove", args=[mine.pk, secret.pk])).status_code == 404
    assert CPDEvidence.objects.filter(pk=secret.pk).exists()


def test_owner_adds_and_removes_link_and_file_evidence(client, people):
    entry = CPDEntryFactory(owner=people["owner"])
    client.force_login(people["owner"])
    response = client.post(reverse("cpd:evidence_link", args=[entry.pk]), {"link-url": "not a url", "link-title": "x"})
    assert "Enter a full web address" in response.content.decode()
    client.post(
        reverse("cpd:evidence_link", args=[entry.pk]),
        {"link-url": "https://example.org/slides", "link-title": "Slides"},
    )
    bad = client.post(
        reverse("cpd:evidence_upload", args=[entry.pk]), {"file-file": SimpleUploadedFile("x.exe", b"MZ\x00\x00\x01")}
    )
    assert "not accepted" in bad.content.decode()
    client.post(reverse("cpd:evidence_upload", args=[entry.pk]), {"file-file": SimpleUploadedFile("cert.pdf", PDF)})
    assert [e.title for e in entry.evidence.all()] == ["Slides", "cert.pdf"]
    stored = entry.evidence.get(title="cert.pdf")
    client.post(reverse("cpd:evidence_remove", args=[entry.pk, stored.pk]))
    assert [e.title for e in entry.evidence.all()] == ["Slides"]
    assert not EvidenceFile.objects.exists()


def test_deleting_an_entry_deletes_its_files(client, people):
    entry = CPDEntryFactory(owner=people["owner"])
    actions.add_evidence_file(entry=entry, upload=SimpleUploadedFile("cert.pdf", PDF))
    actions.delete_entry(entry=entry)
    assert not EvidenceFile.objects.exists()


def test_goal_evidence_lists_only_entries_the_viewer_may_see(people):
    owner = people["owner"]
    goal = GoalFactory(owner=owner, visibility="members")
    shared = CPDEntryFactory(owner=owner, title="Shared", visibility="members")
    private = CPDEntryFactory(owner=owner, title="Private")
    shared.goals.add(goal)
    private.goals.add(goal)
    assert [i["title"] for i in entries_for_goal(goal, owner)] == ["Private", "Shared"]  # newest first
    assert [i["title"] for i in entries_for_goal(goal, people["stranger"])] == ["Shared"]
    assert entries_for_goal(goal, people["blocked"]) == []
    item = entries_for_goal(goal, people["stranger"])[0]
    assert item["url"] == reverse("cpd:detail", args=[shared.pk]) and "1½ h" in item["meta"]


def test_goal_evidence_registry_has_the_cpd_loader(people):
    from readingroom.goals import evidence_sources

    goal = GoalFactory(owner=people["owner"])
    CPDEntryFactory(owner=people["owner"], title="Linked").goals.add(goal)
    found = {s["key"]: s for s in evidence_sources.gather(goal, people["owner"])}
    assert [i["title"] for i in found["cpd"]["items"]] == ["Linked"]


def test_the_log_lists_only_my_own_entries(client, people):
    CPDEntryFactory(owner=people["owner"], title="Someone else's, shared", visibility="members")
    client.force_login(people["stranger"])
    body = client.get(reverse("cpd:log")).content.decode()
    assert "shared" not in body
    assert client.get(reverse("cpd:export")).status_code == 200
    text = b"".join(client.get(reverse("cpd:export")).streaming_content).decode("utf-8-sig")
    assert text.count("\n") == 1  # the header only


def test_anonymous_visitors_are_sent_to_log_in(client):
    for name in ("cpd:summary", "cpd:log", "cpd:add", "cpd:requirement", "cpd:import", "cpd:export"):
        assert client.get(reverse(name)).status_code == 302
