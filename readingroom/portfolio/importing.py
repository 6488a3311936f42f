"""Import a portfolio file (jsonformat.PortfolioDocument) as a NEW portfolio of the importer.

Every record is re-created as the importer's own, private: goals with their steps and journal,
CPD entries (an activity already logged, by the CPD log's fingerprint, is reused rather than
doubled), assessments against the default framework's areas matched by code. Posts cannot be
re-created, so each becomes a written section quoting it. One transaction: an error anywhere
leaves nothing behind, and the error names the path of the field at fault."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.db import transaction
from pydantic import ValidationError as SchemaError

from readingroom.cpd import actions as cpd_actions
from readingroom.cpd.models import QUARTERS_PER_HOUR, CPDEntry
from readingroom.goals import actions as goal_actions
from readingroom.goals.models import Goal
from readingroom.portfolio import actions
from readingroom.portfolio.jsonformat import MAX_BYTES, FileItemIn, PortfolioDocument
from readingroom.portfolio.models import ItemKind, Portfolio
from readingroom.skills import actions as skill_actions
from readingroom.skills import queries as skill_queries
from readingroom.skills.models import SkillArea


class ImportRefused(ValidationError):
    """The file cannot be imported; error_dict maps each bad field's path to its messages."""


def _path(loc) -> str:
    return ".".join(str(part) for part in loc) or "(file)"


def parse(raw: bytes) -> PortfolioDocument:
    """Read and check a file's bytes strictly (size, UTF-8, JSON, then the schema)."""
    if len(raw) > MAX_BYTES:
        raise ImportRefused({"(file)": ["The file is larger than 5 MB."]})
    try:
        text = raw.decode("utf-8-sig")
        json.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImportRefused({"(file)": [f"This is not a JSON file ({str(exc)[:120]})."]}) from exc
    try:
        return PortfolioDocument.model_validate_json(text)
    except SchemaError as exc:
        errors: dict[str, list[str]] = {}
        for error in exc.errors()[:50]:
            message = error["msg"].removeprefix("Value error, ")
            errors.setdefault(_path(error["loc"]), []).append(message)
        raise ImportRefused(errors) from exc


class _Importer:
    def __init__(self, owner):
        self.owner = owner
        self.goals_by_title: dict[str, Goal] = {}
        self._areas: dict[str, SkillArea] | None = None
        self.framework = None

    def areas(self) -> dict[str, SkillArea]:
        if self._areas is None:
            self.framework = skill_queries.default_framework()
            areas = skill_queries.rated_areas(self.framework) if self.framework else []
            self._areas = {a.code: a for a in areas}
        return self._areas

    def area_list(self, codes: list[str]) -> list[SkillArea]:
        known = self.areas()
        return [known[c] for c in codes if c in known]

    def goal(self, data) -> Goal:
        goal = goal_actions.create_goal(
            owner=self.owner,
            title=data.title,
            why=data.why,
            success_criteria=data.success_criteria,
            target_date=data.target_date,
            status=data.status,
            progress_override=data.progress_override,
            skill_areas=self.area_list(data.skill_areas),
        )
        for step in data.steps:
            made = goal_actions.add_step(goal=goal, editor=self.owner, title=step.title, due_date=step.due_date)
            if step.done:
                goal_actions.set_step_done(step=made, editor=self.owner, done=True)
        for entry in sorted(data.reflections, key=lambda r: r.written_on):
            goal_actions.add_reflection(goal=goal, editor=self.owner, body=entry.body, written_on=entry.written_on)
        self.goals_by_title.setdefault(data.title, goal)
        return goal

    def cpd_entry(self, data) -> CPDEntry:
        entry = cpd_actions.EntryData(
            title=data.title,
            started_on=data.started_on,
            ended_on=data.ended_on,
            activity_type=data.activity_type,
            quarter_hours=int(data.hours * QUARTERS_PER_HOUR),
            provider=data.provider,
            delivery=data.delivery,
            learned=data.learned,
            apply=data.apply,
            skill_areas=self.area_list(data.skill_areas),
        )
        existing = CPDEntry.objects.filter(owner=self.owner, fingerprint=entry.fingerprint()).first()
        return existing or cpd_actions.create_entry(owner=self.owner, data=entry)

    def reflection(self, data):
        goal = self.goals_by_title.get(data.goal_title)
        if goal is None:
            goal = Goal.objects.filter(owner=self.owner, title=data.goal_title).order_by("-id").first()
        if goal is None:
            goal = goal_actions.create_goal(owner=self.owner, title=data.goal_title)
            self.goals_by_title[data.goal_title] = goal
        same = goal.reflections.filter(written_on=data.written_on, body=data.body).first()
        return same or goal_actions.add_reflection(
            goal=goal, editor=self.owner, body=data.body, written_on=data.written_on
        )

    def assessment(self, data):
        known = self.areas()
        if self.framework is None:
            raise ValidationError("There is no default skills framework here to match the ratings to.")
        levels = {known[r.area].pk: (r.current, r.target) for r in data.ratings if r.area in known}
        if not levels:
            raise ValidationError(
                {"ratings": f"None of these areas is in the framework “{self.framework.name}” (matched by code)."}
            )
        areas = [a for a in known.values() if a.pk in levels]
        made = skill_actions.create_assessment(
            owner=self.owner, framework=self.framework, areas=areas, levels=levels, note=data.note
        )
        if data.created_at:
            made.created_at = data.created_at
            made.save(update_fields=["created_at"])
        return made


def _quote(post) -> tuple[str, str]:
    when = f", {post.created_at:%-d %B %Y}" if post.created_at else ""
    quoted = "\n".join(f"> {line}" if line else ">" for line in post.body.splitlines()) or "> (no text)"
    source = f"\n\n[The original post]({post.url})" if post.url.startswith(("https://", "http://")) else ""
    return f"Post{when}", quoted + source


def _add(importer: _Importer, portfolio: Portfolio, item: FileItemIn) -> None:
    if item.kind == ItemKind.SECTION:
        actions.add_section(portfolio=portfolio, heading=item.section.heading, body=item.section.body)
        return
    if item.kind == ItemKind.POST:
        heading, body = _quote(item.post)
        body = f"{body}\n\n{item.note}" if item.note else body
        actions.add_section(portfolio=portfolio, heading=heading, body=body[:20000])
        return
    record = getattr(importer, item.kind)(getattr(item, item.kind))
    try:
        actions.add_record(portfolio=portfolio, kind=item.kind, record=record, note=item.note)
    except ValidationError as exc:
        if getattr(exc, "code", None) != "duplicate":
            raise
        # The same activity twice in one file (or already logged and listed twice): keep one.


def _prefixed(exc: ValidationError, prefix: str) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {f"{prefix}.{name}": [m for e in errs for m in e.messages] for name, errs in exc.error_dict.items()}
    return {prefix: exc.messages}


@transaction.atomic
def import_portfolio(*, owner, document: PortfolioDocument) -> Portfolio:
    portfolio = actions.create_portfolio(
        owner=owner, title=document.portfolio.title, introduction=document.portfolio.introduction
    )
    importer = _Importer(owner)
    for n, item in enumerate(document.items):
        try:
            _add(importer, portfolio, item)
        except ValidationError as exc:
            raise ImportRefused(_prefixed(exc, f"items.{n}.{item.kind}")) from exc
    return portfolio
