"""``llmchoice team`` and ``llmchoice revisit``: decisions made by teams, and kept.

Long: typer commands declare their options in the signature; the bodies stay short.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from llmchoice.cli.common import (
    CostOutputOption,
    ForceOption,
    OutputOption,
    RulesOption,
    choose_format,
    early_check_output,
    emit,
    handle_errors,
    terminal_width,
    use_color,
)

TEAM_HELP = """\
Merge several people's answers into one recommendation, and show where they disagree.

Give one answers file per person (from 'llmchoice quiz --save', 'llmchoice
template' or the answer form, 'llmchoice form'). A person's name is the file's
'respondent:' line, else the file name.

The report gives the recommendation for the merged answers, with the merge rule:
for each question the answer more than half of the people gave; without one, the
middle answer on an ordered scale (and for a number); with no majority and no
single middle (2 against 2) the question is not settled: it counts as unsure,
each side is weighed, and the verdict is no firmer than its sides allow; and a
hard requirement (such as data that must stay on premises)
binds everyone, naming who gave it. Then the disagreements to settle first, in
plain words, the strongest change of verdict first; how to run it (both plans
when the team has no clear verdict), the cost at the merged volume and the next
steps; every question people answered differently, who answered what, and
whether that disagreement alone changes the recommendation; and the
recommendation each person's own answers give. --format json has all of it.

\b
Examples:
  llmchoice team cto.yaml security.yaml finance.yaml
  llmchoice team examples/team/*.yaml --format html --output team.html
  llmchoice team people/*.yaml --format json | jq .settle_first
  llmchoice team people/*.yaml --format adr --output decision.md
"""


def register(app: typer.Typer) -> None:
    """Add the ``team`` and ``revisit`` commands to ``app``."""
    register_revisit(app)

    @app.command("team", help=TEAM_HELP,
                 short_help="Merge several people's answers; show where they disagree.")
    @handle_errors
    def team(
        files: Annotated[list[str] | None, typer.Argument(
            metavar="FILE...", show_default=False,
            help="Answers files, YAML or JSON, one per person.")] = None,
        defaults: Annotated[bool, typer.Option(
            "--defaults", help="Fill questions a file leaves unanswered with their "
                               "defaults (else every file must answer every required "
                               "question, or say 'unsure').")] = False,
        rules: RulesOption = None,
        fmt: Annotated[str | None, typer.Option(
            "--format", "-f", metavar="FORMAT", show_default=False,
            help="terminal, markdown, json, html or adr (a decision record for the merged "
                 "answers). Default: terminal on a terminal, else from --output's "
                 "extension, else markdown.")] = None,
        output: OutputOption = None,
        force: ForceOption = False,
    ) -> None:
        # lazy: only this command needs these; --help stays fast
        from llmchoice.answers.meta import version_warning
        from llmchoice.report.team import FORMATS, render_team
        from llmchoice.ruleset.load import load_ruleset
        from llmchoice.team.analysis import analyse
        from llmchoice.team.people import read_people

        chosen = choose_format(fmt, output, (*FORMATS, "adr"),
                               {".md": "markdown", ".markdown": "markdown", ".json": "json",
                                ".html": "html", ".htm": "html", ".txt": "terminal"})
        early_check_output(output, force, (*(files or ()), rules))
        rs = load_ruleset(rules)
        people = read_people(rs, files or [], use_defaults=defaults)
        for p in people:
            line = version_warning(p.meta, rs.meta.id, rs.meta.version, source=p.source)
            if line:
                sys.stderr.write(line + "\n")
        result = analyse(rs, people)
        if chosen == "adr":
            # lazy: only this command needs these; --help stays fast
            from llmchoice.report.adr import render_adr

            text = render_adr(rs, result.result,
                              respondents=tuple(p.person.name for p in result.people),
                              sources=tuple(p.person.source for p in result.people),
                              team=result)
        else:
            text = render_team(rs, result, chosen,
                               width=terminal_width() if output is None else 100,
                               color=use_color() and output is None and chosen == "terminal")
        emit(text, output, force=force)



REVISIT_HELP = """\
Re-check a decision record against today's rule set and cost figures.

Reads the record 'recommend ... --format adr' (or 'team ... --format adr')
wrote, weighs its answers again with the rule set (--rules) and cost
assumptions (--assumptions) of today, and says whether the decision still
holds, what changed underneath (rule set version and sha256, cost figures and
their dates, answers) and which of the record's revisit conditions is met: an
answer that the record said would change the verdict, or a different cheaper
way to run it at the answered volume. --answers weighs a new answers file
instead of the recorded one; --set changes single answers.

A record whose data was edited by hand is refused (its digest does not match).

\b
Exit codes: 0 the decision still holds, 1 it changed or a revisit condition
is met, 2 bad input (an unreadable or edited record, bad answers).

\b
Examples:
  llmchoice revisit decision.md
  llmchoice revisit decision.md --set monthly_tokens=9000
  llmchoice revisit decision.md --assumptions prices-2027.yaml --format json
"""


def register_revisit(app: typer.Typer) -> None:
    """Add the ``revisit`` command to ``app``."""

    @app.command("revisit", help=REVISIT_HELP,
                 short_help="Re-check a decision record: does it still hold?")
    @handle_errors
    def revisit(
        record: Annotated[str, typer.Argument(
            metavar="RECORD", show_default=False,
            help="A decision record written with --format adr (Markdown).")],
        set_: Annotated[list[str] | None, typer.Option(
            "--set", "-s", metavar="ID=VALUE", show_default=False,
            help="Change one answer (repeatable); wins over the record and --answers.")
        ] = None,
        answers: Annotated[str | None, typer.Option(
            "--answers", "-a", metavar="FILE", show_default=False,
            help="Weigh this answers file instead of the recorded answers.")] = None,
        rules: RulesOption = None,
        assumptions: Annotated[str | None, typer.Option(
            "--assumptions", metavar="FILE", show_default=False,
            help="Your cost figures, over the shipped ones (the shape of 'llmchoice cost "
                 "--assumptions').")] = None,
        fmt: Annotated[str | None, typer.Option(
            "--format", "-f", metavar="FORMAT", show_default=False,
            help="terminal, markdown or json. Default: terminal on a terminal, else from "
                 "--output's extension, else markdown.")] = None,
        output: CostOutputOption = None,
        force: ForceOption = False,
    ) -> None:
        # lazy: only this command needs these; --help stays fast
        from llmchoice.answers.validate import parse_sets, read_answers
        from llmchoice.cost.assumptions import load_assumptions
        from llmchoice.record.block import read_record
        from llmchoice.record.revisit import revisit as revisit_record
        from llmchoice.report.revisit import FORMATS, render_revisit
        from llmchoice.ruleset.load import load_ruleset

        sets = parse_sets(set_ or [])
        chosen = choose_format(fmt, output, FORMATS, {".md": "markdown", ".json": "json",
                                                      ".txt": "terminal"})
        early_check_output(output, force, (record, answers, rules, assumptions))
        found = read_record(record)
        rs = load_ruleset(rules)
        costs = load_assumptions(assumptions)
        doc = read_answers(answers) if answers is not None else None
        given = doc.data if doc is not None else None
        assert given is None or isinstance(given, dict)
        rv = revisit_record(rs, found, costs, answers=given,
                            answers_source=doc.source if doc else None, sets=sets)
        emit(render_revisit(rs, rv, chosen), output, force=force)
        if not rv.holds:
            raise typer.Exit(1)
