"""On SQLite, store timeline rows in the primary-key b-tree itself (WITHOUT ROWID).

A rowid table keeps each (owner_id, post_id) twice: in the table and in the key index. Stored
once, a row costs about half (measured in docs/performance.md). PostgreSQL is unchanged.
Should a later migration alter this table, Django's SQLite schema editor rebuilds it as a rowid
table; re-run this conversion after such a migration.
"""

from django.db import migrations

TABLE = "posts_timelineentry"


def to_without_rowid(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [TABLE])
        (create_sql,) = cursor.fetchone()
        if "WITHOUT ROWID" in create_sql.upper():
            return
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL", [TABLE])
        indexes = cursor.fetchall()
        new_sql = create_sql.replace(f'"{TABLE}"', f'"{TABLE}__new"', 1).rstrip().rstrip(";") + " WITHOUT ROWID"
        cursor.execute(new_sql)
        cursor.execute(f'INSERT INTO "{TABLE}__new" (owner_id, post_id) SELECT owner_id, post_id FROM "{TABLE}"')
        cursor.execute(f'DROP TABLE "{TABLE}"')
        cursor.execute(f'ALTER TABLE "{TABLE}__new" RENAME TO "{TABLE}"')
        for _name, index_sql in indexes:
            cursor.execute(index_sql)


class Migration(migrations.Migration):
    dependencies = [("posts", "0001_initial")]
    operations = [migrations.RunPython(to_without_rowid, migrations.RunPython.noop, elidable=False)]
