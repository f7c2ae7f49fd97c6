"""How to run it is part of the recommendation: the paths still reachable
(llmchoice.decide.reach_paths) against brute force, every completion of the open questions
weighed by the engine and its path chosen by the engine, on the default rule set and on
random small rule sets with paths, path rules and rules that exclude paths."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from itertools import product

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmchoice.decide import engine
from llmchoice.decide.partial import paths_of
from llmchoice.decide.reach import reacher_for
from llmchoice.decide.rule import NoOutcomeLeft
from llmchoice.io import yamlio
from llmchoice.quiz.flow import effective
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.load import build
from llmchoice.ruleset.model import RuleSet

from .test_compiled import OUTCOMES, condition, random_doc_head
from .test_reach import DEFAULT, partial, rich_values

PATHS = ("alpha.x", "alpha.y", "beta.x", "beta.y", "gamma.x")


def verdicts(rs: RuleSet, answers: Mapping[str, Answer], open_: Sequence[str],
             ) -> set[tuple[str, str | None]]:
    """Every (outcome, path) some completion of ``open_`` gives, by the engine."""
    found: set[tuple[str, str | None]] = set()
    spaces = [[*rich_values(rs.question(q)), None] for q in open_]
    for combo in product(*spaces):
        full = {k: v for k, v in answers.items() if k not in open_}
        full.update({q: v for q, v in zip(open_, combo, strict=True) if v is not None})
        full = effective(rs, full)
        with contextlib.suppress(NoOutcomeLeft):
            s = engine.score(rs, full)
            path = engine.choose_path(rs, full, s.winner, {
                e.outcome for e in engine.path_exclusions(rs, s.fired)})
            found.add((s.winner, None if path is None else path.id))
    return found


def reported(rs: RuleSet, answers: Mapping[str, Answer], open_: Sequence[str],
             ) -> set[tuple[str, str | None]]:
    reach = reacher_for(rs).analyse(answers, open_)
    return {(p.outcome, path) for p in paths_of(rs, answers, open_, reach.reachable,
                                                deciding=False)
            for path in p.paths}


def build_doc(doc: dict[str, object]) -> RuleSet:
    text = yaml.safe_dump(doc, sort_keys=False)
    return build(yamlio.parse(text, "random.yaml"), sha256="0" * 64)


def path_rule_sets() -> st.SearchStrategy[RuleSet]:
    """A small random rule set whose outcomes have paths, chosen by random path rules, some
    of them excluded by random rules."""
    return path_rule_docs().map(build_doc)


@st.composite
def path_rule_docs(draw: st.DrawFn) -> dict[str, object]:
    """The document of :func:`path_rule_sets`."""
    rules = []
    for n in range(draw(st.integers(1, 6))):
        rule: dict[str, object] = {"id": f"r{n}", "when": draw(condition(1)),
                                   "because": "Because.", "cites": ["t.one"]}
        points = draw(st.dictionaries(st.sampled_from(OUTCOMES), st.sampled_from([0, 1, 2, -1]),
                                      max_size=3))
        exclude = draw(st.lists(st.sampled_from(OUTCOMES + PATHS), max_size=2, unique=True)) \
            if draw(st.integers(0, 2)) == 0 else []
        if points or not exclude:
            rule["points"] = points or {"alpha": 1}
        if exclude:
            rule["exclude"] = exclude
        rules.append(rule)
    path_rules = []
    for _ in range(draw(st.integers(1, 7))):
        pr: dict[str, object] = {"path": draw(st.sampled_from(PATHS)), "because": "B.",
                                 "cites": ["t.one"]}
        if draw(st.integers(0, 3)):
            pr["when"] = draw(condition(1))
        path_rules.append(pr)
    doc = {
        **random_doc_head(),
        "rules": rules,
        "paths": {p: {"outcome": p.split(".")[0], "label": p, "summary": p,
                      "hosting": "hosted", "cost_option": "frontier_api"} for p in PATHS},
        "path_rules": path_rules,
        "decision": {"tie_break": draw(st.permutations(OUTCOMES))},
    }
    return doc


@pytest.mark.slow
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # profile: conftest
@given(st.data())
def test_random_rule_sets_reachable_paths_are_exactly_the_brute_force(
        data: st.DataObject) -> None:
    rs = data.draw(path_rule_sets())
    answers, open_ = data.draw(partial(rs, 3))
    assert reported(rs, answers, open_) == verdicts(rs, answers, open_)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(partial(DEFAULT, 3))
def test_default_rule_set_reachable_paths_are_exactly_the_brute_force(
        case: tuple[dict[str, Answer], list[str]]) -> None:
    answers, open_ = case
    assert reported(DEFAULT, answers, open_) == verdicts(DEFAULT, answers, open_)
