from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "readingroom.portfolio"
    label = "portfolio"
