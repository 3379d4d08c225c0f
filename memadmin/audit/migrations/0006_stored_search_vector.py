"""PostgreSQL: the searched words are stored once per event, not recomputed per row read.

A search page walks events newest first and tests each against the query; with only an
expression index, PostgreSQL rebuilt every row's tsvector (a regexp over ten columns) to
test it, about 0.2 ms a row, so a search matching one event in eighty took most of a second.
A stored generated column (which models.py does not list: Django never reads or writes it)
makes that test cheap, and the GIN index moves onto it. SQLite keeps its FTS5 table.
"""

from django.db import migrations

SEARCHED_COLUMNS = (
    "action",
    "actor_username",
    "target_type",
    "target_id",
    "target_label",
    "store_id",
    "trait_group",
    "diff_summary",
    "detail",
    "request_id",
)
VECTOR = (
    "to_tsvector('simple'::regconfig, regexp_replace("
    + " || ' ' || ".join(SEARCHED_COLUMNS)
    + ", '[[:punct:]]+', ' ', 'g'))"
)

FORWARD = [
    f"ALTER TABLE audit_auditevent ADD COLUMN search_vector tsvector "
    f"GENERATED ALWAYS AS ({VECTOR}) STORED",
    "CREATE INDEX audit_search_vector_gin ON audit_auditevent USING gin (search_vector)",
    "DROP INDEX IF EXISTS audit_search_gin",
]
BACKWARD = [
    f"CREATE INDEX audit_search_gin ON audit_auditevent USING gin ({VECTOR})",
    "ALTER TABLE audit_auditevent DROP COLUMN search_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_outcome_action_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
