from django import template
from django.urls import reverse

from readingroom.core import settings_nav

register = template.Library()


@register.inclusion_tag("core/_settings_nav.html")
def settings_nav_for(current: str = ""):
    """The settings navigation with `current` (a section key) marked as the page being shown."""
    return {
        "links": [(reverse(s.url_name), s.label, s.key == current) for s in settings_nav.sections()],
    }
