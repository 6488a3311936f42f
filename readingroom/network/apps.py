from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "readingroom.network"
    label = "network"
