"""Full-text indexes over posts and profiles, kept by database triggers (docs/adr/0006-search.md).

SQLite: external-content FTS5 tables. PostgreSQL: tsvector documents with GIN indexes, built by
rr_search_vector(), which tokenises exactly as FTS5 does.
"""

from django.db import migrations


def install(apps, schema_editor):
    from readingroom.search import index

    index.install(schema_editor)


def uninstall(apps, schema_editor):
    from readingroom.search import index

    index.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_profile_search_text"),
        ("posts", "0002_timelineentry_without_rowid"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
