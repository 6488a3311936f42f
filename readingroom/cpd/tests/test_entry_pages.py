"""Logging, editing and deleting entries through the pages; duplicates; "Log this as CPD" links."""

from datetime import date

import pytest
from django.urls import reverse

from readingroom.cpd.models import CPDEntry
from readingroom.cpd.tests.factories import CPDEntryFactory, GoalFactory
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def entry_post(**overrides):
    data = {
        "title": "Linked data for catalogues",
        "started_on": "2025-03-14",
        "ended_on": "",
        "activity_type": "webinar",
        "hours": "1,5",
        "provider": "CILIP",
        "delivery": "online",
        "learned": "How BIBFRAME maps to MARC.",
        "apply": "Pilot it on the local collection.",
        "visibility": "private",
    }
    data.update(overrides)
    return data


def test_logging_an_entry_saves_quarter_hours_goals_areas_and_fingerprint(member_client, member, areas):
    goal = GoalFactory(owner=member)
    response = member_client.post(
        reverse("cpd:add"), entry_post(goals=[goal.pk], skill_areas=[areas[0].pk, areas[2].pk])
    )
    entry = CPDEntry.objects.get(owner=member)
    assert response.status_code == 302 and response["Location"] == reverse("cpd:detail", args=[entry.pk])
    assert entry.quarter_hours == 6 and entry.visibility == "private"
    assert list(entry.goals.all()) == [goal]
    assert set(entry.skill_areas.all()) == {areas[0], areas[2]}
    assert len(entry.fingerprint) == 64
    page = member_client.get(reverse("cpd:detail", args=[entry.pk]))
    assert "1½ h" in page.content.decode() and "How BIBFRAME maps to MARC." in page.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hours", "1.3", "multiple of 0.25"),
        ("hours", "0", "more than 0"),
        ("hours", "1001", "at most 1,000 hours"),
        ("started_on", "1969-12-31", "1970 or later"),
        ("started_on", "2999-01-01", "no more than a year from today"),
        ("started_on", "not a date", "Enter a date"),
        ("ended_on", "2025-03-01", "cannot be before the start date"),
        ("activity_type", "juggling", "Choose an activity type"),
        ("title", "", "Give the title"),
        ("title", "x" * 201, "at most 200 characters"),
        ("visibility", "public", "Choose who can see it"),
        ("goals", "999999999999999999999", "Choose from your own goals"),
    ],
)
def test_bad_input_is_explained_and_what_was_typed_is_kept(member_client, member, field, value, message):
    response = member_client.post(reverse("cpd:add"), entry_post(**{field: value}))
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body and 'role="alert"' in body
    assert "How BIBFRAME maps to MARC." in body  # nothing typed is lost
    assert not CPDEntry.objects.exists()


def test_a_goal_of_someone_else_cannot_be_linked(member_client):
    other_goal = GoalFactory()
    response = member_client.post(reverse("cpd:add"), entry_post(goals=[other_goal.pk]))
    assert "Choose from your own goals" in response.content.decode()
    assert not CPDEntry.objects.exists()


def test_logging_the_same_activity_twice_is_a_form_error_with_a_link(member_client, member):
    member_client.post(reverse("cpd:add"), entry_post())
    first = CPDEntry.objects.get()
    response = member_client.post(
        reverse("cpd:add"), entry_post(title="  LINKED data for catalogues", provider="cilip")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "You already logged this on 14 March 2025" in body
    assert reverse("cpd:detail", args=[first.pk]) in body
    assert CPDEntry.objects.count() == 1


def test_another_member_may_log_the_same_activity(client, member):
    CPDEntryFactory(owner=member, title="Same talk")
    other = UserFactory()
    client.force_login(other)
    client.post(reverse("cpd:add"), entry_post(title="Same talk", provider=""))
    assert CPDEntry.objects.filter(owner=other).count() == 1


def test_editing_into_a_duplicate_is_refused_and_editing_itself_is_fine(member_client, member):
    one = CPDEntryFactory(owner=member, title="One")
    two = CPDEntryFactory(owner=member, title="Two")
    same = {"started_on": "2025-03-14", "activity_type": "webinar", "hours": "1.5", "provider": ""}
    response = member_client.post(reverse("cpd:edit", args=[two.pk]), entry_post(title="One", **same))
    assert "You already logged this" in response.content.decode()
    two.refresh_from_db()
    assert two.title == "Two"
    response = member_client.post(reverse("cpd:edit", args=[one.pk]), entry_post(title="One", **same, learned="More"))
    assert response.status_code == 302
    one.refresh_from_db()
    assert one.learned == "More"


def test_a_range_ending_on_its_start_day_is_one_day(member_client, member):
    member_client.post(reverse("cpd:add"), entry_post(ended_on="2025-03-14"))
    assert CPDEntry.objects.get().ended_on is None


def test_log_this_as_cpd_links_prefill_the_form(member_client, member):
    goal = GoalFactory(owner=member, title="Learn linked data")
    url = reverse("cpd:add") + f"?title=Webinar%3A+BIBFRAME&activity_type=webinar&hours=1%3A30&goal={goal.pk}"
    body = member_client.get(url).content.decode()
    assert 'value="Webinar: BIBFRAME"' in body
    assert 'value="1.5"' in body
    assert f'value="{goal.pk}" id="id_goals_0" checked' in body or "checked" in body


@pytest.mark.parametrize(
    "query",
    [
        "?title=" + "x" * 5000,
        "?hours=abc&activity_type=nonsense&goal=99999999999999999999999",
        "?goal=-1&hours=1e400",
        "?title=%00nul",
    ],
)
def test_odd_prefill_query_strings_still_show_the_form(member_client, query):
    response = member_client.get(reverse("cpd:add") + query)
    assert response.status_code == (400 if "%00" in query else 200)  # NUL: the site refuses the request


def test_a_goal_of_someone_else_in_the_query_string_is_ignored(member_client):
    goal = GoalFactory(title="Not mine")
    body = member_client.get(reverse("cpd:add") + f"?goal={goal.pk}").content.decode()
    assert "Not mine" not in body


def test_delete_asks_first_then_removes(member_client, member):
    entry = CPDEntryFactory(owner=member)
    page = member_client.get(reverse("cpd:delete", args=[entry.pk]))
    assert "Delete this CPD entry?" in page.content.decode()
    assert CPDEntry.objects.filter(pk=entry.pk).exists()
    response = member_client.post(reverse("cpd:delete", args=[entry.pk]))
    assert response.status_code == 302
    assert not CPDEntry.objects.filter(pk=entry.pk).exists()


def test_log_pages_by_date_then_id_without_offset(member_client, member, django_assert_max_num_queries):
    for day in range(1, 26):
        CPDEntryFactory(owner=member, title=f"Day {day}", started_on=date(2025, 1, day))
    CPDEntryFactory(owner=member, title="Same day later id", started_on=date(2025, 1, 25))
    with django_assert_max_num_queries(12):
        first = member_client.get(reverse("cpd:log"))
    page = first.context["page"]
    titles = [e.title for e in page.items]
    assert titles[:2] == ["Same day later id", "Day 25"] and len(titles) == 20
    second = member_client.get(reverse("cpd:log"), {"before": page.next_cursor})
    rest = [e.title for e in second.context["page"].items]
    assert rest == [f"Day {d}" for d in range(6, 0, -1)]
    assert "OFFSET" not in str(CPDEntry.objects.filter(owner=member).order_by("-started_on", "-id")[:21].query)


def test_log_filters_by_type_date_area_and_goal(member_client, member, areas):
    goal = GoalFactory(owner=member)
    a = CPDEntryFactory(owner=member, title="Course A", activity_type="course", started_on=date(2024, 5, 1))
    b = CPDEntryFactory(owner=member, title="Webinar B", started_on=date(2025, 5, 1))
    a.skill_areas.add(areas[1])
    b.goals.add(goal)

    def titles(**params):
        return [e.title for e in member_client.get(reverse("cpd:log"), params).context["page"].items]

    assert titles(activity_type="course") == ["Course A"]
    assert titles(date_from="2025-01-01") == ["Webinar B"]
    assert titles(date_to="2024-12-31") == ["Course A"]
    assert titles(area=areas[1].pk) == ["Course A"]
    assert titles(goal=goal.pk) == ["Webinar B"]


@pytest.mark.parametrize(
    "query",
    [
        {"before": "2025-02-30.5"},
        {"before": "9999-12-31.99999999999999999999"},
        {"before": "garbage"},
        {"date_from": "2025-13-01", "area": "abc", "goal": "99999999999999999999999", "activity_type": "x"},
        {"date_from": "99999-01-01"},
    ],
)
def test_no_query_string_breaks_the_log(member_client, member, query):
    CPDEntryFactory(owner=member)
    response = member_client.get(reverse("cpd:log"), query)
    assert response.status_code == 200


def test_wrong_methods_and_bad_ids_are_not_errors(member_client, member):
    assert member_client.get(reverse("cpd:evidence_link", args=[1])).status_code == 405
    assert member_client.get("/learning/cpd/99999999999999999999999/").status_code == 404
    assert member_client.get("/learning/cpd/99999999999999999999999/edit/").status_code == 404
    assert member_client.put(reverse("cpd:add")).status_code == 405
