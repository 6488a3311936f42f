from django.apps import AppConfig


class PLNConfig(AppConfig):
    name = "readingroom.pln"
    label = "pln"
