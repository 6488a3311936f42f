from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "readingroom.skills"
    label = "skills"
