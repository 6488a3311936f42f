from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("readingroom.accounts.urls")),
    path("", include("readingroom.network.urls")),
    path("", include("readingroom.discussions.urls")),
    path("", include("readingroom.messaging.urls")),
    path("", include("readingroom.groups.urls")),  # before posts: /groups/new is not a group's page
    path("", include("readingroom.posts.urls")),
    path("", include("readingroom.notifications.urls")),
    path("", include("readingroom.search.urls")),
    path("", include("readingroom.digests.urls")),
    path("", include("readingroom.learning.urls")),
    path("", include("readingroom.skills.urls")),
    path("", include("readingroom.goals.urls")),
    path("", include("readingroom.cpd.urls")),
    path("", include("readingroom.portfolio.urls")),
    path("", include("readingroom.pln.urls")),
    path("", include("readingroom.api.urls")),  # /api/v1/ and /settings/tokens/
    # Uploaded media, served by Django with nosniff (SecurityMiddleware) in every mode; a proxy
    # may serve MEDIA_ROOT directly when one is in front.
    # Bounded: a path longer than a file name may be makes the filesystem raise (a 500).
    re_path(r"^media/(?P<path>.{1,255})$", serve, {"document_root": settings.MEDIA_ROOT}),
]

handler404 = "readingroom.core.views.not_found"
handler500 = "readingroom.core.views.server_error"
