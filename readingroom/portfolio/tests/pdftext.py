"""Read a PDF back in tests: its text, page count and accessibility tags (pypdf)."""

from __future__ import annotations

import io

from pypdf import PdfReader


def _reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in _reader(pdf).pages)


def page_count(pdf: bytes) -> int:
    return len(_reader(pdf).pages)


def catalogue(pdf: bytes) -> dict:
    """The document catalogue: /MarkInfo, /StructTreeRoot, /Lang, /Outlines live here."""
    return _reader(pdf).trailer["/Root"]


def metadata_title(pdf: bytes) -> str | None:
    return _reader(pdf).metadata.title
