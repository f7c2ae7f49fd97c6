"""``llmchoice quiz``: the interactive questionnaire, then the report.

Long: typer commands declare their options in the signature; the bodies stay short.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from llmchoice.cli.common import (
    OutputOption,
    RulesOption,
    choose_format,
    early_check_output,
    emit,
    handle_errors,
    output_path,
    report_text,
)
from llmchoice.io.atomic import check_target, write_atomic
from llmchoice.io.errors import UsageError
from llmchoice.io.textsafe import clean_line

if TYPE_CHECKING:
    from collections.abc import Mapping

    from prompt_toolkit.output import Output

    from llmchoice.quiz.prompts import QuestionaryAsker
    from llmchoice.ruleset.conditions import Answer
    from llmchoice.ruleset.model import RuleSet

NO_TERMINAL = (
    "llmchoice quiz: standard input is not a terminal, so the quiz cannot ask its questions.\n"
    "Without a terminal, answer in a file instead:\n"
    "  llmchoice template > answers.yaml     # fill it in, then\n"
    "  llmchoice recommend answers.yaml      # or: llmchoice recommend - < answers.yaml\n"
    "In a terminal, 'llmchoice quiz --answers answers.yaml' asks only what the file\n"
    "leaves open."
)
NO_SCREEN = (
    "llmchoice quiz: neither standard output nor standard error is a terminal, so there is "
    "nowhere to show the questions; use 'llmchoice recommend FILE' to answer from a file."
)

FormatOption = Annotated[
    str | None,
    typer.Option("--format", "-f", metavar="FORMAT",
                 help="Report format: terminal, markdown, json or html. Default: terminal "
                      "on a terminal, else from --output's extension, else markdown.",
                 show_default=False),
]


def _isatty(stream: IO[str] | None) -> bool:
    try:
        return stream is not None and not stream.closed and stream.isatty()
    except (AttributeError, ValueError):
        return False


def _screen() -> tuple[IO[str], Output | None, bool]:
    """Where the questions go: stdout if it is a terminal, else stderr (so that
    ``llmchoice quiz --format json > report.json`` still shows them)."""
    if not _isatty(sys.stdin):
        raise UsageError(NO_TERMINAL)
    if _isatty(sys.stdout):
        ui: IO[str] = sys.stdout
        pt_output = None
    elif _isatty(sys.stderr):
        # lazy: questionary/prompt_toolkit: the interactive quiz only
        from prompt_toolkit.output import create_output

        ui, pt_output = sys.stderr, create_output(stdout=sys.stderr)
    else:
        raise UsageError(NO_SCREEN)
    color = not os.environ.get("NO_COLOR") and os.environ.get("TERM", "") != "dumb"
    return ui, pt_output, color


def quiz(
    answers_file: Annotated[
        Path | None,
        typer.Option("--answers", "-a", metavar="FILE", dir_okay=False,
                     help="Start from the answers in FILE (YAML or JSON, as 'recommend' "
                          "reads); only the questions it leaves open are asked.",
                     show_default=False),
    ] = None,
    ask: Annotated[
        list[str] | None,
        typer.Option("--ask", metavar="ID",
                     help="Ask this question even if --answers answers it (repeatable).",
                     show_default=False),
    ] = None,
    save: Annotated[
        Path | None,
        typer.Option("--save", metavar="FILE", parser=save_path,
                     help="Write the answers to FILE (YAML, or JSON for .json) for "
                          "'llmchoice recommend FILE' or a later --answers.",
                     show_default=False),
    ] = None,
    rules: RulesOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Let --output and --save replace existing files.")
    ] = False,
    adaptive: Annotated[
        bool, typer.Option("--adaptive/--fixed",
                           help="--adaptive (the default): ask next the question that best "
                                "separates the outcomes still possible, and offer to stop once "
                                "the rest cannot change the recommendation (they are saved as "
                                "not_asked). --fixed: every question, in the rule set's order.")
    ] = True,
) -> None:
    """Answer the questions interactively, review them, and get the recommendation.

    The most telling question comes first, with one line on why; once the
    questions left cannot change the recommendation, the quiz offers to stop
    (--fixed asks all, in order). Every question shows its help and progress;
    Esc goes back, any question can be skipped as "not sure", and a review at
    the end lets you change any answer or start over. Ctrl-C quits (exit 130) without writing
    anything. Needs a terminal: without one, use 'llmchoice recommend FILE'.

    \b
    Examples:
      llmchoice quiz
      llmchoice quiz --save answers.yaml
      llmchoice quiz --answers answers.yaml --ask budget -o report.md
    """
    # lazy: only this command needs these; --help stays fast
    from llmchoice.report import EXTENSIONS, FORMATS

    chosen = choose_format(fmt, output, FORMATS, EXTENSIONS)
    _check_files(answers_file, save, output, force, rules)

    # lazy: only this command needs these; --help stays fast
    from llmchoice.quiz.flow import check_ids, run
    from llmchoice.quiz.prompts import QuestionaryAsker
    from llmchoice.ruleset.load import load_ruleset

    rs = load_ruleset(rules)
    reask = check_ids(rs, ask or [])
    prefill, source = _prefill(rs, answers_file)

    # Everything that can be checked without asking has been: now the terminal question.
    ui, pt_output, color = _screen()
    asker = QuestionaryAsker(pt_output=pt_output, ui=ui, color=color)
    _intro(asker, rs, prefill, source, reask, adaptive=adaptive)
    resolved = run(rs, asker, prefill=prefill, reask=reask, adaptive=adaptive)

    if save is not None:
        _save(rs, resolved.answers, save, force, unsure=resolved.unsure,
              not_asked=resolved.not_asked)
    text = report_text(rs, resolved, chosen, output=output)
    if output is None and ui is sys.stdout:
        ui.write("\n")
    emit(text, output, force=force)


def _check_files(answers_file: Path | None, save: Path | None, output: Path | None,
                 force: bool, rules: str | None = None) -> None:
    """Refuse, before any question, the files the quiz could not read or write."""
    early_check_output(output, force, (answers_file, rules))
    if save is not None:
        check_target(save, force=force, what="--save")
        if output is not None and save.resolve() == output.resolve():
            raise UsageError(f"--save {save} and --output {output} name the same file")
    if answers_file is not None and str(answers_file) == "-":
        raise UsageError("--answers -: the quiz reads your keys from standard input; "
                         "name a file instead")


def _prefill(rs: RuleSet, answers_file: Path | None) -> tuple[dict[str, Answer], str]:
    """The answers ``--answers`` gives (checked, not all required) and where they are from."""
    if answers_file is None:
        return {}, ""
    # lazy: only this command needs these; --help stays fast
    from llmchoice.answers.validate import read_answers, validate

    doc = read_answers(answers_file)
    assert isinstance(doc.data, dict)
    return validate(rs, doc.data, source=doc.source, locate=doc,
                    require_all=False).answers, doc.source


def _save(rs: RuleSet, answers: Mapping[str, Answer], save: Path, force: bool, *,
          unsure: tuple[str, ...] = (), not_asked: tuple[str, ...] = ()) -> None:
    # lazy: only this command needs these; --help stays fast
    from llmchoice.quiz.flow import saved_answers

    write_atomic(save, saved_answers(rs, answers, json_format=save.suffix.lower() == ".json",
                                     unsure=unsure, not_asked=not_asked),
                 force=force, what="--save")
    sys.stderr.write(f"Saved your answers to {save}\n"
                     f"Replay them with: llmchoice recommend {save}\n")


def _intro(asker: QuestionaryAsker, rs: RuleSet, prefill: Mapping[str, Answer], source: str,
           reask: list[str], *, adaptive: bool = False) -> None:
    """What a first-time user needs before the first question."""
    # lazy: rich: terminal output only; only this command needs these; --help stays fast
    from rich.markup import escape

    from llmchoice.answers.validate import applicable
    from llmchoice.quiz.flow import effective

    eff = effective(rs, prefill)
    open_qs = [q for q in rs.questions
               if applicable(q, eff) and (q.id not in eff or q.id in reask)]
    optional = sum(1 for q in open_qs if not q.required)
    asker.say(f"[bold]llmchoice quiz[/] · {escape(clean_line(rs.meta.title))}")
    if prefill:
        asker.say(f"{len(eff)} answer{'s' if len(eff) != 1 else ''} from "
                  f"{escape(clean_line(source))}.")
    n = len(open_qs)
    if n == 0:
        asker.say("Every question is answered: review the answers below.")
    else:
        about = f"{n} question{'s' if n != 1 else ''}" + (f" ({optional} optional)"
                                                            if optional else "")
        if adaptive and n > 1:
            asker.say(f"Up to {about}, the most telling first; stop once the rest cannot "
                      "change the recommendation. Review every answer at the end.")
        else:
            asker.say(f"{about}. You can review and change every answer at the end.")
        asker.say("Keys: ↑/↓ and Enter to answer, Esc to go back, Ctrl-C to quit.")



def save_path(raw: str) -> Path:
    """``--save`` as typed: like ``--output``, but standard output holds the report."""
    if raw == "-":
        raise typer.BadParameter("'-' would mix the answers into the report; name a file")
    path = output_path(raw)
    assert path is not None
    return path


def register(app: typer.Typer) -> None:
    """Add ``quiz`` to the command line."""
    app.command(name="quiz", short_help="Answer the questions interactively, then get the "
                                        "report.")(handle_errors(quiz))
