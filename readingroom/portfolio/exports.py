"""Exports: a typeset PDF (WeasyPrint), a standalone HTML file and the JSON document
(docs/portfolio-json-format.md). All three start from document.build()."""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.text import slugify

from readingroom.portfolio import document

STYLESHEET = "rr/portfolio.css"
PRINT_STYLESHEET = Path(__file__).parent / "print.css"


class FetchRefused(ValueError):
    """WeasyPrint asked for something that is not one of our static files."""


def static_roots() -> list[Path]:
    roots = [Path(d).resolve() for d in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def make_url_fetcher():
    """WeasyPrint's fetcher, restricted: see StaticOnlyFetcher."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves only our own static files from disk (file: URLs under a static directory) and
        data: URIs (inline charts); refuses everything else, so making a PDF never reaches the
        network nor reads a file it should not."""

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(unquote(parts.path)).resolve()
                if path.is_file() and any(path.is_relative_to(root) for root in static_roots()):
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
            raise FetchRefused(f"Refused to fetch {url[:200]!r}: only the site's static files may be used.")

    return StaticOnlyFetcher(timeout=5, allowed_protocols={"data", "file"}, allow_redirects=False)


def stylesheet() -> str:
    path = finders.find(STYLESHEET)
    return Path(path).read_text(encoding="utf-8") if path else ""


def filename(portfolio, extension: str) -> str:
    return f"{slugify(portfolio.title)[:60] or 'portfolio'}.{extension}"


def _context(portfolio, *, mode: str) -> dict:
    return {"doc": document.build(portfolio), "mode": mode}


def html_document(portfolio) -> str:
    """A standalone HTML file: styles inline in a <style>, charts as data: URIs, no scripts."""
    context = _context(portfolio, mode="html")
    context["css"] = _safe_css(stylesheet())
    return render_to_string("portfolio/export_html.html", context)


def pdf_html(portfolio) -> str:
    """What WeasyPrint is given: the same templates as the preview, with the print stylesheet."""
    return render_to_string("portfolio/export_pdf.html", _context(portfolio, mode="pdf"))


class PdfUnavailable(Exception):
    """WeasyPrint cannot load Pango on this server (a deployment problem, not the member's)."""

    message = (
        "PDF export is not available on this server: it needs the Pango libraries "
        "(apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core). The HTML and JSON exports work."
    )


def pdf_bytes(portfolio) -> bytes:
    try:
        from weasyprint import CSS, HTML
    except OSError as exc:  # WeasyPrint loads Pango with ctypes when imported
        raise PdfUnavailable(PdfUnavailable.message) from exc

    base_url = static_roots()[0].as_uri() + "/"
    url_fetcher = make_url_fetcher()
    css = [
        CSS(string=stylesheet(), base_url=base_url, url_fetcher=url_fetcher),
        CSS(string=PRINT_STYLESHEET.read_text(encoding="utf-8"), base_url=base_url, url_fetcher=url_fetcher),
    ]
    html = HTML(string=pdf_html(portfolio), base_url=base_url, url_fetcher=url_fetcher)
    return html.write_pdf(stylesheets=css)


def _safe_css(css: str) -> str:
    # Our own file, but never let it end the <style> element early.
    return re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)
