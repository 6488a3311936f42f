from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("readingroom.accounts.urls")),
    path("", include("readingroom.network.urls")),
    path("", include("readingroom.posts.urls")),
    # Uploaded media, served by Django with nosniff (SecurityMiddleware) in every mode; a proxy
    # may serve MEDIA_ROOT directly when one is in front.
    path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
]

handler404 = "readingroom.core.views.not_found"
handler500 = "readingroom.core.views.server_error"
