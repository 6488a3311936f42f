"""`manage.py rebuild_search_index`: re-index every post and profile (after a bulk load or restore)."""

from django.core.management.base import BaseCommand

from readingroom.search.index import ensure_triggers, rebuild_search_index


class Command(BaseCommand):
    help = "Rebuild the full-text search indexes of posts and profiles, and restore their triggers."

    def handle(self, *args, **options):
        ensure_triggers()
        timings = rebuild_search_index(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt in {sum(timings.values()):.1f}s."))
