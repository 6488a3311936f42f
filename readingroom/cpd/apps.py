from django.apps import AppConfig


class CPDConfig(AppConfig):
    name = "readingroom.cpd"
    label = "cpd"

    def ready(self) -> None:
        from readingroom.cpd import summaries
        from readingroom.goals import evidence_sources
        from readingroom.learning import hub

        hub.register(key="cpd", label="CPD log", url_name="cpd:summary", order=20, summary=summaries.hub_summary)
        evidence_sources.register(key="cpd", label="CPD entries", loader=summaries.entries_for_goal)
