from django import template

from readingroom.posts.card_html import Viewer, render_card, render_cards

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
