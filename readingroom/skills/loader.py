"""Skills framework files (TOML, docs/skills-framework-format.md): parse and check them, then load
them in one transaction.

Parsing is pure (no database), so the data migration, the management command and the staff
upload page all share it. Every problem is reported at once, each naming the line and the area
at fault, so an editor can fix a file in one pass."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

MAX_FILE_BYTES = 256 * 1024
MAX_AREAS = 40
MAX_SUB_AREAS = 20
MAX_ERRORS_SHOWN = 50

SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
# Field limits, as the models' columns.
LIMITS = {
    "slug": 60,
    "name": 120,
    "description": 4000,
    "version": 20,
    "area_code": 60,
    "area_name": 120,
    "area_description": 2000,
}
FRAMEWORK_KEYS = {"slug", "name", "description", "version", "areas"}
AREA_KEYS = {"code", "name", "description", "sub_areas"}
SUB_AREA_KEYS = {"code", "name", "description"}


class FrameworkError(ValueError):
    """A file that cannot be loaded; `errors` lists every problem found, for the member to fix."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class AreaSpec:
    code: str
    name: str
    description: str = ""
    sub_areas: list[AreaSpec] = field(default_factory=list)


@dataclass
class FrameworkSpec:
    slug: str
    name: str
    description: str = ""
    version: str = ""
    areas: list[AreaSpec] = field(default_factory=list)


class _Lines:
    """Where each [[areas]] and [[areas.sub_areas]] table starts, so errors can name a line:
    tomllib keeps no positions once a file has parsed."""

    def __init__(self, text: str):
        self.areas: list[int] = []
        self.subs: list[list[int]] = []
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip().replace(" ", "")
            if line.startswith("[[areas]]"):
                self.areas.append(number)
                self.subs.append([])
            elif line.startswith("[[areas.sub_areas]]") and self.subs:
                self.subs[-1].append(number)

    def area(self, index: int) -> str:
        return f"line {self.areas[index]}, " if index < len(self.areas) else ""

    def sub(self, index: int, sub_index: int) -> str:
        if index < len(self.subs) and sub_index < len(self.subs[index]):
            return f"line {self.subs[index][sub_index]}, "
        return ""


def _text(table: dict, key: str, limit: int, where: str, errors: list[str], *, required: bool) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        errors.append(f"{where}: {key} must be text in quotes.")
        return ""
    value = value.strip()
    if "\x00" in value:
        errors.append(f"{where}: {key} may not contain the NUL character.")
        return ""
    if required and not value:
        errors.append(f"{where}: {key} is required.")
    if len(value) > limit:
        errors.append(f"{where}: {key} is {len(value)} characters long; the limit is {limit}.")
    return value


def _code(table: dict, where: str, errors: list[str], seen: set[str]) -> str:
    code = _text(table, "code", LIMITS["area_code"], where, errors, required=True)
    if code and not SLUG_RE.match(code):
        errors.append(f"{where}: code {code!r} may use only letters, digits, hyphens and underscores.")
    elif code and code.lower() in seen:
        errors.append(f"{where}: code {code!r} is used twice; each area and sub-area needs its own code.")
    seen.add(code.lower())
    return code


def _unknown_keys(table: dict, allowed: set[str], where: str, errors: list[str]) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        errors.append(f"{where}: unknown key{'s' if len(extra) > 1 else ''} {', '.join(extra)}.")


def _area(table, index: int, lines: _Lines, errors: list[str], seen: set[str]) -> AreaSpec:
    label = f"{lines.area(index)}area {index + 1}"
    if not isinstance(table, dict):
        errors.append(f"{label}: each area must be a [[areas]] table.")
        return AreaSpec(code="", name="")
    if isinstance(table.get("code"), str) and table["code"].strip():
        label += f" ({table['code'].strip()})"
    _unknown_keys(table, AREA_KEYS, label, errors)
    area = AreaSpec(
        code=_code(table, label, errors, seen),
        name=_text(table, "name", LIMITS["area_name"], label, errors, required=True),
        description=_text(table, "description", LIMITS["area_description"], label, errors, required=False),
    )
    subs = table.get("sub_areas", [])
    if not isinstance(subs, list):
        errors.append(f"{label}: sub_areas must be a list of [[areas.sub_areas]] tables.")
        return area
    if len(subs) > MAX_SUB_AREAS:
        errors.append(f"{label}: has {len(subs)} sub-areas; the limit is {MAX_SUB_AREAS}.")
        return area
    for sub_index, sub in enumerate(subs):
        where = f"{lines.sub(index, sub_index)}area {index + 1}, sub-area {sub_index + 1}"
        if not isinstance(sub, dict):
            errors.append(f"{where}: each sub-area must be an [[areas.sub_areas]] table.")
            continue
        if isinstance(sub.get("code"), str) and sub["code"].strip():
            where += f" ({sub['code'].strip()})"
        _unknown_keys(sub, SUB_AREA_KEYS, where, errors)
        area.sub_areas.append(
            AreaSpec(
                code=_code(sub, where, errors, seen),
                name=_text(sub, "name", LIMITS["area_name"], where, errors, required=True),
                description=_text(sub, "description", LIMITS["area_description"], where, errors, required=False),
            )
        )
    return area


def parse(text: str | bytes) -> FrameworkSpec:
    """Check a framework file; raise FrameworkError listing every problem, or return its contents."""
    if isinstance(text, bytes):
        if len(text) > MAX_FILE_BYTES:
            raise FrameworkError([f"The file is {len(text) // 1024} KB; the limit is {MAX_FILE_BYTES // 1024} KB."])
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FrameworkError([f"The file is not UTF-8 text (byte {exc.start} could not be read)."]) from exc
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise FrameworkError([f"The file is larger than {MAX_FILE_BYTES // 1024} KB."])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FrameworkError([f"The file is not valid TOML: {exc}."]) from exc
    lines = _Lines(text)
    errors: list[str] = []
    _unknown_keys(data, FRAMEWORK_KEYS, "framework", errors)
    slug = _text(data, "slug", LIMITS["slug"], "framework", errors, required=True)
    if slug and not SLUG_RE.match(slug):
        errors.append("framework: slug may use only letters, digits, hyphens and underscores.")
    spec = FrameworkSpec(
        slug=slug.lower(),
        name=_text(data, "name", LIMITS["name"], "framework", errors, required=True),
        description=_text(data, "description", LIMITS["description"], "framework", errors, required=False),
        version=_text(data, "version", LIMITS["version"], "framework", errors, required=False),
    )
    areas = data.get("areas", [])
    if not isinstance(areas, list) or not areas:
        errors.append("framework: add at least one [[areas]] table.")
        areas = []
    elif len(areas) > MAX_AREAS:
        errors.append(f"framework: has {len(areas)} areas; the limit is {MAX_AREAS}.")
        areas = []
    seen: set[str] = set()
    spec.areas = [_area(table, index, lines, errors, seen) for index, table in enumerate(areas)]
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > MAX_ERRORS_SHOWN:
            shown.append(f"… and {len(errors) - MAX_ERRORS_SHOWN} more problems.")
        raise FrameworkError(shown)
    return spec


def save(spec: FrameworkSpec, *, make_default: bool = False, framework_model=None, area_model=None):
    """Create or update the framework with spec.slug, in one transaction.

    Areas are matched by code, so re-loading a file updates names, descriptions and order and
    keeps every rating; areas the file no longer lists are retired. The models can be passed in
    (the data migration passes its historical ones)."""
    if framework_model is None or area_model is None:
        from readingroom.skills.models import SkillArea, SkillFramework

        framework_model, area_model = SkillFramework, SkillArea
    now = timezone.now()
    with transaction.atomic():
        framework, _ = framework_model.objects.select_for_update().get_or_create(
            slug=spec.slug, defaults={"name": spec.name, "created_at": now}
        )
        framework.name, framework.description, framework.version = spec.name, spec.description, spec.version
        framework.is_active, framework.updated_at = True, now
        if make_default:
            framework_model.objects.exclude(pk=framework.pk).filter(is_default=True).update(is_default=False)
            framework.is_default = True
        framework.save()
        existing = {a.code.lower(): a for a in area_model.objects.filter(framework=framework)}
        kept: set[int] = set()
        position = 0
        for area_spec in spec.areas:
            parent = _save_area(area_model, framework, existing, area_spec, None, position)
            kept.add(parent.pk)
            position += 1
            for sub_spec in area_spec.sub_areas:
                kept.add(_save_area(area_model, framework, existing, sub_spec, parent, position).pk)
                position += 1
        area_model.objects.filter(framework=framework).exclude(pk__in=kept).update(retired=True)
    return framework


def _save_area(area_model, framework, existing: dict, spec: AreaSpec, parent, position: int):
    area = existing.get(spec.code.lower())
    if area is None:
        return area_model.objects.create(
            framework=framework,
            parent=parent,
            code=spec.code,
            name=spec.name,
            description=spec.description,
            position=position,
        )
    area.parent, area.code, area.name, area.description = parent, spec.code, spec.name, spec.description
    area.position, area.retired = position, False
    area.save(update_fields=["parent", "code", "name", "description", "position", "retired"])
    return area


DEFAULT_FRAMEWORK_PATH = Path(__file__).resolve().parent / "frameworks" / "library-and-information.toml"
