"""Helpers shared by the rule-tooling tests: run the real CLI, write small rule sets."""

from __future__ import annotations

import textwrap
from pathlib import Path

from typer.testing import CliRunner

from llmchoice.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "rules" / "default.yaml"
ACME = ROOT / "examples" / "acme-overlay.yaml"


def run(*args: object, env: dict[str, str] | None = None, input: str | None = None):  # type: ignore[no-untyped-def]
    """Invoke the real command line; stdout and stderr stay separate. Text is laid out 250
    wide unless ``env`` sets COLUMNS, so that these tests read each line whole (the layout
    at 80 columns is tested in test_width.py)."""
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "250", **(env or {})},
                              input=input)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def pos(path: Path, needle: str, token: str | None = None, nth: int = 1) -> str:
    """``line:column`` of ``token`` (default: ``needle``) on the nth line containing ``needle``."""
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == nth:
                return f"{number}:{line.index(token or needle) + 1}"
    raise AssertionError(f"{needle!r} not in {path}")


def line_of(path: Path, needle: str) -> int:
    return int(pos(path, needle).split(":")[0])


# A small, valid rule set whose whole answer space is easy to reason about:
# budget decides open or closed; colour is asked but used by no rule.
SMALL = """
ruleset: {id: small, version: 1.0.0, title: Small, source: tests}
outcomes:
  open: {label: Open, summary: o}
  closed: {label: Closed, summary: c}
  hybrid: {label: Hybrid, summary: h}
tradeoffs:
  t.cost: {side: open, kind: perk, title: Cost, text: cheap}
  t.speed: {side: closed, kind: advantage, title: Speed, text: fast}
questions:
  - id: budget
    prompt: Budget?
    type: choice
    choices: [{value: low, label: Low}, {value: high, label: High}]
  - id: colour
    prompt: Colour?
    type: choice
    choices: [{value: red, label: Red}, {value: blue, label: Blue}]
rules:
  - id: cheap
    when: {budget: low}
    points: {open: 2}
    because: Low budget.
    cites: [t.cost]
  - id: rich
    when: {budget: high}
    points: {closed: 2, hybrid: 1}
    because: High budget.
    cites: [t.speed]
decision:
  tie_break: [hybrid, open, closed]
tests:
  - name: low budget is open
    answers: {budget: low, colour: red}
    expect: {recommendation: open, fired: [cheap], not_fired: [rich]}
  - name: high budget is closed
    answers: {budget: high, colour: blue}
    expect: {recommendation: closed, excluded: [], min_confidence: 0.5}
"""

# Every question type: a choice whose values YAML would misread, a multi, a number, a
# confirm, an optional multi, and a question asked only when another answer holds.
TYPES = """
ruleset: {id: types, version: 1.0.0, title: Types, source: tests}
outcomes:
  open: {label: Open, summary: o}
  closed: {label: Closed, summary: c}
tradeoffs:
  t.a: {side: open, kind: perk, title: A, text: a}
questions:
  - id: flag
    prompt: Flag?
    type: choice
    choices: [{value: "true", label: "Yes"}, {value: "null", label: Nothing},
              {value: "1.5", label: A number}]
  - id: tools
    prompt: Tools?
    type: multi
    choices: [{value: git, label: Git}, {value: svn, label: SVN}]
  - id: seats
    prompt: Seats?
    type: number
    min: 1
  - id: gpu
    prompt: GPU?
    type: confirm
  - id: extras
    prompt: Extras?
    type: multi
    required: false
    choices: [{value: a, label: A}, {value: b, label: B}]
  - id: follow
    prompt: Which one?
    type: choice
    when: {tools: {contains_any: [git]}}
    choices: [{value: x, label: X}, {value: y, label: Y}]
rules:
  - id: r1
    when: {flag: "true"}
    points: {open: 1}
    because: a
    cites: [t.a]
  - id: r2
    when: {seats: {gte: 10}}
    points: {closed: 1}
    because: a
    cites: [t.a]
  - id: r3
    when: {follow: x}
    points: {closed: 2}
    because: a
    cites: [t.a]
  - id: r4
    when: {all: [{gpu: true}, {extras: {contains_all: [a]}}]}
    points: {open: 2}
    because: a
    cites: [t.a]
decision: {tie_break: [open, closed]}
"""
