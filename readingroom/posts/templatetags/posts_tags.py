from django import template

register = template.Library()


@register.filter
def with_cursor(url: str, cursor) -> str:
    """The next-page link: `url` plus before=<cursor>, whether or not url has a query already."""
    return f"{url}{'&' if '?' in url else '?'}before={cursor}"
