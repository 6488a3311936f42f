"""Totals for a period, the rolling figure around its edges, met / on track / behind, and the
pictures (with no entries and with many)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from readingroom.cpd import charts, queries
from readingroom.cpd.models import CPDEntry
from readingroom.cpd.tests.factories import CPDEntryFactory, CPDRequirementFactory
from readingroom.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = date(2025, 6, 15)


def test_period_totals_count_entries_by_start_date_inclusive_of_both_ends(member):
    for day, kind, quarters in [
        (date(2025, 1, 1), "course", 4),
        (date(2025, 1, 31), "webinar", 2),
        (date(2024, 12, 31), "webinar", 100),  # the day before
        (date(2025, 2, 1), "webinar", 100),  # the day after
    ]:
        CPDEntryFactory(owner=member, started_on=day, activity_type=kind, quarter_hours=quarters)
    CPDEntryFactory(started_on=date(2025, 1, 10), quarter_hours=50)  # someone else's
    totals = queries.period_totals(owner=member, start=date(2025, 1, 1), end=date(2025, 1, 31))
    assert totals.quarter_hours == 6 and totals.hours == 1.5
    assert totals.by_type == [("course", "Course", 4), ("webinar", "Webinar", 2)]


def test_rolling_period_runs_from_the_day_after_the_same_day_last_year(member):
    assert queries.rolling_start(TODAY, 12) == date(2024, 6, 16)
    CPDEntryFactory(owner=member, started_on=date(2024, 6, 15), quarter_hours=40)  # just outside
    CPDEntryFactory(owner=member, started_on=date(2024, 6, 16), quarter_hours=8)  # first day in
    CPDEntryFactory(owner=member, started_on=TODAY, quarter_hours=4)  # today counts
    CPDEntryFactory(owner=member, started_on=TODAY + timedelta(days=1), quarter_hours=40)  # planned: not yet
    requirement = CPDRequirementFactory(owner=member, quarter_hours=80)
    progress = queries.progress(owner=member, today=TODAY, requirement=requirement)
    assert progress.logged == 12
    assert progress.status == "behind"  # logging began before the window: the whole requirement is due
    assert progress.to_go == 68 and progress.months_left == 1


def test_met_when_the_requirement_is_reached(member):
    CPDRequirementFactory(owner=member, quarter_hours=80)
    CPDEntryFactory(owner=member, started_on=date(2024, 9, 1), quarter_hours=80)
    progress = queries.progress(owner=member, today=TODAY)
    assert progress.status == "met" and progress.percent == 100 and progress.to_go == 0


def test_on_track_when_the_share_due_since_the_first_entry_is_logged(member):
    CPDRequirementFactory(owner=member, quarter_hours=80)  # 20 h in 12 months
    began = date(2025, 3, 16)  # three months ago: about 5 h due
    CPDEntryFactory(owner=member, started_on=began, quarter_hours=24)
    progress = queries.progress(owner=member, today=TODAY)
    assert progress.status == "on_track"
    assert 19 <= progress.due_now <= 21
    CPDEntry.objects.update(quarter_hours=8)
    progress = queries.progress(owner=member, today=TODAY)
    assert progress.status == "behind"
    assert progress.to_go == 72 and progress.months_left == 9
    assert progress.per_month == 8  # 18 h over 9 months: 2 h a month


def test_no_requirement_no_progress(member):
    assert queries.progress(owner=member, today=TODAY) is None


def test_monthly_totals_group_by_month_and_type_in_one_query(member, django_assert_num_queries):
    CPDEntryFactory(owner=member, started_on=date(2025, 6, 1), activity_type="course", quarter_hours=4)
    CPDEntryFactory(owner=member, started_on=date(2025, 6, 30), activity_type="course", quarter_hours=4, title="b")
    CPDEntryFactory(owner=member, started_on=date(2024, 7, 1), activity_type="reading", quarter_hours=2)
    CPDEntryFactory(owner=member, started_on=date(2024, 6, 30), activity_type="reading", quarter_hours=2, title="c")
    with django_assert_num_queries(1):
        months, series = queries.monthly_by_type(owner=member, today=date(2025, 6, 30))
    assert months[0] == date(2024, 7, 1) and months[-1] == date(2025, 6, 1)
    assert series["course"][-1] == 8 and series["reading"][0] == 2 and sum(series["reading"]) == 2


def test_area_totals_in_one_query(member, areas, django_assert_num_queries):
    entry = CPDEntryFactory(owner=member, started_on=date(2025, 5, 1), quarter_hours=6)
    entry.skill_areas.add(areas[0], areas[1])
    with django_assert_num_queries(1):
        rows = queries.hours_by_area(owner=member, start=date(2025, 1, 1), end=TODAY, areas=areas)
    assert rows[0] == (areas[0], 6) and rows[1] == (areas[1], 6) and rows[2] == (areas[2], 0)


def test_charts_render_with_no_entries(member, areas):
    months, series = queries.monthly_by_type(owner=member, today=TODAY)
    for svg in (
        charts.monthly_chart(months, series),
        charts.areas_chart(queries.hours_by_area(owner=member, start=TODAY, end=TODAY, areas=areas)),
        charts.progress_chart(logged=0, required=80),
        charts.progress_chart(logged=0, required=80, compact=True),
    ):
        assert svg.startswith('<svg role="img" aria-label=')
        assert "<script" not in svg and "<style" not in svg and "style=" not in svg


def test_charts_render_with_many_entries_and_escape_labels(member, areas):
    rows = [
        CPDEntry(
            owner=member,
            title=f"E{i}",
            started_on=TODAY - timedelta(days=i % 400),
            activity_type=kind,
            quarter_hours=1 + i % 16,
            fingerprint=f"{i:064d}",
        )
        for i, kind in zip(range(2000), ["course", "webinar", "reading", "teaching", "other"] * 400, strict=True)
    ]
    CPDEntry.objects.bulk_create(rows)
    months, series = queries.monthly_by_type(owner=member, today=TODAY)
    svg = charts.monthly_chart(months, series)
    assert svg.count("<rect") > 12 and "Teaching" in svg
    areas[0].name = 'Ethics <script>alert("x")</script>'
    svg = charts.areas_chart([(areas[0], 4)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_summary_page_shows_status_in_text_and_tables(member_client, member, areas):
    CPDRequirementFactory(owner=member, quarter_hours=80, label="CILIP revalidation")
    today = queries.member_today(member)
    CPDEntryFactory(owner=member, started_on=today - timedelta(days=400), quarter_hours=40, title="Long ago")
    CPDEntryFactory(owner=member, started_on=today, quarter_hours=6)
    body = member_client.get(reverse("cpd:summary")).content.decode()
    assert "Behind: 18½ h to go" in body and "CILIP revalidation" in body
    assert body.count('role="img"') == 3 and "<table" in body
    assert "How “met”, “on track” and “behind” are worked out" in body


def test_summary_page_with_nothing_logged_and_any_period(member_client, areas):
    assert member_client.get(reverse("cpd:summary")).status_code == 200
    for params in (
        {"date_from": "2025-13-40"},
        {"date_from": "2025-05-01", "date_to": "2025-01-01"},
        {"date_from": "0001-01-01"},
        {"date_to": "9999-12-31"},
    ):
        response = member_client.get(reverse("cpd:summary"), params)
        assert response.status_code == 200


def test_summary_period_form_changes_the_totals(member_client, member):
    CPDEntryFactory(owner=member, started_on=date(2020, 5, 5), quarter_hours=12)
    body = member_client.get(
        reverse("cpd:summary"), {"date_from": "2020-01-01", "date_to": "2020-12-31"}
    ).content.decode()
    assert "<strong>3 h</strong> from 1 Jan 2020 to 31 Dec 2020" in body


def test_hub_card_shows_the_rolling_total_and_status(member_client, member):
    CPDRequirementFactory(owner=member, quarter_hours=80)
    CPDEntryFactory(owner=member, started_on=queries.member_today(member), quarter_hours=80)
    body = member_client.get(reverse("learning:overview")).content.decode()
    assert "CPD log" in body and "20 h of 20 h in the last 12 months." in body and "Met: 20 h of 20 h." in body


def test_hub_card_without_requirement(member_client):
    body = member_client.get(reverse("learning:overview")).content.decode()
    assert "0 h logged in the last 12 months." in body and "No requirement set yet." in body


def test_requirement_page_sets_validates_and_clears(member_client, member):
    response = member_client.post(
        reverse("cpd:requirement"), {"label": "Revalidation", "hours": "20", "period_months": "12"}
    )
    assert response.status_code == 302
    assert member.cpdrequirement.quarter_hours == 80
    for bad in (
        {"hours": "20.1", "period_months": "12"},
        {"hours": "20", "period_months": "61"},
        {"hours": "20", "period_months": "9999999999999999999999"},
    ):
        response = member_client.post(reverse("cpd:requirement"), bad)
        assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    member_client.post(reverse("cpd:requirement"), {"action": "clear"})
    assert queries.requirement_for(member) is None


def test_other_members_totals_are_not_mixed_in(member):
    other = UserFactory()
    CPDEntryFactory(owner=other, started_on=TODAY, quarter_hours=40)
    assert queries.period_totals(owner=member, start=date(2025, 1, 1), end=TODAY).quarter_hours == 0


def test_old_entries_only_mean_the_whole_requirement_is_due(member, django_assert_num_queries):
    requirement = CPDRequirementFactory(owner=member, quarter_hours=80)
    CPDEntryFactory(owner=member, started_on=date(2023, 1, 1), quarter_hours=200)
    with django_assert_num_queries(1):
        progress = queries.progress(owner=member, today=TODAY, requirement=requirement)
    assert (progress.logged, progress.status, progress.months_left, progress.per_month) == (0, "behind", 1, 80)
