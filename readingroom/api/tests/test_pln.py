"""The PLN balance through the API: the same figures, check-in scoring and time as the pages."""

import pytest

from readingroom.pln.models import StageCheckIn, TimeIntention
from readingroom.pln.tests.conftest import answers_for
from readingroom.pln.tests.factories import ReadingDayFactory, StageCheckInFactory, TimeIntentionFactory

pytestmark = pytest.mark.django_db


def test_balance_gives_my_own_figures_and_suggestions(api_for, ada, bob):
    ReadingDayFactory(owner=ada, pages=6, posts_seen=380)
    ReadingDayFactory(owner=bob, pages=9, posts_seen=900)
    TimeIntentionFactory(owner=ada, minutes_per_week=60)
    response = api_for(ada, "read").get("balance")
    assert response.status_code == 200
    data = response.json()
    assert (data["days_active"], data["timeline_pages"], data["posts_seen"]) == (1, 6, 380)
    assert data["intention_minutes_per_week"] == 60 and data["cpd_hours"] == 0
    assert data["reading_minutes_estimate"] == round((6 * 30 + 380 * 15) / 60)
    assert len(data["weeks"]) == 4 and data["weeks"][-1]["posts_read"] == 380
    by_key = {s["key"]: s for s in data["suggestions"]}
    assert by_key["follow"]["url"] == "http://testserver/people/"
    assert "reply" in by_key


def test_posting_a_check_in_answers_with_the_stage_and_advice(api_for, ada):
    response = api_for(ada).post("balance/check-ins", {"answers": answers_for(*["perspective"] * 6)})
    assert response.status_code == 201
    data = response.json()
    assert data["stage"] == "perspective" and data["stage_label"] == "Perspective"
    assert data["advice_title"].startswith("Towards balance") and len(data["advice"]) == 3
    assert StageCheckIn.objects.get(owner=ada).stage == "perspective"


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({}, "answers.sources", "Choose the answer that fits you best."),
        ({"sources": "nope"}, "answers.sources", "Choose one of the answers offered."),
        ({"made_up": "x"}, "answers", "There is no question 'made_up'."),
    ],
)
def test_bad_answers_are_a_422_naming_the_question(api_for, ada, answers, field, message):
    full = answers_for(*["balance"] * 6)
    if answers == {}:
        full.pop("sources")
    full.update(answers)
    response = api_for(ada).post("balance/check-ins", {"answers": full})
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert any(f["field"] == field and message in f["message"] for f in fields), fields
    assert not StageCheckIn.objects.exists()


@pytest.mark.parametrize("body", [{}, {"answers": []}, {"answers": {"sources": 3}}, {"answers": "x"}])
def test_malformed_check_ins_are_a_422(api_for, ada, body):
    assert api_for(ada).post("balance/check-ins", body).status_code == 422


def test_listing_my_check_ins_newest_first_with_pages(api_for, ada, bob):
    mine = [StageCheckInFactory(owner=ada, stage=s) for s in ("immersion", "evaluation")]
    StageCheckInFactory(owner=bob)
    data = api_for(ada, "read").get("balance/check-ins").json()
    assert [c["id"] for c in data["items"]] == [mine[1].pk, mine[0].pk]
    older = api_for(ada, "read").get("balance/check-ins", {"max_id": mine[1].pk}).json()
    assert [c["id"] for c in older["items"]] == [mine[0].pk]
    assert api_for(ada, "read").get("balance/check-ins", {"max_id": "9" * 30}).status_code == 422


def test_getting_and_putting_my_weekly_time(api_for, ada):
    api = api_for(ada)
    assert api.get("balance/time-intention").json() == {"minutes_per_week": None, "updated_at": None}
    response = api._call("put", "balance/time-intention", {"minutes_per_week": 120})
    assert response.status_code == 200 and response.json()["minutes_per_week"] == 120
    assert TimeIntention.objects.get(owner=ada).minutes_per_week == 120


@pytest.mark.parametrize("value", [-1, 3001, 10**20, "lots", None])
def test_a_bad_weekly_time_is_a_422_and_changes_nothing(api_for, ada, value):
    TimeIntentionFactory(owner=ada, minutes_per_week=30)
    response = api_for(ada)._call("put", "balance/time-intention", {"minutes_per_week": value})
    assert response.status_code == 422
    assert TimeIntention.objects.get(owner=ada).minutes_per_week == 30


def test_a_read_token_cannot_write(api_for, ada):
    api = api_for(ada, "read")
    assert api.post("balance/check-ins", {"answers": answers_for(*["balance"] * 6)}).status_code == 403
    assert api._call("put", "balance/time-intention", {"minutes_per_week": 5}).status_code == 403


@pytest.mark.parametrize("path", ["balance", "balance/check-ins", "balance/time-intention"])
def test_nobody_anonymous_gets_anything(api_for, path):
    assert api_for(None).get(path).status_code == 401
