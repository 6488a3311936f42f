from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "readingroom.goals"
    label = "goals"
