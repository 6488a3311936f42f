from django.apps import AppConfig


class TimelinesConfig(AppConfig):
    name = "readingroom.timelines"
    label = "timelines"
