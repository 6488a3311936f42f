"""A URL configuration with no goals app, for the suggested-goal link's fallback."""

from django.urls import include, path

urlpatterns = [path("", include("readingroom.skills.urls")), path("", include("readingroom.learning.urls"))]
