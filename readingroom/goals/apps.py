from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "readingroom.goals"
    label = "goals"

    def ready(self) -> None:
        from readingroom.goals import queries
        from readingroom.learning import hub

        hub.register(key="goals", label="Goals", url_name="goals:list", order=10, summary=queries.hub_summary)
