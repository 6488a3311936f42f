"""The skills radar: server-side SVG (pygal, no script), shown inline with a text table beside it."""

from __future__ import annotations

import re

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

from readingroom.skills.models import LEVEL_MAX

# High-contrast series colours (each at least 3:1 against white) that also differ in lightness.
_STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1f1f1f",
    foreground_strong="#1f1f1f",
    foreground_subtle="#595959",
    colors=("#1a4f8b", "#8a5a00", "#7a1f5c"),
    font_family="inherit",
    label_font_size=13,
    legend_font_size=13,
    major_label_font_size=13,
)


def _short(name: str, limit: int = 28) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def radar_svg(*, labels: list[str], series: list[tuple[str, list[int | None]]], title: str) -> SafeString:
    """An SVG radar of levels 0-4 per area. pygal escapes labels and titles (it builds the SVG as
    an XML tree), so area names loaded from a framework file cannot inject markup."""
    chart = pygal.Radar(
        js=[],
        disable_xml_declaration=True,
        style=_STYLE,
        width=640,
        height=520,
        range=(0, LEVEL_MAX),
        fill=False,
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=len(series),
        dots_size=4,
        explicit_size=False,
        print_values=False,
        show_y_labels=True,
        y_labels=list(range(LEVEL_MAX + 1)),
        tooltip_border_radius=0,
    )
    chart.x_labels = [_short(label) for label in labels]
    for name, values in series:
        chart.add(name, values)
    svg = _fit_csp(chart.render(is_unicode=True))
    # The chart is one image to assistive technology: its name says what it shows, and the
    # table next to it carries the figures.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(title)}" focusable="false" ', 1)
    svg = re.sub(r"<title>[^<]*</title>", "", svg)  # pygal's hover titles (axis angles) mean nothing here
    svg = svg.replace("<defs></defs>", f"<title>{_attr(title)}</title>", 1)
    return mark_safe(svg)  # noqa: S308 - built by pygal from escaped text; the label is escaped above


_INLINE = [
    re.compile(r"<script\b.*?</script>", re.S),  # pygal's config for its JS, which we never load
    re.compile(r"<style\b.*?</style>", re.S),  # the strict CSP refuses inline styles: rr/skills.css styles it
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r'\sstyle="[^"]*"'),
]


def _fit_csp(svg: str) -> str:
    for pattern in _INLINE:
        svg = pattern.sub("", svg)
    return svg


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
