"""The portfolio as a document: the one structure the preview, the HTML and PDF exports and the
share page all render (templates portfolio/_document.html and portfolio/blocks/*)."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

import pygal
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

from readingroom.core.text import render_bio
from readingroom.portfolio.models import ItemKind, Portfolio, PortfolioItem
from readingroom.portfolio.queries import items_for_document
from readingroom.skills.models import LEVEL_MAX


def markdown(text: str) -> SafeString:
    """Member Markdown through the site's one renderer and sanitiser (core.text)."""
    return mark_safe(render_bio(text)) if text else mark_safe("")  # noqa: S308 - sanitised by nh3


@dataclass
class Block:
    item: PortfolioItem
    kind: str
    anchor: str
    title: str
    note_html: SafeString
    record: object = None
    extra: dict = field(default_factory=dict)


@dataclass
class Document:
    portfolio: Portfolio
    owner_name: str
    owner_headline: str
    introduction_html: SafeString
    blocks: list[Block]
    generated_on: object


CHART_STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#222",
    foreground_strong="#111",
    foreground_subtle="#777",
    colors=("#1f5f8b", "#b3541e"),
    font_family="DejaVu Sans, sans-serif",
)


def radar_svg(ratings: list) -> str:
    """A radar of one assessment (now and target per area) as SVG text, for the PDF as it is
    and for the pages as a data: URI (svg_data_uri)."""
    chart = pygal.Radar(
        js=[],
        disable_xml_declaration=True,
        style=CHART_STYLE,
        fill=False,
        range=(0, LEVEL_MAX),
        width=520,
        height=420,
        show_legend=True,
        legend_at_bottom=True,
        dots_size=3,
    )
    chart.x_labels = [r.area.name for r in ratings]
    chart.add("Now", [r.current for r in ratings])
    chart.add("Target", [r.target for r in ratings])
    svg = chart.render()
    return svg.decode("utf-8") if isinstance(svg, bytes) else svg


def svg_data_uri(svg: str) -> str:
    """pygal's SVG carries its own <style>, which the site's CSP forbids inline but allows in an image."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def record_title(kind: str, record) -> str:
    """A record's heading in the document (and in messages)."""
    if kind in (ItemKind.GOAL, ItemKind.CPD_ENTRY):
        return record.title
    if kind == ItemKind.REFLECTION:
        return f"Reflection on “{record.goal.title}”"
    if kind == ItemKind.ASSESSMENT:
        return f"Skills self-assessment, {record.created_at:%-d %B %Y}"
    if kind == ItemKind.POST:
        return f"Post, {record.created_at:%-d %B %Y}"
    return ""


def _title(item: PortfolioItem) -> str:
    if item.kind == ItemKind.SECTION:
        return item.heading or "Untitled section"
    return record_title(item.kind, getattr(item, item.kind))


def _block(item: PortfolioItem, n: int) -> Block:
    extra: dict = {}
    record = getattr(item, item.kind) if item.kind != ItemKind.SECTION else None
    if item.kind == ItemKind.GOAL:
        goal = item.goal
        extra = {
            "why": markdown(goal.why),
            "success": markdown(goal.success_criteria),
            "steps": list(goal.steps.all()),
            "reflections": len(goal.reflections.all()),
            "skills": [a.name for a in goal.skill_areas.all()],
        }
    elif item.kind == ItemKind.CPD_ENTRY:
        entry = item.cpd_entry
        extra = {
            "learned": markdown(entry.learned),
            "apply": markdown(entry.apply),
            "skills": [a.name for a in entry.skill_areas.all()],
        }
    elif item.kind == ItemKind.REFLECTION:
        extra = {"body": markdown(item.reflection.body)}
    elif item.kind == ItemKind.ASSESSMENT:
        ratings = list(item.assessment.ratings.all())
        svg = radar_svg(ratings) if len(ratings) >= 3 else ""
        extra = {
            "ratings": ratings,
            "chart_svg": svg,
            "chart": svg_data_uri(svg) if svg else "",
            "note": markdown(item.assessment.note),
        }
    elif item.kind == ItemKind.POST:
        extra = {"body": mark_safe(item.post.body_html)}  # noqa: S308 - sanitised when the post was saved
    else:
        extra = {"body": markdown(item.body)}
    note = markdown(item.body) if item.kind != ItemKind.SECTION else mark_safe("")
    return Block(item, item.kind, f"item-{n}", _title(item), note, record, extra)


def build(portfolio: Portfolio) -> Document:
    profile = getattr(portfolio.owner, "profile", None)
    blocks = [_block(item, n) for n, item in enumerate(items_for_document(portfolio), start=1)]
    return Document(
        portfolio=portfolio,
        owner_name=profile.display_name if profile else portfolio.owner.get_username(),
        owner_headline=profile.headline if profile else "",
        introduction_html=markdown(portfolio.introduction),
        blocks=blocks,
        generated_on=timezone.localdate(),
    )
