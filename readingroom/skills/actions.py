"""Every write to skills: loading frameworks and members' assessments."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from readingroom.learning.models import LearningVisibility
from readingroom.skills import loader
from readingroom.skills.models import LEVEL_MAX, LEVEL_MIN, Assessment, Rating, SkillArea, SkillFramework


def load_framework(*, data: bytes | str, make_default: bool = False) -> SkillFramework:
    """Check a framework file and load it (raises loader.FrameworkError listing every problem)."""
    return loader.save(loader.parse(data), make_default=make_default)


def _check_levels(areas: list[SkillArea], levels: dict[int, tuple[int, int]]) -> None:
    wanted = {a.pk for a in areas}
    unknown = set(levels) - wanted
    if unknown:
        raise ValidationError(f"These areas are not in the framework: {', '.join(map(str, sorted(unknown)))}.")
    missing = [a.name for a in areas if a.pk not in levels]
    if missing:
        raise ValidationError(f"Rate every area; missing: {', '.join(missing)}.")
    for current, target in levels.values():
        if not (LEVEL_MIN <= current <= LEVEL_MAX and LEVEL_MIN <= target <= LEVEL_MAX):
            raise ValidationError(f"Levels go from {LEVEL_MIN} to {LEVEL_MAX}.")


@transaction.atomic
def create_assessment(
    *,
    owner,
    framework: SkillFramework,
    areas: list[SkillArea],
    levels: dict[int, tuple[int, int]],
    note: str = "",
    visibility: str = LearningVisibility.PRIVATE,
) -> Assessment:
    """A new assessment rating every area in `areas` (the framework's rated areas): `levels` maps
    an area id to (now, target). Earlier assessments are kept, so progress shows."""
    _check_levels(areas, levels)
    if visibility not in LearningVisibility.values:
        raise ValidationError("Choose who may see this assessment.")
    assessment = Assessment.objects.create(owner=owner, framework=framework, note=note, visibility=visibility)
    Rating.objects.bulk_create(
        Rating(assessment=assessment, area_id=area_id, current=current, target=target)
        for area_id, (current, target) in levels.items()
    )
    return assessment


@transaction.atomic
def set_assessment_visibility(*, assessment: Assessment, visibility: str) -> None:
    if visibility not in LearningVisibility.values:
        raise ValidationError("Choose who may see this assessment.")
    assessment.visibility = visibility
    assessment.save(update_fields=["visibility"])


@transaction.atomic
def delete_assessment(*, assessment: Assessment) -> None:
    """Delete an assessment and its ratings (portfolio entries showing it go with it)."""
    assessment.delete()
