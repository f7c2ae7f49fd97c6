"""Every command's text for a terminal fits 80 columns (the report fits 50) without splitting
a word: each line is at most the width, and every word of the narrow text is a word of the
same text laid out wide (a word cut by a wrap, "becau" + "se", or cut short, "Open-s…", is
not). JSON, Markdown and HTML are for other programs and are not laid out to a width.

A diagnostic that starts with its ``file:line:column`` may be longer, as compilers print
them (see ``llmchoice.report.fit.LOCATED``)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from llmchoice.authoring import monotonicity, slack
from llmchoice.report.fit import LOCATED

from ._ruletools import ACME, run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "examples" / "middle-of-the-road.yaml"
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
WIDE = "140"

REPORTS = {
    # name: arguments of `recommend` (all with --format terminal)
    "example": [str(EXAMPLE)],
    "example-explained": [str(EXAMPLE), "--explain"],
    "ruled-out": ["--defaults", "--set", "data=on_premises", "--set", "expertise=strong",
                  "--explain"],
    "closed-with-cost": ["--defaults", "--set", "budget=large", "--set", "support=dedicated",
                         "--set", "expertise=none", "--set", "transparency=unimportant",
                         "--set", "monthly_tokens=5000", "--explain"],
    "unsure": ["--defaults", "--set", "budget=unsure", "--set", "expertise=unsure"],
}
COMMANDS = {
    # name: (arguments, text on stdin)
    "questions": (["questions"], None),
    "template": (["template"], None),
    "cost": (["cost", "-n", "500"], None),  # (--format terminal, and markdown for the words)
    "cost-small": (["cost", "-n", "5", "--model-class", "small", "--utilisation", "0.2"], None),
    "batch-summary": (["batch", "-", "--defaults", "--summary", "--output", "{tmp}/rows.jsonl"],
                      '{"budget": "minimal"}\n{"budget": "large", "expertise": "none"}\n'),
    "rules-validate": (["rules", "validate"], None),
    "rules-validate-overlay": (["rules", "validate", str(ACME)], None),
    "rules-test": (["rules", "test", "--coverage", "--verbose", "--slack"], None),
    "rules-analyze": (["rules", "analyze", "--samples", "20"], None),
    "rules-monotonicity": (["rules", "analyze", "--monotonicity", "--samples", "5"], None),
    "rules-diff": (["rules", "diff", "default", str(ACME), "--samples", "0"], None),
    "rules-show": (["rules", "show"], None),
}


TIMING = re.compile(r"^(Scored|Checked) .* in [\d.]+ s$", re.MULTILINE)


@pytest.fixture(autouse=True, scope="module")
def _analysed_once() -> Iterator[None]:
    """Each command runs twice, at the width checked and wide (only for its words); the
    wide run of `rules analyze --monotonicity` and `rules test --slack` reuses the
    analysis of the narrow one (seeded, so the same), which is most of their cost."""
    found: dict[tuple[object, ...], Any] = {}

    def once(fn: Callable[..., Any]) -> Callable[..., Any]:
        def cached(rs: Any, **kw: Any) -> Any:
            key = (fn.__name__, rs.sha256, rs.source, *sorted(kw.items()))
            if key not in found:
                found[key] = fn(rs, **kw)
            return found[key]
        return cached

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(monotonicity, "monotonicity", once(monotonicity.monotonicity))
        patch.setattr(slack, "slack", once(slack.slack))
        yield


@functools.cache
def _text(args: tuple[str, ...], stdin: str | None, columns: str) -> str:
    """What the command prints, on stdout and stderr (less the line of its timing)."""
    result = run(*args, env={"COLUMNS": columns}, input=stdin)
    assert result.exit_code in (0, 1), result.stderr
    return str(result.stdout) + TIMING.sub("", str(result.stderr))


def _problems(narrow: str, wide: str, width: int) -> list[str]:
    vocabulary = set(WORD.findall(wide))
    found = []
    for line in narrow.split("\n"):
        if len(line) > width and not LOCATED.match(line):
            found.append(f"{len(line)} columns: {line}")
        split = [w for w in WORD.findall(line) if w not in vocabulary]
        if split or ("…" in line and "…" not in wide):
            found.append(f"split {split}: {line}")
    return found


def _check(args: list[str], stdin: str | None, width: int, also: str = "") -> None:
    narrow = _text(tuple(args), stdin, str(width))
    wide = _text(tuple(args), stdin, WIDE) + also
    assert narrow.strip()
    assert _problems(narrow, wide, width) == []


@pytest.mark.parametrize("width", [80, 50])
@pytest.mark.parametrize("name", sorted(REPORTS))
def test_the_report_fits_the_width(name: str, width: int) -> None:
    args = ["recommend", *REPORTS[name], "--format", "terminal"]
    # the same words unwrapped: the Markdown report has every one on a line of its own
    markdown = _text(("recommend", *REPORTS[name], "--format", "markdown"), None, WIDE)
    _check(args, None, width, also=markdown)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_fits_80_columns(name: str, tmp_path_factory: pytest.TempPathFactory
                                       ) -> None:
    args, stdin = COMMANDS[name]
    tmp = tmp_path_factory.mktemp(name)
    args = [a.replace("{tmp}", str(tmp)) for a in args]
    if name == "batch-summary":
        # each run writes its rows to a file of its own
        narrow = run(*args, env={"COLUMNS": "80"}, input=stdin)
        args[-1] = str(tmp / "wide.jsonl")
        wide = run(*args, env={"COLUMNS": WIDE}, input=stdin)
        assert narrow.exit_code == 0, narrow.stderr
        assert "Summary of" in narrow.stdout  # (the rows went to the file)
        assert _problems(narrow.stdout + narrow.stderr, wide.stdout + wide.stderr + " rows",
                         80) == []
        return
    also = ""
    if args[0] == "cost":  # the sources, unwrapped
        also = _text((*args, "--format", "markdown"), None, WIDE)
        args = [*args, "--format", "terminal"]
    _check(args, stdin, 80, also=also)


def test_the_checks_catch_a_split_word_a_cut_word_and_a_long_line() -> None:
    wide = "Because the community answers, open-source LLM wins."
    assert _problems("Because the community answers, open-source\nLLM wins.", wide, 80) == []
    assert _problems("Because the commu\nnity answers", wide, 80) != []
    assert _problems("Open-s… LLM", wide, 80) != []
    assert _problems("x" * 81, "x" * 81, 80) != []
    located = "rules/a.yaml:12:5: warning: " + "long " * 20
    assert _problems(located, located, 80) == []
