"""The CPD API: the same forms, actions and checks as the pages."""

from datetime import date

import pytest

from readingroom.cpd.models import CPDEntry
from readingroom.cpd.tests.factories import CPDEntryFactory, CPDRequirementFactory, GoalFactory
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def entry_body(**overrides):
    body = {"title": "Metadata webinar", "started_on": "2025-03-14", "activity_type": "webinar", "hours": 1.5}
    body.update(overrides)
    return body


def test_create_read_edit_delete(api_for, ada):
    api = api_for(ada)
    goal = GoalFactory(owner=ada)
    response = api.post("cpd/entries", entry_body(goals=[goal.pk], hours="1:45", learned="A lot"))
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["quarter_hours"] == 7 and created["hours"] == 1.75 and created["visibility"] == "private"
    assert created["goals"] == [{"id": goal.pk, "title": goal.title}]
    entry_id = created["id"]
    assert api.get(f"cpd/entries/{entry_id}").json()["learned"] == "A lot"
    edited = api.patch(f"cpd/entries/{entry_id}", {"hours": "2", "ended_on": "2025-03-15"}).json()
    assert edited["quarter_hours"] == 8 and edited["ended_on"] == "2025-03-15" and edited["learned"] == "A lot"
    assert edited["goals"] == [{"id": goal.pk, "title": goal.title}]
    assert api.delete(f"cpd/entries/{entry_id}").status_code == 204
    assert not CPDEntry.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"hours": 1.3}, "hours"),
        ({"hours": 0}, "hours"),
        ({"hours": 1e300}, "hours"),
        ({"hours": "abc"}, "hours"),
        ({"started_on": "1960-01-01"}, "started_on"),
        ({"ended_on": "2025-03-01"}, "ended_on"),
        ({"activity_type": "juggling"}, "activity_type"),
        ({"goals": [9223372036854775807]}, "goals"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(api_for, ada, overrides, field):
    response = api_for(ada).post("cpd/entries", entry_body(**overrides))
    assert response.status_code == 422
    assert field in {f["field"] for f in response.json()["error"]["fields"]}
    assert not CPDEntry.objects.exists()


def test_a_duplicate_is_a_422_with_code_duplicate(api_for, ada):
    api = api_for(ada)
    api.post("cpd/entries", entry_body())
    response = api.post("cpd/entries", entry_body(title="  METADATA webinar"))
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["code"] == "duplicate"
    assert "You already logged this on 14 March 2025" in response.json()["error"]["message"]


def test_list_pages_by_cursor_and_filters(api_for, ada):
    for day in range(1, 6):
        CPDEntryFactory(
            owner=ada, title=f"D{day}", started_on=date(2025, 1, day), activity_type="course" if day % 2 else "webinar"
        )
    CPDEntryFactory(title="Not mine")
    api = api_for(ada, "read")
    first = api.get("cpd/entries", {"limit": 2})
    body = first.json()
    assert [e["title"] for e in body["items"]] == ["D5", "D4"] and 'rel="next"' in first["Link"]
    second = api.get("cpd/entries", {"limit": 2, "cursor": body["next_cursor"]}).json()
    assert [e["title"] for e in second["items"]] == ["D3", "D2"]
    courses = api.get("cpd/entries", {"activity_type": "course", "date_from": "2025-01-02"}).json()
    assert [e["title"] for e in courses["items"]] == ["D5", "D3"]
    assert api.get("cpd/entries", {"cursor": "nonsense"}).status_code == 422
    assert api.get("cpd/entries", {"area": 9223372036854775807}).status_code == 422


def test_others_entries_follow_the_audience_rule(api_for, ada, bob):
    private = CPDEntryFactory(owner=ada)
    shared = CPDEntryFactory(owner=ada, visibility="members", title="Shared")
    api = api_for(bob)
    assert api.get(f"cpd/entries/{private.pk}").status_code == 404
    seen = api.get(f"cpd/entries/{shared.pk}").json()
    assert seen["owner_handle"] == "ada"
    assert api.patch(f"cpd/entries/{shared.pk}", {"title": "Mine now"}).status_code == 404
    assert api.delete(f"cpd/entries/{shared.pk}").status_code == 404
    assert api_for(None).get(f"cpd/entries/{shared.pk}").status_code == 401


def test_totals_and_requirement(api_for, ada):
    api = api_for(ada)
    assert api.get("cpd/requirement").json() == {"requirement": None, "progress": None}
    assert api._call("put", "cpd/requirement", {"hours": "20.1", "period_months": 12}).status_code == 422
    assert api._call("put", "cpd/requirement", {"hours": 20, "period_months": 61}).status_code == 422
    state = api._call("put", "cpd/requirement", {"hours": 20, "period_months": 12, "label": "Revalidation"}).json()
    assert state["requirement"] == {"label": "Revalidation", "hours": 20.0, "period_months": 12}
    CPDEntryFactory(owner=ada, started_on=date(2020, 1, 1), quarter_hours=4, activity_type="course")
    CPDEntryFactory(owner=ada, started_on=date(2020, 1, 31), quarter_hours=2)
    totals = api.get("cpd/totals", {"date_from": "2020-01-01", "date_to": "2020-01-31"}).json()
    assert totals["hours"] == 1.5
    assert totals["by_activity_type"] == [
        {"activity_type": "course", "label": "Course", "hours": 1.0},
        {"activity_type": "webinar", "label": "Webinar", "hours": 0.5},
    ]
    assert totals["progress"]["status"] == "behind" and totals["progress"]["to_go_hours"] == 20.0
    assert api.get("cpd/totals", {"date_from": "2020-02-01", "date_to": "2020-01-01"}).status_code == 422
    assert api.delete("cpd/requirement").status_code == 204
    assert api.get("cpd/totals").json()["progress"] is None


def test_export_csv(api_for, ada):
    CPDEntryFactory(owner=ada, title="=cmd")
    CPDRequirementFactory(owner=UserFactory())
    response = api_for(ada, "read").get("cpd/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("started_on,ended_on,title") and "'=cmd" in text


def test_read_tokens_cannot_write(api_for, ada):
    response = api_for(ada, "read").post("cpd/entries", entry_body())
    assert response.status_code == 403
