from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "readingroom.accounts"
    label = "accounts"
