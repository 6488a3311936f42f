from django.urls import path

from readingroom.digests import views

app_name = "digests"
urlpatterns = [
    path("settings/digest/", views.digest_settings, name="settings"),
    path("digest/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
