"""Thin views for the CPD log: parse, check, call an action or query, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readingroom.core.pagination import MAX_ID
from readingroom.core.ratelimit import check_rate
from readingroom.cpd import actions, charts, csvio, queries, rules
from readingroom.cpd.forms import (
    EntryForm,
    EvidenceFileForm,
    EvidenceLinkForm,
    FilterForm,
    ImportForm,
    PeriodForm,
    RequirementForm,
    entry_initial,
    initial_from_query,
)
from readingroom.cpd.models import CPDEntry
from readingroom.cpd.permissions import can_edit_entry, check_can_edit_entry
from readingroom.cpd.summaries import status_text
from readingroom.learning import files


def _context(**extra) -> dict:
    return {"nav": "learning", "learning_nav": "cpd", **extra}


def _own_entry(request: HttpRequest, pk: int) -> CPDEntry:
    entry = queries.entry_for_viewer(pk, request.user)
    check_can_edit_entry(request.user, entry)
    return entry


@login_required
@require_GET
def summary(request: HttpRequest) -> HttpResponse:
    """Totals for a period, the rolling figure against the requirement, and the pictures."""
    member = request.user
    today = queries.member_today(member)
    progress = queries.progress(owner=member, today=today)
    months = progress.requirement.period_months if progress else 12
    form = PeriodForm(request.GET or None)
    start, end = form.period(default_start=queries.rolling_start(today, months), default_end=today)
    totals = queries.period_totals(owner=member, start=start, end=end)
    firsts, series = queries.monthly_by_type(owner=member, today=today)
    areas = queries.hours_by_area(owner=member, start=start, end=end, areas=queries.default_areas())
    labels = dict(queries.ActivityType.choices)
    month_rows = [
        {"month": month, "cells": [series[key][i] for key in series], "total": sum(series[key][i] for key in series)}
        for i, month in enumerate(firsts)
    ]
    context = _context(
        form=form,
        totals=totals,
        progress=progress,
        status=status_text(progress) if progress else "",
        progress_svg=charts.progress_chart(logged=progress.logged, required=progress.required) if progress else "",
        monthly_svg=charts.monthly_chart(firsts, series),
        month_types=[labels[key] for key in series],
        month_rows=month_rows,
        areas=areas,
        areas_svg=charts.areas_chart(areas) if areas else "",
    )
    return render(request, "cpd/summary.html", context)


@login_required
@require_GET
def log(request: HttpRequest) -> HttpResponse:
    member = request.user
    form = FilterForm(request.GET or None, owner=member)
    filters = form.filters() if request.GET else queries.LogFilters()
    page = queries.log_page(owner=member, filters=filters, cursor=queries.parse_cursor(request.GET.get("before")))
    params = request.GET.copy()
    params.pop("before", None)
    base = f"{reverse('cpd:log')}?{params.urlencode()}" if params else reverse("cpd:log")
    detail_url = reverse("cpd:detail", args=[0])[:-2]  # "/learning/cpd/": one reverse per page, not per entry
    context = _context(
        form=form,
        page=page,
        rows=[_log_row(entry, detail_url=detail_url) for entry in page.items],
        pager_url=base,
        filtered=any(vars(filters).values()),
        choices={
            "activity_type": form.fields["activity_type"].choices,
            "area": form.fields["area"].choices,
            "goal": form.fields["goal"].choices,
        },
        values={name: str(form[name].value() or "") for name in form.fields},
    )
    return render(request, "cpd/log.html", context)


def _day(value) -> str:
    return f"{value.day} {value:%b %Y}"


def _log_row(entry: CPDEntry, *, detail_url: str) -> dict:
    """One line of the log as plain strings: the list renders without per-entry includes or filters."""
    when = _day(entry.started_on) + (f" to {_day(entry.ended_on)}" if entry.ended_on else "")
    return {
        "url": f"{detail_url}{entry.pk}/",
        "title": entry.title,
        "when": when,
        "kind": entry.get_activity_type_display(),
        "hours": rules.format_hours(entry.quarter_hours),
        "provider": entry.provider,
        "delivery": entry.get_delivery_display() if entry.delivery else "",
    }


def _entry_form_page(request: HttpRequest, form: EntryForm, entry: CPDEntry | None) -> HttpResponse:
    return render(request, "cpd/entry_form.html", _context(form=form, entry=entry))


def _save(request: HttpRequest, form: EntryForm, entry: CPDEntry | None) -> CPDEntry | None:
    """Run the action; a duplicate becomes a form error pointing at the entry already logged."""
    try:
        if entry is None:
            return actions.create_entry(owner=request.user, data=form.entry_data())
        return actions.edit_entry(entry=entry, data=form.entry_data())
    except actions.DuplicateEntry as exc:
        form.duplicate_of = exc.existing
        form.add_error(None, exc)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def add(request: HttpRequest) -> HttpResponse:
    """A new entry; GET takes ?title=&activity_type=&hours=&goal= from "Log this as CPD" links."""
    today = queries.member_today(request.user)
    if request.method == "POST":
        form = EntryForm(request.POST, owner=request.user, today=today)
        if form.is_valid():
            check_rate("cpd_entry", request.user.pk, limit=120, period=300)
            if entry := _save(request, form, None):
                messages.success(request, f"Logged: {entry.title} ({rules.format_hours(entry.quarter_hours)}).")
                return redirect("cpd:detail", pk=entry.pk)
    else:
        initial = {"started_on": today, "visibility": "private", **initial_from_query(request.GET, owner=request.user)}
        form = EntryForm(initial=initial, owner=request.user, today=today)
    return _entry_form_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    today = queries.member_today(request.user)
    if request.method == "POST":
        form = EntryForm(request.POST, owner=request.user, today=today)
        if form.is_valid() and _save(request, form, entry):
            messages.success(request, "The entry is updated.")
            return redirect("cpd:detail", pk=entry.pk)
    else:
        form = EntryForm(initial=entry_initial(entry), owner=request.user, today=today)
    return _entry_form_page(request, form, entry)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    if request.method == "POST":
        actions.delete_entry(entry=entry)
        messages.success(request, "The entry is deleted.")
        return redirect("cpd:log")
    return render(request, "cpd/delete.html", _context(entry=entry))


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = queries.entry_for_viewer(pk, request.user)
    mine = can_edit_entry(request.user, entry)
    context = _context(entry=entry, mine=mine, **queries.detail_context(entry, request.user))
    if mine:
        context.update(link_form=EvidenceLinkForm(prefix="link"), file_form=EvidenceFileForm(prefix="file"))
    return render(request, "cpd/detail.html", context)


@login_required
@require_POST
def add_evidence(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    entry = _own_entry(request, pk)
    check_rate("cpd_evidence", request.user.pk, limit=60, period=300)
    link_form, file_form = EvidenceLinkForm(prefix="link"), EvidenceFileForm(prefix="file")
    if kind == "link":
        link_form = EvidenceLinkForm(request.POST, prefix="link")
        form = link_form
    else:
        file_form = EvidenceFileForm(request.POST, request.FILES, prefix="file")
        form = file_form
    if form.is_valid():
        try:
            if kind == "link":
                actions.add_evidence_link(entry=entry, url=form.cleaned_data["url"], title=form.cleaned_data["title"])
            else:
                actions.add_evidence_file(
                    entry=entry, upload=form.cleaned_data["file"], title=form.cleaned_data["title"]
                )
        except ValidationError as exc:
            form.add_error("url" if kind == "link" else "file", exc)
        else:
            messages.success(request, "The evidence is added.")
            return redirect("cpd:detail", pk=entry.pk)
    context = _context(
        entry=entry, mine=True, link_form=link_form, file_form=file_form, **queries.detail_context(entry, request.user)
    )
    return render(request, "cpd/detail.html", context, status=200)


def _evidence(entry: CPDEntry, evidence_id: int):
    if not 0 < evidence_id <= MAX_ID:
        raise Http404
    found = entry.evidence.select_related("file").filter(pk=evidence_id).first()
    if found is None:
        raise Http404
    return found


@login_required
@require_POST
def remove_evidence(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    actions.remove_evidence(evidence=_evidence(entry, evidence_id))
    messages.success(request, "The evidence is removed.")
    return redirect("cpd:detail", pk=entry.pk)


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    """A file is served only to those who may see its entry (the entry's check comes first)."""
    entry = queries.entry_for_viewer(pk, request.user)
    evidence = _evidence(entry, evidence_id)
    if not evidence.file_id:
        raise Http404
    return files.file_response(evidence.file)


@login_required
@require_http_methods(["GET", "POST"])
def requirement(request: HttpRequest) -> HttpResponse:
    current = queries.requirement_for(request.user)
    if request.method == "POST" and request.POST.get("action") == "clear":
        actions.clear_requirement(owner=request.user)
        messages.success(request, "Your requirement is removed.")
        return redirect("cpd:summary")
    if request.method == "POST":
        form = RequirementForm(request.POST)
        if form.is_valid():
            actions.set_requirement(
                owner=request.user,
                quarter_hours=form.cleaned_data["hours"],
                period_months=form.cleaned_data["period_months"],
                label=form.cleaned_data["label"],
            )
            messages.success(request, "Your requirement is saved.")
            return redirect("cpd:summary")
    else:
        initial = {"hours": "20", "period_months": 12}
        if current:
            initial = {
                "label": current.label,
                "hours": rules.format_decimal(current.quarter_hours),
                "period_months": current.period_months,
            }
        form = RequirementForm(initial=initial)
    return render(request, "cpd/requirement.html", _context(form=form, current=current))


@login_required
@require_GET
def export(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csvio.export_lines(request.user), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cpd-log.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_csv(request: HttpRequest) -> HttpResponse:
    """Upload a CSV; the answer is the report (imported, already logged, not readable)."""
    if request.method == "GET":
        return render(request, "cpd/import.html", _context(form=ImportForm(), columns=csvio.COLUMNS))
    form = ImportForm(request.POST, request.FILES)
    report = None
    if form.is_valid():
        check_rate("cpd_import", request.user.pk, limit=20, period=300)
        today = queries.member_today(request.user)
        try:
            rows, problems = csvio.read_file(form.cleaned_data["file"].read(), owner=request.user, today=today)
            result = actions.import_entries(owner=request.user, rows=rows)
        except csvio.FileRefused as exc:
            form.add_error("file", str(exc))
        except IntegrityError:
            form.add_error("file", "Another import of yours ran at the same time. Nothing was added: try again.")
        else:
            report = {"result": result, "problems": problems}
    return render(request, "cpd/import.html", _context(form=form, columns=csvio.COLUMNS, report=report))
