"""Exports: a typeset PDF (Typst, see typeset.py), a standalone HTML file and the JSON document
(docs/portfolio-json-format.md). All three start from document.build()."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.text import slugify

from readingroom.portfolio import document, typeset

STYLESHEET = "rr/portfolio.css"


def stylesheet() -> str:
    path = finders.find(STYLESHEET)
    return Path(path).read_text(encoding="utf-8") if path else ""


def filename(portfolio, extension: str) -> str:
    return f"{slugify(portfolio.title)[:60] or 'portfolio'}.{extension}"


def html_document(portfolio) -> str:
    """A standalone HTML file: styles inline in a <style>, charts as data: URIs, no scripts."""
    context = {"doc": document.build(portfolio), "mode": "html", "css": _safe_css(stylesheet())}
    return render_to_string("portfolio/export_html.html", context)


PdfFailed = typeset.PdfFailed


def pdf_bytes(portfolio) -> bytes:
    """An A4 PDF/UA-1 (tagged, titled, every image with its alternative text); PdfFailed if
    Typst could not make it."""
    return typeset.pdf_from_document(document.build(portfolio))


def _safe_css(css: str) -> str:
    # Our own file, but never let it end the <style> element early.
    return re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)
