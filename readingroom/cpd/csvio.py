"""The CPD log as CSV: export every entry, and read a file back in.

Columns (export writes them all, in this order; import needs the first four and reads the rest
when present, in any order; header names are case-insensitive):

    started_on    date, YYYY-MM-DD (import also reads DD/MM/YYYY)
    ended_on      last day of a range, or empty for one day
    title         up to 200 characters
    activity_type course, webinar, conference, reading, hashtag_chat, mentoring, volunteering,
                  work_project, writing, teaching, other (import also reads the labels, any case)
    hours         decimal hours to the quarter hour (import also reads 1,5  1:30  90m)
    provider      up to 200 characters
    delivery      online, in_person, blended, or empty
    learned       what I learned
    apply         how I will use it
    visibility    private, mentors, followers, members (empty: private)
    goals         goal titles joined by "; " (import matches the member's own goals by title)
    skill_areas   skills area codes joined by "; " (default framework; import also reads names)

Cells that a spreadsheet would run as a formula (starting with = + - @, tab or carriage return)
are written with a leading apostrophe, which import removes again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError

from readingroom.cpd import queries, rules
from readingroom.cpd.actions import EntryData
from readingroom.cpd.models import CPDEntry

COLUMNS = [
    "started_on",
    "ended_on",
    "title",
    "activity_type",
    "hours",
    "provider",
    "delivery",
    "learned",
    "apply",
    "visibility",
    "goals",
    "skill_areas",
]
REQUIRED = ["started_on", "title", "activity_type", "hours"]
MAX_ROWS = 10_000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class FileRefused(ValueError):
    """The whole file cannot be read (encoding, header, size): nothing is imported."""


# --- export ---------------------------------------------------------------------------------------


def safe_cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _export_row(entry: CPDEntry) -> list[str]:
    cells = [
        entry.started_on.isoformat(),
        entry.ended_on.isoformat() if entry.ended_on else "",
        entry.title,
        entry.activity_type,
        rules.format_decimal(entry.quarter_hours),
        entry.provider,
        entry.delivery,
        entry.learned,
        entry.apply,
        entry.visibility,
        "; ".join(sorted(g.title for g in entry.goals.all())),
        "; ".join(sorted(a.code for a in entry.skill_areas.all())),
    ]
    return [safe_cell(c) for c in cells]


class _Line:
    def write(self, value: str) -> str:
        return value


def export_lines(owner) -> Iterator[str]:
    """The member's whole log as CSV lines (UTF-8 with a BOM, so spreadsheets read it as UTF-8)."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(COLUMNS)
    for entry in queries.all_entries(owner).iterator(chunk_size=500):
        yield writer.writerow(_export_row(entry))


# --- import ---------------------------------------------------------------------------------------


@dataclass
class ReadRow:
    number: int  # the row's line in the file, counting the header as row 1
    data: EntryData
    notes: list[str] = field(default_factory=list)  # unknown goals / areas, kept out


@dataclass
class Problem:
    number: int
    reason: str


def unquote(value: str) -> str:
    value = value.strip()
    if value.startswith("'") and value[1:2] and value[1] in "=+-@":
        return value[1:]
    return value


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused("The file is not UTF-8 text: save it as “CSV UTF-8” and try again.") from exc


def _dialect(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _parse_date(value: str, what: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date, no time zone
        except ValueError:
            continue
    raise ValidationError(f"bad {what} “{value[:40]}” (write it as YYYY-MM-DD)")


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


class RowReader:
    """Turns CSV rows into EntryData, matching goals by title and areas by code or name."""

    def __init__(self, *, owner, today: date):
        self.today = today
        self.goals = {rules.normalise(g.title): g for g in queries.own_goals(owner)}
        self.areas: dict[str, object] = {}
        for area in queries.default_areas():
            self.areas[rules.normalise(area.code)] = area
            self.areas.setdefault(rules.normalise(area.name), area)

    def read(self, number: int, row: dict[str, str]) -> ReadRow:
        get = lambda name: unquote(row.get(name) or "")  # noqa: E731
        try:
            started = _parse_date(get("started_on"), "start date")
            if started is None:
                raise ValidationError("no start date")
            ended = _parse_date(get("ended_on"), "end date")
            ended = rules.check_dates(started, ended, today=self.today)
            data = EntryData(
                title=rules.clean_text(get("title"), limit=rules.MAX_TITLE, what="title", required=True),
                started_on=started,
                ended_on=ended,
                activity_type=rules.activity_type_from(get("activity_type")),
                quarter_hours=rules.parse_hours(get("hours")),
                provider=rules.clean_text(get("provider"), limit=rules.MAX_PROVIDER, what="provider"),
                delivery=rules.delivery_from(get("delivery")),
                learned=rules.clean_text(get("learned"), limit=rules.MAX_REFLECTION, what="“learned” text"),
                apply=rules.clean_text(get("apply"), limit=rules.MAX_REFLECTION, what="“apply” text"),
                visibility=rules.visibility_from(get("visibility")),
            )
        except ValidationError as exc:
            raise ValueError("; ".join(_messages(exc))) from exc
        read = ReadRow(number, data)
        for title in _split(get("goals")):
            goal = self.goals.get(rules.normalise(title))
            if goal is None:
                read.notes.append(f"no goal of yours is called “{title[:80]}”")
            elif goal not in data.goals:
                data.goals.append(goal)
        for code in _split(get("skill_areas")):
            area = self.areas.get(rules.normalise(code))
            if area is None:
                read.notes.append(f"unknown skills area “{code[:60]}”")
            elif area not in data.skill_areas:
                data.skill_areas.append(area)
        return read


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for messages in exc.message_dict.values() for m in messages]
    return list(exc.messages)


def read_file(data: bytes, *, owner, today: date) -> tuple[list[ReadRow], list[Problem]]:
    """Every row read or refused with its number and reason. Raises FileRefused for the whole file."""
    text = decode(data)
    if not text.strip():
        raise FileRefused("The file is empty.")
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_dialect(text))
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise FileRefused(
            f"The first row must name the columns; missing: {', '.join(missing)}. Expected: {', '.join(COLUMNS)}."
        )
    reader.fieldnames = header
    rows_reader = RowReader(owner=owner, today=today)
    rows: list[ReadRow] = []
    problems: list[Problem] = []
    try:
        for index, raw in enumerate(_bounded(reader), start=2):
            if not any((v or "").strip() for v in raw.values() if isinstance(v, str)):
                continue  # a blank line is not a row
            try:
                rows.append(rows_reader.read(index, {k: v for k, v in raw.items() if isinstance(v, str)}))
            except ValueError as exc:
                problems.append(Problem(index, str(exc)))
    except csv.Error as exc:
        raise FileRefused(f"The file could not be read as CSV near row {reader.line_num}: {exc}.") from exc
    return rows, problems


def _bounded(reader: Iterable[dict]) -> Iterator[dict]:
    for count, row in enumerate(reader, start=1):
        if count > MAX_ROWS:
            raise FileRefused(f"The file has more than {MAX_ROWS:,} rows; split it and import each part.")
        yield row
