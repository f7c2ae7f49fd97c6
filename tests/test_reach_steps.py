"""The report's advice is part of the recommendation: the sets of next steps still reachable
for a settled outcome and path (llmchoice.decide.reach_steps) against brute force, every
completion of the open questions weighed by the engine, its path chosen by the engine and
its next steps taken by the explanation, on the default rule set and on random small rule
sets with paths and next steps."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from itertools import product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmchoice.decide import engine
from llmchoice.decide.explain import next_steps
from llmchoice.decide.partial import wins_for
from llmchoice.decide.reach import reacher_for
from llmchoice.decide.reach_steps import step_reacher_for
from llmchoice.decide.rule import NoOutcomeLeft
from llmchoice.quiz.flow import effective
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import RuleSet

from .test_compiled import OUTCOMES, condition
from .test_reach import DEFAULT, partial, rich_values
from .test_reach_paths import PATHS, build_doc, path_rule_docs

Verdict = tuple[str, str | None]


def brute(rs: RuleSet, answers: Mapping[str, Answer], open_: Sequence[str],
          ) -> dict[Verdict, set[tuple[str, ...]]]:
    """For each (outcome, path) some completion gives, the sets of next steps (ids, file
    order) the completions that give it have, by the engine and the explanation."""
    found: dict[Verdict, set[tuple[str, ...]]] = {}
    spaces = [[*rich_values(rs.question(q)), None] for q in open_]
    order = {ns.id: n for n, ns in enumerate(rs.next_steps)}
    for combo in product(*spaces):
        full = {k: v for k, v in answers.items() if k not in open_}
        full.update({q: v for q, v in zip(open_, combo, strict=True) if v is not None})
        with contextlib.suppress(NoOutcomeLeft):
            result = engine.evaluate(rs, effective(rs, full))
            key = (result.recommendation, result.path.id if result.path else None)
            ids = tuple(sorted((s.id for s in next_steps(rs, result)), key=order.__getitem__))
            found.setdefault(key, set()).add(ids)
    return found


def check(rs: RuleSet, answers: Mapping[str, Answer], open_: Sequence[str]) -> None:
    """Where an outcome has a single path under every completion that makes it win, the
    reported sets of next steps are exactly the brute force's, and "settled" (stopping at
    the second set) agrees."""
    truth = brute(rs, answers, open_)
    r, sr = reacher_for(rs), step_reacher_for(rs)
    for outcome in {o for o, _ in truth}:
        paths = [p for o, p in truth if o == outcome]
        if len(paths) != 1:
            continue
        wins = wins_for(r, answers, open_, outcome)
        got = sr.sets(answers, open_, outcome, paths[0], wins=wins)
        assert len(got) == len(set(got))
        assert set(got) == truth[(outcome, paths[0])], (outcome, paths[0])
        two = sr.sets(answers, open_, outcome, paths[0], limit=2, wins=wins)
        assert (len(two) == 1) == (len(truth[(outcome, paths[0])]) == 1)
        # the questions that change the advice: from one search of every leaf, the same
        # as answering each question in turn
        fast = sr.reach(answers, open_, outcome, paths[0], wins=wins)
        slow = sr.reach(answers, open_, outcome, paths[0], wins=lambda _k, _o: True) \
            if wins is None else fast
        assert set(fast.sets) == set(got) and fast.deciding == slow.deciding


@st.composite
def step_rule_sets(draw: st.DrawFn) -> RuleSet:
    """A random rule set with paths and random next steps (some for an outcome, some for
    a path, most with a random ``when``)."""
    doc = draw(path_rule_docs())
    doc["tradeoffs"] = {**doc["tradeoffs"],  # type: ignore[dict-item]
                        "l.one": {"side": "both", "kind": "lesson", "title": "Lesson one",
                                  "text": "One."}}
    steps = []
    for n in range(draw(st.integers(1, 5))):
        step: dict[str, object] = {"id": f"s{n}", "cites": ["l.one"], "text": f"Step {n}."}
        kind = draw(st.integers(0, 2))
        if kind == 1:
            step["recommendation"] = draw(st.lists(st.sampled_from(OUTCOMES), min_size=1,
                                                   max_size=2, unique=True))
        elif kind == 2:
            step["paths"] = draw(st.lists(st.sampled_from(PATHS), min_size=1, max_size=2,
                                          unique=True))
        if draw(st.integers(0, 3)):
            step["when"] = draw(condition(1))
        steps.append(step)
    doc["next_steps"] = steps
    return build_doc(doc)


@pytest.mark.slow
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # profile: conftest
@given(st.data())
def test_random_rule_sets_reachable_next_steps_are_exactly_the_brute_force(
        data: st.DataObject) -> None:
    rs = data.draw(step_rule_sets())
    answers, open_ = data.draw(partial(rs, 3))
    check(rs, answers, open_)


@pytest.mark.slow
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # profile: conftest
@given(partial(DEFAULT, 3))
def test_default_rule_set_reachable_next_steps_are_exactly_the_brute_force(
        case: tuple[dict[str, Answer], list[str]]) -> None:
    answers, open_ = case
    check(DEFAULT, answers, open_)


def test_a_bank_that_keeps_data_on_premises_gets_its_advice_from_in_house_expertise() -> None:
    """Transparency essential and data on premises settle open source, self-hosted; the
    advice (hire first, or learn to serve models yourselves) still depends on the team."""
    known = {"transparency": "essential", "data": "on_premises"}
    open_ = [q.id for q in DEFAULT.questions if q.id not in known]
    sr = step_reacher_for(DEFAULT)
    reach = sr.reach(known, open_, "open", "open.self-hosted")
    assert not reach.settled and "expertise" in reach.deciding
    assert "budget" in reach.deciding  # a minimal budget conflicts with self-hosting (a step)
    rest = [q for q in open_ if q != "expertise"]
    with_none = sr.sets({**known, "expertise": "none"}, rest, "open", "open.self-hosted")
    assert with_none and all("get-the-skill-first" in s for s in with_none)
    strong = sr.sets({**known, "expertise": "strong"}, rest, "open", "open.self-hosted")
    assert strong
    assert not any("get-the-skill-first" in s for s in strong)
