from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "readingroom.learning"
    label = "learning"
