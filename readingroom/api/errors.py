"""One error shape for every failure: {"error": {"code": "stable_code", "message": "…", …}}.

Codes are part of the API contract: clients branch on `code`, people read `message`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from readingroom.core.ratelimit import RateLimited
from readingroom.network.actions import RelationshipRefused

REALM = 'Bearer realm="Reading Room API"'


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **extra: Any):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


class FieldError(Schema):
    field: str  # dotted path within its location, e.g. "body" or "links.0.url"; "__all__" for the whole input
    location: str  # body, query or path
    code: str
    message: str


class ErrorDetail(Schema):
    code: str
    message: str
    fields: list[FieldError] | None = None  # 422 only
    retry_after: int | None = None  # 429 only, as the Retry-After header
    required_scope: str | None = None  # 403 insufficient_scope only


class ErrorOut(Schema):
    error: ErrorDetail


DEFAULT_MESSAGES = {
    400: ("bad_request", "The request could not be read: send JSON with Content-Type application/json."),
    401: ("not_authenticated", "Sign in or send a personal access token: Authorization: Bearer <token>."),
    403: ("forbidden", "You may not do that."),
    404: ("not_found", "Nothing here, or nothing you may see."),
    405: ("method_not_allowed", "This address does not accept that method."),
    422: ("validation_failed", "Some of the input is not valid."),
    429: ("rate_limited", "Too many requests: slow down and try again later."),
}


def error_response(api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str, **extra):
    detail = {"code": code, "message": message, **{k: v for k, v in extra.items() if v is not None}}
    response = api.create_response(request, {"error": detail}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = REALM
    if status == 403 and code == "insufficient_scope":
        response["WWW-Authenticate"] = f'{REALM}, error="insufficient_scope", scope="write"'
    if status == 429:
        response["Retry-After"] = str(extra["retry_after"])
    response["Cache-Control"] = "no-store"
    return response


def _loc_to_field(loc: tuple) -> tuple[str, str]:
    """ninja reports ("body", "payload", "links", 0, "url"): the body parameter's name is ours, not the client's."""
    location, *rest = loc
    if location == "body" and rest and rest[0] == "payload":
        rest = rest[1:]
    return str(location), ".".join(str(part) for part in rest) or "__all__"


def validation_fields(errors: list[dict]) -> list[dict]:
    fields = []
    for error in errors:
        location, field = _loc_to_field(tuple(error.get("loc", ("body",))))
        fields.append(
            {
                "field": field,
                "location": location,
                "code": error.get("type", "invalid"),
                "message": error.get("msg", ""),
            }
        )
    return fields


def django_validation_fields(exc: DjangoValidationError, *, location: str = "body") -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": field, "location": location, "code": e.code or "invalid", "message": " ".join(e.messages)}
            for field, errors in exc.error_dict.items()
            for e in errors
        ]
    return [
        {"field": "__all__", "location": location, "code": e.code or "invalid", "message": " ".join(e.messages)}
        for e in exc.error_list
    ]


def install_handlers(api: NinjaAPI) -> None:
    def handle(exc_class):
        return api.exception_handler(exc_class)

    @handle(ApiError)
    def _api_error(request, exc: ApiError):
        return error_response(api, request, exc.status, exc.code, exc.message, **exc.extra)

    @handle(Http404)
    def _not_found(request, exc):
        return error_response(api, request, 404, *DEFAULT_MESSAGES[404])

    @handle(RelationshipRefused)
    def _refused(request, exc):
        # The pages answer 404 too: refusing must not tell whether someone blocked you.
        return error_response(api, request, 404, *DEFAULT_MESSAGES[404])

    @handle(PermissionDenied)
    def _denied(request, exc):
        return error_response(api, request, 403, "forbidden", str(exc) or DEFAULT_MESSAGES[403][1])

    @handle(DjangoValidationError)
    def _invalid(request, exc):
        fields = django_validation_fields(exc)
        message = fields[0]["message"] if len(fields) == 1 else DEFAULT_MESSAGES[422][1]
        return error_response(api, request, 422, "validation_failed", message, fields=fields)

    @handle(NinjaValidationError)
    def _invalid_input(request, exc):
        return error_response(api, request, 422, *DEFAULT_MESSAGES[422], fields=validation_fields(exc.errors))

    @handle(AuthenticationError)
    def _unauthenticated(request, exc):
        return error_response(api, request, 401, *DEFAULT_MESSAGES[401])

    @handle(HttpError)
    def _http_error(request, exc: HttpError):
        code, message = DEFAULT_MESSAGES.get(exc.status_code, ("error", str(exc)))
        if exc.status_code == 403:
            code, message = "csrf_failed", "The CSRF check failed: send the X-CSRFToken header with session requests."
        return error_response(api, request, exc.status_code, code, message)

    @handle(RateLimited)
    def _limited(request, exc: RateLimited):
        return error_response(api, request, 429, *DEFAULT_MESSAGES[429], retry_after=exc.retry_after)


def json_error_view(api: NinjaAPI, status: int):
    """A plain Django view answering one error in the API's shape (unknown paths, wrong methods)."""

    def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return error_response(api, request, status, *DEFAULT_MESSAGES[status])

    return view


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """Declare error responses for an operation (schemathesis fails any undeclared status)."""
    return dict.fromkeys(statuses, ErrorOut)
