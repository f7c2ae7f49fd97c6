"""``llmchoice rules ...`` (rule-set tooling) and ``llmchoice schema answers``.

Thin: parse arguments, call the core (lint, ruletest, analysis, schema), print,
map results to exit codes. The work lives in pure modules.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Annotated

import typer

from llmchoice.cli.common import (
    FileOutputOption,
    ForceOption,
    RulesOption,
    early_check_output,
    emit,
    handle_errors,
    number_parser,
    terminal_width,
    use_color,
)
from llmchoice.cli.progress import Progress
from llmchoice.cli.rules_run import _json, monotonicity_check, slack_table, test_machine
from llmchoice.io.errors import Problem, RuleSetError, UsageError
from llmchoice.io.textsafe import clean

if TYPE_CHECKING:
    pass

_NOT_JSON = (".md", ".markdown", ".html", ".htm", ".txt")
_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

rules_app = typer.Typer(
    name="rules",
    help="Rule-set tooling: validate, test, analyze, diff, show, schema.\n\n"
         "RULES is a rule-set file or 'default'; left out, --rules, then $LLMCHOICE_RULES, "
         "then the shipped default rule set is used.",
    short_help="Rule-set tooling: validate, test, analyze, diff, show, schema.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings=_SETTINGS,
    pretty_exceptions_enable=False,
)

schema_app = typer.Typer(
    name="schema",
    help="JSON Schemas for editors (answers files; see also 'llmchoice rules schema').",
    short_help="JSON Schemas of answers files, for editors.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings=_SETTINGS,
    pretty_exceptions_enable=False,
)

RulesArg = Annotated[
    str | None,
    typer.Argument(metavar="[RULES]", show_default=False,
                   help="Rule-set file, or 'default'."),
]
FormatText = Annotated[
    str, typer.Option("--format", "-f", metavar="FORMAT", help="text or json.")
]
SamplesOption = Annotated[
    int, typer.Option("--samples", metavar="N", parser=number_parser("--samples", integer=True),
                      help="Core profiles sampled for each combination of optional answers "
                           "(0: the core only).")
]
SeedOption = Annotated[int, typer.Option("--seed", metavar="N",
                                         parser=number_parser("--seed", integer=True),
                                         help="Seed of the sampling, so runs repeat.")]
ExhaustiveOption = Annotated[
    bool, typer.Option("--exhaustive",
                       help="Every combination, optional answers included; no sampling (slow).")
]


def _which(arg: str | None, opt: str | None) -> str | None:

    if arg is not None and opt is not None and arg != opt:
        raise UsageError(f"two rule sets given ({arg!r} and --rules {opt!r}); give one")
    return arg if arg is not None else opt


def _fmt(fmt: str) -> str:

    low = fmt.lower()
    if low not in ("text", "json"):
        raise UsageError(f"--format {fmt!r}: expected text or json")
    return low


@rules_app.command("validate",
                   short_help="Check a rule set: errors with file:line:column, warnings.")
@handle_errors
def validate_cmd(
    ruleset: RulesArg = None,
    rules: RulesOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when there are warnings.")]
    = False,
) -> None:
    """Check a rule set: every error with file:line:column, then warnings.

    Errors (the file does not load, or some answers exclude every outcome) go to
    standard error and exit 2. Warnings go to standard output, one per line as
    'file:line:column: warning: message [code]', followed by a summary (the file,
    then its counts); the exit code is 0 (1 with --strict).
    """
    # lazy: only this command needs these; --help stays fast
    from llmchoice.authoring.lint import lint
    from llmchoice.report.fit import KEEP, fit_text
    from llmchoice.ruleset.load import load_ruleset
    from llmchoice.ruleset.overlay import bases

    rs = load_ruleset(_which(ruleset, rules))
    findings = lint(rs)
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity != "error"]

    for w in warnings:
        sys.stdout.write(clean(str(w)) + "\n")
    if errors:

        n = len(errors)
        raise RuleSetError(f"{rs.source}: {n} problem{'s' if n != 1 else ''} in the rule set",
                           tuple(Problem(e.location, e.message) for e in errors))
    extends = bases(rs.doc)
    via = f" (extends {' -> '.join(extends)})" if extends else ""
    n = len(warnings)
    bonus = " and the mixed-needs bonus" if rs.decision.mixed is not None else ""
    summary = (f"{rs.source}: valid rule set {rs.meta.id} {rs.meta.version}{via}\n"
               f"  {len(rs.questions)} questions, {len(rs.rules)} rules{bonus}, "
               f"{len(rs.tradeoffs)} trade-offs, {len(rs.tests)} tests; "
               f"{n}{KEEP}warning{'s' if n != 1 else ''}")
    sys.stdout.write(clean(fit_text(summary, terminal_width())) + "\n")
    if strict and warnings:
        raise typer.Exit(1)


@rules_app.command("test")
@handle_errors
def test_cmd(
    ruleset: RulesArg = None,
    rules: RulesOption = None,
    coverage: Annotated[bool, typer.Option("--coverage",
                                           help="List every rule no test fires.")] = False,
    threshold: Annotated[
        str | None,
        typer.Option("--threshold", metavar="P", show_default=False,
                     help="Fail (exit 1) when the share of rules fired by some test is below P: "
                          "a share from 0 to 1 (0.9) or a percentage (90%)."),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v",
                                          help="List passing tests too.")] = False,
    slack: Annotated[bool, typer.Option(
        "--slack", help="Also: for each weight, the interval over which every test still "
                        "passes when only that weight varies.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT",
                                     help="text, json (every test, the coverage; with "
                                          "--slack also the slack table) or junit (JUnit "
                                          "XML for CI test reports).")]
    = "text",
    pattern: Annotated[str | None, typer.Option(
        "--run", metavar="PATTERN", show_default=False,
        help="Run only the tests whose name matches PATTERN (a regular expression, "
             "any case), as 'opa test --run'.")] = None,
) -> None:
    """Run the rule set's embedded tests.

    Prints each failure with the test's file:line:column, what was expected and
    what came out, the calibration of labelled profiles (tests with 'profile'),
    then 'N passed, N failed'. With --slack, then the slack of every weight.
    Exit 1 on any failure (or coverage below --threshold), 0 otherwise.

    \b
    Examples:
      llmchoice rules test examples/acme-overlay.yaml --coverage --run 'acme' -v
      llmchoice rules test --format junit > rules-junit.xml   # for CI
    """
    # lazy: only this command needs these; --help stays fast
    from llmchoice.authoring.ruletest import parse_threshold, run
    from llmchoice.report.authoring import render_test_report
    from llmchoice.ruleset.load import load_ruleset

    chosen = fmt.lower()
    if chosen not in ("text", "json", "junit"):
        raise UsageError(f"--format {fmt!r}: expected text, json or junit")
    if chosen == "junit" and slack:
        raise UsageError("--slack has no JUnit form; use --format text or json")
    limit = parse_threshold(threshold) if threshold is not None else None
    rs = load_ruleset(_which(ruleset, rules))
    report = run(rs, pattern)
    if chosen == "text":
        sys.stdout.write(render_test_report(report, coverage=coverage, threshold=limit,
                                            verbose=verbose, width=terminal_width()))
        if slack:
            slack_table(rs)
    else:
        test_machine(rs, report, chosen, limit, slack)
    if report.failures or (limit is not None and report.coverage < limit):
        raise typer.Exit(1)


@rules_app.command("analyze",
                   short_help="Score every combination of answers: what the rule set does.")
@handle_errors
def analyze_cmd(
    ruleset: RulesArg = None,
    rules: RulesOption = None,
    fmt: FormatText = "text",
    samples: SamplesOption = 1000,
    seed: SeedOption = 0,
    exhaustive: ExhaustiveOption = False,
    monotone: Annotated[
        bool, typer.Option("--monotonicity",
                           help="Instead: check each question's declared direction "
                                "(monotone:) over the answer space; exit 1 on a violation.")
    ] = False,
) -> None:
    """Score every combination of answers and report what the rule set does.

    Enumerates every combination of the required questions (optional ones
    unanswered), plus each combination of optional answers with a seeded sample
    of those, and reports: the distribution of recommendations, rules that never
    fire or never change a winner, outcomes that never win, ties between the top
    two, answers that exclude every outcome, and the answers that most often
    decide. Exit 1 if some answers exclude every outcome, else 0.

    With --monotonicity: for every profile (the core, and each combination of
    optional answers with --samples core profiles), every one-step move of a
    question with a declared direction toward its 'from' outcome must not lower
    that outcome's score, raise the other's, or make the other win. Moves that
    add or remove an exclusion are counted apart. Exit 1 on any violation.
    """
    # lazy: only this command needs these; --help stays fast
    from llmchoice.authoring.analysis import analyze
    from llmchoice.authoring.limits import check_answer_space
    from llmchoice.report.authoring import render_analysis
    from llmchoice.ruleset.load import load_ruleset

    chosen = _fmt(fmt)
    rs = load_ruleset(_which(ruleset, rules))
    check_answer_space(rs, "rules analyze", exhaustive=exhaustive)
    if monotone:
        monotonicity_check(rs, chosen, samples, seed)
        return
    start = time.perf_counter()
    progress = Progress("Scoring answer profiles")  # on a terminal only
    result = analyze(rs, samples=samples, seed=seed, exhaustive=exhaustive, progress=progress)
    progress.done()
    took = time.perf_counter() - start
    text = (_json(result.to_json()) if chosen == "json"
            else render_analysis(result, width=terminal_width()))
    sys.stdout.write(text)
    sys.stderr.write(f"Scored {result.profiles:,} answer profiles in {took:.1f} s\n")
    if result.no_outcome:
        raise typer.Exit(1)


@rules_app.command("diff", short_help="Compare two rule sets' recommendations.")
@handle_errors
def diff_cmd(
    old: Annotated[str, typer.Argument(metavar="OLD", help="Rule-set file, or 'default'.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="Rule-set file, or 'default'.")],
    fmt: FormatText = "text",
    samples: SamplesOption = 1000,
    seed: SeedOption = 0,
    exhaustive: ExhaustiveOption = False,
) -> None:
    """Compare two rule sets' recommendations over the answer space both accept.

    Shows what changed in the rules, how many answer profiles get another
    recommendation, in which direction (open -> hybrid: 1,204), the answers that
    drive the changes and a few examples. Exit 0 when no recommendation changes,
    1 when some do (like diff).
    """
    # lazy: only this command needs these; --help stays fast
    from llmchoice.authoring.analysis import diff
    from llmchoice.authoring.limits import check_answer_space
    from llmchoice.report.authoring import render_diff
    from llmchoice.ruleset.load import load_ruleset

    chosen = _fmt(fmt)
    before = load_ruleset(old)
    after = load_ruleset(new)
    check_answer_space(before, "rules diff", exhaustive=exhaustive)
    check_answer_space(after, "rules diff", exhaustive=exhaustive)
    progress = Progress("Comparing answer profiles")  # on a terminal only
    result = diff(before, after, samples=samples, seed=seed, exhaustive=exhaustive,
                  progress=progress)
    progress.done()
    sys.stdout.write(_json(result.to_json()) if chosen == "json"
                     else render_diff(result, width=terminal_width()))
    if result.changed:
        raise typer.Exit(1)


@rules_app.command("show", short_help="Show the questions, rules, trade-offs and tests.")
@handle_errors
def show_cmd(
    ruleset: RulesArg = None,
    rules: RulesOption = None,
) -> None:
    """Show the rule set's questions, rules, trade-offs and tests as tables."""
    # lazy: only this command needs these; --help stays fast
    from llmchoice.report.ruleset import render_ruleset
    from llmchoice.ruleset.load import load_ruleset

    rs = load_ruleset(_which(ruleset, rules))
    sys.stdout.write(render_ruleset(rs, width=terminal_width(), color=use_color()))


@rules_app.command("schema", short_help="Print the JSON Schema of rule-set files, for editors.")
@handle_errors
def rules_schema_cmd(output: FileOutputOption = None, force: ForceOption = False) -> None:
    """Print the JSON Schema (draft 2020-12) of rule-set files, for editors.

    \b
    llmchoice rules schema > llmchoice-rules.schema.json
    then, as the first line of a rule-set file:
    # yaml-language-server: $schema=llmchoice-rules.schema.json
    """
    # lazy: only this command needs these; --help stays fast
    from llmchoice.ruleset.schema import ruleset_schema

    early_check_output(output, force, writes=("a JSON Schema", ".json"), refused=_NOT_JSON)
    emit(_json(ruleset_schema()), output, force=force)


@schema_app.callback()
def _schema_root() -> None:
    """JSON Schemas for editors."""


@schema_app.command("answers", short_help="Print the JSON Schema of answers files.")
@handle_errors
def answers_schema_cmd(
    rules: RulesOption = None,
    output: FileOutputOption = None,
    force: ForceOption = False,
) -> None:
    """Print the JSON Schema (draft 2020-12) of answers files for the rule set.

    \b
    llmchoice schema answers > answers.schema.json
    then, as the first line of an answers file:
    # yaml-language-server: $schema=answers.schema.json
    """
    # lazy: only this command needs these; --help stays fast
    from llmchoice.ruleset.load import load_ruleset
    from llmchoice.ruleset.schema import answers_schema

    early_check_output(output, force, (rules,), writes=("a JSON Schema", ".json"),
                       refused=_NOT_JSON)
    emit(_json(answers_schema(load_ruleset(rules))), output, force=force)


def register(app: typer.Typer) -> None:
    """Add ``rules`` and ``schema`` to the main command line."""
    app.add_typer(rules_app, name="rules")
    app.add_typer(schema_app, name="schema")


__all__ = ["register", "rules_app", "schema_app"]
