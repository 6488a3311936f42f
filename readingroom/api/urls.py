"""The API under /api/v1/ and the token settings pages. Mounted at the site root by readingroom/urls.py."""

from django.urls import URLPattern, include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from readingroom.api import views
from readingroom.api.errors import json_error_view
from readingroom.api.main import api, json_method_not_allowed, root


def _read_only(view):
    """GET and HEAD only, answered in the API's shape; exempt from CSRF as it changes nothing."""
    return csrf_exempt(json_method_not_allowed(require_safe(view)))


def _api_patterns() -> list[URLPattern]:
    """ninja's patterns, one per path (ninja makes one per operation, all routing to the same view),
    with JSON 405s and a JSON index at the root (ninja's root only answers 404)."""
    patterns, seen = [], set()
    for pattern in api.urls[0]:
        route = str(pattern.pattern)
        if route in seen:
            continue
        seen.add(route)
        if pattern.name == "api-root":
            pattern = path(route, _read_only(root), name="api-root")
        elif pattern.name in ("openapi-json", "openapi-view"):  # ninja's own views take any method
            pattern = path(route, _read_only(pattern.callback), name=pattern.name)
        else:
            pattern = path(route, json_method_not_allowed(pattern.callback), name=pattern.name)
        patterns.append(pattern)
    return patterns


app_name = "api"
urlpatterns = [
    path("settings/tokens/", views.tokens, name="tokens"),
    path("settings/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("api/v1/", include((_api_patterns(), "v1"))),
    # Anything else under the API answers in the API's error shape, not with the site's 404 page.
    re_path(r"^api/v1/", json_error_view(api, 404), name="unknown"),
]
