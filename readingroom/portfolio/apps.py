from django.apps import AppConfig


def portfolio_summary(member) -> dict:
    """The Portfolios card on the learning overview."""
    from django.db.models import Count

    from readingroom.portfolio.models import Portfolio

    portfolios = Portfolio.objects.filter(owner=member).annotate(n=Count("items")).order_by("-updated_at")
    count = portfolios.count()
    if not count:
        return {"lines": ["No portfolios yet: gather your records to export or share."]}
    latest = portfolios.first()
    return {
        "lines": [
            f"{count} portfolio{'s' if count != 1 else ''}",
            f"Latest: {latest.title} ({latest.n} item{'s' if latest.n != 1 else ''})",
        ]
    }


class PortfolioConfig(AppConfig):
    name = "readingroom.portfolio"
    label = "portfolio"

    def ready(self) -> None:
        from readingroom.learning import hub

        hub.register(
            key="portfolio", label="Portfolios", url_name="portfolio:list", order=40, summary=portfolio_summary
        )
