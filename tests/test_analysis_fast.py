"""`rules analyze` and `rules diff` take shortcuts; they must count exactly what scoring every
profile in full counts.

The shortcuts (see llmchoice/authoring/tally.py and diff.py): the compiled rule set's
verdict key stands for the verdict, so what follows from it is worked out once per key;
the rules that fired are looked at only while some rule has not fired or decided yet; and
without questions that depend on others, the profiles' answers are built without ``fit``.
The reference is the same analysis with the engine's own ``score`` as the scorer, which
scores every profile in full and builds every profile with ``fit``.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmchoice.authoring.analysis import _core_answers, analyze, diff
from llmchoice.authoring.diff import _fitter
from llmchoice.authoring.space import common_space, fit, has_when, non_canonical, space_of
from llmchoice.decide import engine
from llmchoice.decide.compiled import score as compiled_score
from llmchoice.io import yamlio
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.load import build, load_ruleset
from llmchoice.ruleset.model import RuleSet

from ._ruletools import ACME, ROOT
from .test_compiled import CHOICES, MULTI, OUTCOMES, condition

DATA = ROOT / "tests" / "data"

QUESTIONS = ("pick", "tags", "size", "flag", "later", "other")


@st.composite
def rule_sets(draw: st.DrawFn) -> RuleSet:
    """Small random rule sets: exact or inexact points, exclusions (sometimes of every
    outcome), the mixed bonus, required or optional questions of every type, and
    sometimes a question asked only when an earlier answer says so."""
    inexact = draw(st.booleans())
    values = [0, 1, 2, 3, -1, 0.5] + ([0.1, 0.2, 0.7] if inexact else [])
    rules = []
    for n in range(draw(st.integers(1, 8))):
        rule: dict[str, object] = {"id": f"r{n}", "when": draw(condition(1)),
                                   "because": "Because.", "cites": ["t.one"]}
        points = draw(st.dictionaries(st.sampled_from(OUTCOMES), st.sampled_from(values),
                                      max_size=3))
        exclude = draw(st.lists(st.sampled_from(OUTCOMES), max_size=2, unique=True)) \
            if draw(st.integers(0, 4)) == 0 else []
        if points or not exclude:
            rule["points"] = points or {"alpha": 1}
        if exclude:
            rule["exclude"] = exclude
        rules.append(rule)
    decision: dict[str, object] = {"tie_break": draw(st.permutations(OUTCOMES))}
    if draw(st.booleans()):
        decision["mixed"] = {"outcome": "gamma", "between": ["alpha", "beta"],
                             "weight": draw(st.sampled_from((0.5, 1, 1.5))),
                             "min_points": draw(st.sampled_from((0, 1))),
                             "because": "Both.", "cites": ["t.one"]}
    required = {q: draw(st.booleans()) for q in ("tags", "flag", "other")}
    choice = [{"value": v, "label": v} for v in CHOICES]
    questions: list[dict[str, object]] = [
        {"id": "pick", "prompt": "Pick?", "type": "choice", "choices": choice},
        {"id": "tags", "prompt": "Tags?", "type": "multi", "required": required["tags"],
         "choices": [{"value": v, "label": v} for v in MULTI]},
        {"id": "size", "prompt": "Size?", "type": "number", "required": False,
         "min": 0, "max": 100},
        {"id": "flag", "prompt": "Flag?", "type": "confirm", "required": required["flag"]},
        {"id": "later", "prompt": "Later?", "type": "choice", "required": False,
         "choices": choice},
        {"id": "other", "prompt": "Other?", "type": "choice", "required": required["other"],
         "choices": choice},
    ]
    if draw(st.booleans()):
        questions[4]["when"] = {"pick": {"in": ["c0", "c1"]}}
    doc = {
        "ruleset": {"id": "random", "version": "1", "title": "Random", "source": "test"},
        "outcomes": {o: {"label": o.title(), "summary": o} for o in OUTCOMES},
        "tradeoffs": {"t.one": {"side": "both", "kind": "consideration", "title": "One",
                                "text": "One."}},
        "questions": questions, "rules": rules, "decision": decision,
    }
    return build(yamlio.parse(yaml.safe_dump(doc, sort_keys=False), "random.yaml"),
                 sha256="0" * 64)


@pytest.mark.slow
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # profile: conftest
@given(rule_sets())
def test_analyze_counts_what_scoring_every_profile_in_full_counts(rs: RuleSet) -> None:
    fast = analyze(rs, samples=15, seed=3)
    full = analyze(rs, samples=15, seed=3, scorer=engine.score)
    assert fast.to_json() == full.to_json()


@pytest.mark.slow
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # profile: conftest
@given(rule_sets(), rule_sets())
def test_diff_counts_what_scoring_every_profile_in_full_counts(old: RuleSet,
                                                               new: RuleSet) -> None:
    fast = diff(old, new, samples=15, seed=3)
    full = diff(old, new, samples=15, seed=3, scorer=engine.score)
    assert fast.to_json() == full.to_json()


@pytest.mark.slow
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # profile: conftest
@given(rule_sets())
def test_the_core_without_fit_is_the_core_with_fit(rs: RuleSet) -> None:
    """Both ways of building the core's profiles give the same answers, in question order."""
    space = space_of(rs)
    core = space.core
    zeros = (0,) * len(space.extra.axes)
    got = list(_core_answers(rs, space, True, range(core.size)))
    assert [g[0] for g in got] == list(range(core.size))
    for index, answers, _ in got:
        raw = space.raw(core.digits(index), zeros)
        fitted = fit(rs, raw)
        if fitted is None or non_canonical(raw, fitted[1]):
            assert answers is None
        else:
            assert answers is not None
            assert list(answers.items()) == list(fitted[0].items())


@pytest.mark.slow
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # profile: conftest
@given(rule_sets(), rule_sets())
def test_the_fast_fitter_is_fit(old: RuleSet, new: RuleSet) -> None:
    space = common_space(old, new)
    for rs in (old, new):
        fitter = _fitter(rs, space)
        if has_when(tuple(space_of(rs).axes)):
            assert fitter is None
            continue
        assert fitter is not None
        for states in itertools.islice(itertools.product(*(a.states for a in space.axes)),
                                       2000):
            raw = dict(zip([a.id for a in space.axes], states, strict=True))
            fitted = fit(rs, raw)
            got = fitter(states)
            assert (None if fitted is None else list(fitted[0].items())) == \
                (None if got is None else list(got.items()))


@pytest.mark.slow
@pytest.mark.parametrize("other", [DATA / "default_v1.yaml", ACME])
def test_the_shipped_rule_sets_count_the_same_both_ways(other: Path, full_run: bool) -> None:
    """The default set against an older one and an overlay, and analysed alone: the fast
    counts agree with scoring every profile in full (the compiled scorer, called as any
    other scorer: no shortcut), over the whole core of 52,488 profiles. Full run only
    (``pytest --full``): the random rule sets above check the same paths in CI."""
    if not full_run:
        pytest.skip("the full run only (pytest --full)")
    old = load_ruleset(str(other))
    new = load_ruleset()
    assert diff(old, new, samples=5).to_json() == \
        diff(old, new, samples=5, scorer=_full).to_json()
    assert analyze(old, samples=5).to_json() == analyze(old, samples=5, scorer=_full).to_json()


def _full(rs: RuleSet, answers: Mapping[str, Answer]) -> engine.Scored:
    return compiled_score(rs, answers)
