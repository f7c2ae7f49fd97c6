"""The command line (typer only): parses arguments, calls the other rooms, maps errors to exit
codes.

:func:`main` is the entry point of the ``llmchoice`` script and ``python -m llmchoice``.
"""

from __future__ import annotations

import gc
import sys

# Commands that do one bounded piece of work and exit (and the root's --help/--version):
# they run with the garbage collector paused. Start-up allocates some 40,000 objects,
# which otherwise trigger about 70 collections that find almost nothing (7 % of
# `recommend`'s CPU time, benchmarks/README.md); reference counting still frees all
# that is not in a cycle. Every other command (batch, rules analyze, the quiz, ...)
# can run long and keeps the collector.
SHORT_COMMANDS = frozenset({"recommend", "questions", "template"})


def pauses_gc(argv: list[str]) -> bool:
    """Whether the command line ``argv`` (without the program) runs with the collector
    paused: a short command, or no command (the root's help, version or usage)."""
    first = argv[0] if argv else ""
    return first in SHORT_COMMANDS or not first or first.startswith("-")


def main() -> None:
    """Run the command line (see :func:`llmchoice.cli.app.main`).

    A short command also freezes every object when it ends (its output is written and
    flushed by then): the interpreter's last collections, which walk every object the
    run made (the rule set, typer's and our modules) only to free memory the process
    returns anyway, then skip them. That was 12-15 ms of `recommend`'s 75-90 ms
    (benchmarks/README.md). Exit handlers, flushing and the exit code are unchanged.
    """
    short = pauses_gc(sys.argv[1:])
    if short:
        gc.disable()
    try:
        # lazy: the collector is set before typer and the commands are imported
        from llmchoice.cli.app import main as run

        run()
    finally:
        if short:
            gc.freeze()
