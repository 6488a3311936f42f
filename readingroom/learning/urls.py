from django.urls import path

from readingroom.learning import views

app_name = "learning"

urlpatterns = [
    path("learning/", views.overview, name="overview"),
]
