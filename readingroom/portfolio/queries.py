"""Every read a portfolio page, export or API operation makes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils import timezone

from readingroom.core.pagination import MAX_ID, Page, page_from
from readingroom.cpd.models import CPDEntry
from readingroom.goals.models import Goal, Reflection
from readingroom.portfolio.models import ItemKind, Portfolio, PortfolioItem, ShareLink
from readingroom.portfolio.permissions import check_can_manage_portfolio
from readingroom.posts.models import Post
from readingroom.skills.models import Assessment, Rating

CANDIDATE_PAGE = 20
RECORD_KINDS = [k for k in ItemKind.values if k != ItemKind.SECTION]


def _valid_id(pk) -> bool:
    return isinstance(pk, int) and 0 < pk <= MAX_ID


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def portfolios_of(owner, *, before: int | None = None, size: int = 50) -> Page[Portfolio]:
    """The member's portfolios, newest first by id (keyset), with their item counts."""
    qs = Portfolio.objects.filter(owner=owner).annotate(item_count=Count("items")).order_by("-id")
    if before is not None:
        qs = qs.filter(pk__lt=before)
    return page_from(list(qs[: size + 1]), size=size, key=lambda p: p.pk)


def portfolio_for_owner(*, viewer, portfolio_id: int) -> Portfolio:
    if not _valid_id(portfolio_id):
        raise Http404("No such portfolio.")
    portfolio = Portfolio.objects.select_related("owner__profile").filter(pk=portfolio_id).first()
    if portfolio is None:
        raise Http404("No such portfolio.")
    check_can_manage_portfolio(viewer, portfolio)
    return portfolio


def item_of(*, portfolio: Portfolio, item_id: int) -> PortfolioItem:
    item = PortfolioItem.objects.filter(portfolio=portfolio, pk=item_id).first() if _valid_id(item_id) else None
    if item is None:
        raise Http404("No such item.")
    return item


def items_for_builder(portfolio: Portfolio) -> list[PortfolioItem]:
    return list(
        portfolio.items.select_related("goal", "cpd_entry", "reflection__goal", "assessment__framework", "post")
    )


def own_records(owner, kind: str):
    """The records of one kind a member may put in their portfolio: only their own (for posts,
    their own posts, not boosts)."""
    if kind == ItemKind.GOAL:
        return Goal.objects.filter(owner=owner).order_by("-id")
    if kind == ItemKind.CPD_ENTRY:
        return CPDEntry.objects.filter(owner=owner).order_by("-id")
    if kind == ItemKind.REFLECTION:
        return Reflection.objects.filter(goal__owner=owner).select_related("goal").order_by("-id")
    if kind == ItemKind.ASSESSMENT:
        return Assessment.objects.filter(owner=owner).select_related("framework").order_by("-id")
    if kind == ItemKind.POST:
        # Not group posts: a portfolio is shared by link, and a group's posts stay with its readers.
        return Post.objects.filter(author=owner, boost_of__isnull=True, group__isnull=True).order_by("-id")
    raise Http404("No such kind of record.")


def own_record(owner, *, kind: str, record_id: int):
    """One of the member's own records, or 404 (someone else's record looks like no record)."""
    record = own_records(owner, kind).filter(pk=record_id).first() if _valid_id(record_id) else None
    if record is None:
        raise Http404("No such record.")
    return record


@dataclass
class Candidate:
    record: object
    added: bool


def candidates(*, portfolio: Portfolio, kind: str, before: int | None) -> Page[Candidate]:
    """One page of the member's records of a kind, newest first, marking those already added."""
    qs = own_records(portfolio.owner_id, kind)
    if before is not None:
        qs = qs.filter(pk__lt=before)
    page = page_from(list(qs[: CANDIDATE_PAGE + 1]), size=CANDIDATE_PAGE, key=lambda r: r.pk)
    ids = [r.pk for r in page.items]
    added = set(
        PortfolioItem.objects.filter(portfolio=portfolio, **{f"{kind}_id__in": ids}).values_list(
            f"{kind}_id", flat=True
        )
    )
    return Page([Candidate(r, r.pk in added) for r in page.items], page.next_cursor)


def items_for_document(portfolio: Portfolio) -> list[PortfolioItem]:
    """Every item with everything its rendering needs, in a fixed number of queries."""
    return list(
        portfolio.items.select_related(
            "goal", "cpd_entry", "reflection__goal", "assessment__framework", "post"
        ).prefetch_related(
            Prefetch("goal__steps"),
            "goal__skill_areas",
            "cpd_entry__skill_areas",
            Prefetch("goal__reflections"),
            Prefetch(
                "assessment__ratings",
                queryset=Rating.objects.select_related("area").order_by("area__position", "area__id"),
            ),
        )
    )


def share_links_of(portfolio: Portfolio) -> list[ShareLink]:
    return list(portfolio.share_links.all()[:200])


def share_link_of(*, portfolio: Portfolio, link_id: int) -> ShareLink:
    link = ShareLink.objects.filter(portfolio=portfolio, pk=link_id).first() if _valid_id(link_id) else None
    if link is None:
        raise Http404("No such share link.")
    return link


def valid_share_link(token: str) -> ShareLink:
    """The live link for a token; expired, revoked and unknown tokens all answer the same 404."""
    link = (
        ShareLink.objects.select_related("portfolio__owner__profile")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if link is None or not link.portfolio.owner.is_active:
        raise Http404("This link is not valid.")
    return link
