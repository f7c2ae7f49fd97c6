"""``llmchoice form``: the answer form, one HTML page to fill in a browser and save as an
answers file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from llmchoice.cli.common import (
    ForceOption,
    RulesOption,
    early_check_output,
    emit,
    handle_errors,
    output_path,
)

HELP = """\
Write the answer form: one HTML page that anyone can fill in with a browser.

For people without a terminal: send them the page (by mail, a chat or a shared
folder), they open it, answer the questions, and press Download to save their
answers as a file (YAML or JSON) that 'llmchoice recommend' and 'llmchoice team'
read as they are. The file carries the rule set's id and version, and the
person's name or role when they give it.

The page asks the rule set's questions with their help, choices and defaults;
shows a question only when the answers above it make it apply; offers 'Not sure'
(the answer 'unsure') on every question; and checks numbers against their
limits as the command line does. It does no scoring, and needs no server: it
loads nothing from anywhere and sends nothing, until the person downloads the
file. It works on a phone, with the keyboard alone, and on paper.

\b
Examples:
  llmchoice form --output form.html     # the default rule set's questions
  llmchoice form --rules my-rules.yaml -o form.html
  llmchoice form > form.html
then, with the files people send back:
  llmchoice recommend answers-alice.yaml
"""

FormOutput = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", parser=output_path,
                 help="Write the page to FILE (atomically) instead of standard output "
                      "('-'). An existing file is replaced only with --force.",
                 show_default=False),
]


def form(rules: RulesOption = None, output: FormOutput = None, force: ForceOption = False,
         ) -> None:
    # lazy: only this command needs these; --help stays fast
    from llmchoice.report.form import render_form
    from llmchoice.ruleset.load import load_ruleset

    early_check_output(output, force, (rules,))
    emit(render_form(load_ruleset(rules)), output, force=force)


def register(app: typer.Typer) -> None:
    """Add ``form`` to the command line."""
    app.command(name="form", help=HELP,
                short_help="Write an HTML answer form to fill in a browser.")(handle_errors(form))
