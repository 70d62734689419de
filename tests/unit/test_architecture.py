"""The layout's rules, read from the code's own imports (ARCHITECTURE.md; STYLE.md 15-18).

- the domain (models, services, journeys, catalog, text) never imports the web framework;
- imports point down the layers: nothing imports the start-up wiring, the domain imports
  neither the web layer nor the conversation core nor the channels, the conversation core
  imports neither the web layer nor the channels, the citizen-text library imports nothing
  else from the helpdesk and no SQLAlchemy;
- no import cycle, counting imports inside functions (only `if TYPE_CHECKING:` imports,
  which never run, are left out);
- the action server process loads neither Flask nor SQLAlchemy;
- one NIK pattern, in helpdesk/text/personal.py.

Each rule is also run on a tiny synthetic case that breaks it, so a check that cannot fail
would show here.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

from helpdesk.text import status

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("helpdesk", "channels", "actions")
SKIPPED = ("helpdesk/infra/migrations/",)  # Alembic scripts, loaded by Alembic only

DOMAIN = ("helpdesk.models", "helpdesk.services", "helpdesk.journeys", "helpdesk.catalog")
TEXT = "helpdesk.text"
WEB_FRAMEWORK = ("flask", "flask_login", "flask_wtf", "flask_babel", "werkzeug")
NIK_HOME = "helpdesk/text/personal.py"
NIKS = ("3201010101900001", "NIK saya 3201010101900001 ya")
NOT_NIKS = ("320101010190000", "nomor 320101010190000 (15 digits)")

Graph = dict[str, set[str]]


# --- the import graph -------------------------------------------------------------------------


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_names(source: str, module: str, is_package: bool) -> set[str]:
    """Every module name `source` imports anywhere (functions included), absolute, except
    under `if TYPE_CHECKING:`."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return found


def build_graph(root: Path, packages: Iterable[str] = PACKAGES) -> tuple[Graph, Graph]:
    """(edges between our own modules, every import of each module including third-party)."""
    files: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if not relative.startswith(SKIPPED):
                files[_module_name(root, path)] = path
    internal: Graph = {}
    everything: Graph = {}
    for name, path in files.items():
        imports = imported_names(path.read_text(), name, path.name == "__init__.py")
        everything[name] = imports
        edges = set()
        for imported in imports:
            target = imported
            while target and target not in files:
                target = target.rpartition(".")[0]
            # importing a.b.c also runs a and a.b; a module's own parents run first anyway
            parts = target.split(".") if target else []
            for i in range(1, len(parts) + 1):
                prefix = ".".join(parts[:i])
                if prefix in files and prefix != name and not name.startswith(prefix + "."):
                    edges.add(prefix)
        internal[name] = edges
    return internal, everything


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def _within(module: str, prefixes: Iterable[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


# --- the rules (each returns its violations) ---------------------------------------------------


def web_framework_in_domain(everything: Mapping[str, set[str]]) -> list[str]:
    """Domain modules that import Flask, a Flask extension or Werkzeug."""
    return sorted(
        {
            f"{module} imports {name.partition('.')[0]}"
            for module, names in everything.items()
            if _within(module, (*DOMAIN, TEXT))
            for name in names
            if _within(name, WEB_FRAMEWORK)
        }
    )


LAYER_RULES: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    # (importers, forbidden targets, why)
    (
        ("helpdesk", "channels", "actions"),
        ("helpdesk.runtime",),
        "start-up wiring is imported by nothing",
    ),
    (
        (*DOMAIN, TEXT),
        ("helpdesk.web", "helpdesk.conversation", "helpdesk.demo", "channels", "actions"),
        "the domain is the bottom layer",
    ),
    (
        ("helpdesk.conversation",),
        ("helpdesk.web", "helpdesk.demo", "channels", "actions"),
        "the conversation core sits below the web layer and the channels",
    ),
    (
        (TEXT,),
        ("helpdesk.models", "helpdesk.services", "helpdesk.journeys", "helpdesk.catalog"),
        "the citizen-text library stands alone",
    ),
    (("helpdesk.infra",), ("helpdesk.services", "helpdesk.web"), "infrastructure is below"),
)


def layer_violations(graph: Mapping[str, set[str]]) -> list[str]:
    """Imports that point up (see LAYER_RULES)."""
    found = []
    for importers, forbidden, why in LAYER_RULES:
        for module, targets in graph.items():
            if not _within(module, importers) or _within(module, ("helpdesk.runtime",)):
                continue
            for target in targets:
                if _within(target, forbidden) and not _within(module, forbidden):
                    found.append(f"{module} -> {target} ({why})")
    return sorted(found)


def sqlalchemy_in_text(everything: Mapping[str, set[str]]) -> list[str]:
    return sorted(
        {
            f"{module} imports {name.partition('.')[0]}"
            for module, names in everything.items()
            if _within(module, (TEXT,))
            for name in names
            if _within(name, ("sqlalchemy",))
        }
    )


def loaded_by_action_server(modules: Iterable[str]) -> list[str]:
    """What an action server process must not have loaded: Flask, SQLAlchemy, and any of
    the helpdesk but its citizen-text library."""
    return sorted(
        m
        for m in modules
        if _within(m, ("flask", "sqlalchemy", "werkzeug"))
        or (_within(m, ("helpdesk",)) and m != "helpdesk" and not _within(m, (TEXT,)))
    )


def modules_after_import(names: Iterable[str]) -> list[str]:
    """sys.modules of a fresh interpreter after importing `names`."""
    code = textwrap.dedent(
        f"""
        import importlib, json, sys
        for name in {sorted(names)!r}:
            importlib.import_module(name)
        print(json.dumps(sorted(sys.modules)))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return list(json.loads(done.stdout))


def _patterns_in(source: str) -> list[tuple[int, str]]:
    """(line, pattern) of every string literal given to a `re` function."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        if not (isinstance(node.func.value, ast.Name) and node.func.value.id == "re"):
            continue
        for arg in node.args[:1]:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.append((node.lineno, arg.value))
    return found


def nik_patterns(files: Mapping[str, str]) -> list[str]:
    """`path:line` of every regex that finds a 16-digit NIK but not a 15-digit number."""
    found = []
    for path, source in files.items():
        for line, pattern in _patterns_in(source):
            try:
                compiled = re.compile(pattern)
            except re.error:
                continue
            finds_a_nik = any(compiled.search(text) for text in NIKS)
            if finds_a_nik and not any(compiled.search(text) for text in NOT_NIKS):
                found.append(f"{path}:{line}")
    return found


def _sources() -> dict[str, str]:
    return {
        path.relative_to(ROOT).as_posix(): path.read_text()
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


# --- the checks on the real code -----------------------------------------------------------


@pytest.fixture(scope="module")
def graphs() -> tuple[Graph, Graph]:
    return build_graph(ROOT)


def test_the_domain_does_not_import_the_web_framework(graphs: tuple[Graph, Graph]) -> None:
    assert web_framework_in_domain(graphs[1]) == []


def test_imports_point_down_the_layers(graphs: tuple[Graph, Graph]) -> None:
    assert layer_violations(graphs[0]) == []
    assert sqlalchemy_in_text(graphs[1]) == []


def test_no_import_cycles(graphs: tuple[Graph, Graph]) -> None:
    assert cycles(graphs[0]) == []


def test_the_action_server_loads_neither_flask_nor_sqlalchemy() -> None:
    actions = [
        _module_name(ROOT, path)
        for path in sorted((ROOT / "actions").glob("*.py"))
        if path.name != "__init__.py"
    ]
    assert "actions.server" in actions
    assert loaded_by_action_server(modules_after_import(actions)) == []


def test_one_nik_pattern() -> None:
    assert nik_patterns(_sources()) == [f"{NIK_HOME}:{_nik_line()}"]


def _nik_line() -> int:
    source = (ROOT / NIK_HOME).read_text()
    return next(line for line, pattern in _patterns_in(source) if "{15}" in pattern)


def test_every_status_has_a_label_in_every_language() -> None:
    for language, labels in status.LABELS.items():
        missing = [key for key in status.label_keys() if key not in labels]
        assert missing == [], f"{language}: {missing}"


# --- each rule fails on a synthetic case -------------------------------------------------------


def _write(root: Path, files: Mapping[str, str]) -> None:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))


def test_synthetic_domain_module_importing_flask_is_caught(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "helpdesk/__init__.py": "",
            "helpdesk/services/__init__.py": "",
            "helpdesk/services/sla.py": """
                def due():
                    from flask import current_app  # hidden in a function: still caught
                    return current_app
            """,
        },
    )
    _, everything = build_graph(tmp_path, ["helpdesk"])
    assert web_framework_in_domain(everything) == ["helpdesk.services.sla imports flask"]


def test_synthetic_cycle_through_a_function_level_import_is_caught(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "helpdesk/__init__.py": "",
            "helpdesk/services/__init__.py": "",
            "helpdesk/services/a.py": "from helpdesk.services import b\n",
            "helpdesk/services/b.py": """
                from typing import TYPE_CHECKING
                if TYPE_CHECKING:
                    from helpdesk.services import c  # type-only: not an edge
                def f():
                    from helpdesk.services.a import x  # dodging the cycle: still one
            """,
            "helpdesk/services/c.py": "from helpdesk.services import b\n",
        },
    )
    graph, _ = build_graph(tmp_path, ["helpdesk"])
    assert cycles(graph) == [["helpdesk.services.a", "helpdesk.services.b"]]


def test_synthetic_upward_imports_are_caught(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "helpdesk/__init__.py": "",
            "helpdesk/models.py": "from helpdesk.web.extensions import database\n",
            "helpdesk/web/__init__.py": "",
            "helpdesk/web/extensions.py": "from helpdesk.runtime.app import create_app\n",
            "helpdesk/runtime/__init__.py": "",
            "helpdesk/runtime/app.py": "from helpdesk.web import extensions\n",
            "helpdesk/text/__init__.py": "import sqlalchemy\n",
        },
    )
    graph, everything = build_graph(tmp_path, ["helpdesk"])
    assert layer_violations(graph) == [
        "helpdesk.models -> helpdesk.web (the domain is the bottom layer)",
        "helpdesk.models -> helpdesk.web.extensions (the domain is the bottom layer)",
        "helpdesk.web.extensions -> helpdesk.runtime (start-up wiring is imported by nothing)",
        "helpdesk.web.extensions -> helpdesk.runtime.app (start-up wiring is imported by nothing)",
    ]
    assert sqlalchemy_in_text(everything) == ["helpdesk.text imports sqlalchemy"]


def test_synthetic_action_server_loading_the_web_stack_is_caught() -> None:
    # what `import helpdesk.web.extensions` loads, as an action module importing it would
    loaded = loaded_by_action_server(modules_after_import(["helpdesk.web.extensions"]))
    assert "flask" in loaded and "sqlalchemy" in loaded and "helpdesk.web.extensions" in loaded
    assert loaded_by_action_server(["helpdesk", "helpdesk.text.personal", "rasa_sdk"]) == []


def test_synthetic_second_nik_pattern_is_caught() -> None:
    source = textwrap.dedent(
        r"""
        import re
        TRACKING = re.compile(r"[A-Z]{2,5}-\d{4}-\d{6}")
        LONG_NUMBER = re.compile(r"(?<!\d)\d{10,}(?!\d)")
        NIK = re.compile(r"^\d{16}$")
        def check(text):
            return re.search(r"(?<!\d)\d{16}(?!\d)", text)
        """
    )
    assert nik_patterns({"helpdesk/services/x.py": source}) == [
        "helpdesk/services/x.py:5",
        "helpdesk/services/x.py:7",
    ]
