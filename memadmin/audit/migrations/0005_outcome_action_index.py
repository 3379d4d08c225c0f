"""An index for "failures of one action", e.g. failed publishes.

Without it PostgreSQL intersects two large bitmaps (every failure, every publish_failed)
and sorts. On SQLite a database that was ANALYZEd holds statistics for every index but
this new one, and the planner then trusts the new one for `outcome = ?` alone and sorts
every error event; analysing just this index keeps `audit_outcome_idx` for that.
"""

from django.conf import settings
from django.db import migrations, models


def analyse_on_sqlite(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute("ANALYZE audit_outcome_action_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_guards_and_search"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["outcome", "action", "-id"], name="audit_outcome_action_idx"
            ),
        ),
        migrations.RunPython(analyse_on_sqlite, migrations.RunPython.noop),
    ]
