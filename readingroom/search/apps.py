from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "readingroom.search"
    label = "search"
