"""Code shape: modules under 400 lines and functions under 60, unless a reason is written.

A module or a function over its limit passes only when it is listed below *and* its
module's docstring has a line starting with ``Long:`` that says why; the two in PENDING
are being edited elsewhere and carry their reason here. A listed one that is back
under its limit fails too, so the lists only ever shrink: a new long function needs
either a split or a reason, never silence.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import llmchoice

PACKAGE = Path(llmchoice.__file__).parent

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

# Modules (relative to llmchoice/) allowed over MAX_MODULE_LINES; each says why ("Long:").
LONG_MODULES: frozenset[str] = frozenset()

# Functions allowed over MAX_FUNCTION_LINES, by module; each module says why ("Long:").
LONG_FUNCTIONS: dict[str, frozenset[str]] = {
    "batch/stream.py": frozenset({"run"}),  # the hot per-line loop
    "batch/fast.py": frozenset({"fast_rows"}),  # the hot per-line path of plain rows
    "cli/app.py": frozenset({"recommend"}),  # typer: the options are the signature
    "cli/batch.py": frozenset({"batch"}),  # typer: the options are the signature
    "cli/cost.py": frozenset({"register", "register.cost"}),
    "cli/quiz.py": frozenset({"quiz"}),
}

# Functions over the limit that other work is changing now: (module, function) -> reason.
PENDING: dict[tuple[str, str], str] = {
}


def function_lengths(tree: ast.Module) -> dict[str, int]:
    """Every function and method by dotted name (``Class.method``, ``outer.inner``): its
    lines from ``def`` to its last line, docstring included, decorators not."""
    out: dict[str, int] = {}

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = prefix + child.name
                if not isinstance(child, ast.ClassDef):
                    assert child.end_lineno is not None
                    out[name] = child.end_lineno - child.lineno + 1
                walk(child, name + ".")
            else:
                walk(child, prefix)

    walk(tree, "")
    return out


def long_reason(tree: ast.Module) -> str:
    """The text of the module docstring's ``Long:`` line ('' when there is none)."""
    doc = ast.get_docstring(tree) or ""
    for line in doc.splitlines():
        if line.startswith("Long:"):
            return line.removeprefix("Long:").strip()
    return ""


@functools.cache
def modules() -> dict[str, tuple[int, ast.Module]]:
    """Module path (relative to llmchoice/) -> (its line count, its syntax tree); read
    once a run (the tests only read them)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        out[path.relative_to(PACKAGE).as_posix()] = (len(text.splitlines()), ast.parse(text))
    return out


def test_no_module_is_over_the_limit_without_a_reason() -> None:
    over = {name: n for name, (n, _) in modules().items() if n > MAX_MODULE_LINES}
    unlisted = sorted(f"{name} ({n} lines)" for name, n in over.items()
                      if name not in LONG_MODULES)
    assert unlisted == [], (f"over {MAX_MODULE_LINES} lines: split by role, or write a "
                            "'Long:' reason in the module docstring and list it here")


def test_no_function_is_over_the_limit_without_a_reason() -> None:
    found = []
    for name, (_, tree) in modules().items():
        for func, n in function_lengths(tree).items():
            if n > MAX_FUNCTION_LINES and (name, func) not in PENDING and \
                    func not in LONG_FUNCTIONS.get(name, ()):
                found.append(f"{name}: {func} ({n} lines)")
    assert found == [], (f"over {MAX_FUNCTION_LINES} lines: split it, or write a 'Long:' "
                         "reason in the module docstring and list the function here")


def test_every_listed_exception_gives_its_reason_and_is_still_needed() -> None:
    mods = modules()
    problems = []
    for name in sorted(LONG_MODULES | set(LONG_FUNCTIONS)):
        if name not in mods:
            problems.append(f"{name}: no such module")
            continue
        if not long_reason(mods[name][1]):
            problems.append(f"{name}: listed, but its docstring has no 'Long:' line")
    for name in sorted(LONG_MODULES):
        if name in mods and mods[name][0] <= MAX_MODULE_LINES:
            problems.append(f"{name}: back under {MAX_MODULE_LINES} lines; unlist it")
    listed = [(m, f) for m, fs in LONG_FUNCTIONS.items() for f in fs] + list(PENDING)
    for name, func in sorted(listed):
        n = function_lengths(mods[name][1]).get(func, 0) if name in mods else 0
        if n <= MAX_FUNCTION_LINES:
            problems.append(f"{name}: {func} is {n} lines, not over {MAX_FUNCTION_LINES}; "
                            "unlist it (and drop the 'Long:' line if nothing else needs it)")
    assert problems == []


def test_lengths_count_each_function_from_def_to_its_last_line() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    source = (f'"""Doc.\n\nLong: because.\n"""\n\n@decorator\ndef long():\n{body}\n\n\n'
              "class K:\n    def short(self):\n        def inner():\n            pass\n"
              "        return 1\n")
    tree = ast.parse(source)
    assert function_lengths(tree) == {"long": MAX_FUNCTION_LINES + 1, "K.short": 4,
                                      "K.short.inner": 2}
    assert long_reason(tree) == "because."
    assert long_reason(ast.parse('"""Doc.\n\nNot Long: here.\n"""\n')) == ""
