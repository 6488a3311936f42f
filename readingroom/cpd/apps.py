from django.apps import AppConfig


class CPDConfig(AppConfig):
    name = "readingroom.cpd"
    label = "cpd"
