"""Portfolios through the API: the same owner-only rule, actions and checks as the pages."""

import pytest

from readingroom.portfolio import actions
from readingroom.portfolio.jsonformat import export_document
from readingroom.portfolio.models import Portfolio, ShareLink
from readingroom.portfolio.tests.factories import CPDEntryFactory, GoalFactory, PortfolioFactory
from readingroom.portfolio.tests.pdftext import pdf_text

pytestmark = pytest.mark.django_db


def test_a_member_builds_a_portfolio(api_for, ada):
    api = api_for(ada)
    goal = GoalFactory(owner=ada, title="Learn Python")
    entry = CPDEntryFactory(owner=ada)

    created = api.post("portfolios", {"title": "Chartership", "introduction": "Hi"})
    assert created.status_code == 201
    pid = created.json()["id"]
    a = api.post(f"portfolios/{pid}/items", {"kind": "goal", "record_id": goal.pk, "note": "Main"})
    b = api.post(f"portfolios/{pid}/items", {"kind": "cpd_entry", "record_id": entry.pk})
    c = api.post(f"portfolios/{pid}/items", {"kind": "section", "heading": "Statement", "body": "Text"})
    assert (a.status_code, b.status_code, c.status_code) == (201, 201, 201)
    ids = [a.json()["id"], b.json()["id"], c.json()["id"]]

    reordered = api.post(f"portfolios/{pid}/items/order", {"item_ids": [ids[2], ids[0], ids[1]]})
    assert reordered.status_code == 200
    assert [i["id"] for i in reordered.json()["items"]] == [ids[2], ids[0], ids[1]]
    assert api.patch(f"portfolios/{pid}/items/{ids[0]}", {"body": "Changed note"}).json()["body"] == "Changed note"
    assert api.delete(f"portfolios/{pid}/items/{ids[1]}").status_code == 204
    got = api.get(f"portfolios/{pid}").json()
    assert [(i["kind"], i["record_id"]) for i in got["items"]] == [("section", None), ("goal", goal.pk)]
    assert api.patch(f"portfolios/{pid}", {"title": "Renamed"}).json()["title"] == "Renamed"
    assert [p["title"] for p in api.get("portfolios").json()["items"]] == ["Renamed"]


def test_duplicates_bad_orders_and_missing_ids_are_422(api_for, ada):
    api = api_for(ada)
    portfolio = PortfolioFactory(owner=ada)
    goal = GoalFactory(owner=ada)
    assert api.post(f"portfolios/{portfolio.pk}/items", {"kind": "goal", "record_id": goal.pk}).status_code == 201
    again = api.post(f"portfolios/{portfolio.pk}/items", {"kind": "goal", "record_id": goal.pk})
    assert again.status_code == 422 and again.json()["error"]["message"] == "That is already in this portfolio."
    assert api.post(f"portfolios/{portfolio.pk}/items", {"kind": "goal"}).status_code == 422
    bad = api.post(f"portfolios/{portfolio.pk}/items/order", {"item_ids": [1, 2, 3]})
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "item_ids"
    assert api.post("portfolios", {"title": ""}).status_code == 422


def test_other_members_portfolios_and_records_are_404(api_for, ada, bob):
    theirs = PortfolioFactory(owner=bob)
    their_goal = GoalFactory(owner=bob)
    mine = PortfolioFactory(owner=ada)
    api = api_for(ada)
    assert api.get(f"portfolios/{theirs.pk}").status_code == 404
    assert api.delete(f"portfolios/{theirs.pk}").status_code == 404
    assert api.get(f"portfolios/{theirs.pk}/export/pdf").status_code == 404
    assert api.get(f"portfolios/{theirs.pk}/share-links").status_code == 404
    assert api.post(f"portfolios/{mine.pk}/items", {"kind": "goal", "record_id": their_goal.pk}).status_code == 404
    assert Portfolio.objects.filter(pk=theirs.pk).exists() and not mine.items.exists()
    assert api_for(None).get("portfolios").status_code == 401


def test_read_tokens_cannot_write(api_for, ada):
    assert api_for(ada, scope="read").post("portfolios", {"title": "x"}).status_code == 403


def test_exports_and_import_round_trip(api_for, ada, bob):
    portfolio = PortfolioFactory(owner=ada, title="Round trip")
    actions.add_record(portfolio=portfolio, kind="goal", record=GoalFactory(owner=ada, title="Goal A"))
    actions.add_section(portfolio=portfolio, heading="Why", body="Because")

    exported = api_for(ada).get(f"portfolios/{portfolio.pk}/export/json")
    assert exported.status_code == 200 and exported.json()["format"] == "readingroom-portfolio"
    imported = api_for(bob).post("portfolios/import", exported.json())
    assert imported.status_code == 201
    copy = Portfolio.objects.get(pk=imported.json()["id"])
    assert copy.owner == bob and [i.kind for i in copy.items.all()] == ["goal", "section"]
    assert copy.items.first().goal.owner == bob

    pdf = api_for(ada).get(f"portfolios/{portfolio.pk}/export/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "Goal A" in pdf_text(pdf.content)


def test_an_invalid_import_names_each_field_and_creates_nothing(api_for, ada):
    data = export_document(PortfolioFactory(owner=ada))
    data["items"] = [
        {
            "kind": "cpd_entry",
            "cpd_entry": {"title": "x", "started_on": "2024-02-30", "activity_type": "webinar", "hours": 1},
        }
    ]
    response = api_for(ada).post("portfolios/import", data)
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["items.0.cpd_entry.started_on"]
    assert Portfolio.objects.count() == 1


def test_share_links_are_created_listed_and_revoked(api_for, ada, client):
    portfolio = PortfolioFactory(owner=ada)
    api = api_for(ada)
    created = api.post(f"portfolios/{portfolio.pk}/share-links", {"label": "Panel", "days": 10})
    assert created.status_code == 201
    body = created.json()
    assert body["live"] and body["url"].endswith(f"/p/{body['token']}/")
    assert client.get(f"/p/{body['token']}/").status_code == 200
    listed = api.get(f"portfolios/{portfolio.pk}/share-links").json()
    assert [link["label"] for link in listed] == ["Panel"] and "token" not in listed[0]
    assert api.delete(f"portfolios/{portfolio.pk}/share-links/{body['id']}").status_code == 204
    assert client.get(f"/p/{body['token']}/").status_code == 404
    assert ShareLink.objects.get().revoked_at is not None
    assert api.post(f"portfolios/{portfolio.pk}/share-links", {"days": 400}).status_code == 422


def test_the_pdf_export_is_declared_in_the_openapi_document(api_for, ada):
    schema = api_for(None).get("openapi.json").json()
    operation = schema["paths"]["/api/v1/portfolios/{portfolio_id}/export/pdf"]["get"]
    assert "application/pdf" in operation["responses"]["200"]["content"]
