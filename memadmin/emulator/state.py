"""Where the emulator keeps its state: in memory, or in a SQLite file shared by processes.

The state is one JSON-shaped document::

    {"stores": {storeId: {"store": Store, "identityResolution": {...},
                          "traitGroups": {displayName: {..., "createdSeq": n}},
                          "dataMappings": {id: {..., "createdSeq": n}}}},
     "operations": {operationId: {...}}, "unsettled": [operationId, ...], "sequence": n}

Every request runs as one transaction over the whole document. That is crude and
correct: `make run` starts a web process and a worker that both embed the emulator,
and a single `BEGIN IMMEDIATE` per request serialises them without any locking
protocol of our own. The document is small (a few stores, tens of groups). A request
that only reads (most of them) takes the document without a transaction of its own and
writes nothing back: state is persisted only when it changes.
"""

import contextlib
import copy
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

Document = dict[str, Any]


class StateStore(Protocol):
    """What `Emulator` needs from a store of state."""

    def transaction(self) -> contextlib.AbstractContextManager[Document]:
        """Yield the document for reading and mutation; changes persist on clean exit."""
        ...

    def reading(self) -> contextlib.AbstractContextManager[Document]:
        """Yield the document for reading only: nothing done to it is ever persisted."""
        ...

    def replace(self, document: Document) -> None:
        """Overwrite the whole state, e.g. on reset."""
        ...


class MemoryStateStore:
    """State in this process only, guarded by a lock because waitress serves with threads.

    Handlers validate before they mutate, so an exception leaves the document as it was
    and no copy is needed per request.
    """

    def __init__(self, document: Document) -> None:
        self._document = document
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Document]:
        with self._lock:
            yield self._document

    # In memory there is nothing to persist: a read is a transaction that changes nothing.
    reading = transaction

    def replace(self, document: Document) -> None:
        with self._lock:
            self._document = copy.deepcopy(document)


class SqliteStateStore:
    """State in a SQLite file: one row holding the JSON document.

    A connection per transaction keeps it safe across threads and across `fork()`
    (gunicorn, the task worker): no connection object ever outlives its request.
    """

    def __init__(self, path: str | Path, initial: Callable[[], Document]) -> None:
        self._path = str(path)
        self._last_read: tuple[str, Document] | None = None  # (stored text, parsed)
        Path(self._path).parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as connection:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS emulator_state"
                " (id INTEGER PRIMARY KEY CHECK (id = 1), document TEXT NOT NULL)"
            )
            row = connection.execute("SELECT 1 FROM emulator_state WHERE id = 1").fetchone()
            if row is None:
                connection.execute(
                    "INSERT INTO emulator_state (id, document) VALUES (1, ?)",
                    (json.dumps(initial()),),
                )
            connection.execute("COMMIT")

    def _connect(self) -> contextlib.closing[sqlite3.Connection]:
        # isolation_level=None: we issue BEGIN IMMEDIATE / COMMIT ourselves.
        connection = sqlite3.connect(self._path, timeout=30.0, isolation_level=None)
        connection.execute("PRAGMA busy_timeout = 30000")
        return contextlib.closing(connection)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Document]:
        with self._connect() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                row = connection.execute(
                    "SELECT document FROM emulator_state WHERE id = 1"
                ).fetchone()
                before = row[0]
                document = json.loads(before)
                yield document
                after = json.dumps(document)
                if after != before:
                    connection.execute(
                        "UPDATE emulator_state SET document = ? WHERE id = 1", (after,)
                    )
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise

    @contextlib.contextmanager
    def reading(self) -> Iterator[Document]:
        """A read, most requests: no `BEGIN IMMEDIATE` (readers do not queue behind each
        other) and no serialising of the whole document to learn that nothing changed.

        The document parsed last is kept and handed out again while the stored text is
        the same: comparing the text costs far less than parsing it, and most reads follow
        a read. Readers never change what they are given (`reading`'s contract)."""
        with self._connect() as connection:
            row = connection.execute("SELECT document FROM emulator_state WHERE id = 1").fetchone()
        text = row[0]
        parsed = self._last_read
        if parsed is None or parsed[0] != text:
            parsed = (text, json.loads(text))
            self._last_read = parsed
        yield parsed[1]

    def replace(self, document: Document) -> None:
        with self._connect() as connection:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(
                "UPDATE emulator_state SET document = ? WHERE id = 1", (json.dumps(document),)
            )
            connection.execute("COMMIT")


def open_state_store(state_path: str | None, initial: Callable[[], Document]) -> StateStore:
    """SQLite when a path is given (`.json` paths too: the file is SQLite either way)."""
    if state_path:
        return SqliteStateStore(state_path, initial)
    return MemoryStateStore(initial())
