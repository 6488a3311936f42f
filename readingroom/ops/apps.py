from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "readingroom.ops"
    label = "ops"
