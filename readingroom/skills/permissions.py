"""Who may see and change assessments, and who manages frameworks. Private things answer 404."""

from __future__ import annotations

from django.http import Http404

from readingroom.learning.permissions import is_owner
from readingroom.skills.models import Assessment


def check_view_assessment(viewer, assessment: Assessment | None) -> Assessment:
    """`assessment` must come from Assessment.objects.visible_to(viewer) (or be None)."""
    if assessment is None:
        raise Http404("No such assessment")
    return assessment


def check_own_assessment(viewer, assessment: Assessment | None) -> Assessment:
    """Only the owner changes or deletes an assessment; to anyone else it is not there."""
    if assessment is None or not is_owner(viewer, assessment.owner_id):
        raise Http404("No such assessment")
    return assessment


def can_manage_frameworks(viewer) -> bool:
    return bool(viewer is not None and viewer.is_authenticated and viewer.is_active and viewer.is_staff)


def check_manage_frameworks(viewer) -> None:
    if not can_manage_frameworks(viewer):
        raise Http404("No such page")
