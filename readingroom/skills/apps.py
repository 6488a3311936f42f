from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "readingroom.skills"
    label = "skills"

    def ready(self) -> None:
        from readingroom.learning import hub
        from readingroom.skills.queries import skills_summary

        hub.register(key="skills", label="Skills", url_name="skills:home", order=30, summary=skills_summary)
