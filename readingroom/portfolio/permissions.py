"""Who may do what with a portfolio: only its owner, ever. Everyone else (staff included) gets
a 404, so a portfolio's existence is never confirmed; readers come in through a share link."""

from __future__ import annotations

from django.http import Http404

from readingroom.portfolio.models import Portfolio


def can_manage_portfolio(viewer, portfolio: Portfolio) -> bool:
    return bool(viewer is not None and viewer.is_authenticated and viewer.pk == portfolio.owner_id)


def check_can_manage_portfolio(viewer, portfolio: Portfolio) -> None:
    if not can_manage_portfolio(viewer, portfolio):
        raise Http404("No such portfolio.")
