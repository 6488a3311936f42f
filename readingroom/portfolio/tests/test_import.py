"""Importing a portfolio file: strict, all or nothing, and a round trip reproduces the portfolio
in another account with records of its own."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from readingroom.cpd.models import CPDEntry
from readingroom.goals.models import Goal, Reflection
from readingroom.portfolio import document
from readingroom.portfolio.jsonformat import export_document
from readingroom.portfolio.models import Portfolio
from readingroom.portfolio.tests.factories import CPDEntryFactory
from readingroom.skills.models import Assessment

pytestmark = pytest.mark.django_db


def upload(client, data, name="portfolio.json"):
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return client.post(reverse("portfolio:import"), {"file": SimpleUploadedFile(name, raw, "application/json")})


def test_an_export_imported_into_a_fresh_account_reproduces_the_portfolio(client, full_portfolio, other):
    exported = export_document(full_portfolio, post_url=lambda p: f"https://rr.example/posts/{p.pk}")
    client.force_login(other)

    response = upload(client, exported)

    copy = Portfolio.objects.get(owner=other)
    assert response.status_code == 302 and response["Location"] == reverse("portfolio:detail", args=[copy.pk])
    again = export_document(copy)
    strip = lambda d: [{k: v for k, v in i.items() if k != "post"} for i in d["items"]]  # noqa: E731
    kinds = [i["kind"] for i in again["items"]]
    assert kinds == ["section", "goal", "cpd_entry", "reflection", "assessment", "section"]
    assert strip(again)[:5] == strip(exported)[:5]  # records and notes copied exactly
    assert again["portfolio"]["title"] == "Chartership 2025"
    quoted = again["items"][5]["section"]
    assert quoted["body"].startswith("> Just finished mapping my first record #bibframe")
    assert "https://rr.example/posts/" in quoted["body"]
    goal = Goal.objects.get(owner=other)
    assert goal.visibility == "private" and goal.steps_done == 1 and goal.progress == 50
    reflection = Reflection.objects.get(goal__owner=other)
    assert copy.items.get(kind="reflection").reflection == reflection  # the goal's own journal entry, not a copy
    assert Assessment.objects.get(owner=other).ratings.count() == 4
    doc = document.build(copy)
    assert [b.title for b in doc.blocks][:3] == ["Reflective statement", "Learn BIBFRAME", "Webinar: RDA in practice"]


def test_cpd_entries_already_logged_are_reused_not_doubled(owner, other, full_portfolio):
    from readingroom.portfolio.importing import import_portfolio, parse

    original = CPDEntry.objects.get(owner=owner)
    mine = CPDEntryFactory(
        owner=other, title=original.title, started_on=original.started_on, quarter_hours=original.quarter_hours
    )
    raw = json.dumps(export_document(full_portfolio)).encode()

    copy = import_portfolio(owner=other, document=parse(raw))

    assert CPDEntry.objects.filter(owner=other).count() == 1
    assert copy.items.get(kind="cpd_entry").cpd_entry == mine


def test_an_invalid_file_lists_each_bad_field_by_path_and_imports_nothing(owner_client, owner, full_portfolio):
    data = export_document(full_portfolio)
    data["items"][2]["cpd_entry"]["hours"] = 0.3
    data["items"][1]["goal"]["status"] = "finished"
    data["items"][0]["surprise"] = True
    before = (Goal.objects.count(), CPDEntry.objects.count(), Portfolio.objects.count())

    response = upload(owner_client, data)

    assert response.status_code == 422
    problems = dict(response.context["problems"])
    assert set(problems) == {"items.2.cpd_entry.hours", "items.1.goal.status", "items.0.surprise"}
    assert "multiple of 0.25" in problems["items.2.cpd_entry.hours"]
    assert 'role="alert"' in response.content.decode()
    assert (Goal.objects.count(), CPDEntry.objects.count(), Portfolio.objects.count()) == before


def test_an_error_late_in_the_file_rolls_back_everything_before_it(owner_client, owner, full_portfolio):
    data = export_document(full_portfolio)
    data["items"][1]["goal"]["target_date"] = "1850-01-01"  # valid shape, refused by the goals rules
    before = (Goal.objects.count(), Portfolio.objects.count())

    response = upload(owner_client, data)

    assert response.status_code == 422
    problems = dict(response.context["problems"])
    assert list(problems) == ["items.1.goal.target_date"]
    assert (Goal.objects.count(), Portfolio.objects.count()) == before


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"not json", "not a JSON file"),
        (b"\xff\xfe", "not a JSON file"),
        (json.dumps({"format": "other", "version": 1, "portfolio": {"title": "x"}}).encode(), "readingroom-portfolio"),
        (json.dumps({"format": "readingroom-portfolio", "version": 2, "portfolio": {"title": "x"}}).encode(), "1"),
        (json.dumps([1, 2]).encode(), "object"),
    ],
)
def test_files_that_are_not_portfolios_are_refused_clearly(owner_client, raw, message):
    response = upload(owner_client, raw)
    assert response.status_code == 422
    assert any(message in text for _path, text in response.context["problems"])
    assert not Portfolio.objects.exists()


def test_a_file_over_5_mb_is_refused(owner_client):
    response = upload(owner_client, b" " * (5 * 1024 * 1024 + 1))
    assert response.status_code == 422 and "larger than 5 MB" in response.content.decode()


def test_an_assessment_needs_the_default_framework(owner_client, full_portfolio):
    from readingroom.skills.models import SkillFramework

    data = export_document(full_portfolio)
    SkillFramework.objects.update(is_default=False)
    response = upload(owner_client, data)
    assert response.status_code == 422
    assert "no default skills framework" in dict(response.context["problems"])["items.4.assessment"]
