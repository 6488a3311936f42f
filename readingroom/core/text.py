"""Markdown rendering and HTML sanitising: the single path from member text to HTML.

markdown-it-py parses a CommonMark subset (no raw HTML); nh3 then sanitises against an
allowlist, so even a parser bug cannot emit a script. Hashtags and mentions become links.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt

HASHTAG_RE = re.compile(r"(?<![\w/&#])#([A-Za-z][A-Za-z0-9_]{0,59})\b")
MENTION_RE = re.compile(r"(?<![\w/@])@([a-z0-9_]{2,30})\b", re.IGNORECASE)

_ALLOWED_TAGS = {"p", "br", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "del"}
_BIO_TAGS = _ALLOWED_TAGS | {"h3", "h4"}
_DISCUSSION_TAGS = _ALLOWED_TAGS | {"h3", "h4", "h5"}
_ALLOWED_ATTRS = {"a": {"href", "class", "title"}}

_post_md = MarkdownIt("zero", {"linkify": True, "breaks": True, "html": False}).enable(
    ["emphasis", "backticks", "linkify", "link", "list", "blockquote", "newline", "fence", "strikethrough"]
)
_bio_md = MarkdownIt("zero", {"linkify": True, "breaks": True, "html": False}).enable(
    ["emphasis", "backticks", "linkify", "link", "list", "blockquote", "newline", "heading", "strikethrough"]
)

_discussion_md = MarkdownIt("zero", {"linkify": True, "breaks": True, "html": False}).enable(
    ["emphasis", "backticks", "linkify", "link", "list", "blockquote", "newline", "fence", "heading", "strikethrough"]
)
# A reply's headings sit under the page's own h1 and h2: "#" becomes h3, "##" h4, deeper ones h5.
_HEADING_RE = re.compile(r"<(/?)h([1-6])>")


def extract_hashtags(text: str) -> list[str]:
    """Lower-cased, de-duplicated hashtag names in order of first appearance."""
    seen: dict[str, None] = {}
    for match in HASHTAG_RE.finditer(text):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)


def extract_mentions(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for match in MENTION_RE.finditer(text):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)


def _sanitise(html: str, tags: set[str]) -> str:
    return nh3.clean(
        html,
        tags=tags,
        attributes=_ALLOWED_ATTRS,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener ugc",
    )


def render_post(text: str, *, mention_url: Callable[[str], str | None], hashtag_url: Callable[[str], str]) -> str:
    """Render a post body to safe HTML, linking #hashtags and @mentions of existing members."""
    html = _post_md.render(text)

    def link_tag(match: re.Match[str]) -> str:
        name = match.group(1)
        return f'<a href="{hashtag_url(name.lower())}" class="hashtag">#{name}</a>'

    def link_mention(match: re.Match[str]) -> str:
        url = mention_url(match.group(1).lower())
        return f'<a href="{url}" class="mention">@{match.group(1)}</a>' if url else match.group(0)

    html = _outside_tags(html, lambda chunk: MENTION_RE.sub(link_mention, HASHTAG_RE.sub(link_tag, chunk)))
    return _sanitise(html, _ALLOWED_TAGS)


def render_discussion(text: str, *, mention_url: Callable[[str], str | None]) -> str:
    """Render a discussion reply (longer than a post, with headings) to safe HTML, linking
    @mentions of existing members. Hashtags stay text: a topic's tags are its own."""
    html = _HEADING_RE.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 2, 5)}>", _discussion_md.render(text))

    def link_mention(match: re.Match[str]) -> str:
        url = mention_url(match.group(1).lower())
        return f'<a href="{url}" class="mention">@{match.group(1)}</a>' if url else match.group(0)

    html = _outside_tags(html, lambda chunk: MENTION_RE.sub(link_mention, chunk))
    return _sanitise(html, _DISCUSSION_TAGS)


def render_bio(text: str) -> str:
    return _sanitise(_bio_md.render(text), _BIO_TAGS)


_TAG_SPLIT = re.compile(r"(<[^>]*>)")


def _outside_tags(html: str, transform: Callable[[str], str]) -> str:
    """Apply transform to text nodes only, skipping tags and text inside <a> and <code>."""
    out: list[str] = []
    depth = 0
    for part in _TAG_SPLIT.split(html):
        if part.startswith("<"):
            lowered = part.lower()
            if lowered.startswith(("<a ", "<a>", "<code", "<pre")):
                depth += 1
            elif lowered.startswith(("</a", "</code", "</pre")):
                depth = max(0, depth - 1)
            out.append(part)
        else:
            out.append(part if depth else transform(part))
    return "".join(out)
