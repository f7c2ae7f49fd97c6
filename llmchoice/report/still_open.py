"""What a report says about questions left open, without importing the reach when
nothing was: the quiz's questions not asked, ``--partial`` and ``--target`` (worded in
:mod:`llmchoice.report.reach_view`, loaded only then: about 3 ms of start-up with the
reach's modules)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from llmchoice.decide.result import Result
    from llmchoice.ruleset.model import RuleSet

Section = tuple[str, str, tuple[str, ...]]  # (id, heading, lines)


def _nothing_open(result: Result) -> bool:
    return not result.not_asked and result.reach is None and result.target is None


def sections(rules: RuleSet, result: Result) -> tuple[Section, ...]:
    """:func:`llmchoice.report.reach_view.still_open`: none when nothing was left open or
    targeted."""
    if _nothing_open(result):
        return ()
    # lazy: only reports with open questions or a target need the reach (about 3 ms)
    from .reach_view import still_open

    return still_open(rules, result)


def json_fields(result: Result) -> dict[str, object]:
    """:func:`llmchoice.report.reach_view.json_fields`: none when nothing was left open or
    targeted."""
    if _nothing_open(result):
        return {}
    # lazy: only reports with open questions or a target need the reach (about 3 ms)
    from .reach_view import json_fields as fields

    return fields(result)
