"""Every write to portfolios, their items and share links. Keyword-only, atomic; the portfolio
row is locked while items are added or moved, so positions stay dense and the 500-item cap holds
under concurrent requests."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from readingroom.portfolio.models import MAX_ITEMS, ItemKind, Portfolio, PortfolioItem, ShareLink
from readingroom.portfolio.queries import token_hash

SHARE_DAYS_MIN = 1
SHARE_DAYS_MAX = 365
SHARE_DAYS_DEFAULT = 30


def create_portfolio(*, owner, title: str, introduction: str = "") -> Portfolio:
    return Portfolio.objects.create(owner=owner, title=title, introduction=introduction)


def update_portfolio(*, portfolio: Portfolio, title: str, introduction: str) -> Portfolio:
    portfolio.title, portfolio.introduction, portfolio.updated_at = title, introduction, timezone.now()
    portfolio.save(update_fields=["title", "introduction", "updated_at"])
    return portfolio


def delete_portfolio(*, portfolio: Portfolio) -> None:
    portfolio.delete()


def _lock(portfolio: Portfolio) -> int:
    """Lock the portfolio row; answer the next free position. Refuse past the item cap."""
    Portfolio.objects.select_for_update().filter(pk=portfolio.pk).update(updated_at=timezone.now())
    count = PortfolioItem.objects.filter(portfolio=portfolio).count()
    if count >= MAX_ITEMS:
        raise ValidationError(f"A portfolio holds at most {MAX_ITEMS} items.", code="too_many_items")
    last = PortfolioItem.objects.filter(portfolio=portfolio).order_by("-position").values_list("position", flat=True)
    return (last.first() or 0) + 1 if count else 0


@transaction.atomic
def add_record(*, portfolio: Portfolio, kind: str, record, note: str = "") -> PortfolioItem:
    """Add one of the owner's records (the caller fetched it through queries.own_record)."""
    if kind not in ItemKind.values or kind == ItemKind.SECTION:
        raise ValidationError("Choose a kind of record.", code="invalid_kind")
    position = _lock(portfolio)
    if PortfolioItem.objects.filter(portfolio=portfolio, **{kind: record}).exists():
        raise ValidationError("That is already in this portfolio.", code="duplicate")
    return PortfolioItem.objects.create(portfolio=portfolio, kind=kind, position=position, body=note, **{kind: record})


@transaction.atomic
def add_section(*, portfolio: Portfolio, heading: str, body: str) -> PortfolioItem:
    position = _lock(portfolio)
    return PortfolioItem.objects.create(
        portfolio=portfolio, kind=ItemKind.SECTION, position=position, heading=heading, body=body
    )


def edit_item(*, item: PortfolioItem, heading: str = "", body: str) -> PortfolioItem:
    """A section's heading and body, or a record's note (heading ignored)."""
    item.heading = heading if item.kind == ItemKind.SECTION else ""
    item.body = body
    item.save(update_fields=["heading", "body"])
    _touch(item.portfolio_id)
    return item


def remove_item(*, item: PortfolioItem) -> None:
    portfolio_id = item.portfolio_id
    item.delete()
    _touch(portfolio_id)


@transaction.atomic
def move_item(*, item: PortfolioItem, direction: str) -> None:
    """Swap an item with its neighbour (up = earlier); at either end, nothing happens."""
    Portfolio.objects.select_for_update().filter(pk=item.portfolio_id).update(updated_at=timezone.now())
    ids = list(PortfolioItem.objects.filter(portfolio_id=item.portfolio_id).values_list("pk", flat=True))
    index = ids.index(item.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
        _renumber(ids)


@transaction.atomic
def reorder_items(*, portfolio: Portfolio, item_ids: list[int]) -> None:
    """Put the items in the given order, which must name every item exactly once."""
    Portfolio.objects.select_for_update().filter(pk=portfolio.pk).update(updated_at=timezone.now())
    current = list(PortfolioItem.objects.filter(portfolio=portfolio).values_list("pk", flat=True))
    if len(item_ids) != len(set(item_ids)) or set(item_ids) != set(current):
        raise ValidationError(
            {"item_ids": ValidationError("List every item of the portfolio exactly once.", code="invalid_order")}
        )
    _renumber(item_ids)


def _renumber(ids: list[int]) -> None:
    items = [PortfolioItem(pk=pk, position=n) for n, pk in enumerate(ids)]
    PortfolioItem.objects.bulk_update(items, ["position"], batch_size=500)


def _touch(portfolio_id: int) -> None:
    Portfolio.objects.filter(pk=portfolio_id).update(updated_at=timezone.now())


def create_share_link(
    *, portfolio: Portfolio, label: str = "", days: int = SHARE_DAYS_DEFAULT
) -> tuple[ShareLink, str]:
    """A new read-only link; answers the link and its token, which is never stored nor shown again."""
    if not SHARE_DAYS_MIN <= days <= SHARE_DAYS_MAX:
        raise ValidationError({"days": ValidationError("Choose from 1 to 365 days.", code="out_of_range")})
    token = secrets.token_urlsafe(32)
    link = ShareLink.objects.create(
        portfolio=portfolio,
        token_hash=token_hash(token),
        label=label,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return link, token


def revoke_share_link(*, link: ShareLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])


def record_share_view(*, link: ShareLink) -> None:
    ShareLink.objects.filter(pk=link.pk).update(view_count=F("view_count") + 1, last_viewed_at=timezone.now())
