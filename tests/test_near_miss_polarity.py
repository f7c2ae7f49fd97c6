"""A near miss names what the condition needed, including leaves under `not`."""

from __future__ import annotations

from llmchoice.decide.explain import leaf_requirements, near_miss_index
from llmchoice.ruleset import conditions as c


def test_a_leaf_under_not_is_named_as_what_must_not_hold() -> None:
    cond = c.All((c.Test("quality", "eq", "strict"), c.Not(c.Test("support", "eq", "community"))))
    assert leaf_requirements(cond) == ["quality is strict", "not (support is community)"]
    assert near_miss_index(cond, {"quality": "strict", "support": "community"}) == 1
    assert near_miss_index(cond, {"quality": "standard", "support": "dedicated"}) == 0
    # two conditions off: not a near miss
    assert near_miss_index(cond, {"quality": "standard", "support": "community"}) is None


def test_double_negation_reads_positively() -> None:
    cond = c.All((c.Test("a", "eq", "x"), c.Not(c.Not(c.Test("b", "eq", "y")))))
    assert leaf_requirements(cond) == ["a is x", "b is y"]
