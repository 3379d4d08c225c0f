"""Free-text search over audit events: SQLite FTS5 or PostgreSQL full-text, one entry point.

Both databases see the same words: the searched fields joined, punctuation turned into
spaces, lower-cased; every word the person typed must start a word of the event. The
indexes are created by migration 0004 (FTS5 table and trigger; GIN expression index),
whose expression `VECTOR_SQL` must repeat exactly for PostgreSQL to use the index.
"""

import re
from collections.abc import Iterable

from django.db import connections, router
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from memadmin.audit.models import AuditEvent

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
MAX_WORDS = 8
WORD = re.compile(r"[^\W_]+")
_TABLE = AuditEvent._meta.db_table
VECTOR_SQL = f'"{_TABLE}"."search_vector"'  # see migration 0006


def words(text: str) -> list[str]:
    """The words of a search, lower-cased, as both indexes split them."""
    return WORD.findall(text.lower())[:MAX_WORDS]


def vendor() -> str:
    return connections[router.db_for_read(AuditEvent)].vendor


def _fts_query(found: list[str]) -> str:
    return " ".join(f'"{word}"*' for word in found)


def _fts_phrase(value: str, *, prefix: bool) -> str:
    """An FTS5 phrase every event whose field equals (or, with `prefix`, starts with)
    `value` contains, since that field is part of the indexed text; "" when unsure.

    Python and FTS5 split ASCII text into the same words, but not every other script, and
    a phrase that split differently would lose events: those values narrow nothing.
    """
    found = words(value)
    if not found or not value.isascii():
        return ""
    return f'"{" ".join(found)}"' + ("*" if prefix else "")


def narrowing_phrases(*, exact: Iterable[str] = (), prefixes: Iterable[str] = ()) -> list[str]:
    """FTS5 phrases for the filters beside a search (see newest_match_ids)."""
    phrases = [_fts_phrase(value, prefix=False) for value in exact]
    phrases += [_fts_phrase(value, prefix=True) for value in prefixes]
    return [phrase for phrase in phrases if phrase]


def newest_match_ids(
    text: str, *, before: int | None, limit: int, narrowing: Iterable[str] = ()
) -> list[int]:
    """SQLite only: ids of up to `limit` matching events below `before`, newest first.

    FTS5 walks its index in rowid order and stops at the limit, so a page of a search
    that matches half the log costs a page, not half the log. `narrowing` phrases (from
    the other filters, see narrowing_phrases) are matched too: FTS5 intersects them in its
    index, where checking its rows one by one against the filters would read tens of
    thousands of them when the filters keep one in five hundred.
    """
    found = words(text)
    if not found:
        return []
    sql = "SELECT rowid FROM audit_eventsearch WHERE audit_eventsearch MATCH %s"
    params: list = [" ".join([_fts_query(found), *narrowing])]
    if before is not None:
        sql += " AND rowid < %s"
        params.append(before)
    sql += " ORDER BY rowid DESC LIMIT %s"
    params.append(limit)
    with connections[router.db_for_read(AuditEvent)].cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def matching(events: QuerySet[AuditEvent], text: str) -> QuerySet[AuditEvent]:
    """`events` narrowed to those containing every word of `text` (as word prefixes)."""
    found = words(text)
    if not found:
        return events.none() if text.strip() else events
    database = vendor()
    if database == "postgresql":
        query = " & ".join(f"{word}:*" for word in found)
        # Only constants go into the SQL; the person's words travel as a parameter.
        condition = RawSQL(  # noqa: S611
            f"{VECTOR_SQL} @@ to_tsquery('simple'::regconfig, %s)",
            [query],
            output_field=BooleanField(),
        )
    elif database == "sqlite":
        query = _fts_query(found)
        condition = RawSQL(  # noqa: S611
            f'"{_TABLE}"."id" IN '  # noqa: S608
            "(SELECT rowid FROM audit_eventsearch WHERE audit_eventsearch MATCH %s)",
            [query],
            output_field=BooleanField(),
        )
    else:  # pragma: no cover - memadmin runs on SQLite or PostgreSQL only
        raise NotImplementedError(database)
    return events.filter(condition)
