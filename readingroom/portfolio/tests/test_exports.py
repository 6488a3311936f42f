"""The preview, PDF, standalone HTML and JSON exports render every kind of item from one
document (portfolio/document.py); the PDF never runs member text as Typst."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from readingroom.portfolio import actions, exports, typeset
from readingroom.portfolio.jsonformat import PortfolioDocument
from readingroom.portfolio.tests.pdftext import catalogue, metadata_title, page_count, pdf_text

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
    for expected in ("Reflective statement", "Read the primer", "(done)", "(to do)", "Cataloguing", "My main goal."):
        assert expected in text  # every kind of item, from the same document as the preview


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


class TestThePdf:
    """The PDF is typeset by Typst from document data (portfolio/typeset.py)."""

    def test_member_text_is_set_as_text_never_run_as_typst(self, owner):
        hostile = '#set page(paper: "a0") #read("/etc/passwd") $x^2$ *not bold* [link](/relative) `#eval("1")`'
        portfolio = actions.create_portfolio(owner=owner, title='#import "x.typ": * and $math$', introduction=hostile)

        text = " ".join(pdf_text(exports.pdf_bytes(portfolio)).split())

        assert '#import "x.typ": * and $math$' in text
        assert '#set page(paper: "a0") #read("/etc/passwd") $x^2$ not bold link #eval("1")' in text  # Markdown applied
        assert "root:" not in text and "Page 2 of 2" in text  # nothing read, and the page stayed A4-sized

    def test_markdown_structure_survives(self, owner):
        intro = "Some **bold**, _em_ and ~~gone~~ text.\n\n- first point\n- second point\n\n> a quote\n\n[a site](https://example.org/)"
        pdf = exports.pdf_bytes(actions.create_portfolio(owner=owner, title="Mine", introduction=intro))
        text = pdf_text(pdf)
        for expected in ("Introduction", "bold", "first point", "second point", "a quote", "a site"):
            assert expected in text
        assert b"https://example.org/" in pdf  # the link is a link in the file

    def test_it_is_a_tagged_pdf_ua_document_with_a_title_and_bookmarks(self, full_portfolio):
        pdf = exports.pdf_bytes(full_portfolio)
        root = catalogue(pdf)
        assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
        assert metadata_title(pdf) == "Chartership 2025"
        assert str(root["/Lang"]).startswith("en")
        assert "/Outlines" in root
        assert b"pdfuaid:part" in pdf  # declares PDF/UA-1 in its XMP metadata

    def test_times_are_shown_in_the_members_time_zone(self, full_portfolio):
        post = full_portfolio.items.get(kind="post").post
        utc = post.created_at.astimezone(dt.UTC).strftime("%H:%M")
        with timezone.override("Pacific/Chatham"):  # UTC+12:45 or +13:45: never the same clock time as UTC
            local = timezone.localtime(post.created_at).strftime("%H:%M")
            text = " ".join(pdf_text(exports.pdf_bytes(full_portfolio)).split())
        assert local != utc
        assert f", {local}" in text and f", {utc}" not in text

    def test_an_empty_portfolio_says_so(self, owner):
        pdf = exports.pdf_bytes(actions.create_portfolio(owner=owner, title="Nothing yet"))
        assert "This portfolio is empty." in pdf_text(pdf)


class TestHtmlBlocks:
    """Sanitised HTML read back into the structures the Typst template sets."""

    def test_paragraphs_and_inline_runs(self):
        blocks = typeset.html_blocks("<p>Hi <strong>you <em>there</em></strong><br>next <code>x &lt; y</code></p>")
        assert blocks == [
            {
                "t": "p",
                "c": [
                    {"t": "text", "s": "Hi "},
                    {"t": "strong", "c": [{"t": "text", "s": "you "}, {"t": "em", "c": [{"t": "text", "s": "there"}]}]},
                    {"t": "br"},
                    {"t": "text", "s": "next "},
                    {"t": "code", "s": "x < y"},
                ],
            }
        ]

    def test_lists_quotes_and_code_blocks(self):
        blocks = typeset.html_blocks(
            "<ul><li>one</li><li><p>two</p></li></ul>"
            "<blockquote><p>said</p></blockquote><pre><code>a\n  b\n</code></pre>"
        )
        assert blocks[0] == {
            "t": "ul",
            "items": [[{"t": "p", "c": [{"t": "text", "s": "one"}]}], [{"t": "p", "c": [{"t": "text", "s": "two"}]}]],
        }
        assert blocks[1] == {"t": "quote", "c": [{"t": "p", "c": [{"t": "text", "s": "said"}]}]}
        assert blocks[2] == {"t": "pre", "s": "a\n  b"}

    def test_only_absolute_links_stay_links(self):
        blocks = typeset.html_blocks('<p><a href="https://ex.org/">web</a> <a href="/tags/cpd23">#cpd23</a></p>')
        assert blocks[0]["c"][0] == {"t": "link", "href": "https://ex.org/", "c": [{"t": "text", "s": "web"}]}
        assert blocks[0]["c"][2] == {"t": "text", "s": "#cpd23"}

    def test_whitespace_between_blocks_makes_no_empty_paragraph(self):
        assert typeset.html_blocks("<p>a</p>\n\n<p>b</p>\n") == [
            {"t": "p", "c": [{"t": "text", "s": "a"}]},
            {"t": "p", "c": [{"t": "text", "s": "b"}]},
        ]


def test_when_typst_cannot_finish_the_member_gets_a_503_saying_what_works(owner_client, full_portfolio, monkeypatch):
    monkeypatch.setattr(typeset, "PDF_TIME_LIMIT", 0.001)  # the real child process, stopped by the real timeout

    response = owner_client.get(reverse("portfolio:export_pdf", args=[full_portfolio.pk]))

    assert response.status_code == 503
    assert "HTML and JSON exports work" in response.content.decode()
