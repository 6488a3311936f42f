from django.apps import AppConfig


class DigestsConfig(AppConfig):
    name = "readingroom.digests"
    label = "digests"

    def ready(self) -> None:
        from readingroom.core import settings_nav

        settings_nav.register(key="digest", label="Digest email", url_name="digests:settings", order=55)
