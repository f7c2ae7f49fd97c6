"""The commands of ``llmchoice`` that live outside :mod:`llmchoice.cli.app`, built only when
they are named (or asked for by ``--help``), so that ``recommend`` pays for none of them."""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperGroup

# Further commands live in llmchoice/cli/, each with register(app). They are
# loaded when first named (or when --help lists them), so that `recommend` does not
# pay for building every other command's options at each start (about 10 ms).
LAZY_COMMANDS = {"quiz": "quiz", "batch": "batch", "cost": "cost", "rules": "rules",
                  "schema": "rules", "team": "team", "revisit": "team", "form": "form"}


def load_command(name: str) -> Any:

    module = importlib.import_module(f"llmchoice.cli.{LAZY_COMMANDS[name]}")
    holder = typer.Typer(add_completion=False, rich_markup_mode=None,
                         pretty_exceptions_enable=False)
    module.register(holder)
    return typer.main.get_group(holder).commands[name]


# What `llmchoice --help` lists for each lazy command, so that the help does not load
# and build every command (about 25 ms); tests/test_help.py checks it against each
# command's own short_help. A lazy command missing here is loaded to ask it.
LAZY_SHORT_HELP = {
    "quiz": "Answer the questions interactively, then get the report.",
    "batch": "Score many answer sets: JSONL or CSV in, a row per line out.",
    "cost": "Estimate API bills against self-hosting open weights.",
    "rules": "Rule-set tooling: validate, test, analyze, diff, show, schema.",
    "schema": "JSON Schemas of answers files, for editors.",
    "team": "Merge several people's answers; show where they disagree.",
    "revisit": "Re-check a decision record: does it still hold?",
    "form": "Write an HTML answer form to fill in a browser.",
}


class LazyGroup(TyperGroup):
    """The root group: the commands of :data:`LAZY_COMMANDS` are built when first named."""

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """As typer's, without loading the lazy commands to ask their short help."""
        shown: list[tuple[str, Any]] = []
        for name in self.list_commands(ctx):
            if name not in self.commands and name in LAZY_SHORT_HELP:
                shown.append((name, None))
                continue
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                shown.append((name, cmd))
        if not shown:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in shown)
        rows = [(name, cmd.get_short_help_str(limit) if cmd is not None
                 else LAZY_SHORT_HELP[name]) for name, cmd in shown]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def list_commands(self, ctx: Any) -> list[str]:
        listed = super().list_commands(ctx)
        return [*listed, *(n for n in LAZY_COMMANDS if n not in listed)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        found = super().get_command(ctx, cmd_name)
        if found is None and cmd_name in LAZY_COMMANDS:
            found = load_command(cmd_name)
            self.add_command(found, cmd_name)
        return found
