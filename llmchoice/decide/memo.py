"""One object built per rule set and kept: the compiled evaluator and the reachability
searchers are built once for a rule set and reused while it is among the last few used.

Each entry keeps its rule set alive, so the ``id`` it is filed under stays unique.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from llmchoice.ruleset.model import RuleSet

T = TypeVar("T")


class PerRuleSet(Generic[T]):
    """``build(rs)`` once per rule set; the last ``keep`` rule sets' objects are kept."""

    def __init__(self, build: Callable[[RuleSet], T], keep: int = 8) -> None:
        self._build = build
        self._keep = keep
        self._found: dict[int, tuple[RuleSet, T]] = {}

    def __call__(self, rs: RuleSet) -> T:
        found = self._found.get(id(rs))
        if found is None or found[0] is not rs:
            if len(self._found) >= self._keep:
                del self._found[next(iter(self._found))]
            found = self._found[id(rs)] = (rs, self._build(rs))
        return found[1]

    def clear(self) -> None:
        """Forget every built object (a cold start, as benchmarks measure it)."""
        self._found.clear()
