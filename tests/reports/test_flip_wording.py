"""The smallest-flip sentence states a figure that does flip the recommendation (issue 13:
it said "1.14" where 1.15 was needed): the limit rounded toward the change, or, where a
tie keeps the winner, the first figure past it, worded "or more"/"or less"."""

from __future__ import annotations

import dataclasses
import re

import pytest
from _reports_support import ADVICE_CASES, ANSWER_SETS

from llmchoice.answers.validate import validate
from llmchoice.decide.engine import evaluate, score
from llmchoice.decide.explain import explain
from llmchoice.decide.words import num_toward
from llmchoice.ruleset.load import load_ruleset
from llmchoice.ruleset.model import RuleSet

CASES = {**ANSWER_SETS, **{k: v[0] for k, v in ADVICE_CASES.items()}}
FIGURE = re.compile(r" gave .+? (-?[0-9.]+) points?( or (?:more|less))? instead of ")


def _winner_with(rs: RuleSet, answers: dict[str, object], rule_id: str, outcome: str,
                 value: float) -> str:
    rules = tuple(dataclasses.replace(r, points=tuple((o, value if o == outcome else p)
                                                      for o, p in r.points))
                  if r.id == rule_id else r for r in rs.rules)
    return score(dataclasses.replace(rs, rules=rules), answers).winner  # type: ignore[arg-type]


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_figure_in_each_flip_sentence_flips_it(case: str) -> None:
    rs = load_ruleset("default")
    resolved = validate(rs, CASES[case], use_defaults=True)
    result = evaluate(rs, resolved.answers)
    flips = explain(rs, result).weight_flips
    checked = 0
    for f in flips:
        found = FIGURE.search(f.sentence)
        if found is None:  # "any more than its 1 point": the least change flips it
            assert "any more than" in f.sentence or "any less than" in f.sentence
            nudged = f.points + (0.01 if f.change > 0 else -0.01)
            assert _winner_with(rs, resolved.answers, f.rule, f.outcome, nudged) == \
                f.recommendation, f.sentence
            checked += 1
            continue
        figure = float(found.group(1))
        assert _winner_with(rs, resolved.answers, f.rule, f.outcome, figure) == \
            f.recommendation, f.sentence
        # and a hundredth back toward the rule's points does not
        back = round(figure - 0.01 if f.change > 0 else figure + 0.01, 2)
        assert _winner_with(rs, resolved.answers, f.rule, f.outcome, back) == \
            result.recommendation, f.sentence
        checked += 1
    assert checked or not flips


@pytest.mark.parametrize(("x", "up", "shown"), [
    (1.145, True, "1.15"), (1.145, False, "1.14"), (2.5714, True, "2.58"),
    (1.8571, False, "1.85"), (3.25, True, "3.25"), (3.25, False, "3.25"),
    (1.15 + 1e-12, True, "1.15"), (0.1 + 0.2, True, "0.3"),
])
def test_rounding_toward_the_change(x: float, up: bool, shown: str) -> None:
    assert num_toward(x, up) == shown
