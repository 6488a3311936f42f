from django.urls import path

app_name = "timelines"
urlpatterns: list = []
