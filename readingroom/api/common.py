"""Small helpers shared by the endpoint modules."""

from __future__ import annotations

from django import forms

from readingroom.api.errors import ApiError, errors
from readingroom.api.present import Presenter

# What may go wrong, per kind of operation (schemathesis fails any status not declared).
READ_ERRORS = errors(401, 422, 429)  # 401: a bad token is refused even where none is needed
OBJECT_READ_ERRORS = errors(401, 404, 422, 429)
WRITE_ERRORS = errors(400, 401, 403, 404, 422, 429)
ANYONE_SECURITY = {"security": [{}]}  # added to the schemes ninja lists: no credentials at all is fine too


def viewer(request):
    return request.auth.user


def present(request) -> Presenter:
    return Presenter(request)


def form_invalid(form: forms.BaseForm, *, rename: dict[str, str] | None = None, location: str = "body") -> ApiError:
    """A 422 carrying the page form's own messages, under the API's field names."""
    rename = rename or {}
    fields = [
        {
            "field": rename.get(name, name),
            "location": location,
            "code": error.code or "invalid",
            "message": " ".join(error.messages),
        }
        for name, errors_ in form.errors.as_data().items()
        for error in errors_
    ]
    message = fields[0]["message"] if len(fields) == 1 else "Some of the input is not valid."
    return ApiError(422, "validation_failed", message, fields=fields)
