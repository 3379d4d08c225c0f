"""The SQL with which the database writes each export line itself, on SQLite and PostgreSQL.

Reading 23 values per event into Python and encoding them there was most of an export's
time at a million events; the database builds the same line in C, one string per row.
Only constants go into this SQL: column names, and the few strings that must be exact,
which travel as parameters.

JSON Lines: one object per event, {"type": "event", "id", every hashed field, "hash"},
the time as the hash chain writes it and before/after as JSON. Readers and the verifier
parse the line, so the keys' order and the spacing are the database's own.

CSV: the cells csv.writer would read back the same, every text cell quoted (so no cell
needs inspecting for commas, quotes or line breaks) and those starting like a formula
prefixed with a quote, so a spreadsheet keeps them as text.
"""

from memadmin.audit.chain import HASHED_FIELDS

# A spreadsheet runs a cell that starts like a formula; a leading quote keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DOCUMENTS = ("before", "after")
NUMBERS = ("id", "actor_id", "revision_id", "api_status", "twilio_code")
HEX = ("prev_hash", "hash")  # hex digests: never a comma, a quote or a formula
TABLE = '"audit_auditevent"'

# "YYYY-MM-DD HH:MM:SS[.ffffff]" as Django stores it on SQLite -> ISO 8601 in UTC.
_TIME = f'{TABLE}."time"'
_SQLITE_TIME = (
    f"substr({_TIME}, 1, 10) || 'T' || substr({_TIME}, 12) "
    f"|| CASE WHEN length({_TIME}) = 19 THEN '.000000' ELSE '' END || '+00:00'"
)
_POSTGRES_TIME = f"""to_char({_TIME} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""


def _column(name: str) -> str:
    return f'{TABLE}."{name}"'


def _time(vendor: str) -> str:
    """The time as the hash chain writes it: UTC with microseconds, "+00:00"."""
    return _SQLITE_TIME if vendor == "sqlite" else _POSTGRES_TIME


def jsonl_line(vendor: str) -> tuple[str, list[str]]:
    """(SQL, params) of one event's JSON line, newline included."""
    pairs = ["'type', 'event'", f"'id', {_column('id')}"]
    for name in (*HASHED_FIELDS, "hash"):
        if name == "time":
            value = _time(vendor)
        elif name in DOCUMENTS and vendor == "sqlite":
            value = f"json({_column(name)})"  # stored as JSON text: embedded, not quoted
        else:
            value = _column(name)
        pairs.append(f"'{name}', {value}")
    if vendor == "sqlite":
        return f"json_object({', '.join(pairs)}) || %s", ["\n"]
    return f"CAST(json_build_object({', '.join(pairs)}) AS text) || %s", ["\n"]


def _formula_mark(value: str) -> tuple[str, list[str]]:
    """SQL for the quote that goes before `value` when it starts like a formula, else ''."""
    marks = ", ".join("%s" for _ in FORMULA_STARTS)
    sql = f"CASE WHEN substr({value}, 1, 1) IN ({marks}) THEN '''' ELSE '' END"
    return sql, list(FORMULA_STARTS)


def csv_line(columns: tuple[str, ...], vendor: str) -> tuple[str, list[str]]:
    """(SQL, params) of one event's CSV row in `columns` order, "\\r\\n" included.

    One printf (SQLite) or format (PostgreSQL) per row: joining the cells with || cost
    twice as much. SQLite's printf has %w, which doubles double quotes as a quoted CSV
    cell needs; PostgreSQL's format has nothing like it, so replace() does it there.
    """
    formats, values, params = [], [], []
    for name in columns:
        if name == "time":
            formats.append("%s")
            values.append(_time(vendor))
        elif name in NUMBERS or name in HEX:
            formats.append("%s")  # NULL prints as nothing in both
            values.append(_column(name))
        else:
            value = _column(name)
            if name in DOCUMENTS:
                value = f"coalesce(CAST({value} AS text), '')"
            mark, mark_params = _formula_mark(value)
            if vendor == "sqlite":
                formats.append('"%s%w"')
            else:
                formats.append('"%s%s"')
                value = f"""replace({value}, '"', '""')"""
            values += [mark, value]
            params += mark_params
    function = "printf" if vendor == "sqlite" else "format"
    return f"{function}(%s, {', '.join(values)})", [",".join(formats) + "\r\n", *params]
