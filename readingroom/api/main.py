"""The API object: its routers, error handlers, documentation page and OpenAPI document."""

from __future__ import annotations

import json
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from readingroom.api.auth import REQUESTS_PER_WINDOW, WINDOW_SECONDS
from readingroom.api.endpoints import (
    cpd,
    discussion_replies,
    discussions,
    goals,
    group_moderation,
    groups,
    learning,
    me,
    messages,
    notifications,
    people,
    pln,
    portfolio,
    posts,
    search,
    skills,
    timelines,
)
from readingroom.api.errors import error_response, install_handlers
from readingroom.api.schemas import PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX

DESCRIPTION = f"""
The same Reading Room a member sees in the pages, for scripts and apps. Every operation goes
through the same rules as the pages: what you may not see answers **404**, never 403.

**Authentication.** Create a personal access token in *Settings → API tokens* (`/settings/tokens/`)
and send it as `Authorization: Bearer <token>`. A *read* token may call every `GET`; anything that
changes something needs a *write* token (else 403 `insufficient_scope`). In the browser, your
signed-in session works too (send Django's CSRF token as `X-CSRFToken` for writes); this page does
that for you. Operations whose security list includes an empty requirement also answer visitors
without credentials, showing what a visitor may see.

**Errors** are always `{{"error": {{"code": "…", "message": "…"}}}}`; `code` is stable
(`not_authenticated`, `invalid_token`, `insufficient_scope`, `csrf_failed`, `forbidden`,
`not_found`, `bad_request`, `validation_failed` with `fields`, `rate_limited` with
`retry_after` and a `Retry-After` header, `method_not_allowed`).

**Pages** are newest first. Follow `next_url` (or the `Link` header, `rel="next"`) for older
items; on timelines, `prev_url` (`rel="prev"`, a `min_id` cursor) reads what is newer, for
catching up. `limit` is 1–{PAGE_LIMIT_MAX} (default {PAGE_LIMIT_DEFAULT}).

**Rate limits.** Each token (or signed-in member) may make {REQUESTS_PER_WINDOW} requests in
{WINDOW_SECONDS // 60} minutes, and writes share the pages' own limits (e.g. 30 posts in 5 minutes).
"""


class SwaggerUnderCsp(DocsBase):
    """Swagger UI from ninja's own static files; its settings travel as JSON data, not a script."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs) -> HttpResponse:
        settings = {"url": self.get_openapi_url(api, kwargs), "layout": "BaseLayout", "deepLinking": False}
        signed_in = request.user.is_authenticated
        context = {
            "swagger_settings": json.dumps(settings),
            "api": api,
            "csrf_token_value": get_token(request) if signed_in else "",
            "tokens_url": reverse("api:tokens"),
        }
        return render(request, "api/docs.html", context)


class ReadingRoomApi(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        return operation.operation_id or operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        # Built once per process: building it walks every operation's models (tens of ms).
        key = path_prefix
        cache = self.__dict__.setdefault("_schema_cache", {})
        if key not in cache:
            schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            cache[key] = _declare_headers(schema)
        return cache[key]


_HEADERS = {
    401: {"WWW-Authenticate": ("How to authenticate: a Bearer token.", True)},
    403: {"WWW-Authenticate": ("Present with insufficient_scope: the scope needed.", False)},
    429: {"Retry-After": ("Seconds to wait before trying again.", True)},
    200: {"Link": ('The next (rel="next") and newer (rel="prev") pages, on lists.', False)},
}


def _declare_headers(schema: dict) -> dict:
    """Document the headers that come with some answers (schemathesis checks the required ones)."""
    for operations in schema["paths"].values():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                headers = _HEADERS.get(int(status), {})
                if int(status) == 200 and not any(name in str(response) for name in ("Page'", "SearchOut'")):
                    headers = {}
                if headers:
                    response["headers"] = {
                        name: {"description": text, "required": required, "schema": {"type": "string"}}
                        for name, (text, required) in headers.items()
                    }
    return schema


api = ReadingRoomApi(
    title="Reading Room API",
    version="1",
    description=DESCRIPTION.strip(),
    urls_namespace="api:v1",
    docs=SwaggerUnderCsp(),
)
install_handlers(api)
for module in (
    me,
    people,
    posts,
    timelines,
    groups,
    group_moderation,
    discussions,
    discussion_replies,
    notifications,
    messages,
    search,
    learning,
    skills,
    goals,
    cpd,
    portfolio,
    pln,
):
    api.add_router("", module.router)


def root(request: HttpRequest, **kwargs) -> HttpResponse:
    """`/api/v1/`: where the documentation and the OpenAPI document are."""
    body = {
        "name": api.title,
        "docs_url": request.build_absolute_uri(reverse("api:v1:openapi-view")),
        "openapi_url": request.build_absolute_uri(reverse("api:v1:openapi-json")),
    }
    return api.create_response(request, body, status=200)


def json_method_not_allowed(view):
    """ninja answers a wrong method with a plain-text 405; answer it in the API's error shape."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            allowed = response.get("Allow", "")
            response = error_response(
                api, request, 405, "method_not_allowed", f"This address accepts: {allowed or 'nothing'}."
            )
            response["Allow"] = allowed
        return response

    return wrapped
