"""Every ``--help`` tells the truth: each option it mentions exists on the command it is
mentioned for, each format its ``--format`` lists is accepted (and each accepted format is
listed), each extension its ``--output`` names picks a format the command has, and nothing
is cut short with "..." at 80 columns."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from llmchoice.cli.app import app

from ._ruletools import SMALL, run, write

REPO = Path(__file__).resolve().parent.parent

ROOT = typer.main.get_command(app)
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z-]*)(?:[ =]([a-z]+))?")
# a command line in a help: 'llmchoice cmd sub ...' up to a quote or the end of the line
EXAMPLE = re.compile(r"\bllmchoice((?: [a-z]+)+)[^'\"]*")
CANDIDATES = ("terminal", "markdown", "json", "html", "text", "jsonl", "csv", "yaml")


def _is_group(cmd: Any) -> bool:
    return hasattr(cmd, "list_commands")


def _commands(cmd: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command under ``cmd`` (typer's click is vendored: duck typing, no click)."""
    yield path, cmd
    if _is_group(cmd):
        for name in cmd.list_commands(None):
            sub = cmd.get_command(None, name)
            assert sub is not None, name
            yield from _commands(sub, (*path, name))


COMMANDS = dict(_commands(ROOT, ()))


def _options(path: tuple[str, ...]) -> set[str]:
    """The options of a command; of a group, those of every command under it."""
    found = {"--help", "-h"}
    for other, cmd in COMMANDS.items():
        if other[:len(path)] == path and (other == path or _is_group(COMMANDS[path])):
            for p in cmd.params:
                found.update(o for o in (*p.opts, *p.secondary_opts) if o.startswith("-"))
    return found


def _help(path: tuple[str, ...]) -> str:
    result = run(*path, "--help", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


def _named_command(words: str) -> tuple[str, ...] | None:
    """The longest run of ``words`` (after 'llmchoice') that names a command."""
    parts = tuple(words.split())
    for n in range(len(parts), 0, -1):
        if parts[:n] in COMMANDS:
            return parts[:n]
    return None


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=lambda p: " ".join(p) or "llmchoice")
def test_every_option_a_help_mentions_exists(path: tuple[str, ...]) -> None:
    text = _help(path)
    wrong = []
    for line in text.splitlines():
        spans = [(path, EXAMPLE.sub("", line))]  # the prose is about this command
        for example in EXAMPLE.finditer(line):
            spans.append((_named_command(example.group(1)) or path, example.group(0)))
        for owner, span in spans:
            for option, _ in OPTION.findall(span):
                if option not in _options(owner):
                    wrong.append(f"{' '.join(owner) or 'llmchoice'} {option}: {line.strip()}")
    assert wrong == []


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=lambda p: " ".join(p) or "llmchoice")
def test_help_fits_80_columns_and_cuts_nothing_short(path: tuple[str, ...]) -> None:
    text = _help(path)
    assert [line for line in text.splitlines() if len(line) > 80] == []
    listed = text.split("\nCommands:\n", 1)[1] if "\nCommands:\n" in text else ""
    assert "..." not in listed and "…" not in listed


TEAM = [str(REPO / "examples" / "team" / f"{who}.yaml") for who in ("cto", "finance")]


def _record(folder: Path) -> Path:
    """A decision record for ``revisit`` to read (written once per folder)."""
    record = folder / "decision.md"
    if not record.exists():
        result = run("recommend", str(REPO / "examples" / "answers" / "startup.yaml"),
                     "--format", "adr", "--output", record)
        assert result.exit_code == 0, result.stderr
    return record


# How to run each command that has --format, quickly and without a terminal.
def _format_args(path: tuple[str, ...], small: Path) -> list[str]:
    how = {
        ("recommend",): ["--defaults"],
        ("questions",): [],
        ("quiz",): [],  # refuses for want of a terminal, after checking --format
        ("batch",): ["-", "--defaults"],
        ("cost",): ["-n", "5"],
        ("rules", "test"): [str(small), "--slack"],
        ("rules", "analyze"): [str(small)],
        ("rules", "diff"): [str(small), str(small)],
        ("team",): TEAM,
        ("revisit",): [str(_record(small.parent))],
    }
    assert path in how, f"a new command with --format: say here how to run {path} quickly"
    return how[path]


def _listed_formats(text: str) -> set[str]:
    """The formats a --format help lists: the words before its first full stop."""
    flat = " ".join(text.split())
    match = re.search(r"--format FORMAT\s+(?:Report format: )?([^.]*)\.", flat)
    assert match, "no --format help"
    return {w for w in re.findall(r"[a-z]+", match.group(1)) if w in CANDIDATES}


FORMAT_COMMANDS = sorted(p for p, c in COMMANDS.items()
                         if any("--format" in p.opts for p in c.params))


@pytest.mark.parametrize("path", FORMAT_COMMANDS, ids=" ".join)
def test_each_format_a_help_lists_is_accepted_and_no_other(path: tuple[str, ...],
                                                            tmp_path: Path) -> None:
    small = write(tmp_path, "small.yaml", SMALL)
    listed = _listed_formats(_help(path))
    accepted = set()
    for fmt in CANDIDATES:
        result = run(*path, *_format_args(path, small), "--format", fmt,
                     input='{"budget": "minimal"}\n')
        refused = result.exit_code == 2 and "--format" in result.stderr
        if not refused:
            accepted.add(fmt)
    assert listed == accepted


OUTPUT_COMMANDS = sorted(p for p, c in COMMANDS.items()
                         if any("--output" in p.opts for p in c.params) and p != ("quiz",))


@pytest.mark.parametrize("path", OUTPUT_COMMANDS, ids=" ".join)
def test_each_extension_an_output_help_names_is_written(path: tuple[str, ...],
                                                         tmp_path: Path) -> None:
    """quiz shares recommend's --output and needs a terminal; batch has its own extensions."""
    text = " ".join(_help(path).split())
    help_of_output = text.split("--output FILE", 1)[1].split(" --force ", 1)[0]
    named = re.findall(r"(\.[a-z]+)\b", help_of_output)
    if path in (("recommend",), ("cost",)):
        assert ".md" in named and ".json" in named
    args = {("recommend",): ["--defaults"], ("cost",): ["-n", "5"],
            ("batch",): ["-", "--defaults"], ("team",): TEAM,
            ("revisit",): [str(_record(tmp_path))]}.get(path, [])
    for ext in named:
        target = tmp_path / f"out{ext}"
        result = run(*path, *args, "--output", target, input='{"budget": "minimal"}\n')
        assert result.exit_code == 0, (ext, result.stderr)
        assert target.stat().st_size > 0


@pytest.mark.parametrize(("path", "ext"), [(("template",), ".json"), (("template",), ".md"),
                                           (("rules", "schema"), ".md"),
                                           (("schema", "answers"), ".html")])
def test_a_one_format_command_refuses_an_extension_of_another(
        path: tuple[str, ...], ext: str, tmp_path: Path) -> None:
    target = tmp_path / f"out{ext}"
    result = run(*path, "--output", target)
    assert result.exit_code == 2
    assert f"not {ext}" in result.stderr
    assert not target.exists()


def test_root_help_lists_lazy_commands_with_their_own_short_help() -> None:
    """`llmchoice --help` shows the lazy commands' short help from a table, without
    loading them; the table says what each command itself says."""
    from llmchoice.cli.lazy import LAZY_COMMANDS, LAZY_SHORT_HELP, load_command

    assert set(LAZY_SHORT_HELP) == set(LAZY_COMMANDS)
    for name, text in LAZY_SHORT_HELP.items():
        assert load_command(name).short_help == text, name
    shown = _help(())
    for name, text in LAZY_SHORT_HELP.items():
        assert " ".join(text.split()) in " ".join(shown.split()), name
