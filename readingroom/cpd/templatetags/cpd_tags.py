from urllib.parse import quote

from django import template

from readingroom.cpd.rules import format_decimal, format_hours

register = template.Library()


@register.filter
def cpd_hours(quarters) -> str:
    """Quarter hours as the pages show them: 1¾ h."""
    return format_hours(int(quarters or 0))


@register.filter
def cpd_decimal(quarters) -> str:
    return format_decimal(int(quarters or 0))


@register.filter
def cpd_cursor(url: str, cursor: str) -> str:
    """The next-page link: `url` plus before=<cursor>, whether or not url has a query already."""
    return f"{url}{'&' if '?' in url else '?'}before={quote(cursor)}"
