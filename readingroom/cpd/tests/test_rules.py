"""Hours, dates and the fingerprint: the rules every path (page, API, CSV) shares."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from readingroom.cpd import rules


@pytest.mark.parametrize(
    ("text", "quarters"),
    [
        ("1.5", 6),
        ("1,5", 6),
        ("1:30", 6),
        ("90m", 6),
        ("90 min", 6),
        ("1h30", 6),
        ("1¾", 7),
        ("¼", 1),
        ("2", 8),
        ("0.25", 1),
        ("1000", 4000),
        (" 3 hours ", 12),
    ],
)
def test_parse_hours_reads_the_usual_ways_of_writing_hours(text, quarters):
    assert rules.parse_hours(text) == quarters


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "required"),
        ("0", "too_small"),
        ("0:00", "too_small"),
        ("1000.25", "too_large"),
        ("99999", "too_large"),
        ("1.3", "not_quarter"),
        ("10m", "not_quarter"),
        ("abc", "invalid"),
        ("-1", "invalid"),
        ("1e3", "invalid"),
        ("9" * 40, "invalid"),
        ("nan", "invalid"),
    ],
)
def test_parse_hours_refuses_with_a_reason(text, code):
    with pytest.raises(ValidationError) as caught:
        rules.parse_hours(text)
    assert caught.value.code == code


def test_not_a_quarter_message_suggests_neighbours():
    with pytest.raises(ValidationError, match=r"multiple of 0.25 \(try 1.25 or 1.5\)"):
        rules.parse_hours("1.3")


def test_hours_are_shown_with_fraction_glyphs_and_as_decimals():
    assert [rules.format_hours(q) for q in (0, 1, 2, 7, 8, 4000)] == ["0 h", "¼ h", "½ h", "1¾ h", "2 h", "1,000 h"]
    assert [rules.format_decimal(q) for q in (1, 6, 7, 8)] == ["0.25", "1.5", "1.75", "2"]


def test_dates_must_be_sane_and_in_order():
    today = date(2025, 6, 15)
    assert rules.check_dates(date(2025, 1, 1), date(2025, 1, 1), today=today) is None  # one day
    assert rules.check_dates(date(2025, 1, 1), date(2025, 1, 3), today=today) == date(2025, 1, 3)
    assert rules.check_dates(date(2026, 6, 15), None, today=today) is None  # a year ahead is fine
    for started, ended, field in [
        (date(1969, 12, 31), None, "started_on"),
        (date(2026, 6, 16), None, "started_on"),
        (date(2025, 1, 3), date(2025, 1, 1), "ended_on"),
    ]:
        with pytest.raises(ValidationError) as caught:
            rules.check_dates(started, ended, today=today)
        assert field in caught.value.message_dict


def test_fingerprint_ignores_case_and_spacing_but_not_hours():
    base = {"started_on": date(2025, 3, 1), "ended_on": None, "activity_type": "webinar", "quarter_hours": 6}
    one = rules.fingerprint(title="Linked  Data", provider="CILIP", **base)
    assert one == rules.fingerprint(title=" linked data", provider="cilip ", **base)
    assert one == rules.fingerprint(title="Linked Data", provider="CILIP", **{**base, "ended_on": date(2025, 3, 1)})
    assert one != rules.fingerprint(title="Linked Data", provider="CILIP", **{**base, "quarter_hours": 7})
    assert len(one) == 64


def test_choices_read_values_and_labels_in_any_case():
    assert rules.activity_type_from("Writing or presenting") == "writing"
    assert rules.activity_type_from("HASHTAG CHAT") == "hashtag_chat"
    assert rules.delivery_from("In person") == "in_person"
    assert rules.visibility_from("") == "private"
    with pytest.raises(ValidationError, match="Unknown activity type"):
        rules.activity_type_from("juggling")


def test_add_months_keeps_to_the_months_last_day():
    assert rules.add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)
    assert rules.add_months(date(2024, 2, 29), -12) == date(2023, 2, 28)
    assert rules.add_months(date(2025, 1, 15), -13) == date(2023, 12, 15)
