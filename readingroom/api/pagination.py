"""Keyset pages for the API, Mastodon style: `max_id` reads older, `min_id` reads just newer,
`limit` is bounded; the body and the Link header carry the cursors for the next and previous page.

Timelines are read through posts.queries (20 posts a call): a larger `limit` reads on from the
cursor the query returned, a smaller one cuts the page and continues from its last post.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings

from readingroom.core.pagination import Page


@dataclass
class Window:
    items: list
    next_max_id: int | None
    prev_min_id: int | None = None


def older(read: Callable[[int | None], Page], *, max_id: int | None, limit: int) -> Window:
    """Up to `limit` items below `max_id`, newest first, from a reader of fixed-size pages."""
    items: list = []
    cursor = max_id
    rounds = limit // settings.RR_PAGE_SIZE + 2  # short pages (hidden posts) may need one more read
    for _ in range(rounds):
        page = read(cursor)
        room = limit - len(items)
        if len(page.items) > room:
            items += page.items[:room]
            return Window(items, items[-1].cursor_key, _newest(items))
        items += page.items
        cursor = page.next_cursor
        if cursor is None or len(items) == limit:
            break
    return Window(items, cursor, _newest(items))


def _newest(items: list) -> int | None:
    return items[0].cursor_key if items else None


def post_window(read_older: Callable[[int | None], Page], read_newer: Callable[[int, int], Page], *, query) -> Window:
    if query.min_id is not None:
        page = read_newer(query.min_id, query.limit)
        # Reading on past the oldest of these would meet what the client has already.
        return Window(page.items, None, page.next_cursor)
    return older(read_older, max_id=query.max_id, limit=query.limit)


def list_window(page: Page) -> Window:
    """A member list page (fixed size; the cursor is the relationship row's id)."""
    return Window(page.items, page.next_cursor)


def page_body(request, response, window: Window, items: list[dict], *, forward: bool) -> dict:
    """The page's JSON body; the same cursors go into the response's Link header."""
    next_url = _with(request, max_id=window.next_max_id) if window.next_max_id else None
    body = {"items": items, "next_url": next_url, "next_max_id": window.next_max_id}
    links = [f'<{next_url}>; rel="next"'] if next_url else []
    if forward:
        prev_url = _with(request, min_id=window.prev_min_id) if window.prev_min_id else None
        body.update(prev_url=prev_url, prev_min_id=window.prev_min_id)
        if prev_url:
            links.append(f'<{prev_url}>; rel="prev"')
    if links:
        response["Link"] = ", ".join(links)
    return body


def after_body(request, response, items: list[dict], after: str | None) -> dict:
    """A page whose cursor is a list's own opaque string (`after`, e.g. the group directory's
    "<sort key>.<id>"): the same body and Link header as the others, with `next_after`."""
    next_url = _with(request, after=after) if after else None
    if next_url:
        response["Link"] = f'<{next_url}>; rel="next"'
    return {"items": items, "next_url": next_url, "next_after": after}


def _with(request, **cursor) -> str:
    params = {k: v for k, v in request.GET.items() if k not in ("max_id", "min_id", *cursor)}
    params.update({k: str(v) for k, v in cursor.items()})
    return request.build_absolute_uri(f"{request.path}?{urlencode(params)}")
