"""Who may see what in pln: only the member, ever. The balance panel is always "my" page
(/learning/balance/); a check-in answers 404 to everyone but its owner, as if it did not exist."""

from __future__ import annotations

from django.http import Http404


def can_see_check_in(viewer, check_in) -> bool:
    return bool(check_in is not None and viewer.is_authenticated and viewer.id == check_in.owner_id)


def check_can_see_check_in(viewer, check_in):
    if not can_see_check_in(viewer, check_in):
        raise Http404("No such check-in.")
    return check_in
