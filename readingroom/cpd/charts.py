"""The CPD pictures, drawn on the server by pygal as inline SVG.

pygal writes a <script> (its config) and a <style> into every chart; the site's Content Security
Policy would refuse both, so they are cut out here and the chart is styled by rr/cpd.css instead.
Labels are escaped by pygal; the accessible name is escaped here. Every chart has a text table
beside it in the template, which is the real alternative (the SVG is role="img")."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import date

import pygal
from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from readingroom.cpd.models import QUARTERS_PER_HOUR, ActivityType
from readingroom.cpd.rules import format_hours

_STRIP = re.compile(
    r"<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->|\sstyle=\"[^\"]*\"|\sid=\"activate-serie-\d+\"", re.S
)
_TITLE = re.compile(r"<title>Pygal</title>")


def _config(**options) -> dict:
    return {
        "js": [],
        "css": [],
        "disable_xml_declaration": True,
        "show_legend": True,
        "legend_at_bottom": True,
        "print_values": False,
        "tooltip_border_radius": 0,
        "truncate_legend": 30,
        "truncate_label": 30,
        "classes": ["pygal-chart", "cpd-chart"],
        **options,
    }


CACHE_SECONDS = 24 * 3600
_VERSION = "1"


def _memo(kind: str, data, build: Callable[[], str]) -> SafeString:
    """pygal takes tens of milliseconds a chart; the SVG depends only on the figures, so it is
    kept in the cache under a hash of them (new figures, new key: nothing to invalidate)."""
    digest = hashlib.sha256(json.dumps([_VERSION, kind, data], default=str).encode()).hexdigest()
    svg = cache.get_or_set(f"cpd:chart:{digest}", build, CACHE_SECONDS)
    return mark_safe(svg)  # noqa: S308 - built by _finish below


def _finish(chart, label: str) -> SafeString:
    svg = chart.render(is_unicode=True)
    svg = _STRIP.sub("", svg)
    svg = _TITLE.sub(f"<title>{escape(label)}</title>", svg, count=1)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" focusable="false" ', 1)
    return mark_safe(svg)  # noqa: S308 - pygal's own markup, user text escaped by pygal and above


def _hours(quarters: int) -> float:
    return quarters / QUARTERS_PER_HOUR


def monthly_chart(months: list[date], series: dict[str, list[int]], *, height: int = 360) -> SafeString:
    """Hours per month by activity type (stacked bars), the last twelve months."""
    return _memo("monthly", [months, series, height], lambda: _monthly(months, series, height=height))


def _monthly(months: list[date], series: dict[str, list[int]], *, height: int) -> str:
    labels = dict(ActivityType.choices)
    chart = pygal.StackedBar(**_config(width=800, height=height, legend_at_bottom_columns=4, y_title="Hours"))
    chart.x_labels = [m.strftime("%b %Y") for m in months]
    for key, values in series.items():
        chart.add(labels.get(key, key), [_hours(v) or None for v in values])
    total = sum(sum(v) for v in series.values())
    label = (
        f"Hours per month by activity type, {chart.x_labels[0]} to {chart.x_labels[-1]}: {format_hours(total)} in all"
    )
    return _finish(chart, label)


def areas_chart(rows: list[tuple], *, height: int | None = None) -> SafeString:
    """Hours by skills area (horizontal bars), one bar per area."""
    return _memo("areas", [[(a.name, q) for a, q in rows], height], lambda: _areas(rows, height=height))


def _areas(rows: list[tuple], *, height: int | None) -> str:
    height = height or max(200, 60 + 36 * len(rows))
    chart = pygal.HorizontalBar(**_config(width=800, height=height, show_legend=False, x_title="Hours"))
    chart.x_labels = [area.name for area, _ in rows]
    chart.add("Hours", [_hours(q) for _, q in rows])
    return _finish(chart, "Hours by skills area: " + "; ".join(f"{a.name} {format_hours(q)}" for a, q in rows))


def progress_chart(*, logged: int, required: int, compact: bool = False) -> SafeString:
    """Progress toward the requirement: logged against required, as two bars."""
    return _memo("progress", [logged, required, compact], lambda: _progress(logged, required, compact))


def _progress(logged: int, required: int, compact: bool) -> str:
    options = (
        {"width": 400, "height": 110, "show_legend": False, "show_y_labels": True}
        if compact
        else {"width": 800, "height": 200, "show_legend": False}
    )
    chart = pygal.HorizontalBar(**_config(range=(0, max(_hours(required), _hours(logged))), **options))
    chart.x_labels = ["Logged", "Required"]
    chart.add("Hours", [_hours(logged) or None, _hours(required)])
    return _finish(chart, f"Progress: {format_hours(logged)} logged of {format_hours(required)} required")
