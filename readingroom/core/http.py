"""Small request helpers every app's views share."""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme

from readingroom.core.pagination import parse_cursor


def cursor_param(request, name: str = "before") -> int | None:
    """A keyset cursor from the query string; anything malformed or out of range means 'from the start'."""
    return parse_cursor(request.GET.get(name))


def safe_next(request, default: str) -> str:
    """Where to go back to after a form: `next` if it is a path on this site, else `default`.

    A local path only: redirect() would read a bare word as a view name (a 500), control
    characters have no place in a Location header, and another host would be an open redirect.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    local = target.startswith("/") and target.isprintable()
    if local and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default
