"""Thin views: the portfolio pages (list, builder, preview, exports, import, share links) and the
read-only page a share link opens. Only the owner reaches a portfolio; everyone else gets 404."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readingroom.core.pagination import parse_cursor
from readingroom.core.ratelimit import check_rate
from readingroom.portfolio import actions, document, exports, importing, queries
from readingroom.portfolio.forms import (
    AddRecordForm,
    ImportForm,
    MoveForm,
    NoteForm,
    PortfolioForm,
    SectionForm,
    ShareLinkForm,
)
from readingroom.portfolio.jsonformat import export_document
from readingroom.portfolio.models import ItemKind

KIND_LABELS = {
    ItemKind.GOAL: "goals",
    ItemKind.CPD_ENTRY: "CPD entries",
    ItemKind.REFLECTION: "reflections",
    ItemKind.ASSESSMENT: "skills assessments",
    ItemKind.POST: "posts",
}
SHARE_SESSION_KEY = "portfolio_new_share_url"
MAX_TOKEN_LENGTH = 100


def _page(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, {"nav": "learning", "learning_nav": "portfolio", **context}, status=status)


def _own(request: HttpRequest, pk: int):
    return queries.portfolio_for_owner(viewer=request.user, portfolio_id=pk)


def _builder_url(portfolio, item=None) -> str:
    url = reverse("portfolio:detail", args=[portfolio.pk])
    return f"{url}#item-{item.pk}" if item else url


@login_required
@require_GET
def portfolio_list(request: HttpRequest) -> HttpResponse:
    page = queries.portfolios_of(request.user, before=parse_cursor(request.GET.get("before")))
    return _page(request, "portfolio/list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def portfolio_create(request: HttpRequest) -> HttpResponse:
    form = PortfolioForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check_rate("portfolio_create", request.user.pk, limit=30, period=300)
        portfolio = actions.create_portfolio(owner=request.user, **form.cleaned_data)
        messages.success(request, "Portfolio created. Now add your records and written sections.")
        return redirect("portfolio:detail", portfolio.pk)
    return _page(request, "portfolio/form.html", {"form": form, "portfolio": None})


@login_required
@require_http_methods(["GET", "POST"])
def portfolio_edit(request: HttpRequest, pk: int) -> HttpResponse:
    portfolio = _own(request, pk)
    form = (
        PortfolioForm(request.POST or None, instance=portfolio)
        if request.method == "POST"
        else PortfolioForm(instance=portfolio)
    )
    if request.method == "POST" and form.is_valid():
        actions.update_portfolio(portfolio=portfolio, **form.cleaned_data)
        messages.success(request, "Portfolio saved.")
        return redirect("portfolio:detail", portfolio.pk)
    return _page(request, "portfolio/form.html", {"form": form, "portfolio": portfolio})


@login_required
@require_http_methods(["GET", "POST"])
def portfolio_delete(request: HttpRequest, pk: int) -> HttpResponse:
    portfolio = _own(request, pk)
    if request.method == "POST":
        title = portfolio.title
        actions.delete_portfolio(portfolio=portfolio)
        messages.success(request, f"Portfolio “{title}” deleted. The records in it are still in your learning.")
        return redirect("portfolio:list")
    return _page(request, "portfolio/delete.html", {"portfolio": portfolio})


@login_required
@require_GET
def portfolio_detail(request: HttpRequest, pk: int) -> HttpResponse:
    portfolio = _own(request, pk)
    return _builder(request, portfolio, SectionForm())


def _builder(request, portfolio, section_form, status: int = 200) -> HttpResponse:
    context = {
        "portfolio": portfolio,
        "items": queries.items_for_builder(portfolio),
        "section_form": section_form,
        "kinds": KIND_LABELS.items(),
        "intro_html": document.markdown(portfolio.introduction),
    }
    return _page(request, "portfolio/builder.html", context, status=status)


@login_required
@require_GET
def add_records(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    portfolio = _own(request, pk)
    if kind not in KIND_LABELS:
        raise Http404("No such kind of record.")
    page = queries.candidates(portfolio=portfolio, kind=kind, before=parse_cursor(request.GET.get("before")))
    context = {"portfolio": portfolio, "kind": kind, "kind_label": KIND_LABELS[kind], "page": page}
    return _page(request, "portfolio/add.html", context)


@login_required
@require_POST
def add_item(request: HttpRequest, pk: int) -> HttpResponse:
    portfolio = _own(request, pk)
    form = AddRecordForm(request.POST)
    if not form.is_valid():
        raise Http404("No such record.")
    kind = form.cleaned_data["kind"]
    record = queries.own_record(request.user, kind=kind, record_id=form.cleaned_data["record"])
    try:
        actions.add_record(portfolio=portfolio, kind=kind, record=record, note=form.cleaned_data["note"])
        messages.success(request, f"Added “{document.record_title(kind, record)}”.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    back = reverse("portfolio:add", args=[portfolio.pk, kind])
    cursor = parse_cursor(request.POST.get("before"))
    return redirect(f"{back}?before={cursor}" if cursor else back)


@login_required
@require_POST
def add_section(request: HttpRequest, pk: int) -> HttpResponse:
    portfolio = _own(request, pk)
    form = SectionForm(request.POST)
    if not form.is_valid():
        return _builder(request, portfolio, form, status=422)
    try:
        item = actions.add_section(portfolio=portfolio, **form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _builder(request, portfolio, form, status=422)
    messages.success(request, "Section added.")
    return redirect(_builder_url(portfolio, item))


@login_required
@require_http_methods(["GET", "POST"])
def edit_item(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    portfolio = _own(request, pk)
    item = queries.item_of(portfolio=portfolio, item_id=item_id)
    is_section = item.kind == ItemKind.SECTION
    form_class = SectionForm if is_section else NoteForm
    initial = {"heading": item.heading, "body": item.body}
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.edit_item(item=item, heading=form.cleaned_data.get("heading", ""), body=form.cleaned_data["body"])
        messages.success(request, "Section saved." if is_section else "Note saved.")
        return redirect(_builder_url(portfolio, item))
    items = queries.items_for_builder(portfolio)
    item = next(i for i in items if i.pk == item.pk)
    context = {"portfolio": portfolio, "item": item, "form": form, "is_section": is_section}
    return _page(request, "portfolio/item_form.html", context)


@login_required
@require_POST
def move_item(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    portfolio = _own(request, pk)
    item = queries.item_of(portfolio=portfolio, item_id=item_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        actions.move_item(item=item, direction=form.cleaned_data["direction"])
    return redirect(_builder_url(portfolio, item))


@login_required
@require_POST
def remove_item(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    portfolio = _own(request, pk)
    item = queries.item_of(portfolio=portfolio, item_id=item_id)
    actions.remove_item(item=item)
    messages.success(request, "Removed from the portfolio (the record itself is kept).")
    return redirect("portfolio:detail", portfolio.pk)


@login_required
@require_GET
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    portfolio = _own(request, pk)
    return _page(
        request, "portfolio/preview.html", {"portfolio": portfolio, "doc": document.build(portfolio), "mode": "page"}
    )


def _attachment(content, *, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    portfolio = _own(request, pk)
    check_rate("portfolio_pdf", request.user.pk, limit=30, period=300)
    try:
        pdf = exports.pdf_bytes(portfolio)
    except exports.PdfFailed as exc:
        return HttpResponse(exc.message, status=503, content_type="text/plain; charset=utf-8")
    return _attachment(pdf, content_type="application/pdf", name=exports.filename(portfolio, "pdf"))


@login_required
@require_GET
def export_html(request: HttpRequest, pk: int) -> HttpResponse:
    portfolio = _own(request, pk)
    return _attachment(
        exports.html_document(portfolio),
        content_type="text/html; charset=utf-8",
        name=exports.filename(portfolio, "html"),
    )


@login_required
@require_GET
def export_json(request: HttpRequest, pk: int) -> HttpResponse:
    portfolio = _own(request, pk)
    data = export_document(
        portfolio, post_url=lambda post: request.build_absolute_uri(reverse("posts:detail", args=[post.pk]))
    )
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return _attachment(body, content_type="application/json; charset=utf-8", name=exports.filename(portfolio, "json"))


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        check_rate("portfolio_import", request.user.pk, limit=20, period=300)
        try:
            parsed = importing.parse(form.cleaned_data["file"].read())
            portfolio = importing.import_portfolio(owner=request.user, document=parsed)
        except importing.ImportRefused as exc:
            problems = [(path, " ".join(msgs)) for path, msgs in exc.message_dict.items()]
        else:
            messages.success(request, f"Imported “{portfolio.title}” with {portfolio.items.count()} items.")
            return redirect("portfolio:detail", portfolio.pk)
    status = 422 if request.method == "POST" else 200
    return _page(request, "portfolio/import.html", {"form": form, "problems": problems}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def share_links(request: HttpRequest, pk: int) -> HttpResponse:
    portfolio = _own(request, pk)
    form = ShareLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check_rate("portfolio_share", request.user.pk, limit=30, period=300)
        _link, token = actions.create_share_link(portfolio=portfolio, **form.cleaned_data)
        # Shown once, on the page this redirects to, then gone: only the hash is stored.
        request.session[SHARE_SESSION_KEY] = request.build_absolute_uri(reverse("portfolio:shared", args=[token]))
        messages.success(request, "Share link created. Copy it now: it will not be shown again.")
        return redirect("portfolio:share", portfolio.pk)
    new_url = request.session.pop(SHARE_SESSION_KEY, None) if request.method == "GET" else None
    context = {"portfolio": portfolio, "form": form, "links": queries.share_links_of(portfolio), "new_url": new_url}
    return _page(request, "portfolio/share.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def revoke_link(request: HttpRequest, pk: int, link_id: int) -> HttpResponse:
    portfolio = _own(request, pk)
    link = queries.share_link_of(portfolio=portfolio, link_id=link_id)
    actions.revoke_share_link(link=link)
    messages.success(request, "Link revoked: it no longer opens the portfolio.")
    return redirect("portfolio:share", portfolio.pk)


def _shared_headers(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


def _link(token: str):
    if len(token) > MAX_TOKEN_LENGTH:
        raise Http404("This link is not valid.")
    return queries.valid_share_link(token)


@require_GET
def shared(request: HttpRequest, token: str) -> HttpResponse:
    """The read-only portfolio, for anyone holding a valid link (no sign-in)."""
    link = _link(token)
    actions.record_share_view(link=link)
    portfolio = link.portfolio
    context = {"portfolio": portfolio, "doc": document.build(portfolio), "mode": "page", "token": token}
    return _shared_headers(render(request, "portfolio/shared.html", context))


@require_GET
def shared_pdf(request: HttpRequest, token: str) -> HttpResponse:
    link = _link(token)
    check_rate("portfolio_shared_pdf", link.pk, limit=30, period=300)
    portfolio = link.portfolio
    try:
        pdf = exports.pdf_bytes(portfolio)
    except exports.PdfFailed as exc:
        return HttpResponse(exc.message, status=503, content_type="text/plain; charset=utf-8")
    response = _attachment(pdf, content_type="application/pdf", name=exports.filename(portfolio, "pdf"))
    return _shared_headers(response)
