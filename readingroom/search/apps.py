from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_index_triggers(sender, using="default", **kwargs) -> None:
    """Schema upkeep, not domain logic: SQLite drops a table's triggers when a migration rebuilds
    the table, so after every migrate the search triggers are recreated (and the index they
    follow rebuilt) if any went missing."""
    if using != "default":
        return
    from readingroom.search import index

    missing = index.ensure_triggers()
    if missing:
        index.rebuild_search_index(names=tuple(missing))


class SearchConfig(AppConfig):
    name = "readingroom.search"
    label = "search"

    def ready(self) -> None:
        post_migrate.connect(_ensure_index_triggers, sender=self, dispatch_uid="search_index_triggers")
