"""Building a portfolio through the pages: only the owner's own records, in order, once each."""

import pytest
from django.urls import reverse

from readingroom.cpd.models import CPDEntry
from readingroom.portfolio import actions
from readingroom.portfolio.models import ItemKind, Portfolio, PortfolioItem
from readingroom.portfolio.tests.factories import CPDEntryFactory, GoalFactory, PortfolioFactory, SectionItemFactory
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def add(client, portfolio, kind, record_id, **extra):
    return client.post(reverse("portfolio:add_item", args=[portfolio.pk]), {"kind": kind, "record": record_id, **extra})


def test_a_member_creates_a_portfolio_and_lands_on_its_builder(owner_client, owner):
    response = owner_client.post(reverse("portfolio:create"), {"title": "Revalidation", "introduction": "Hello"})

    portfolio = Portfolio.objects.get(owner=owner)
    assert response.status_code == 302 and response["Location"] == reverse("portfolio:detail", args=[portfolio.pk])
    page = owner_client.get(response["Location"])
    assert page.status_code == 200 and page.context["nav"] == "learning"
    assert 'aria-current="page">Portfolios' in page.content.decode()


def test_a_portfolio_without_a_title_is_refused_keeping_the_introduction(owner_client, owner):
    response = owner_client.post(reverse("portfolio:create"), {"title": "", "introduction": "Keep me"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "Give the portfolio a title." in html and "Keep me" in html
    assert not Portfolio.objects.exists()


def test_records_are_added_in_order_and_each_only_once(owner_client, owner):
    portfolio = PortfolioFactory(owner=owner)
    goal = GoalFactory(owner=owner)
    entry = CPDEntryFactory(owner=owner)

    assert add(owner_client, portfolio, "goal", goal.pk).status_code == 302
    add(owner_client, portfolio, "cpd_entry", entry.pk, note="Counts for *revalidation*")
    response = add(owner_client, portfolio, "goal", goal.pk)

    assert response.status_code == 302
    messages = [str(m) for m in owner_client.get(response["Location"]).context["messages"]]
    assert messages[-1] == "That is already in this portfolio."
    items = list(portfolio.items.all())
    assert [(i.kind, i.position) for i in items] == [("goal", 0), ("cpd_entry", 1)]
    assert items[1].body == "Counts for *revalidation*"


@pytest.mark.parametrize("kind", ["goal", "cpd_entry"])
def test_another_members_record_cannot_be_added(owner_client, owner, other, kind):
    portfolio = PortfolioFactory(owner=owner)
    record = GoalFactory(owner=other) if kind == "goal" else CPDEntryFactory(owner=other)

    assert add(owner_client, portfolio, kind, record.pk).status_code == 404
    assert not portfolio.items.exists()


def test_boosts_and_others_posts_cannot_be_added(owner_client, owner, other, publish_post):
    from readingroom.posts import actions as post_actions

    portfolio = PortfolioFactory(owner=owner)
    theirs = publish_post(other, "Their post")
    boost = post_actions.boost(user=owner, post=theirs)
    assert add(owner_client, portfolio, "post", theirs.pk).status_code == 404
    assert add(owner_client, portfolio, "post", getattr(boost, "pk", theirs.pk + 1)).status_code == 404
    from readingroom.groups import actions as group_actions

    cohort = group_actions.create_group(creator=owner, name="Cohort", privacy="private")
    said_in_group = post_actions.create_post(author=owner, body="In the cohort", visibility="public", group=cohort)
    assert add(owner_client, portfolio, "post", said_in_group.pk).status_code == 404  # shared links reach anyone
    mine = publish_post(owner, "Mine")
    assert add(owner_client, portfolio, "post", mine.pk).status_code == 302
    assert portfolio.items.get().post == mine


@pytest.mark.parametrize("record", ["0", "-1", "abc", "99999999999999999999999", ""])
def test_bad_record_ids_are_404_not_500(owner_client, owner, record):
    portfolio = PortfolioFactory(owner=owner)
    assert add(owner_client, portfolio, "goal", record).status_code == 404


def test_a_portfolio_holds_at_most_500_items(owner, monkeypatch):
    from readingroom.portfolio import actions as portfolio_actions

    monkeypatch.setattr(portfolio_actions, "MAX_ITEMS", 2)
    portfolio = PortfolioFactory(owner=owner)
    portfolio_actions.add_section(portfolio=portfolio, heading="One", body="")
    portfolio_actions.add_section(portfolio=portfolio, heading="Two", body="")
    with pytest.raises(Exception, match="at most 2 items"):
        portfolio_actions.add_section(portfolio=portfolio, heading="Three", body="")
    assert portfolio.items.count() == 2


def test_items_move_up_and_down(owner_client, owner):
    portfolio = PortfolioFactory(owner=owner)
    a, b, c = (actions.add_section(portfolio=portfolio, heading=h, body="") for h in "ABC")
    url = reverse("portfolio:move_item", args=[portfolio.pk, c.pk])

    owner_client.post(url, {"direction": "up"})
    assert [i.heading for i in portfolio.items.all()] == ["A", "C", "B"]
    owner_client.post(reverse("portfolio:move_item", args=[portfolio.pk, a.pk]), {"direction": "up"})  # already first
    owner_client.post(reverse("portfolio:move_item", args=[portfolio.pk, a.pk]), {"direction": "down"})
    assert [i.heading for i in portfolio.items.all()] == ["C", "A", "B"]
    response = owner_client.post(url, {"direction": "sideways"})
    assert response.status_code == 302 and [i.heading for i in portfolio.items.all()] == ["C", "A", "B"]


def test_sections_notes_and_removal(owner_client, owner):
    portfolio = PortfolioFactory(owner=owner)
    entry = CPDEntryFactory(owner=owner)
    bad = owner_client.post(reverse("portfolio:add_section", args=[portfolio.pk]), {"heading": "", "body": "Kept text"})
    assert (
        bad.status_code == 422
        and "Give the section a heading." in bad.content.decode()
        and "Kept text" in bad.content.decode()
    )

    owner_client.post(reverse("portfolio:add_section", args=[portfolio.pk]), {"heading": "Statement", "body": "Hi"})
    add(owner_client, portfolio, "cpd_entry", entry.pk)
    section, record = portfolio.items.all()
    owner_client.post(reverse("portfolio:edit_item", args=[portfolio.pk, record.pk]), {"body": "Why it matters"})
    owner_client.post(
        reverse("portfolio:edit_item", args=[portfolio.pk, section.pk]),
        {"heading": "Reflective statement", "body": "Longer"},
    )
    record.refresh_from_db()
    section.refresh_from_db()
    assert record.body == "Why it matters" and record.heading == ""
    assert (section.heading, section.body) == ("Reflective statement", "Longer")

    owner_client.post(reverse("portfolio:remove_item", args=[portfolio.pk, record.pk]))
    assert list(portfolio.items.values_list("kind", flat=True)) == ["section"]
    assert CPDEntry.objects.filter(pk=entry.pk).exists()


def test_items_whose_record_is_deleted_disappear(owner):
    portfolio = PortfolioFactory(owner=owner)
    goal = GoalFactory(owner=owner)
    actions.add_record(portfolio=portfolio, kind=ItemKind.GOAL, record=goal)
    goal.delete()
    assert not portfolio.items.exists()


def test_the_add_panel_pages_my_records_newest_first_marking_those_added(owner_client, owner, other):
    portfolio = PortfolioFactory(owner=owner)
    entries = [CPDEntryFactory(owner=owner) for _ in range(25)]
    CPDEntryFactory(owner=other, title="Not mine")
    actions.add_record(portfolio=portfolio, kind=ItemKind.CPD_ENTRY, record=entries[-1])

    first = owner_client.get(reverse("portfolio:add", args=[portfolio.pk, "cpd_entry"]))
    page = first.context["page"]
    assert [c.record.pk for c in page.items] == [e.pk for e in reversed(entries)][:20]
    assert page.items[0].added and not page.items[1].added
    assert "Not mine" not in first.content.decode()
    second = owner_client.get(reverse("portfolio:add", args=[portfolio.pk, "cpd_entry"]), {"before": page.next_cursor})
    assert len(second.context["page"].items) == 5
    assert owner_client.get(reverse("portfolio:add", args=[portfolio.pk, "nonsense"])).status_code == 404


def test_the_builder_reads_in_a_fixed_number_of_queries(owner_client, owner, django_assert_max_num_queries):
    portfolio = PortfolioFactory(owner=owner)
    for _ in range(30):
        actions.add_record(portfolio=portfolio, kind=ItemKind.GOAL, record=GoalFactory(owner=owner))
        SectionItemFactory(portfolio=portfolio)
    with django_assert_max_num_queries(12):
        assert owner_client.get(reverse("portfolio:detail", args=[portfolio.pk])).status_code == 200


PAGES = ["detail", "edit", "delete", "preview", "export_pdf", "export_html", "export_json", "share"]


@pytest.mark.parametrize("name", PAGES)
def test_nobody_else_reaches_a_portfolio_not_even_staff(client, owner, name):
    portfolio = PortfolioFactory(owner=owner)
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get(reverse(f"portfolio:{name}", args=[portfolio.pk])).status_code == 404
    assert client.post(reverse("portfolio:delete", args=[portfolio.pk])).status_code == 404
    assert Portfolio.objects.filter(pk=portfolio.pk).exists()


def test_signed_out_visitors_are_sent_to_log_in(client, owner):
    portfolio = PortfolioFactory(owner=owner)
    response = client.get(reverse("portfolio:detail", args=[portfolio.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_huge_ids_and_wrong_methods_do_not_500(owner_client, owner):
    huge = 10**30
    assert owner_client.get(f"/learning/portfolios/{huge}/").status_code == 404
    portfolio = PortfolioFactory(owner=owner)
    assert owner_client.post(f"/learning/portfolios/{portfolio.pk}/items/{huge}/remove/").status_code == 404
    assert owner_client.get(reverse("portfolio:remove_item", args=[portfolio.pk, 1])).status_code == 405
    assert owner_client.get(reverse("portfolio:list"), {"before": "x" * 50}).status_code == 200


def test_deleting_asks_then_deletes(owner_client, owner):
    portfolio = PortfolioFactory(owner=owner)
    assert "Delete “" in owner_client.get(reverse("portfolio:delete", args=[portfolio.pk])).content.decode()
    assert owner_client.post(reverse("portfolio:delete", args=[portfolio.pk])).status_code == 302
    assert not Portfolio.objects.exists()


def test_the_learning_overview_shows_the_portfolios_card(owner_client, owner):
    p = PortfolioFactory(owner=owner, title="Job application")
    SectionItemFactory(portfolio=p)
    html = owner_client.get(reverse("learning:overview")).content.decode()
    assert "Portfolios" in html and "1 portfolio" in html and "Latest: Job application (1 item)" in html
    assert PortfolioItem.objects.count() == 1
