from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "readingroom.notifications"
    label = "notifications"
