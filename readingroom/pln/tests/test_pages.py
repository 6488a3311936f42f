"""The balance, check-in and weekly time pages: private to the member, kind, and robust to bad input."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from readingroom.learning import hub
from readingroom.pln.models import StageCheckIn, TimeIntention
from readingroom.pln.tests.conftest import answers_for
from readingroom.pln.tests.factories import ReadingDayFactory, StageCheckInFactory, TimeIntentionFactory
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = ["pln:balance", "pln:check_in", "pln:time"]


@pytest.mark.parametrize("name", PAGES)
def test_visitors_are_sent_to_log_in(name):
    response = Client().get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_balance_section_is_registered_in_the_learning_area(member_client):
    section = next(s for s in hub.sections() if s.key == "balance")
    assert (section.label, section.order, section.url_name) == ("Balance", 50, "pln:balance")
    page = member_client.get(reverse("learning:overview")).content.decode()
    assert "Take the stage check-in to see where your network is." in page


def test_the_balance_page_shows_my_figures_suggestions_and_an_accessible_chart(member, member_client):
    ReadingDayFactory(owner=member, pages=6, posts_seen=380)
    StageCheckInFactory(owner=member, stage="evaluation")
    response = member_client.get(reverse("pln:balance"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'aria-current="page"' in page and ">Balance</a>" in page
    assert "you opened your timelines on 1 of the last 28 days and were shown about 380 posts" in page
    assert "at the <strong>Evaluation</strong> stage" in page
    assert "Reply to one post this week" in page and "Follow two people who share your interests" in page
    assert 'role="img"' in page and "aria-label=" in page and "<table" in page
    assert "<script" not in page.split("<main", 1)[1] and "<style" not in page  # CSP: none inline
    assert "is an estimate" in page


def test_another_members_balance_is_never_shown(member, member_client):
    other = UserFactory()
    ReadingDayFactory(owner=other, posts_seen=777)
    assert "777" not in member_client.get(reverse("pln:balance")).content.decode()


def test_taking_the_check_in_places_me_and_gives_advice(member, member_client):
    page = member_client.get(reverse("pln:check_in")).content.decode()
    assert page.count("<fieldset") == 6 and page.count('type="radio"') == 30
    response = member_client.post(reverse("pln:check_in"), answers_for(*["know_it_all"] * 4, "balance", "balance"))
    record = StageCheckIn.objects.get(owner=member)
    assert record.stage == "know_it_all"
    assert response["Location"] == reverse("pln:check_in_result", args=[record.pk])
    result = member_client.get(response["Location"]).content.decode()
    assert "Your network is at the Know-it-all stage" in result
    assert "Towards perspective: step back a little" in result and "(you are here)" in result
    assert "Latest check-in: Know-it-all" in member_client.get(reverse("learning:overview")).content.decode()


def test_missing_answers_are_named_and_the_others_kept(member, member_client):
    answers = answers_for(*["balance"] * 6)
    del answers["away"]
    answers["stuck"] = "nonsense"
    response = member_client.post(reverse("pln:check_in"), answers)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "Choose the answer that fits you best." in page and "Choose one of the answers offered." in page
    assert re.search(r'<input[^>]*value="settled"[^>]*checked', page)  # my answer is still chosen
    form = response.context["form"]
    assert form["sources"].value() == "settled"
    assert not StageCheckIn.objects.exists()


def test_someone_elses_check_in_and_huge_ids_are_404(member_client):
    theirs = StageCheckInFactory()
    assert member_client.get(reverse("pln:check_in_result", args=[theirs.pk])).status_code == 404
    assert member_client.get("/learning/balance/check-in/99999999999999999999999/").status_code == 404


def test_setting_my_weekly_time(member, member_client):
    response = member_client.post(reverse("pln:time"), {"minutes_per_week": "90"})
    assert response["Location"] == reverse("pln:balance")
    assert TimeIntention.objects.get(owner=member).minutes_per_week == 90
    page = member_client.get(reverse("pln:balance")).content.decode()
    assert "You planned 90 minutes a week." in page and 'value="90"' in page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter the minutes you mean to give each week"),
        ("lots", "Enter a whole number of minutes"),
        ("-1", "Enter 0 or more minutes."),
        ("3001", "Enter at most 3000 minutes"),
        ("9" * 40, "Enter at most 3000 minutes"),
    ],
)
def test_a_bad_weekly_time_is_explained_and_kept(member, member_client, value, message):
    TimeIntentionFactory(owner=member, minutes_per_week=45)
    response = member_client.post(reverse("pln:time"), {"minutes_per_week": value})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and 'role="alert"' in page
    assert TimeIntention.objects.get(owner=member).minutes_per_week == 45


@pytest.mark.parametrize(
    ("method", "name"), [("put", "pln:balance"), ("delete", "pln:check_in"), ("post", "pln:balance")]
)
def test_wrong_methods_are_refused_not_500(member_client, method, name):
    assert getattr(member_client, method)(reverse(name)).status_code == 405


def test_bad_query_strings_do_not_break_the_pages(member_client):
    for name in PAGES:
        assert member_client.get(reverse(name), {"before": "x" * 500, "page": "-1"}).status_code == 200
