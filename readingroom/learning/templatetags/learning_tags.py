from django import template

from readingroom.learning import hub

register = template.Library()


@register.inclusion_tag("learning/_nav.html")
def learning_nav(current: str = ""):
    """The learning area's navigation: every section a learning app registered (learning.hub)."""
    return {"sections": hub.sections(), "current": current}
