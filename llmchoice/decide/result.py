"""The Result of weighing answers with a rule set: plain frozen data, ready to render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from llmchoice.ruleset.conditions import Answer

if TYPE_CHECKING:
    from llmchoice.cost.estimate import Estimate


@dataclass(frozen=True, slots=True)
class Contribution:
    """Points one fired rule gave one outcome, and why."""

    rule: str
    outcome: str
    points: float
    because: str
    cites: tuple[str, ...]
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Exclusion:
    """An outcome a hard constraint ruled out."""

    outcome: str
    rule: str
    because: str
    cites: tuple[str, ...]
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Skipped:
    """A rule that could not be decided because optional questions were not answered."""

    rule: str
    missing: tuple[str, ...]
    line: int | None = None


@dataclass(frozen=True, slots=True)
class WhatIf:
    """One single-answer change that would give another recommendation."""

    question: str
    from_value: Answer | None
    to_value: Answer | None
    recommendation: str
    margin: float  # how far ahead the new winner would be, for ordering by impact


@dataclass(frozen=True, slots=True)
class RuleSetInfo:
    id: str
    version: str
    sha256: str
    source: str


@dataclass(frozen=True, slots=True)
class Result:
    recommendation: str
    scores: dict[str, float]
    confidence: float
    answers: dict[str, Answer]
    contributions: tuple[Contribution, ...]
    excluded: tuple[Exclusion, ...]
    skipped: tuple[Skipped, ...]
    fired: tuple[str, ...]
    what_if: tuple[WhatIf, ...]
    scenario: str | None
    scenario_because: str
    ruleset: RuleSetInfo
    not_applicable: tuple[str, ...] = ()
    # The cost estimate for the answered monthly volume (llmchoice.cost.for_answers.with_cost);
    # None when the answers give no volume.
    cost: Estimate | None = None

    def ranking(self) -> list[str]:
        """Outcomes from best to worst score (excluded ones last)."""
        out = {e.outcome for e in self.excluded}
        return sorted(self.scores, key=lambda o: (o in out, -self.scores[o]))
