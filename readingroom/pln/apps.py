import atexit

from django.apps import AppConfig


class PLNConfig(AppConfig):
    name = "readingroom.pln"
    label = "pln"

    def ready(self) -> None:
        from readingroom.learning import hub
        from readingroom.pln import queries
        from readingroom.pln.reading import BUFFER
        from readingroom.posts import reading

        reading.add_listener(BUFFER.note)
        atexit.register(BUFFER.flush_at_exit)  # a worker that exits cleanly writes its last counts
        hub.register(key="balance", label="Balance", url_name="pln:balance", order=50, summary=queries.hub_summary)
