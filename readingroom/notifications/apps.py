from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "readingroom.notifications"
    label = "notifications"

    def ready(self) -> None:
        from readingroom.core import settings_nav

        settings_nav.register(key="notifications", label="Notifications", url_name="notifications:settings", order=50)
