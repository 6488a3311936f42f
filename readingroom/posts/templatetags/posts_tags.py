from django import template
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from readingroom.posts.card_html import Viewer, render_card, render_cards
from readingroom.posts.forms import PostForm

register = template.Library()


def _viewer(context) -> Viewer:
    """Resolved once per render and kept on the context: every card on the page shares it."""
    viewer = context.render_context.get("rr_viewer")
    if viewer is None:
        viewer = context.render_context["rr_viewer"] = Viewer.from_request(context["request"])
    return viewer


@register.simple_tag(takes_context=True)
def post_card(context, post):
    return render_card(post, _viewer(context), focused_id=context.get("focused_id"))


@register.simple_tag(takes_context=True)
def post_cards(context, posts):
    return render_cards(posts, _viewer(context), focused_id=context.get("focused_id"))


@register.filter
def with_cursor(url: str, cursor) -> str:
    """The next-page link: `url` plus before=<cursor>, whether or not url has a query already."""
    return f"{url}{'&' if '?' in url else '?'}before={cursor}"


_BLANK_COMPOSERS: dict[str, str] = {}
_CSRF_PLACEHOLDER = "rr-csrf-placeholder"


@register.simple_tag(takes_context=True)
def blank_composer(context):
    """The home page's empty composer, rendered once per default visibility and process.

    Its markup depends only on the default visibility and the CSRF token, and rendering a
    twelve-field form on every home page cost more than the timeline itself."""
    request = context["request"]
    visibility = request.user.profile.default_post_visibility
    html = _BLANK_COMPOSERS.get(visibility)
    if html is None:
        form = PostForm(initial={"visibility": visibility})
        html = render_to_string("posts/_composer.html", {"form": form, "csrf_token": _CSRF_PLACEHOLDER})
        _BLANK_COMPOSERS[visibility] = html
    return mark_safe(html.replace(_CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308 - our own template
