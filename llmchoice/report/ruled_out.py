"""What was ruled out (every fired rule's exclusions: :func:`exclusions`), grouped by the
rule that did it, worded once for every report: a rule that rules out several outcomes
and ways of running one is told once, naming all of them ("Closed-source LLM and Hybrid
of both are ruled out, and so are Open weights through a hosted API and Open weights in
a private endpoint: <why>"); two rules against one outcome are each told."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from llmchoice.decide.result import Result
from llmchoice.frozen import frozen
from llmchoice.ruleset.model import RuleSet

if TYPE_CHECKING:
    from .view import Cite, RuledOut


@frozen
class RuledOutGroup:
    """One rule's exclusions: the outcome labels and path labels it rules out."""

    rule: str
    because: str
    cites: tuple[Cite, ...]
    beyond: str | None
    outcomes: tuple[str, ...]
    paths: tuple[str, ...]


Excluded = tuple[str, str, str, str, tuple[str, ...]]  # kind, id, rule, because, cites


def exclusions(rules: RuleSet, result: Result) -> tuple[Excluded, ...]:
    """Outcome exclusions, then path exclusions: the Result's (it keeps the first rule per
    outcome or path) and every other fired rule's, in rule order, so that two hard
    requirements against one outcome are both named."""
    fired = set(result.fired)
    rows: dict[str, list[Excluded]] = {"outcome": [], "path": []}
    for kind, given in (("outcome", result.excluded), ("path", result.excluded_paths)):
        rows[kind] += [(kind, e.outcome, e.rule, e.because, e.cites) for e in given]
    for r in rules.rules:
        if r.id not in fired:
            continue
        for kind, ids in (("outcome", r.exclude), ("path", r.exclude_paths)):
            rows[kind] += [(kind, o, r.id, r.because, r.cites) for o in ids
                           if not any(x[1:3] == (o, r.id) for x in rows[kind])]
    return (*rows["outcome"], *rows["path"])


def grouped(rows: tuple[RuledOut, ...]) -> tuple[RuledOutGroup, ...]:
    """The exclusions grouped by rule, in the order each rule first appears."""
    order: list[str] = []
    by_rule: dict[str, list[RuledOut]] = {}
    for r in rows:
        if r.rule not in by_rule:
            order.append(r.rule)
        by_rule.setdefault(r.rule, []).append(r)
    out = []
    for rule in order:
        rs = by_rule[rule]
        first = rs[0]
        out.append(RuledOutGroup(rule, first.because, first.cites, first.beyond,
                                 tuple(r.label for r in rs if r.kind == "outcome"),
                                 tuple(r.label for r in rs if r.kind == "path")))
    return tuple(out)


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def lead(g: RuledOutGroup, strong: Callable[[str], str]) -> str:
    """``**A** and **B** are ruled out, and so is **C**`` (``strong`` escapes and
    emphasises a label for the renderer), without the reason."""
    outs = [strong(x) for x in g.outcomes]
    paths = [strong(x) for x in g.paths]
    if not outs:
        return f"Ruled out: {_and(paths)}"
    verb = "is" if len(outs) == 1 else "are"
    text = f"{_and(outs)} {verb} ruled out"
    if paths:
        text += f", and so {'is' if len(paths) == 1 else 'are'} {_and(paths)}"
    return text


__all__ = ["RuledOutGroup", "exclusions", "grouped", "lead"]
