"""The PDF: document.build()'s Document, as data, typeset by Typst (ADR 0011).

Everything the member wrote reaches Typst as JSON strings (sys.inputs), never as Typst markup, so
no text can run Typst code; the template (typst/portfolio.typ) places the strings as text.
Member Markdown arrives here already rendered and sanitised by core.text: its small tag
allowlist is read back into blocks and inline runs the template knows how to set."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.dateformat import format as date_format

from readingroom.portfolio.document import Block, Document
from readingroom.portfolio.models import ItemKind

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]  # where `python -m readingroom...` finds the package
BLOCK_TAGS = {"p", "blockquote", "ul", "ol", "li", "pre", "h3", "h4"}
INLINE_KINDS = {"strong": "strong", "em": "em", "del": "del"}
LINK_SCHEMES = ("http://", "https://", "mailto:")
_SPACE = re.compile(r"\s+")


@dataclass
class Element:
    tag: str
    href: str = ""
    children: list = field(default_factory=list)


class _TreeReader(HTMLParser):
    """Sanitised HTML (core.text's allowlist) to a tree of Elements and strings. nh3 emits
    well-formed markup; an end tag that does not match is ignored rather than trusted."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.stack[-1].children.append(Element("br"))
            return
        element = Element(tag, href=dict(attrs).get("href") or "")
        self.stack[-1].children.append(element)
        self.stack.append(element)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def _text_of(node) -> str:
    if isinstance(node, str):
        return node
    return "".join(_text_of(child) for child in node.children)


def _inlines(nodes: list) -> list[dict]:
    out: list[dict] = []
    for node in nodes:
        if isinstance(node, str):
            text = _SPACE.sub(" ", node)
            if text:
                out.append({"t": "text", "s": text})
        elif node.tag == "br":
            out.append({"t": "br"})
        elif node.tag == "code":
            out.append({"t": "code", "s": _text_of(node)})
        elif node.tag == "a":
            inner = _inlines(node.children)
            # Relative links (hashtags, mentions) mean nothing in a file: their text stays.
            if node.href.lower().startswith(LINK_SCHEMES):
                out.append({"t": "link", "href": node.href, "c": inner})
            else:
                out.extend(inner)
        elif node.tag in INLINE_KINDS:
            out.append({"t": INLINE_KINDS[node.tag], "c": _inlines(node.children)})
        else:  # a tag outside the allowlist cannot arrive; keep its text if one ever does
            out.extend(_inlines(node.children))
    return out


def _blocks(nodes: list) -> list[dict]:
    out: list[dict] = []
    loose: list = []

    def flush() -> None:
        runs = _inlines(loose)
        if any(run.get("s", "").strip() or run["t"] not in ("text", "br") for run in runs):
            out.append({"t": "p", "c": runs})
        loose.clear()

    for node in nodes:
        if isinstance(node, str) or node.tag not in BLOCK_TAGS:
            loose.append(node)
            continue
        flush()
        if node.tag == "p":
            out.append({"t": "p", "c": _inlines(node.children)})
        elif node.tag in ("h3", "h4"):
            out.append({"t": "h", "c": _inlines(node.children)})
        elif node.tag in ("ul", "ol"):
            items = [_blocks(child.children) for child in node.children if isinstance(child, Element)]
            out.append({"t": node.tag, "items": items})
        elif node.tag == "blockquote":
            out.append({"t": "quote", "c": _blocks(node.children)})
        elif node.tag == "pre":
            out.append({"t": "pre", "s": _text_of(node).strip("\n")})
        else:  # a stray <li>
            out.extend(_blocks(node.children))
    flush()
    return out


def html_blocks(html: str) -> list[dict]:
    """Sanitised HTML -> blocks (p, h, ul, ol, quote, pre) of inline runs (text, strong, em,
    del, code, link, br): the only structures the template sets."""
    if not html:
        return []
    reader = _TreeReader()
    reader.feed(str(html))
    reader.close()
    return _blocks(reader.root.children)


def _day(value) -> str:
    return date_format(value, "j F Y") if value else ""


def _facts(block: Block) -> list[list[str]]:
    record, extra = block.record, block.extra
    if block.kind == ItemKind.GOAL:
        facts = [["Status", record.get_status_display()]]
        if record.target_date:
            facts.append(["Target date", _day(record.target_date)])
        facts.append(["Progress", f"{record.progress}%"])
        if extra["skills"]:
            facts.append(["Skills areas", ", ".join(extra["skills"])])
        facts.append(["Reflections", str(extra["reflections"])])
        return facts
    if block.kind == ItemKind.CPD_ENTRY:
        when = _day(record.started_on)
        if record.ended_on and record.ended_on != record.started_on:
            when += f" to {_day(record.ended_on)}"
        hours = floatformat(record.hours, -2)  # as the HTML's |floatformat:"-2" shows it
        facts = [["Date", when], ["Type", record.get_activity_type_display()], ["Hours", hours]]
        if record.provider:
            facts.append(["Provider", record.provider])
        if record.delivery:
            facts.append(["Delivery", record.get_delivery_display()])
        if extra["skills"]:
            facts.append(["Skills areas", ", ".join(extra["skills"])])
        return facts
    return []


def _parts(block: Block) -> list[dict]:
    """Headed passages of member Markdown, in the order the HTML templates give them."""
    headings = {
        ItemKind.GOAL: [("why", "Why it matters"), ("success", "How I will know I have reached it")],
        ItemKind.CPD_ENTRY: [("learned", "What I learned"), ("apply", "How I will use it")],
        ItemKind.ASSESSMENT: [("note", "Comment")],
        ItemKind.REFLECTION: [("body", "")],
        ItemKind.SECTION: [("body", "")],
    }.get(block.kind, [])
    parts = []
    for key, heading in headings:
        blocks = html_blocks(block.extra.get(key, ""))
        if blocks:
            parts.append({"heading": heading, "blocks": blocks})
    return parts


def _dateline(block: Block) -> str:
    if block.kind == ItemKind.ASSESSMENT:
        return f"Against the framework “{block.record.framework.name}”. Levels from 0 to 4."
    if block.kind == ItemKind.POST:
        # In the member's time zone, as the HTML's |date filter shows it.
        return f"Posted on {date_format(timezone.localtime(block.record.created_at), 'j F Y, H:i')}"
    if block.kind == ItemKind.REFLECTION:
        return f"Written on {_day(block.record.written_on)}"
    return ""


def _item(block: Block) -> dict:
    item = {
        "kind": "" if block.kind == ItemKind.SECTION else block.item.get_kind_display(),
        "title": block.title,
        "dateline": _dateline(block),
        "facts": _facts(block),
        "parts": _parts(block),
        "steps": [],
        "ratings": [],
        "chart": "",
        "chart_alt": "",
        "quote": html_blocks(block.extra["body"]) if block.kind == ItemKind.POST else [],
        "note": html_blocks(block.note_html),
    }
    if block.kind == ItemKind.GOAL:
        item["steps"] = [
            {
                "title": step.title,
                "done": step.done,
                "state": ("done" if step.done else "to do")
                + (f", due {date_format(step.due_date, 'j M Y')}" if step.due_date else ""),
            }
            for step in block.extra["steps"]
        ]
    if block.kind == ItemKind.ASSESSMENT:
        ratings = block.extra["ratings"]
        item["ratings"] = [{"area": r.area.name, "now": r.current, "target": r.target} for r in ratings]
        if block.extra["chart_svg"]:
            item["chart"] = block.extra["chart_svg"]
            item["chart_alt"] = (
                f"Radar chart of the levels now and the targets for {len(ratings)} skills areas; "
                "the table gives the same figures."
            )
    return item


def document_data(doc: Document) -> dict:
    """The Document as the JSON the Typst template reads."""
    return {
        "title": doc.portfolio.title,
        "owner": doc.owner_name,
        "headline": doc.owner_headline,
        "date": _day(doc.generated_on),
        "intro": html_blocks(doc.introduction_html),
        "items": [_item(block) for block in doc.blocks],
    }


class PdfFailed(Exception):
    """Typst did not produce the PDF (it failed, or ran past the time limit): the server's problem."""

    message = "The PDF could not be made just now. Please try again; the HTML and JSON exports work."


PDF_TIME_LIMIT = 120  # seconds; a 200-entry portfolio takes about half a second


def pdf_from_document(doc: Document) -> bytes:
    """Typeset in a child process (typst_render.py): its memory goes back when it exits."""
    data = json.dumps(document_data(doc), ensure_ascii=False).encode("utf-8")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "readingroom.portfolio.typst_render"],
            input=data,
            capture_output=True,
            timeout=PDF_TIME_LIMIT,
            cwd=ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        logger.error("portfolio PDF: Typst ran past %s s", PDF_TIME_LIMIT)
        raise PdfFailed(PdfFailed.message) from exc
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF-"):
        reason = done.stderr.decode(errors="replace")[-2000:]
        logger.error("portfolio PDF: Typst failed (%s): %s", done.returncode, reason)
        raise PdfFailed(PdfFailed.message)
    return done.stdout
