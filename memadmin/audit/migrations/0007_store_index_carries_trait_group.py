"""The store index carries the trait group, so "a store's events whose group starts with…"
is answered from the index.

`trait_group__istartswith` is a case-insensitive LIKE, which no index turns into a range:
SQLite walked a store's events newest first and read each one's table row to check its
group (one in fifty-six matched: 8 ms a page at a million events, 1.6 ms with the group in
the index). As in 0005, the rebuilt index is analysed on an ANALYZEd SQLite database.
"""

from django.db import migrations, models


def analyse_on_sqlite(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute("ANALYZE audit_store_idx")


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_stored_search_vector")]

    operations = [
        migrations.RemoveIndex(model_name="auditevent", name="audit_store_idx"),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["store_id", "-id", "trait_group"], name="audit_store_idx"),
        ),
        migrations.RunPython(analyse_on_sqlite, migrations.RunPython.noop),
    ]
