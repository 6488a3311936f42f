"""Read paths for skills pages and the API: frameworks, a member's assessments, the comparison
of the latest assessment with the previous one and the target, and the gaps that suggest goals."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.timesince import timesince

from readingroom.core.pagination import MAX_ID, Page, page_from
from readingroom.skills.models import Assessment, Rating, SkillArea, SkillFramework

HISTORY_SIZE = 50
API_PAGE_SIZE = 20


@dataclass
class AreaRow:
    area: SkillArea
    previous: int | None
    now: int | None
    target: int | None

    @property
    def gap(self) -> int | None:
        if self.now is None or self.target is None:
            return None
        return self.target - self.now

    @property
    def change(self) -> int | None:
        if self.now is None or self.previous is None:
            return None
        return self.now - self.previous


def _valid_id(pk) -> bool:
    return isinstance(pk, int) and 0 < pk <= MAX_ID


def default_framework() -> SkillFramework | None:
    return SkillFramework.objects.filter(is_default=True, is_active=True).order_by("-id").first()


def active_frameworks() -> list[SkillFramework]:
    return list(SkillFramework.objects.filter(is_active=True).order_by("-is_default", "name")[:100])


def framework_with_areas(slug: str) -> SkillFramework | None:
    """An active framework with its current areas and their sub-areas (three queries)."""
    if not slug or len(slug) > 60:
        return None
    framework = SkillFramework.objects.filter(slug=slug, is_active=True).first()
    if framework is not None:
        framework.rated_areas = rated_areas(framework)
    return framework


def rated_areas(framework: SkillFramework) -> list[SkillArea]:
    """The top-level areas members rate, in order, with their current sub-areas."""
    children = Prefetch("children", queryset=SkillArea.objects.filter(retired=False), to_attr="sub_areas")
    return list(
        SkillArea.objects.filter(framework=framework, parent__isnull=True, retired=False).prefetch_related(children)
    )


def _with_ratings(queryset):
    ratings = Rating.objects.select_related("area").order_by("area__position", "area_id")
    return queryset.prefetch_related(Prefetch("ratings", queryset=ratings, to_attr="rating_list"))


def assessment_for(viewer, pk) -> Assessment | None:
    """An assessment the viewer may see (the audience rule), with its ratings, or None."""
    if not _valid_id(pk):
        return None
    rows = Assessment.objects.visible_to(viewer).select_related("owner__profile", "framework")
    return _with_ratings(rows).filter(pk=pk).first()


def previous_visible(viewer, assessment: Assessment) -> Assessment | None:
    """The owner's assessment before this one (same framework) that the viewer may also see."""
    rows = Assessment.objects.visible_to(viewer).filter(
        owner_id=assessment.owner_id, framework_id=assessment.framework_id, pk__lt=assessment.pk
    )
    return _with_ratings(rows.order_by("-pk")).first()


def own_history(owner, framework: SkillFramework) -> list[Assessment]:
    """The member's assessments against a framework, newest first, with ratings."""
    rows = Assessment.objects.filter(owner=owner, framework=framework).order_by("-pk")[:HISTORY_SIZE]
    return list(_with_ratings(rows))


def own_assessments_page(owner, *, before: int | None, size: int = API_PAGE_SIZE) -> Page[Assessment]:
    """The member's assessments, newest first, keyset by id (the API's list)."""
    rows = Assessment.objects.filter(owner=owner).select_related("owner__profile", "framework").order_by("-pk")
    if before is not None:
        rows = rows.filter(pk__lt=before)
    return page_from(list(_with_ratings(rows[: size + 1])), size=size, key=lambda a: a.pk)


def levels(assessment: Assessment | None) -> dict[int, Rating]:
    if assessment is None:
        return {}
    return {r.area_id: r for r in assessment.rating_list}


def comparison(areas: list[SkillArea], latest: Assessment | None, previous: Assessment | None) -> list[AreaRow]:
    now, before = levels(latest), levels(previous)
    rows = []
    for area in areas:
        rating = now.get(area.pk)
        earlier = before.get(area.pk)
        rows.append(
            AreaRow(
                area=area,
                previous=earlier.current if earlier else None,
                now=rating.current if rating else None,
                target=rating.target if rating else None,
            )
        )
    return rows


def assessment_rows(assessment: Assessment, previous: Assessment | None) -> list[AreaRow]:
    """Rows for one assessment's own areas (a framework may have changed since it was made)."""
    return comparison([r.area for r in assessment.rating_list], assessment, previous)


def gaps(rows: list[AreaRow]) -> list[AreaRow]:
    """Areas whose target is at least one level above now, the largest gap first."""
    wanted = [r for r in rows if r.gap is not None and r.gap >= 1]
    return sorted(wanted, key=lambda r: (-r.gap, r.area.position, r.area.pk))


def goal_suggestion_url(area: SkillArea) -> str | None:
    """The goal form with this area chosen; None while the goals app offers no such page."""
    try:
        base = reverse("goals:create")
    except NoReverseMatch:
        return None
    return f"{base}?{urlencode({'skill_area': area.pk, 'title': f'Build my skills in {area.name}'})}"


def skills_summary(member) -> dict:
    """The learning overview's lines for Skills (two queries)."""
    latest = _with_ratings(Assessment.objects.filter(owner=member).order_by("-pk")).first()
    if latest is None:
        return {"lines": ["You have not rated your skills yet."]}
    line = f"Last rated {timesince(latest.created_at, timezone.now()).split(',')[0]} ago"
    biggest = gaps(assessment_rows(latest, None))
    if biggest:
        line += f"; biggest gap: {biggest[0].area.name}"
    return {"lines": [line + "."]}
