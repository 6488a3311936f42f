"""Value types for JSON input, shared by the API's bodies and the portfolio file: bounded text
that PostgreSQL can store, dates that must arrive as strings, and whole percentages.

Pydantic's lax mode would take 0 or 1.7e9 as a date (a Unix timestamp) and true as 1, so these
keep each value to its JSON type. Query strings, where everything is text, use lax types instead.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, StrictInt, WithJsonSchema


def storable(value: str) -> str:
    """PostgreSQL cannot store NUL, and a lone surrogate cannot be encoded: refuse both."""
    if "\x00" in value:
        raise ValueError("Text may not contain the NUL character.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("Text must be valid Unicode.") from exc
    return value


def Text(max_length: int, *, min_length: int = 0):  # noqa: N802 - reads as a type
    return Annotated[str, Field(min_length=min_length, max_length=max_length), AfterValidator(storable)]


def _date_string(value):
    if not isinstance(value, str | date):  # a datetime is a date too
        raise ValueError("Give the date as a string, e.g. 2026-03-02.")
    return value


# Bounded in the OpenAPI document too, so fuzzers and clients know their length.
JsonDate = Annotated[
    date, BeforeValidator(_date_string), WithJsonSchema({"type": "string", "format": "date", "maxLength": 10})
]
JsonDateTime = Annotated[
    datetime,
    BeforeValidator(_date_string),
    WithJsonSchema({"type": "string", "format": "date-time", "maxLength": 40}),
]
Percent = Annotated[StrictInt, Field(ge=0, le=100)]
