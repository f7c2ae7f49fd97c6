"""The parts of ``llmchoice rules test`` and ``rules analyze`` that print a second kind of
result: machine-readable test reports (JSON, JUnit), the slack table and the monotonicity
check. Split from :mod:`llmchoice.cli.rules` by size; the commands themselves live there.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from llmchoice.cli.common import terminal_width

if TYPE_CHECKING:
    from llmchoice.authoring.ruletest import Report
    from llmchoice.ruleset.model import RuleSet


def _json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def test_machine(rs: RuleSet, report: Report, chosen: str, limit: float | None,
                  slack: bool) -> None:
    """``rules test --format json|junit``."""
    # lazy: only this command needs these; --help stays fast
    from llmchoice.report.ruletest_formats import render_junit, test_json

    if chosen == "junit":
        try:  # as CI shows files: relative to the checkout, when the rule set is in it
            shown = str(Path(rs.source).resolve().relative_to(Path.cwd().resolve()))
        except (ValueError, OSError):
            shown = rs.source
        sys.stdout.write(render_junit(rs, report, threshold=limit, file_name=shown))
        return
    data = test_json(rs, report, threshold=limit)
    if slack:
        # lazy: only this command needs these; --help stays fast
        from llmchoice.authoring.slack import slack as slack_rows

        data["slack"] = [r.to_json() for r in slack_rows(rs)[0]]
    sys.stdout.write(_json(data))


def slack_table(rs: RuleSet) -> None:
    """``rules test --slack``: the slack table as text (JSON: :func:`test_machine`)."""
    # lazy: only this command needs these; --help stays fast
    from llmchoice.authoring.slack import slack
    from llmchoice.report.authoring import render_slack

    rows, failing = slack(rs)
    sys.stdout.write(render_slack(rows, failing, width=terminal_width()))


def monotonicity_check(rs: RuleSet, chosen: str, samples: int, seed: int) -> None:
    """``rules analyze --monotonicity``: print, and exit 1 on a violation."""
    # lazy: only this command needs these; --help stays fast
    from llmchoice.authoring.monotonicity import monotonicity
    from llmchoice.report.authoring import render_monotonicity

    start = time.perf_counter()
    found = monotonicity(rs, samples=samples, seed=seed)
    took = time.perf_counter() - start
    sys.stdout.write(_json(found.to_json()) if chosen == "json"
                     else render_monotonicity(found, width=terminal_width()))
    sys.stderr.write(f"Checked {found.moves:,} moves in {took:.1f} s\n")
    if found.total:
        raise typer.Exit(1)
