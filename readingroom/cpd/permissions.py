"""Who may do what with a CPD entry. Seeing follows learning.permissions.audience_q (through
cpd.queries.visible_entries); changing is the owner's alone. Everyone else gets 404, never 403."""

from __future__ import annotations

from django.http import Http404

from readingroom.cpd.models import CPDEntry
from readingroom.learning.permissions import is_owner


def can_edit_entry(viewer, entry: CPDEntry) -> bool:
    return is_owner(viewer, entry.owner_id)


def check_can_edit_entry(viewer, entry: CPDEntry) -> None:
    if not can_edit_entry(viewer, entry):
        raise Http404
