"""The Result of weighing answers with a rule set: plain frozen data, ready to render."""

from __future__ import annotations

from typing import TYPE_CHECKING

from llmchoice.frozen import frozen
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import BeyondArticle

if TYPE_CHECKING:
    from llmchoice.cost.estimate import Estimate
    from llmchoice.decide.reach import Reach
    from llmchoice.decide.target import TargetPlan


@frozen
class Contribution:
    """Points one fired rule gave one outcome, and why."""

    rule: str
    outcome: str
    points: float
    because: str
    cites: tuple[str, ...]
    line: int | None = None


@frozen
class Exclusion:
    """An outcome a hard constraint ruled out."""

    outcome: str
    rule: str
    because: str
    cites: tuple[str, ...]
    line: int | None = None


@frozen
class Skipped:
    """A rule that could not be decided because optional questions were not answered."""

    rule: str
    missing: tuple[str, ...]
    line: int | None = None


@frozen
class WhatIf:
    """One single-answer change that would give another recommendation."""

    question: str
    from_value: Answer | None
    to_value: Answer | None
    recommendation: str
    margin: float  # how far ahead the new winner would be, for ordering by impact
    tie: bool = False  # the new verdict is an exact tie, settled by the tie-break order
    # the new lead is above 0 but under ``decision.min_lead``: too close to call
    too_close: bool = False
    # the new answer makes a fired rule exclude the current winner: a hard requirement,
    # not a weighing (it does not cap the certainty's label)
    constraint: bool = False


@frozen
class Certainty:
    """How far the verdict can be trusted (:func:`llmchoice.decide.certainty.certainty`).

    ``basis``: ``constraint`` (exclusions left one outcome), ``tie``, ``too_close`` (a lead
    below ``decision.min_lead``), ``defaults`` (every answer weighed came from the
    questions' defaults: no basis for a verdict, whatever the scores) or ``scores``.
    ``clarity``: the verdict's lead over its scale, in [0, 1] (``Result.confidence``).
    ``label``: ``forced`` for a constraint, ``none`` for a tie, too close a call or
    defaults alone, else high/moderate/low from the clarity, with ``high`` capped at
    ``moderate`` when a single preference change flips the verdict (a change that adds a
    hard requirement against the winner does not cap it).

    For a constraint, ``constraints`` names the forcing rules, and the ``unconstrained_*``
    fields give the verdict without them (the other exclusions kept): its winner, its lead
    in points and its clarity. For a tie, ``tied`` holds the two tied outcomes; for too
    close a call, ``close`` holds the winner and the runner-up; defaults alone hold the pair
    in ``tied`` when they tie, else in ``close``. For all three, ``alternative`` is the path
    the runner-up would be run with."""

    basis: str
    clarity: float
    label: str
    constraints: tuple[str, ...] = ()  # rule ids whose exclusions forced the verdict
    tied: tuple[str, ...] = ()  # tie: the two tied outcomes (winner first)
    unconstrained_clarity: float | None = None  # basis constraint only
    close: tuple[str, ...] = ()  # too_close: the winner and the runner-up
    unconstrained_winner: str | None = None  # basis constraint only
    unconstrained_margin: float | None = None  # basis constraint only: its lead in points
    alternative: ChosenPath | None = None  # tie or too_close: how to run the runner-up
    # basis constraint only: the runner-up without the constraint, and every outcome's
    # score then ((outcome, score) pairs), so a report names whom the lead is over
    unconstrained_runner_up: str | None = None
    unconstrained_scores: tuple[tuple[str, float], ...] = ()


@frozen
class ValueOutcomes:
    """For one value of an unsure question: how many completions gave each outcome."""

    value: Answer
    counts: tuple[tuple[str, int], ...]  # (outcome, count), in outcome order
    unclear: int = 0  # of those completions, how many are a tie or too close to call


@frozen
class OpenQuestion:
    """One unsure question: the outcome counts for each of its values."""

    question: str
    values: tuple[ValueOutcomes, ...]


@frozen
class UnsureAnalysis:
    """What the unsure answers leave open (:func:`llmchoice.decide.unsure.open_answers`):
    every completion of the unsure answers (or a seeded sample of ``MAX_COMPLETIONS``),
    scored. ``settle_first``: the unsure question whose answer leaves the least expected
    disagreement about the verdict; None when every completion agrees."""

    completions: int  # completions scored
    sampled: bool  # True: a seeded random sample of the product, not all of it
    shares: tuple[tuple[str, float], ...]  # (outcome, share of completions), outcome order
    questions: tuple[OpenQuestion, ...]
    settle_first: str | None
    contradictory: int = 0  # completions whose exclusions leave no outcome (not in shares)
    unclear: int = 0  # completions whose verdict is a tie or too close to call


@frozen
class DecidingFact:
    """A fact whose change alone changes the verdict: each change and the verdict it gives."""

    question: str
    value: Answer | None  # the current answer (None: not answered)
    changes: tuple[tuple[Answer | None, str], ...]  # (other value or None, recommendation)


@frozen
class PathAssumption:
    """A question left open (``unsure``: answered unsure, else unanswered) on which the
    plan rests (:mod:`llmchoice.decide.assume`): the answers that keep the recommendation
    and its path (``holds``) and, for each other answer, the recommendation and the path
    id it would give (path "" when that outcome has none)."""

    question: str
    unsure: bool
    holds: tuple[Answer, ...]
    changes: tuple[tuple[Answer, str, str], ...]


@frozen
class RuleSetInfo:
    id: str
    version: str
    sha256: str
    source: str


@frozen
class ChosenPath:
    """How to run the recommendation: the path, and the path rule that chose it."""

    id: str
    outcome: str
    label: str
    summary: str
    hosting: str  # "self" or "hosted"
    cost_option: str
    because: str
    cites: tuple[str, ...]
    beyond_article: BeyondArticle | None = None
    line: int | None = None  # of the path rule


@frozen
class Result:
    recommendation: str
    scores: dict[str, float]
    confidence: float  # the clarity of the verdict (certainty.clarity)
    answers: dict[str, Answer]
    contributions: tuple[Contribution, ...]
    excluded: tuple[Exclusion, ...]
    skipped: tuple[Skipped, ...]
    fired: tuple[str, ...]
    what_if: tuple[WhatIf, ...]
    scenario: str | None
    scenario_because: str
    ruleset: RuleSetInfo
    certainty: Certainty
    not_applicable: tuple[str, ...] = ()
    # The cost estimate for the answered monthly volume (llmchoice.cost.for_answers.with_cost);
    # None when the answers give no volume.
    cost: Estimate | None = None
    unsure: tuple[str, ...] = ()  # questions answered "unsure", in question order
    open_answers: UnsureAnalysis | None = None  # set when some answer is unsure
    deciding_facts: tuple[DecidingFact, ...] = ()
    path: ChosenPath | None = None  # None when the rule set declares no paths
    excluded_paths: tuple[Exclusion, ...] = ()  # paths ruled out (``outcome`` holds the path id)
    # the questions left open that the path rests on (llmchoice.decide.assume)
    path_assumptions: tuple[PathAssumption, ...] = ()
    # llmchoice.decide.partial.with_reach: questions the adaptive quiz did not ask, what the
    # open questions leave reachable (--partial, not_asked), what --target would take
    not_asked: tuple[str, ...] = ()
    reach: Reach | None = None
    target: TargetPlan | None = None

    def ranking(self) -> list[str]:
        """Outcomes from best to worst score (excluded ones last)."""
        out = {e.outcome for e in self.excluded}
        return sorted(self.scores, key=lambda o: (o in out, -self.scores[o]))
