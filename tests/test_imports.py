"""Imports: none inside a function except the listed lazy ones, and no import cycle.

Start-up stays fast because the CLI imports a command's modules (and rich,
questionary, prompt_toolkit, one report renderer) only when that command runs.
Every such import is listed here with its reason and carries a ``# lazy:``
comment in the code; any other import inside a function fails, and so does a
cycle among the package's module-level imports.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import llmchoice

PACKAGE = Path(llmchoice.__file__).parent

COMMAND = "only this command needs these; --help stays fast"
RICH = "rich: terminal output only"
QUIZ = "questionary/prompt_toolkit: the interactive quiz only"
RENDERER = "only the report format asked for"
TEMPFILE = "only commands that write files need it"
COST = "only reports with a volume need the cost model"
UNSURE = "only answers with an unsure question need the compiled evaluator"
GC = "the collector is set before typer and the commands are imported"
UNICODE = "only a name beyond ASCII needs the Unicode database (0.2 ms of start-up)"
OUTPUT = "only --output needs the atomic writer"
REACH = "only reports with open questions or a target need the reach (about 3 ms)"
OVERLAY = "only a rule set that extends another needs the overlay merge"
YAML = "PyYAML only for text that is not plain JSON (answers files, uncached rule sets)"

# (module, imported module, reason): the only imports allowed inside a function.
ALLOWED: tuple[tuple[str, str, str], ...] = (
    ('llmchoice.cli.app', 'llmchoice.answers.validate', COMMAND),
    ('llmchoice.cli.app', 'llmchoice.report', COMMAND),
    ('llmchoice.cli.app', 'llmchoice.ruleset.load', COMMAND),
    ('llmchoice.cli.app', 'llmchoice.report.questions_json', COMMAND),
    ('llmchoice.cli.app', 'llmchoice.report.questions_md', COMMAND),
    ('llmchoice.cli.app', 'llmchoice.report.ruleset', COMMAND),
    ('llmchoice.cli.app', 'llmchoice.answers.template', COMMAND),
    ('llmchoice.cli.batch', 'llmchoice.batch.stream', COMMAND),
    ('llmchoice.cli.batch', 'llmchoice.decide.compiled', COMMAND),
    ('llmchoice.cli.batch', 'llmchoice.ruleset.load', COMMAND),
    ('llmchoice.cli.batch', 'llmchoice.report.batch', COMMAND),
    ('llmchoice.cli.common', 'llmchoice.answers.meta', COMMAND),
    ('llmchoice.cli.common', 'llmchoice.answers.show', COMMAND),
    ('llmchoice.cli.batch', 'llmchoice.io.yamlio', COMMAND),
    ('llmchoice.cli.common', 'llmchoice.cost.for_answers', COMMAND),
    ('llmchoice.cli.common', 'llmchoice.decide.engine', COMMAND),
    ('llmchoice.cli.common', 'llmchoice.decide.explain', COMMAND),
    ('llmchoice.cli.common', 'llmchoice.decide.partial', REACH),
    ('llmchoice.ruleset.load', 'llmchoice.ruleset.overlay', OVERLAY),
    ('llmchoice.report.reach_view', 'llmchoice.decide.reach_paths', REACH),
    ('llmchoice.report.still_open', 'llmchoice.report.reach_view', REACH),
    ('llmchoice.io.textsafe', 'unicodedata', UNICODE),
    ('llmchoice.answers.meta', 'unicodedata', UNICODE),
    ('llmchoice.cli.common', 'llmchoice.io.atomic', OUTPUT),
    ('llmchoice.cli.common', 'llmchoice.report', COMMAND),
    ('llmchoice.cli.cost', 'llmchoice.cost.assumptions', COMMAND),
    ('llmchoice.cli.team', 'llmchoice.answers.meta', COMMAND),
    ('llmchoice.cli.team', 'llmchoice.report.team', COMMAND),
    ('llmchoice.cli.team', 'llmchoice.ruleset.load', COMMAND),
    ('llmchoice.cli.team', 'llmchoice.team.analysis', COMMAND),
    ('llmchoice.cli.team', 'llmchoice.team.people', COMMAND),
    ('llmchoice.cli.team', 'llmchoice.report.adr', COMMAND),
    ('llmchoice.cli.team', 'llmchoice.answers.validate', COMMAND),
    ('llmchoice.cli.team', 'llmchoice.cost.assumptions', COMMAND),
    ('llmchoice.cli.team', 'llmchoice.record.block', COMMAND),
    ('llmchoice.cli.team', 'llmchoice.record.revisit', COMMAND),
    ('llmchoice.cli.team', 'llmchoice.report.revisit', COMMAND),
    ('llmchoice.cli.form', 'llmchoice.report.form', COMMAND),
    ('llmchoice.cli.form', 'llmchoice.ruleset.load', COMMAND),
    ('llmchoice.cli.cost', 'llmchoice.cost.estimate', COMMAND),
    ('llmchoice.cli.cost', 'llmchoice.report.cost', COMMAND),
    ('llmchoice.cli.quiz', 'prompt_toolkit.output', QUIZ),
    ('llmchoice.cli.quiz', 'llmchoice.report', COMMAND),
    ('llmchoice.cli.quiz', 'llmchoice.answers.validate', COMMAND),
    ('llmchoice.cli.quiz', 'llmchoice.quiz.flow', COMMAND),
    ('llmchoice.cli.quiz', 'llmchoice.quiz.prompts', COMMAND),
    ('llmchoice.cli.quiz', 'llmchoice.ruleset.load', COMMAND),
    ('llmchoice.cli.quiz', 'rich.markup', RICH),
    ('llmchoice.cli.rules', 'llmchoice.authoring.lint', COMMAND),
    ('llmchoice.cli.rules', 'llmchoice.ruleset.load', COMMAND),
    ('llmchoice.cli.rules', 'llmchoice.ruleset.overlay', COMMAND),
    ('llmchoice.cli.rules', 'llmchoice.authoring.ruletest', COMMAND),
    ('llmchoice.cli.rules', 'llmchoice.report.authoring', COMMAND),
    ('llmchoice.cli.rules_run', 'llmchoice.report.authoring', COMMAND),
    ('llmchoice.cli.rules', 'llmchoice.authoring.analysis', COMMAND),
    ('llmchoice.cli.rules_run', 'llmchoice.authoring.monotonicity', COMMAND),
    ('llmchoice.cli.rules_run', 'llmchoice.authoring.slack', COMMAND),
    ('llmchoice.cli.rules_run', 'llmchoice.report.ruletest_formats', COMMAND),
    ('llmchoice.cli.rules', 'llmchoice.authoring.limits', COMMAND),
    ('llmchoice.cli.rules', 'llmchoice.report.ruleset', COMMAND),
    ('llmchoice.cli.rules', 'llmchoice.report.fit', COMMAND),
    ('llmchoice.cli.rules', 'llmchoice.ruleset.schema', COMMAND),
    ('llmchoice.cost.for_answers', 'llmchoice.cost.estimate', COST),
    ('llmchoice.decide.engine', 'llmchoice.decide.unsure', UNSURE),
    ('llmchoice.io.yamlio', 'yaml', YAML),
    ('llmchoice.cli', 'llmchoice.cli.app', GC),
    ('llmchoice.io.doccache', 'tempfile', TEMPFILE),
    ('llmchoice.io.atomic', 'tempfile', TEMPFILE),
    ('llmchoice.quiz.prompts', 'rich.console', RICH),
    ('llmchoice.quiz.prompts', 'questionary', QUIZ),
    ('llmchoice.quiz.prompts', 'prompt_toolkit.key_binding', QUIZ),
    ('llmchoice.quiz.prompts', 'prompt_toolkit.keys', QUIZ),
    ('llmchoice.quiz.ticks', 'rich.text', RICH),
    ('llmchoice.quiz.prompts', 'questionary', QUIZ),
    ('llmchoice.quiz.prompts', 'rich', RICH),
    ('llmchoice.quiz.prompts', 'rich.markup', RICH),
    ('llmchoice.quiz.prompts', 'rich.table', RICH),
    ('llmchoice.report', 'llmchoice.report.json_report', RENDERER),
    ('llmchoice.report', 'llmchoice.report.adr', RENDERER),
    ('llmchoice.report.team', 'llmchoice.report.team_json', RENDERER),
    ('llmchoice.report.team', 'llmchoice.report.team_terminal', RENDERER),
    ('llmchoice.report.team', 'llmchoice.report.team_text', RENDERER),
    ('llmchoice.report', 'llmchoice.report.markdown', RENDERER),
    ('llmchoice.report', 'llmchoice.report.html', RENDERER),
    ('llmchoice.report', 'llmchoice.report.terminal', RENDERER),
    ('llmchoice.report.cost', 'llmchoice.report.markdown', RENDERER),
    ('llmchoice.report.cost', 'rich', RICH),
    ('llmchoice.report.cost', 'rich.console', RICH),
    ('llmchoice.report.cost', 'rich.markup', RICH),
    ('llmchoice.report.cost', 'rich.panel', RICH),
    ('llmchoice.report.cost', 'rich.table', RICH),
    ('llmchoice.report.cost', 'rich.text', RICH),
    ('llmchoice.report.json_report', 'llmchoice.cost.estimate', COST),
    ('llmchoice.report.costline', 'llmchoice.report.costview', COST),
    ('llmchoice.report.path_notes', 'llmchoice.cost.estimate', COST),
    ('llmchoice.report.path_notes', 'llmchoice.report.costview', COST),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache
def parsed() -> tuple[tuple[Path, str, str, ast.Module], ...]:
    """Every module of the package: its path, name, text and syntax tree (parsed once a
    run; the tests only read them)."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        out.append((path, module_name(path), text, ast.parse(text, str(path))))
    return tuple(out)


def modules() -> dict[str, ast.Module]:
    return {name: tree for _, name, _, tree in parsed()}


def _names(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """Full dotted names: ``a.b`` for ``import a.b``, ``a.b.c`` for ``from a.b import c``."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    base = node.module or ""
    if node.level:
        parts = module.split(".")
        keep = len(parts) - node.level + (1 if is_package else 0)
        base = ".".join([*parts[:keep], *([base] if base else [])])
    return [f"{base}.{a.name}" for a in node.names]


def _sources(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The modules an import statement reads: ``a.b`` for ``import a.b`` and for
    ``from a.b import c`` (the allow-list is kept per module, not per name)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    return [_names(node, module, is_package)[0].rpartition(".")[0]]


def function_level_imports(tree: ast.Module) -> list[tuple[int, ast.Import | ast.ImportFrom]]:
    """Every import statement inside a function or method body, with its line."""
    found: list[tuple[int, ast.Import | ast.ImportFrom]] = []

    def walk(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if in_function and isinstance(child, ast.Import | ast.ImportFrom):
                found.append((child.lineno, child))
            walk(child, in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    walk(tree, False)
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def module_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports that run when the module is imported (not in functions, not TYPE_CHECKING)."""
    found: list[ast.Import | ast.ImportFrom] = []

    def walk(body: list[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, ast.Import | ast.ImportFrom):
                found.append(stmt)
            elif isinstance(stmt, ast.If):
                if not _is_type_checking(stmt):
                    walk(stmt.body)
                walk(stmt.orelse)
            elif isinstance(stmt, ast.Try):
                for block in (stmt.body, stmt.orelse, stmt.finalbody,
                              *(h.body for h in stmt.handlers)):
                    walk(block)
            elif isinstance(stmt, ast.With | ast.ClassDef):
                walk(stmt.body)

    walk(tree.body)
    return found


def import_graph(trees: dict[str, ast.Module]) -> dict[str, set[str]]:
    """Module -> the package modules it imports at module level (and their packages)."""
    graph: dict[str, set[str]] = {name: set() for name in trees}
    for name, tree in trees.items():
        is_package = (PACKAGE.parent / name.replace(".", "/") / "__init__.py").exists()
        for node in module_level_imports(tree):
            for full in _names(node, name, is_package):
                target = full if full in trees else full.rpartition(".")[0]
                while target in trees and target != name:
                    if not name.startswith(target + "."):  # one's own package is a parent
                        graph[name].add(target)
                    target = target.rpartition(".")[0]
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a path ``[a, b, ..., a]``, or ``None``."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)) is not None:
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)) is not None:
            return found
    return None


def _comment_above(lines: list[str], lineno: int) -> str:
    """The ``# lazy:`` text that covers the import at ``lineno``: on its own line, or on the
    nearest line above it, past the other imports and blank lines of its block."""
    own = lines[lineno - 1]
    if "# lazy:" in own:
        return own.split("# lazy:", 1)[1].strip()
    i = lineno - 2
    while i >= 0:
        text = lines[i].strip()
        if text.startswith("# lazy:"):
            return text.removeprefix("# lazy:").strip()
        if text and not (text.startswith(("from ", "import ", ")")) or text.endswith(",")):
            return ""
        i -= 1
    return ""


def test_only_the_listed_lazy_imports_are_inside_functions() -> None:
    found: set[tuple[str, str]] = set()
    for path, name, _, tree in parsed():
        for _, node in function_level_imports(tree):
            found.update((name, full) for full in _sources(node, name, path.name == "__init__.py"))
    allowed = {(m, n) for m, n, _ in ALLOWED}
    assert sorted(found - allowed) == [], "imports inside functions that are not lazy by design"
    assert sorted(allowed - found) == [], "allow-list entries that no longer exist"


def test_every_lazy_import_says_why_in_the_code() -> None:
    reasons = {(m, n): r for m, n, r in ALLOWED}
    missing = []
    for path, name, text, tree in parsed():
        lines = text.split("\n")  # as the parser counts lines
        for lineno, node in function_level_imports(tree):
            comment = _comment_above(lines, lineno)
            for full in _sources(node, name, path.name == "__init__.py"):
                if reasons.get((name, full), "\0") not in comment:
                    missing.append(f"{name}:{lineno} {full}: '# lazy: {reasons.get((name, full))}'")
    assert missing == []


def test_the_module_level_imports_have_no_cycle() -> None:
    graph = import_graph(modules())
    assert find_cycle(graph) is None
    # the loader resolves overlays (importing overlay only for a rule set with extends:);
    # overlay and the parsers never import the loader back
    assert "llmchoice.ruleset.overlay" not in graph["llmchoice.ruleset.load"]
    for name in ("llmchoice.ruleset.overlay", "llmchoice.ruleset.parse",
                 "llmchoice.answers.validate", "llmchoice.ruleset.model"):
        assert "llmchoice.ruleset.load" not in graph[name], name
    assert {g for g in graph["llmchoice.answers.validate"] if g.startswith("llmchoice.ruleset")} \
        <= {"llmchoice.ruleset", "llmchoice.ruleset.model", "llmchoice.ruleset.conditions",
            "llmchoice.ruleset.keys"}


def test_the_checks_catch_what_they_look_for() -> None:
    tree = ast.parse("import os\n\ndef f():\n    from json import dumps\n    return dumps\n")
    assert [(n, _names(s, "m", False)) for n, s in function_level_imports(tree)] == \
        [(4, ["json.dumps"])]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    typed = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import x\n")
    assert [_names(s, "m", False) for s in module_level_imports(typed)] == \
        [["typing.TYPE_CHECKING"]]
