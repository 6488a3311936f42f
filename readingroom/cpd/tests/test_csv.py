"""CSV import (report, duplicates, broken rows, run twice) and export (columns, formula injection),
and the round trip between them."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from readingroom.cpd import csvio, queries
from readingroom.cpd.models import CPDEntry
from readingroom.cpd.tests.factories import CPDEntryFactory, GoalFactory

pytestmark = pytest.mark.django_db

HEADER = "started_on,ended_on,title,activity_type,hours,provider,delivery,learned,apply,visibility,goals,skill_areas\n"


def upload(client, text: str, *, encoding="utf-8", name="log.csv"):
    data = SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")
    return client.post(reverse("cpd:import"), {"file": data})


def test_import_reports_good_duplicate_and_broken_rows(member_client, member, areas):
    goal = GoalFactory(owner=member, title="Learn linked data")
    CPDEntryFactory(owner=member, title="Already here", started_on=date(2025, 1, 5), quarter_hours=4)
    text = HEADER + "\n".join(
        [
            "2025-02-01,,Linked data webinar,Webinar,1.5,CILIP,online,Learned,Apply,,"
            f"Learn linked data,{areas[0].code}",
            "2025-01-05,,already here,webinar,1,,,,,,,",  # row 3: logged before
            "2025-02-01,,Linked data webinar,webinar,1:30,cilip,,,,,,",  # row 4: same as row 2
            "2025-13-01,,Bad date,webinar,1,,,,,,,",  # row 5
            "2025-02-02,,Bad hours,webinar,1.3,,,,,,,",  # row 6
            "2025-02-03,,Bad type,juggling,1,,,,,,,",  # row 7
            "2025-02-04,,Unknown links,Writing or presenting,2,,,,,members,No such goal,no-such-area",  # row 8
            ",,No date,webinar,1,,,,,,,",  # row 9
            "",
        ]
    )
    response = upload(member_client, text)
    body = response.content.decode()
    report = response.context["report"]
    assert [n for n, _ in report["result"].imported] == [2, 8]
    assert [n for n, _ in report["result"].already] == [3, 4]
    assert [(p.number, p.reason.split(" ")[0]) for p in report["problems"]] == [
        (5, "bad"),
        (6, "Hours"),
        (7, "Unknown"),
        (9, "no"),
    ]
    assert "2 rows imported; 2 already logged (skipped); 4 could not be read." in body
    assert "no goal of yours is called “No such goal”" in body and "unknown skills area" in body
    webinar = CPDEntry.objects.get(owner=member, title="Linked data webinar")
    assert webinar.quarter_hours == 6 and list(webinar.goals.all()) == [goal]
    assert list(webinar.skill_areas.all()) == [areas[0]]
    assert CPDEntry.objects.get(title="Unknown links").visibility == "members"
    assert CPDEntry.objects.get(title="Already here").quarter_hours == 4  # untouched


def test_importing_the_same_file_twice_adds_nothing(member_client, member):
    text = HEADER + "2025-02-01,,Talk,conference,3,,,,,,,\n2025-02-02,2025-02-03,Course,course,12,,,,,,,\n"
    first = upload(member_client, text).context["report"]
    second = upload(member_client, text).context["report"]
    assert len(first["result"].imported) == 2 and not second["result"].imported
    assert len(second["result"].already) == 2
    assert CPDEntry.objects.filter(owner=member).count() == 2


def test_semicolons_bom_and_labels_are_read(member_client, member):
    text = "\ufeffStarted_On;Title;Activity_Type;Hours\n14/03/2025;Reading group;READING;1,5\n"
    report = upload(member_client, text).context["report"]
    assert len(report["result"].imported) == 1
    entry = CPDEntry.objects.get(owner=member)
    assert (entry.started_on, entry.activity_type, entry.quarter_hours) == (date(2025, 3, 14), "reading", 6)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("title,hours\nx,1\n", "missing: started_on, activity_type"),
        ("", "empty"),
        (HEADER + "\n" * 3, None),
    ],
)
def test_files_that_cannot_be_read_import_nothing(member_client, member, content, message):
    response = upload(member_client, content)
    if message:
        assert message in response.content.decode() and 'role="alert"' in response.content.decode()
    assert not CPDEntry.objects.exists()


def test_a_file_that_is_not_utf8_is_refused(member_client):
    response = upload(member_client, HEADER + "2025-01-01,,Café,webinar,1,,,,,,,\n", encoding="latin-1")
    assert "not UTF-8" in response.content.decode()
    assert not CPDEntry.objects.exists()


def test_too_many_rows_or_too_big_a_file_is_refused(member_client, settings):
    rows = "".join(f"2025-01-01,,T{i},webinar,1,,,,,,,\n" for i in range(csvio.MAX_ROWS + 1))
    response = upload(member_client, HEADER + rows)
    assert "more than 10,000 rows" in response.content.decode()
    big = SimpleUploadedFile("big.csv", b"x" * (2 * 1024 * 1024 + 1))
    response = member_client.post(reverse("cpd:import"), {"file": big})
    assert "the limit is 2 MB" in response.content.decode()
    assert not CPDEntry.objects.exists()


def test_export_has_the_documented_columns_and_defuses_formulas(member_client, member, areas):
    goal = GoalFactory(owner=member, title="=Goal")
    entry = CPDEntryFactory(
        owner=member, title='=HYPERLINK("http://evil")', provider="@provider", learned="-x", quarter_hours=7
    )
    entry.goals.add(goal)
    entry.skill_areas.add(areas[1], areas[0])
    response = member_client.get(reverse("cpd:export"))
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == csvio.COLUMNS
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["title"] == '\'=HYPERLINK("http://evil")' and row["provider"] == "'@provider" and row["learned"] == "'-x"
    assert row["hours"] == "1.75" and row["goals"] == "'=Goal"
    assert row["skill_areas"] == "; ".join(sorted([areas[0].code, areas[1].code]))


def test_export_then_import_into_another_account_round_trips(client, member, areas):
    from readingroom.testing.factories import UserFactory

    goal = GoalFactory(owner=member, title="Chartership")
    one = CPDEntryFactory(
        owner=member,
        title="+Plus title",
        started_on=date(2024, 4, 1),
        ended_on=date(2024, 4, 3),
        activity_type="conference",
        quarter_hours=49,
        provider="LILAC",
        delivery="in_person",
        learned="Line one\nline two, with comma",
        apply="Use; it",
        visibility="followers",
    )
    one.goals.add(goal)
    one.skill_areas.add(areas[2])
    CPDEntryFactory(owner=member, title="Second", started_on=date(2025, 1, 1))
    client.force_login(member)
    exported = b"".join(client.get(reverse("cpd:export")).streaming_content)
    # Importing my own export changes nothing.
    report = client.post(reverse("cpd:import"), {"file": SimpleUploadedFile("a.csv", exported)}).context["report"]
    assert not report["result"].imported and len(report["result"].already) == 2 and not report["problems"]
    # Another member with a goal of the same title gets the same entries.
    other = UserFactory()
    GoalFactory(owner=other, title="Chartership")
    client.force_login(other)
    report = client.post(reverse("cpd:import"), {"file": SimpleUploadedFile("a.csv", exported)}).context["report"]
    assert len(report["result"].imported) == 2 and not report["problems"] and not report["result"].notes
    copy = CPDEntry.objects.get(owner=other, title="+Plus title")
    fields = (
        "started_on",
        "ended_on",
        "activity_type",
        "quarter_hours",
        "provider",
        "delivery",
        "learned",
        "apply",
        "visibility",
        "fingerprint",
    )
    assert [getattr(copy, f) for f in fields] == [getattr(one, f) for f in fields]
    assert [g.title for g in copy.goals.all()] == ["Chartership"] and list(copy.skill_areas.all()) == [areas[2]]


def test_import_is_one_query_batch_not_one_per_row(member, django_assert_max_num_queries):
    text = HEADER + "".join(f"2025-01-01,,T{i},webinar,1,,,,,,,\n" for i in range(300))
    rows, problems = csvio.read_file(text.encode(), owner=member, today=date(2025, 6, 1))
    from readingroom.cpd import actions

    with django_assert_max_num_queries(10):
        result = actions.import_entries(owner=member, rows=rows)
    assert len(result.imported) == 300 and not problems
    assert queries.period_totals(owner=member, start=date(2025, 1, 1), end=date(2025, 1, 1)).quarter_hours == 1200
