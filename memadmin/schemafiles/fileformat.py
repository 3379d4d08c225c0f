"""Trait group files: one file per group, the API's TraitGroupRequest under a two-key header.

    formatVersion: 1
    store: mem_store_00000000000000000000000000   # or the store's name, e.g. sandbox
    displayName: Contact
    traits:
      email: {dataType: STRING, idTypePromotion: email}

Writing is canonical (the builder's body, traits sorted by name), so that exporting twice
gives the same bytes and an edit shows in git as the lines it touched. Reading records the
line of every key, so that a problem names the file and the line to fix.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from memadmin.traitgroups import importing
from memadmin.traitgroups.builder.state import definition_from_draft, draft_from_definition

FORMAT_VERSION = 1
HEADER_KEYS = ("formatVersion", "store")
SUFFIXES = {"yaml": ".yaml", "json": ".json"}
READ_SUFFIXES = (".yaml", ".yml", ".json")
MAX_FILE_BYTES = importing.MAX_IMPORT_BYTES
# Twilio allows 50 groups a store; twice that is a directory of something else.
MAX_FILES = 100
# Root → traits → trait → validationRule → value: anything deeper is not a trait group.
MAX_DEPTH = 5
_STRING_TAG = "tag:yaml.org,2002:str"


@dataclass(frozen=True)
class FileProblem:
    """Why a file cannot be used, and where: `line` is 1-based, None for the whole file."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"

    def as_json(self) -> dict:
        return {"file": self.file, "line": self.line, "message": self.message}


@dataclass
class GroupFile:
    """One parsed file: its header's store, the TraitGroupRequest body, the line of each key."""

    file: str
    store: str
    body: dict
    lines: dict[tuple[str, ...], int] = field(default_factory=dict)

    def line_of(self, *path: str) -> int:
        """The line of the deepest key of `path` the file has (1 when it has none)."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1

    def problem(self, message: str, *path: str) -> FileProblem:
        return FileProblem(self.file, self.line_of(*path), message)


def canonical_body(definition: dict | None) -> dict:
    """The TraitGroupRequest the builder would send for `definition`, traits sorted by name."""
    body = definition_from_draft(draft_from_definition(definition))
    body["traits"] = dict(sorted(body["traits"].items()))
    return body


def file_name(display_name: str, file_format: str) -> str:
    """`Contact.yaml`: a displayName (`[a-zA-Z0-9_-.]`) is always a safe file name."""
    return display_name + SUFFIXES[file_format]


def render(*, store: str, definition: dict, file_format: str = "yaml") -> str:
    """The file of one group: header first, then the canonical body, in a fixed key order."""
    document = {"formatVersion": FORMAT_VERSION, "store": store, **canonical_body(definition)}
    if file_format == "json":
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    # Wide lines: a 1,024-character description folded over lines would make noisy diffs.
    return yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100_000
    )


def read_directory(directory: Path) -> tuple[list[tuple[str, str]], list[FileProblem]]:
    """The (name, text) of every trait group file in `directory`, sorted by name."""
    if not directory.is_dir():
        return [], [FileProblem(str(directory), None, "Not a directory.")]
    paths = sorted(p for p in directory.iterdir() if p.suffix in READ_SUFFIXES and p.is_file())
    if len(paths) > MAX_FILES:
        return [], [FileProblem(str(directory), None, f"More than {MAX_FILES} trait group files.")]
    files, problems = [], []
    for path in paths:
        if path.stat().st_size > MAX_FILE_BYTES:
            problems.append(FileProblem(path.name, None, _too_big()))
            continue
        try:
            files.append((path.name, path.read_text(encoding="utf-8")))
        except UnicodeDecodeError:
            problems.append(FileProblem(path.name, None, "Not UTF-8 text."))
    return files, problems


def _too_big() -> str:
    return f"Larger than {MAX_FILE_BYTES // 1024} KB; a trait group file is far smaller."


def parse(name: str, text: str) -> GroupFile | FileProblem:
    """The group a file describes, or the first reason it cannot be read (with its line)."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        return FileProblem(name, None, _too_big())
    lines: dict[tuple[str, ...], int] = {}
    problems: list[FileProblem] = []
    try:
        if name.endswith(".json"):
            document = _load_json(name, text, lines, problems)
        else:
            document = _load_yaml(name, text, lines, problems)
    except RecursionError:
        return FileProblem(name, None, "Nested too deeply.")
    if problems:
        return problems[0]
    if not isinstance(document, dict):
        return FileProblem(name, 1, "Expected a mapping: formatVersion, store, displayName, …")
    group = GroupFile(name, "", {}, lines)
    version = document.get("formatVersion")
    if version is None:
        return FileProblem(name, 1, f"Start the file with 'formatVersion: {FORMAT_VERSION}'.")
    if version != FORMAT_VERSION or isinstance(version, bool):
        return group.problem(
            f"formatVersion {version!r} is not one memadmin reads (it reads {FORMAT_VERSION}).",
            "formatVersion",
        )
    store = document.get("store")
    if not isinstance(store, str) or not store:
        return group.problem("Name the store: 'store: <store id or name>'.", "store")
    group.store = store
    group.body = {key: value for key, value in document.items() if key not in HEADER_KEYS}
    return group


def _load_yaml(name, text, lines, problems):
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            problems.append(FileProblem(name, 1, "The file is empty."))
            return None
        _record_lines(name, node, (), lines, problems, set())
        if problems:
            return None
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or "not valid YAML"
        problems.append(FileProblem(name, line, f"Not valid YAML: {reason}."))
        return None
    finally:
        loader.dispose()


def _record_lines(name, node, path, lines, problems, seen) -> None:
    """Walks the YAML nodes: the line of each key, refusing what JSON could not say."""
    if id(node) in seen:  # an alias: refused, so a small file cannot expand into a huge one
        problems.append(FileProblem(name, node.start_mark.line + 1, "Aliases are not allowed."))
        return
    seen.add(id(node))
    if len(path) > MAX_DEPTH:
        problems.append(FileProblem(name, node.start_mark.line + 1, "Nested too deeply."))
        return
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _record_lines(name, item, path, lines, problems, seen)
    if not isinstance(node, yaml.MappingNode):
        return
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STRING_TAG):
            shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "a collection"
            problems.append(
                FileProblem(name, line, f"The key {shown!r} is not text: put it in quotes.")
            )
            continue
        key = (*path, key_node.value)
        if key in lines:
            problems.append(
                FileProblem(
                    name, line, f"{key_node.value!r} appears twice (first on line {lines[key]})."
                )
            )
            continue
        lines[key] = line
        if id(value_node) in seen:  # the value is an alias: say so at the key that uses it
            problems.append(FileProblem(name, line, "Aliases are not allowed."))
            continue
        _record_lines(name, value_node, key, lines, problems, seen)


def _load_json(name, text, lines, problems):
    try:
        document = json.loads(text, object_pairs_hook=_refuse_duplicates)
    except json.JSONDecodeError as exc:
        problems.append(FileProblem(name, exc.lineno, f"Not valid JSON: {exc.msg}."))
        return None
    except _DuplicateKey as exc:
        problems.append(FileProblem(name, None, str(exc)))
        return None
    # JSON as memadmin writes it is also YAML: borrow YAML's marks for the line numbers.
    try:
        _record_lines(name, yaml.compose(text, Loader=yaml.SafeLoader), (), lines, [], set())
    except yaml.YAMLError:
        lines.clear()
    return document


class _DuplicateKey(ValueError):
    pass


def _refuse_duplicates(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(f"{key!r} appears twice in the same object.")
        result[key] = value
    return result
