from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "readingroom.api"
    label = "api"

    def ready(self) -> None:
        from readingroom.core import settings_nav

        # Settings → API tokens, in every settings page's navigation (core's registry).
        settings_nav.register(key="tokens", label="API tokens", url_name="api:tokens", order=60)
