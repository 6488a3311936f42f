from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "readingroom.accounts"
    label = "accounts"

    def ready(self) -> None:
        from readingroom.core import settings_nav

        settings_nav.register(key="profile", label="Profile", url_name="accounts:profile_edit", order=10)
        settings_nav.register(key="account", label="Account", url_name="accounts:account", order=20)
