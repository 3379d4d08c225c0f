"""Writing a store's live trait groups as files: one per group, canonical, in a directory."""

from pathlib import Path

from memadmin.memory_api import Store
from memadmin.schemafiles.fileformat import file_name, render
from memadmin.schemafiles.planning import live_groups


def group_file(*, store: Store, definition: dict, file_format: str) -> tuple[str, str]:
    """(file name, text) of one group of `store`."""
    name = file_name(definition["displayName"], file_format)
    return name, render(store=store.id, definition=definition, file_format=file_format)


def store_files(*, store: Store, file_format: str = "yaml") -> dict[str, str]:
    """Every live group of `store` as (file name → text), read from Twilio now."""
    groups = live_groups(store.id)
    return dict(
        group_file(store=store, definition=groups[name].to_request_body(), file_format=file_format)
        for name in sorted(groups)
    )


def write_files(directory: Path, files: dict[str, str]) -> list[Path]:
    """Writes the files into `directory` (created if missing); returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = directory / name
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written
