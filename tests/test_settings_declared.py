"""Every setting memadmin reads is declared in settings.py, documented, and read when used.

The source is parsed rather than imported, so a new `settings.X` anywhere in memadmin/
fails here until it has a line in settings.py and in README's table.
"""

import ast
from pathlib import Path

from django.conf import global_settings

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "memadmin"
SETTINGS_FILE = PACKAGE / "settings.py"
README = (ROOT / "README.md").read_text()
# Django reads the swappable user model while it builds models: import time by design.
READ_WHILE_IMPORTING = {"AUTH_USER_MODEL"}
ENV_READERS = {"env_bool", "env_float", "env_int", "env_list"}


def parsed_modules() -> dict[Path, ast.Module]:
    return {
        path: ast.parse(path.read_text(), filename=str(path))
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != SETTINGS_FILE
    }


def is_settings(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "settings"


def settings_read(node: ast.AST) -> str | None:
    if isinstance(node, ast.Attribute) and is_settings(node.value) and node.attr.isupper():
        return node.attr
    return None


def declared_settings() -> set[str]:
    names = set()
    for statement in ast.walk(ast.parse(SETTINGS_FILE.read_text())):
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                elements = target.elts if isinstance(target, ast.Tuple) else [target]
                names |= {e.id for e in elements if isinstance(e, ast.Name)}
    return names


class ImportTimeReads(ast.NodeVisitor):
    """`settings.X` evaluated while the module is imported: outside any function body."""

    def __init__(self):
        self.found: list[tuple[str, int]] = []

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if (name := settings_read(node)) and name not in READ_WHILE_IMPORTING:
            self.found.append((name, node.lineno))
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        # Decorators and defaults run at import; the body runs when called.
        for expression in [*node.decorator_list, *node.args.defaults, *node.args.kw_defaults]:
            if expression is not None:
                self.visit(expression)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for expression in node.args.defaults:
            self.visit(expression)


def test_every_setting_read_in_memadmin_is_declared_and_documented():
    declared = declared_settings()
    used = {
        name
        for tree in parsed_modules().values()
        for node in ast.walk(tree)
        if (name := settings_read(node))
    }
    djangos_own = {name for name in used - declared if hasattr(global_settings, name)}
    undeclared = used - declared - djangos_own
    undocumented = {name for name in used - djangos_own if f"`{name}`" not in README}
    assert undeclared == set(), "declare these in memadmin/settings.py, with a why-comment"
    assert undocumented == set(), "add these to README.md's Configuration table"


def test_nothing_reads_settings_through_getattr_with_a_default():
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path, tree in parsed_modules().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "getattr"
        and node.args
        and is_settings(node.args[0])
    ]
    assert offenders == [], "read settings.X: a missing setting should fail loudly"


def test_no_setting_is_read_at_import_time_so_tests_can_change_it():
    offenders = []
    for path, tree in parsed_modules().items():
        visitor = ImportTimeReads()
        visitor.visit(tree)
        offenders += [f"{path.relative_to(ROOT)}:{line} {name}" for name, line in visitor.found]
    assert offenders == []


def environment_read(node: ast.AST) -> str | None:
    """NAME of `os.environ.get("NAME")` or `config.env_int("NAME", ...)` and kin."""
    if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
        return None
    function = node.func
    if isinstance(function, ast.Attribute) and function.attr == "get":
        reads = isinstance(function.value, ast.Attribute) and function.value.attr == "environ"
    else:
        reads = getattr(function, "attr", getattr(function, "id", None)) in ENV_READERS
    return node.args[0].value if reads else None


def test_every_environment_variable_settings_reads_is_documented():
    read = {
        name
        for path in (SETTINGS_FILE, PACKAGE / "config.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if (name := environment_read(node))
    }
    assert read, "the parse found no environment reads: this test has gone blind"
    assert {name for name in read if f"`{name}`" not in README} == set()
