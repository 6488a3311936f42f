from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "readingroom.core"
    label = "core"
