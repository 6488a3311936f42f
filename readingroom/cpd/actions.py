"""Every write to the CPD log: entries, their evidence, and the member's requirement.

The entry's fingerprint is computed here, on create and on edit, so a duplicate is refused with a
message that points at the entry already logged (the unique constraint only backs this up)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from readingroom.cpd import rules
from readingroom.cpd.models import CPDEntry, CPDEvidence, CPDRequirement
from readingroom.learning import files


class DuplicateEntry(ValidationError):
    """The member already logged this activity; `existing` is that entry."""

    def __init__(self, existing: CPDEntry):
        self.existing = existing
        when = date_format(existing.started_on, "j F Y")
        super().__init__(f"You already logged this on {when}: “{existing.title}”.", code="duplicate")


@dataclass
class EntryData:
    """What a form, the API or a CSV row gives for an entry, already parsed and bounded."""

    title: str
    started_on: date
    activity_type: str
    quarter_hours: int
    ended_on: date | None = None
    provider: str = ""
    delivery: str = ""
    learned: str = ""
    apply: str = ""
    visibility: str = "private"
    goals: list = field(default_factory=list)  # the owner's Goal rows
    skill_areas: list = field(default_factory=list)  # SkillArea rows of the default framework

    def fingerprint(self) -> str:
        return rules.fingerprint(
            started_on=self.started_on,
            ended_on=self.ended_on,
            title=self.title,
            activity_type=self.activity_type,
            quarter_hours=self.quarter_hours,
            provider=self.provider,
        )


def _existing_duplicate(*, owner, print_: str, exclude_id: int | None = None) -> CPDEntry | None:
    found = CPDEntry.objects.filter(owner=owner, fingerprint=print_)
    if exclude_id is not None:
        found = found.exclude(pk=exclude_id)
    return found.first()


def _apply(entry: CPDEntry, data: EntryData) -> None:
    for name in ("title", "started_on", "activity_type", "quarter_hours", "provider", "delivery"):
        setattr(entry, name, getattr(data, name))
    entry.ended_on = None if data.ended_on == data.started_on else data.ended_on
    entry.learned, entry.apply, entry.visibility = data.learned, data.apply, data.visibility
    entry.fingerprint = data.fingerprint()


def _save_checked(entry: CPDEntry, *, owner) -> None:
    """Save inside a savepoint: a concurrent duplicate (the unique constraint) becomes DuplicateEntry."""
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        existing = _existing_duplicate(owner=owner, print_=entry.fingerprint, exclude_id=entry.pk)
        if existing is None:
            raise
        raise DuplicateEntry(existing) from None


@transaction.atomic
def create_entry(*, owner, data: EntryData) -> CPDEntry:
    entry = CPDEntry(owner=owner)
    _apply(entry, data)
    if existing := _existing_duplicate(owner=owner, print_=entry.fingerprint):
        raise DuplicateEntry(existing)
    _save_checked(entry, owner=owner)
    entry.goals.set(data.goals)
    entry.skill_areas.set(data.skill_areas)
    return entry


@transaction.atomic
def edit_entry(*, entry: CPDEntry, data: EntryData) -> CPDEntry:
    _apply(entry, data)
    if existing := _existing_duplicate(owner=entry.owner_id, print_=entry.fingerprint, exclude_id=entry.pk):
        raise DuplicateEntry(existing)
    entry.updated_at = timezone.now()
    _save_checked(entry, owner=entry.owner_id)
    entry.goals.set(data.goals)
    entry.skill_areas.set(data.skill_areas)
    return entry


@transaction.atomic
def delete_entry(*, entry: CPDEntry) -> None:
    """The entry, its evidence rows and its uploaded files (files are deleted once committed)."""
    stored = [e.file for e in entry.evidence.select_related("file") if e.file_id]
    entry.delete()
    for record in stored:
        _delete_file_on_commit(record)


def _delete_file_on_commit(record) -> None:
    name, storage = record.file.name, record.file.storage
    record.delete()
    transaction.on_commit(lambda: storage.delete(name))


def _check_room(entry: CPDEntry) -> None:
    if entry.evidence.count() >= rules.MAX_EVIDENCE:
        raise ValidationError(f"An entry may hold at most {rules.MAX_EVIDENCE} pieces of evidence.", code="full")


@transaction.atomic
def add_evidence_link(*, entry: CPDEntry, url: str, title: str = "") -> CPDEvidence:
    _check_room(entry)
    return CPDEvidence.objects.create(entry=entry, url=url, title=title)


@transaction.atomic
def add_evidence_file(*, entry: CPDEntry, upload, title: str = "") -> CPDEvidence:
    """Checked by content and stored privately (learning.files); raises ValidationError otherwise."""
    _check_room(entry)
    record = files.store(owner=entry.owner, upload=upload)
    return CPDEvidence.objects.create(entry=entry, file=record, title=title or record.original_name)


@transaction.atomic
def remove_evidence(*, evidence: CPDEvidence) -> None:
    record = evidence.file if evidence.file_id else None
    evidence.delete()
    if record is not None:
        _delete_file_on_commit(record)


@transaction.atomic
def set_requirement(*, owner, quarter_hours: int, period_months: int, label: str = "") -> CPDRequirement:
    requirement, _ = CPDRequirement.objects.update_or_create(
        owner=owner,
        defaults={
            "quarter_hours": rules.check_quarters(quarter_hours),
            "period_months": period_months,
            "label": label,
            "updated_at": timezone.now(),
        },
    )
    return requirement


@transaction.atomic
def clear_requirement(*, owner) -> None:
    CPDRequirement.objects.filter(owner=owner).delete()


@dataclass
class ImportResult:
    imported: list = field(default_factory=list)  # (row number, CPDEntry)
    already: list = field(default_factory=list)  # (row number, CPDEntry logged before, or None: an earlier row)
    notes: list = field(default_factory=list)  # (row number, note) for imported rows


@transaction.atomic
def import_entries(*, owner, rows: list) -> ImportResult:
    """Add the rows (csvio.ReadRow) not logged yet, in one transaction. A row whose fingerprint the
    member already has, or that repeats an earlier row of the file, is skipped: importing the same
    file twice adds nothing, and nothing already logged is changed."""
    result = ImportResult()
    prints = {row.number: row.data.fingerprint() for row in rows}
    existing = {
        e.fingerprint: e
        for e in CPDEntry.objects.filter(owner=owner, fingerprint__in=set(prints.values())).only(
            "id", "title", "started_on", "fingerprint"
        )
    }
    seen: set[str] = set()
    new: list[tuple] = []
    now = timezone.now()
    for row in rows:
        print_ = prints[row.number]
        if print_ in existing or print_ in seen:
            result.already.append((row.number, existing.get(print_)))
            continue
        seen.add(print_)
        entry = CPDEntry(owner=owner, created_at=now, updated_at=now)
        _apply(entry, row.data)
        new.append((row, entry))
    CPDEntry.objects.bulk_create([entry for _, entry in new], batch_size=500)
    goal_links, area_links = [], []
    for row, entry in new:
        goal_links += [CPDEntry.goals.through(cpdentry_id=entry.pk, goal_id=g.pk) for g in row.data.goals]
        area_links += [
            CPDEntry.skill_areas.through(cpdentry_id=entry.pk, skillarea_id=a.pk) for a in row.data.skill_areas
        ]
        result.imported.append((row.number, entry))
        result.notes += [(row.number, note) for note in row.notes]
    CPDEntry.goals.through.objects.bulk_create(goal_links, batch_size=500)
    CPDEntry.skill_areas.through.objects.bulk_create(area_links, batch_size=500)
    return result
