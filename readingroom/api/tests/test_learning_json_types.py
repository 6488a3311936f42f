"""Learning bodies take values of their JSON type only. The fuzzer's first run found a string
accepted as a whole portfolio, false as minutes and 0 as a step's done flag; pydantic's lax mode
would also take true as an id and a Unix timestamp as a date."""

import pytest

from readingroom.goals.models import Goal, Step
from readingroom.portfolio.jsonformat import export_document
from readingroom.portfolio.models import Portfolio
from readingroom.portfolio.tests.factories import GoalFactory, PortfolioFactory

pytestmark = pytest.mark.django_db


def test_a_json_string_is_not_a_portfolio(api_for, ada):
    response = api_for(ada).post("portfolios", "Chartership")
    assert response.status_code == 422
    assert not Portfolio.objects.exists()


@pytest.mark.parametrize("minutes", [False, True, "90", 90.5])
def test_weekly_minutes_must_be_a_whole_number(api_for, ada, minutes):
    response = api_for(ada)._call("put", "balance/time-intention", {"minutes_per_week": minutes})
    assert response.status_code == 422
    assert api_for(ada).get("balance/time-intention").json()["minutes_per_week"] is None


@pytest.mark.parametrize("done", [0, 1, "true", None])
def test_a_step_is_done_only_by_true_or_false(api_for, ada, done):
    goal = GoalFactory(owner=ada)
    step = Step.objects.create(goal=goal, title="Read the handbook", position=0)
    response = api_for(ada).post(f"goals/{goal.pk}/steps/{step.pk}/toggle", {"done": done})
    assert response.status_code == 422
    step.refresh_from_db()
    assert step.done is False


@pytest.mark.parametrize("target_date", [1_700_000_000, 0, True])
def test_a_number_is_not_a_date(api_for, ada, target_date):
    response = api_for(ada).post("goals", {"title": "Chartership", "target_date": target_date})
    assert response.status_code == 422
    assert not Goal.objects.filter(owner=ada).exists()


def test_an_id_is_a_number_not_true(api_for, ada):
    portfolio = PortfolioFactory(owner=ada)
    GoalFactory(owner=ada)  # the record true would have meant, as id 1
    response = api_for(ada).post(f"portfolios/{portfolio.pk}/items", {"kind": "goal", "record_id": True})
    assert response.status_code == 422
    assert not portfolio.items.exists()


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("version",), True),
        (("items", 0, "goal", "steps", 0, "done"), 0),
        (("items", 0, "goal", "progress_override"), True),
        (("items", 1, "cpd_entry", "hours"), "1.5"),
        (("items", 1, "cpd_entry", "started_on"), 1_700_000_000),
    ],
)
def test_an_imported_file_keeps_to_its_json_types(api_for, ada, path, value):
    document = {
        "format": "readingroom-portfolio",
        "version": 1,
        "portfolio": {"title": "Imported"},
        "items": [
            {"kind": "goal", "goal": {"title": "A goal", "steps": [{"title": "A step", "done": False}]}},
            {
                "kind": "cpd_entry",
                "cpd_entry": {"title": "Webinar", "started_on": "2026-03-02", "activity_type": "webinar", "hours": 1.5},
            },
        ],
    }
    api = api_for(ada)
    assert api.post("portfolios/import", document).status_code == 201  # the file as it should be
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value

    response = api.post("portfolios/import", document)

    assert response.status_code == 422
    assert Portfolio.objects.filter(owner=ada).count() == 1


def test_an_export_still_imports(api_for, ada):
    portfolio = PortfolioFactory(owner=ada)
    response = api_for(ada).post("portfolios/import", export_document(portfolio))
    assert response.status_code == 201
