"""Robustness is computed by arithmetic on the fired rules; it must equal re-scoring."""

from __future__ import annotations

import dataclasses
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from llmchoice.decide import sensitivity
from llmchoice.decide.engine import evaluate, score
from llmchoice.decide.explain import ROBUSTNESS_SEED, robustness
from llmchoice.ruleset.load import load_ruleset
from llmchoice.ruleset.model import Rule

RS = load_ruleset("default")


def rescored_share(answers: dict[str, object], samples: int, seed: int) -> tuple[int, str]:
    """The straightforward way: perturb every fired rule's points and ask the engine."""
    result = evaluate(RS, answers)  # type: ignore[arg-type]
    rng = random.Random(seed)
    fired = [r for r in RS.rules if r.id in set(result.fired)]
    mixed = RS.decision.mixed
    assert mixed is not None
    excluded = {e.outcome for e in result.excluded}
    bonus_applies = not excluded & {mixed.outcome, *mixed.between}
    kept = 0
    for _ in range(samples):
        # up to half a point on every rule's points, then up to 0.2 on the mixed weight
        changed = tuple(
            Rule(r.id, r.when, tuple((o, p + rng.uniform(-0.5, 0.5)) for o, p in r.points),
                 r.exclude, r.because, r.cites, r.line) if r.points else r for r in fired)
        # the weight is only moved when the bonus can apply (no side and not hybrid excluded)
        weight = mixed.weight + rng.uniform(-0.2, 0.2) if bonus_applies else mixed.weight
        decision = dataclasses.replace(RS.decision,
                                       mixed=dataclasses.replace(mixed, weight=weight))
        if score(dataclasses.replace(RS, rules=changed, decision=decision),
                 result.answers).winner == result.recommendation:
            kept += 1
    return kept, result.recommendation


profiles = st.fixed_dictionaries(
    {q.id: st.sampled_from(q.values) for q in RS.questions if q.required},
    optional={"data": st.sampled_from(RS.question("data").values),
              "monthly_tokens": st.sampled_from([10, 500, 5000])})


@settings(max_examples=60, deadline=None)
@given(profile=profiles)
def test_robustness_equals_rescoring_with_the_engine(profile: dict[str, object]) -> None:
    result = evaluate(RS, profile)  # type: ignore[arg-type]
    fast = robustness(RS, result, samples=60, seed=ROBUSTNESS_SEED)
    kept, _ = rescored_share(profile, 60, ROBUSTNESS_SEED)
    assert fast.kept == kept
    assert 0.0 <= fast.share <= 1.0


def test_the_draws_are_those_of_random_random_for_the_seed() -> None:
    """robustness draws from _random.Random (no random module at start-up): for an int
    seed its numbers are random.Random's, so the published figures are unchanged."""
    for seed in (sensitivity.ROBUSTNESS_SEED, 0, 1, 2**70 + 5):
        ours, theirs = sensitivity.Random(seed), random.Random(seed)
        assert [ours.random() for _ in range(500)] == [theirs.random() for _ in range(500)]
