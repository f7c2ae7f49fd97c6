"""``--target``: the fewest changes of preference answers that make an outcome win,
checked against a brute force by increasing size (every set of k questions, every other
answer to each), on the default rule set and on random rule sets."""

from __future__ import annotations

import contextlib
from itertools import combinations, product
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmchoice.decide.compiled import compiled_for
from llmchoice.decide.engine import preference_questions
from llmchoice.decide.reach import reacher_for
from llmchoice.decide.rule import NoOutcomeLeft
from llmchoice.decide.target import what_it_takes
from llmchoice.quiz.flow import effective
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.load import load_ruleset
from llmchoice.ruleset.model import RuleSet

from .test_compiled import rule_sets, valid_answers

DEFAULT = load_ruleset()


def winner(rs: RuleSet, answers: dict[str, Answer]) -> str | None:
    with contextlib.suppress(NoOutcomeLeft):
        return compiled_for(rs).verdict(effective(rs, answers)).winner
    return None


def steps(rs: RuleSet, answers: dict[str, Answer], changed: dict[str, Answer | None]) -> int:
    """How far the changes move along the ordered scales (a ``monotone`` choice question:
    the distance of the two positions; any other change: 1)."""
    total = 0
    for q in rs.questions:
        if q.id not in changed:
            continue
        old, new = answers.get(q.id), changed[q.id]
        ordered = q.type == "choice" and q.monotone is not None
        if ordered and old in q.values and new in q.values:
            total += abs(q.values.index(str(new)) - q.values.index(str(old)))
        else:
            total += 1
    return total


def fewest(rs: RuleSet, answers: dict[str, Answer], target: str,
           most: int) -> tuple[int, int] | None:
    """The brute force: the smallest k such that changing k preference answers (each to
    any other value of the reach's answer space, or answering an unanswered one) makes
    ``target`` win, and the fewest steps along the ordered scales among those k-sets;
    None when no k up to ``most`` does."""
    r = reacher_for(rs)
    levers = list(preference_questions(rs))
    for k in range(most + 1):
        near: int | None = None
        for qs in combinations(levers, k):
            others = [[v for v in r.space(q) if v != answers.get(q)] for q in qs]
            for combo in product(*others):
                changed = dict(zip(qs, combo, strict=True))
                if winner(rs, {**answers, **changed}) == target:
                    d = steps(rs, answers, changed)
                    near = d if near is None else min(near, d)
        if near is not None:
            return k, near
    return None


def check(rs: RuleSet, answers: dict[str, Answer], target: str, most: int) -> None:
    now = winner(rs, answers)
    if now is None:
        return
    plan = what_it_takes(rs, answers, target, now)
    expected = fewest(rs, answers, target, most)
    if not plan.possible:
        assert expected is None
        return
    after = {**answers}
    for c in plan.changes:
        assert c.from_value == answers.get(c.question) and c.to_value != c.from_value
        if c.to_value is None:
            after.pop(c.question, None)
        else:
            after[c.question] = c.to_value
    assert winner(rs, after) == target  # the changes do it...
    if expected is not None or len(plan.changes) <= most:
        assert expected is not None
        # ...none fewer would, and none as few moves less far along the ordered scales
        assert (len(plan.changes), steps(rs, answers, {c.question: c.to_value
                                                       for c in plan.changes})) == expected


PROFILES = st.fixed_dictionaries({q.id: st.sampled_from(q.values) for q in DEFAULT.questions
                                  if q.required})


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PROFILES, st.sampled_from(DEFAULT.outcome_ids), st.sampled_from(
    [None, "on_premises", "regulated"]))
def test_default_rule_set_fewest_changes_match_the_brute_force(
        profile: dict[str, Answer], target: str, data: str | None) -> None:
    answers = dict(profile) if data is None else {**profile, "data": data}
    check(DEFAULT, answers, target, most=3)


@pytest.mark.slow
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # profile: conftest
@given(st.data())
def test_random_rule_sets_fewest_changes_match_the_brute_force(data: st.DataObject) -> None:
    rs = data.draw(rule_sets())
    answers = data.draw(valid_answers(rs))
    check(rs, answers, data.draw(st.sampled_from(rs.outcome_ids)), most=6)


def test_a_fact_that_excludes_the_target_is_named() -> None:
    answers: dict[str, Answer] = {
        "budget": "large", "transparency": "unimportant", "customization": "none",
        "support": "dedicated", "expertise": "none", "performance": "cutting_edge",
        "quality": "strict", "lock_in": "tolerate", "domain": "specialized_industry",
        "control": "low", "time_to_market": "urgent", "data": "on_premises"}
    plan = what_it_takes(DEFAULT, answers, "closed", "open")
    assert not plan.possible and plan.changes == ()
    assert [(b.rule, b.answers) for b in plan.blockers] == [
        ("data-on-premises", (("data", "on_premises"),))]
    assert plan.facts == (("data", "on_premises"),)


def test_the_nearest_value_that_works_is_suggested() -> None:
    """The review's insurer: "preferred" is enough for closed to win, so --target closed
    suggests it rather than the far end of the scale, "unimportant"."""
    insurer = yaml_answers("insurer.yaml")
    plan = what_it_takes(DEFAULT, insurer, "closed", "open")
    assert [(c.question, c.from_value, c.to_value) for c in plan.changes] == [
        ("transparency", "essential", "preferred")]
    assert not plan.forced and plan.margin > 0


def test_a_target_won_by_a_hard_requirement_is_forced_not_a_lead() -> None:
    plan = what_it_takes(DEFAULT, yaml_answers("vendor-first.json"), "open", "closed")
    assert [(c.question, c.to_value) for c in plan.changes] == [("transparency", "essential")]
    assert plan.forced and plan.margin == 0


def yaml_answers(name: str) -> dict[str, Answer]:
    path = Path(__file__).parent.parent / "examples" / "answers" / name
    data = yaml.safe_load(path.read_text())
    return {k: v for k, v in data.items() if not isinstance(v, dict)}


def test_the_current_winner_needs_no_change() -> None:
    answers: dict[str, Answer] = {q.id: q.values[0] for q in DEFAULT.questions if q.required}
    now = winner(DEFAULT, answers)
    assert now is not None
    plan = what_it_takes(DEFAULT, answers, now, now)
    assert plan.possible and plan.changes == ()
