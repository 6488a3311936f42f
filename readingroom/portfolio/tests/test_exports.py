"""The preview, PDF, standalone HTML and JSON exports render every kind of item from one
template set; the PDF fetcher never leaves our static files."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from readingroom.portfolio import actions, exports
from readingroom.portfolio.jsonformat import PortfolioDocument
from readingroom.portfolio.tests.pdftext import page_count, pdf_text

pytestmark = pytest.mark.django_db


def test_the_preview_renders_every_item_in_order(owner_client, full_portfolio):
    response = owner_client.get(reverse("portfolio:preview", args=[full_portfolio.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    order = [
        "Reflective statement",
        "Learn BIBFRAME",
        "Webinar: RDA in practice",
        "Reflection on “Learn BIBFRAME”",
        "Skills self-assessment",
        "Just finished mapping my first record",
    ]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)
    assert "Ada Archivist" in html and "Digital archivist, Leeds" in html
    assert "<em>catalogue</em>" in html and "<strong>grew</strong>" in html
    assert "Read the primer" in html and "(done)" in html and "(to do)" in html
    assert "Progress</dt><dd>50%" in html
    assert "1.5" in html and "Library Association" in html and "How to map MARC fields." in html
    assert "<em>Linked data</em>" in html
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="Radar chart', html)
    assert '<th scope="row">Cataloguing</th><td>1</td><td>3</td>' in html
    assert "My main goal." in html


def test_member_markdown_is_sanitised_everywhere(owner_client, owner):
    from readingroom.portfolio import actions

    portfolio = actions.create_portfolio(
        owner=owner, title="Mine", introduction="<script>alert(1)</script> [x](javascript:alert(1))"
    )
    response = owner_client.get(reverse("portfolio:preview", args=[portfolio.pk]))
    html = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html and 'href="javascript:' not in html
    assert "<script>alert" not in exports.html_document(portfolio)


def test_the_pdf_is_typeset_from_the_same_document(owner_client, full_portfolio):
    response = owner_client.get(reverse("portfolio:export_pdf", args=[full_portfolio.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="chartership-2025.pdf"'
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    for expected in ("Chartership 2025", "Ada Archivist", "Learn BIBFRAME", "Webinar: RDA in practice", "Contents"):
        assert expected in text
    pages = page_count(pdf)
    assert pages >= 3  # title page, contents, items
    assert f"Page 2 of {pages}" in text
    fed = exports.pdf_html(full_portfolio)
    assert "Reflective statement" in fed and 'class="pf-toc"' in fed


def test_the_html_export_is_one_standalone_file(owner_client, full_portfolio):
    response = owner_client.get(reverse("portfolio:export_html", args=[full_portfolio.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    html = response.content.decode()
    assert "<style>" in html and ".pf-document" in html
    assert "<link" not in html and "<script" not in html and "/static/" not in html
    assert "data:image/svg+xml;base64," in html
    assert "Learn BIBFRAME" in html


def test_the_json_export_follows_the_documented_schema(owner_client, full_portfolio):
    response = owner_client.get(reverse("portfolio:export_json", args=[full_portfolio.pk]))

    assert response.status_code == 200
    data = json.loads(response.content)
    assert (data["format"], data["version"]) == ("readingroom-portfolio", 1)
    PortfolioDocument.model_validate(data)  # the export is always importable
    kinds = [item["kind"] for item in data["items"]]
    assert kinds == ["section", "goal", "cpd_entry", "reflection", "assessment", "post"]
    goal = data["items"][1]["goal"]
    assert goal["steps"] == [
        {"title": "Read the primer", "due_date": None, "done": True},
        {"title": "Map ten records", "due_date": None, "done": False},
    ]
    assert data["items"][1]["note"] == "My main goal."
    assert data["items"][2]["cpd_entry"]["hours"] == 1.5
    assert data["items"][4]["assessment"]["ratings"][0] == {
        "area": "cataloguing",
        "name": "Cataloguing",
        "current": 1,
        "target": 3,
    }
    assert data["items"][5]["post"]["url"].startswith("http://testserver/")


class TestTheFetcher:
    def test_it_serves_our_static_files(self):
        fetcher = exports.make_url_fetcher()
        path = Path(settings.STATICFILES_DIRS[0]) / "rr" / "portfolio.css"
        response = fetcher.fetch(path.as_uri())
        assert b".pf-document" in response.read()

    def test_it_serves_data_uris(self):
        response = exports.make_url_fetcher().fetch("data:text/plain;base64,aGk=")
        assert response.read() == b"hi"

    @pytest.mark.parametrize(
        "url",
        [
            "http://example.org/tracker.png",
            "https://example.org/style.css",
            "file:///etc/passwd",
            "ftp://example.org/x",
        ],
    )
    def test_it_refuses_everything_else(self, url):
        with pytest.raises(ValueError, match="Refused|disallowed"):
            exports.make_url_fetcher().fetch(url)

    def test_it_refuses_a_path_that_climbs_out_of_static(self):
        root = Path(settings.STATICFILES_DIRS[0])
        with pytest.raises(exports.FetchRefused):
            exports.make_url_fetcher().fetch(root.as_uri() + "/../../settings.py")

    def test_a_remote_image_in_the_html_is_not_fetched(self, full_portfolio, monkeypatch):
        asked = []
        original = exports.make_url_fetcher

        def spy():
            fetcher = original()
            real = fetcher.fetch

            def fetch(url, headers=None):
                asked.append(url)
                return real(url, headers)

            fetcher.fetch = fetch
            return fetcher

        monkeypatch.setattr(exports, "make_url_fetcher", spy)
        monkeypatch.setattr(exports, "pdf_html", lambda p: '<img src="http://example.org/x.png"><p>Hi</p>')
        assert exports.pdf_bytes(full_portfolio).startswith(b"%PDF")
        assert asked == ["http://example.org/x.png"]  # asked, refused, and the PDF made without it


def test_without_pango_the_pdf_export_says_what_is_missing_instead_of_failing(monkeypatch, client):
    """WeasyPrint raises OSError on import when the server lacks Pango: a 503 with the fix, not a 500."""
    import builtins

    from readingroom.testing.factories import UserFactory

    owner = UserFactory()
    portfolio = actions.create_portfolio(owner=owner, title="Mine")
    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pango)
    client.force_login(owner)
    response = client.get(reverse("portfolio:export_pdf", args=[portfolio.pk]))
    assert response.status_code == 503
    assert "libpango" in response.content.decode()
