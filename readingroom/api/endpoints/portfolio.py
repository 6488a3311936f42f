"""Portfolios: create and edit, add/remove/reorder items, export (JSON, PDF), import JSON, and
share links. The same forms, actions, queries and owner-only check as the pages
(readingroom/portfolio/views.py): another member's portfolio or record is a 404."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import Strict

from readingroom.api.auth import MEMBER_READ, MEMBER_WRITE
from readingroom.api.common import OBJECT_READ_ERRORS, READ_ERRORS, WRITE_ERRORS, form_invalid, viewer
from readingroom.api.errors import ApiError, ErrorOut
from readingroom.api.schemas import BodyId, Id, Input, ListQuery, Text
from readingroom.core.ratelimit import check_rate
from readingroom.portfolio import actions, exports, importing, queries
from readingroom.portfolio.forms import NoteForm, PortfolioForm, SectionForm, ShareLinkForm
from readingroom.portfolio.jsonformat import PortfolioDocument, export_document
from readingroom.portfolio.models import MAX_ITEMS, ItemKind, PortfolioItem

router = Router(tags=["Portfolios"])

Kind = Literal["goal", "cpd_entry", "reflection", "assessment", "post", "section"]


class PortfolioIn(Input):
    title: Text(200, min_length=1)  # type: ignore[valid-type]
    introduction: Text(20000) = ""  # type: ignore[valid-type]


class PortfolioPatch(Input):
    title: Text(200, min_length=1) | None = None  # type: ignore[valid-type]
    introduction: Text(20000) | None = None  # type: ignore[valid-type]


class ItemIn(Input):
    kind: Kind
    record_id: BodyId | None = Field(None, description="The id of one of your own records (all kinds but section).")
    note: Text(20000) = Field("", description="A note shown with a record.")  # type: ignore[valid-type]
    heading: Text(200) = Field("", description="A section's heading (sections only).")  # type: ignore[valid-type]
    body: Text(20000) = Field("", description="A section's Markdown text (sections only).")  # type: ignore[valid-type]


class ItemPatch(Input):
    heading: Text(200) | None = None  # type: ignore[valid-type]
    body: Text(20000) | None = Field(None, description="A section's text, or a record's note.")  # type: ignore[valid-type]


class OrderIn(Input):
    item_ids: Annotated[list[BodyId], Field(max_length=MAX_ITEMS)]


class ShareLinkIn(Input):
    label: Text(120) = ""  # type: ignore[valid-type]
    days: Annotated[int, Strict(), Field(ge=actions.SHARE_DAYS_MIN, le=actions.SHARE_DAYS_MAX)] = (
        actions.SHARE_DAYS_DEFAULT
    )


class ItemOut(Schema):
    id: int
    position: int
    kind: Kind
    record_id: int | None
    heading: str
    body: str


class PortfolioOut(Schema):
    id: int
    title: str
    introduction: str
    created_at: datetime
    updated_at: datetime
    url: str
    items: list[ItemOut] | None = None


class PortfolioPage(Schema):
    items: list[PortfolioOut]
    next_url: str | None
    next_max_id: int | None


class ShareLinkOut(Schema):
    id: int
    label: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_viewed_at: datetime | None
    view_count: int
    live: bool


class NewShareLinkOut(ShareLinkOut):
    token: str = Field(description="Shown this once: only its hash is stored.")
    url: str


def _portfolio(request, portfolio, *, items: bool = False) -> dict:
    out = {
        "id": portfolio.pk,
        "title": portfolio.title,
        "introduction": portfolio.introduction,
        "created_at": portfolio.created_at,
        "updated_at": portfolio.updated_at,
        "url": request.build_absolute_uri(reverse("portfolio:detail", args=[portfolio.pk])),
    }
    if items:
        out["items"] = [_item(i) for i in portfolio.items.all()]
    return out


def _item(item: PortfolioItem) -> dict:
    record_id = getattr(item, f"{item.kind}_id") if item.kind != ItemKind.SECTION else None
    return {
        "id": item.pk,
        "position": item.position,
        "kind": item.kind,
        "record_id": record_id,
        "heading": item.heading,
        "body": item.body,
    }


def _link(link) -> dict:
    fields = ("id", "label", "created_at", "expires_at", "revoked_at", "last_viewed_at", "view_count")
    return {**{f: getattr(link, f) for f in fields}, "live": link.is_live}


def _own(request, portfolio_id: int):
    return queries.portfolio_for_owner(viewer=viewer(request), portfolio_id=portfolio_id)


@router.get("/portfolios", response={200: PortfolioPage, **READ_ERRORS}, auth=MEMBER_READ, url_name="portfolios")
def list_portfolios(request: HttpRequest, query: Query[ListQuery]):
    """Your portfolios, newest first (keyset pages of 50 by `max_id`)."""
    page = queries.portfolios_of(viewer(request), before=query.max_id)
    next_url = None
    if page.next_cursor:
        next_url = request.build_absolute_uri(f"{request.path}?max_id={page.next_cursor}")
    return {
        "items": [_portfolio(request, p) for p in page.items],
        "next_url": next_url,
        "next_max_id": page.next_cursor,
    }


@router.post("/portfolios", response={201: PortfolioOut, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="portfolios")
def create_portfolio(request: HttpRequest, payload: PortfolioIn):
    form = PortfolioForm(payload.model_dump())
    if not form.is_valid():
        raise form_invalid(form)
    check_rate("portfolio_create", viewer(request).pk, limit=30, period=300)
    portfolio = actions.create_portfolio(owner=viewer(request), **form.cleaned_data)
    return Status(201, _portfolio(request, portfolio, items=True))


# Fixed paths before the {portfolio_id} and {item_id} ones: URL patterns are matched in order.
@router.post(
    "/portfolios/{portfolio_id}/items/order",
    response={200: PortfolioOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="portfolio_order",
)
def reorder_items(request: HttpRequest, payload: OrderIn, portfolio_id: Id):
    """Put the items in this order; `item_ids` must list every item exactly once."""
    portfolio = _own(request, portfolio_id)
    actions.reorder_items(portfolio=portfolio, item_ids=payload.item_ids)
    return _portfolio(request, portfolio, items=True)


@router.post(
    "/portfolios/import", response={201: PortfolioOut, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="portfolio_import"
)
def import_portfolio(request: HttpRequest, payload: PortfolioDocument):
    """Import a portfolio file as a NEW portfolio of yours; its records become your own, private
    records (CPD entries already in your log are reused). All or nothing: a 422 names each bad
    field's path (e.g. `items.3.cpd_entry.hours`)."""
    check_rate("portfolio_import", viewer(request).pk, limit=20, period=300)
    portfolio = importing.import_portfolio(owner=viewer(request), document=payload)
    return Status(201, _portfolio(request, portfolio, items=True))


@router.get(
    "/portfolios/{portfolio_id}",
    response={200: PortfolioOut, **OBJECT_READ_ERRORS},
    auth=MEMBER_READ,
    url_name="portfolio",
)
def get_portfolio(request: HttpRequest, portfolio_id: Id):
    """A portfolio with its items in order (each names its record's kind and id)."""
    return _portfolio(request, _own(request, portfolio_id), items=True)


@router.patch(
    "/portfolios/{portfolio_id}",
    response={200: PortfolioOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="portfolio",
)
def edit_portfolio(request: HttpRequest, payload: PortfolioPatch, portfolio_id: Id):
    portfolio = _own(request, portfolio_id)
    data = {
        "title": portfolio.title if payload.title is None else payload.title,
        "introduction": portfolio.introduction if payload.introduction is None else payload.introduction,
    }
    form = PortfolioForm(data, instance=portfolio)
    if not form.is_valid():
        raise form_invalid(form)
    actions.update_portfolio(portfolio=portfolio, **form.cleaned_data)
    return _portfolio(request, portfolio, items=True)


@router.delete(
    "/portfolios/{portfolio_id}", response={204: None, **WRITE_ERRORS}, auth=MEMBER_WRITE, url_name="portfolio"
)
def delete_portfolio(request: HttpRequest, portfolio_id: Id):
    """Delete a portfolio with its sections, notes and share links (the records stay)."""
    actions.delete_portfolio(portfolio=_own(request, portfolio_id))
    return Status(204, None)


@router.post(
    "/portfolios/{portfolio_id}/items",
    response={201: ItemOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="portfolio_items",
)
def add_item(request: HttpRequest, payload: ItemIn, portfolio_id: Id):
    """Add one of your own records (404 for anyone else's; 422 if it is already there or the
    portfolio is full), or a written section, at the end."""
    portfolio = _own(request, portfolio_id)
    if payload.kind == ItemKind.SECTION:
        form = SectionForm({"heading": payload.heading, "body": payload.body})
        if not form.is_valid():
            raise form_invalid(form)
        item = actions.add_section(portfolio=portfolio, **form.cleaned_data)
        return Status(201, _item(item))
    if payload.record_id is None:
        raise ApiError(
            422,
            "validation_failed",
            "Give the record_id of the record to add.",
            fields=[{"field": "record_id", "location": "body", "code": "required", "message": "Give the record_id."}],
        )
    record = queries.own_record(viewer(request), kind=payload.kind, record_id=payload.record_id)
    item = actions.add_record(portfolio=portfolio, kind=payload.kind, record=record, note=payload.note)
    return Status(201, _item(item))


@router.patch(
    "/portfolios/{portfolio_id}/items/{item_id}",
    response={200: ItemOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="portfolio_item",
)
def edit_item(request: HttpRequest, payload: ItemPatch, portfolio_id: Id, item_id: Id):
    """Change a section's heading or text, or a record's note."""
    portfolio = _own(request, portfolio_id)
    item = queries.item_of(portfolio=portfolio, item_id=item_id)
    body = item.body if payload.body is None else payload.body
    if item.kind == ItemKind.SECTION:
        form = SectionForm({"heading": item.heading if payload.heading is None else payload.heading, "body": body})
    else:
        form = NoteForm({"body": body})
    if not form.is_valid():
        raise form_invalid(form)
    actions.edit_item(item=item, heading=form.cleaned_data.get("heading", ""), body=form.cleaned_data["body"])
    return _item(item)


@router.delete(
    "/portfolios/{portfolio_id}/items/{item_id}",
    response={204: None, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="portfolio_item",
)
def remove_item(request: HttpRequest, portfolio_id: Id, item_id: Id):
    """Take an item out of the portfolio (the record itself is kept)."""
    portfolio = _own(request, portfolio_id)
    actions.remove_item(item=queries.item_of(portfolio=portfolio, item_id=item_id))
    return Status(204, None)


@router.get(
    "/portfolios/{portfolio_id}/export/json",
    response={200: PortfolioDocument, **OBJECT_READ_ERRORS},
    auth=MEMBER_READ,
    url_name="portfolio_export_json",
)
def export_json(request: HttpRequest, portfolio_id: Id):
    """The portfolio file (docs/portfolio-json-format.md), importable back with POST /portfolios/import."""
    portfolio = _own(request, portfolio_id)
    return export_document(
        portfolio, post_url=lambda post: request.build_absolute_uri(reverse("posts:detail", args=[post.pk]))
    )


@router.get(
    "/portfolios/{portfolio_id}/export/pdf",
    response={200: None, 503: ErrorOut, **OBJECT_READ_ERRORS},
    auth=MEMBER_READ,
    url_name="portfolio_export_pdf",
    openapi_extra={
        "responses": {
            200: {
                "description": "The portfolio typeset as a PDF (A4).",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def export_pdf(request: HttpRequest, portfolio_id: Id):
    portfolio = _own(request, portfolio_id)
    check_rate("portfolio_pdf", viewer(request).pk, limit=30, period=300)
    try:
        pdf = exports.pdf_bytes(portfolio)
    except exports.PdfFailed as exc:
        raise ApiError(503, "pdf_unavailable", exc.message) from exc
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(portfolio, "pdf")}"'
    return response


@router.get(
    "/portfolios/{portfolio_id}/share-links",
    response={200: list[ShareLinkOut], **OBJECT_READ_ERRORS},
    auth=MEMBER_READ,
    url_name="portfolio_share_links",
)
def list_share_links(request: HttpRequest, portfolio_id: Id):
    return [_link(link) for link in queries.share_links_of(_own(request, portfolio_id))]


@router.post(
    "/portfolios/{portfolio_id}/share-links",
    response={201: NewShareLinkOut, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="portfolio_share_links",
)
def create_share_link(request: HttpRequest, payload: ShareLinkIn, portfolio_id: Id):
    """A read-only link anyone can open until it expires (1-365 days) or is revoked. The token
    is in this answer only."""
    portfolio = _own(request, portfolio_id)
    form = ShareLinkForm(payload.model_dump())
    if not form.is_valid():
        raise form_invalid(form)
    check_rate("portfolio_share", viewer(request).pk, limit=30, period=300)
    link, token = actions.create_share_link(portfolio=portfolio, **form.cleaned_data)
    url = request.build_absolute_uri(reverse("portfolio:shared", args=[token]))
    return Status(201, {**_link(link), "token": token, "url": url})


@router.delete(
    "/portfolios/{portfolio_id}/share-links/{link_id}",
    response={204: None, **WRITE_ERRORS},
    auth=MEMBER_WRITE,
    url_name="portfolio_share_link",
)
def revoke_share_link(request: HttpRequest, portfolio_id: Id, link_id: Id):
    """Revoke a link: it answers 404 from now on. Revoking twice changes nothing."""
    portfolio = _own(request, portfolio_id)
    actions.revoke_share_link(link=queries.share_link_of(portfolio=portfolio, link_id=link_id))
    return Status(204, None)
