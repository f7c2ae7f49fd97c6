"""The rule set's model: frozen data that the loader builds and everything else reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from llmchoice.io import yamlio
from llmchoice.io.errors import Location
from llmchoice.ruleset.conditions import Condition

QUESTION_TYPES = ("choice", "multi", "number", "confirm")
TRADEOFF_KINDS = ("perk", "challenge", "advantage", "drawback", "scenario", "lesson",
                  "consideration")
TRADEOFF_SIDES = ("open", "closed", "both")


@dataclass(frozen=True, slots=True)
class Meta:
    id: str
    version: str
    title: str
    source: str


@dataclass(frozen=True, slots=True)
class Outcome:
    id: str
    label: str
    summary: str


@dataclass(frozen=True, slots=True)
class Tradeoff:
    id: str
    side: str
    kind: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str
    help: str = ""


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    prompt: str
    help: str
    type: str
    choices: tuple[Choice, ...] = ()
    default: object = None
    required: bool = True
    when: Condition | None = None
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    line: int | None = None
    title: str = ""  # a short name for summaries and the quiz's review ("Lock-in")

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    def label_of(self, value: object) -> str:
        for c in self.choices:
            if c.value == value:
                return c.label
        return str(value)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    when: Condition
    points: tuple[tuple[str, float], ...]
    exclude: tuple[str, ...]
    because: str
    cites: tuple[str, ...]
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Mixed:
    """When both sides are needed, the middle outcome gains ``weight`` x (the weaker side's
    score - ``min_points``), when that is positive."""

    outcome: str
    between: tuple[str, str]
    weight: float
    min_points: float
    because: str
    cites: tuple[str, ...]

    def bonus(self, a_score: float, b_score: float) -> float:
        """The points ``outcome`` gains for these scores of the two sides (0 for none).

        Continuous and never steeper than ``weight`` in either side's score: the one
        formula the engine, the compiled scorer and the analysis all use.
        """
        weaker = min(a_score, b_score)
        if self.weight <= 0 or weaker <= self.min_points:
            return 0.0
        return round(self.weight * (weaker - self.min_points), 6)


@dataclass(frozen=True, slots=True)
class Decision:
    tie_break: tuple[str, ...]
    mixed: Mixed | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str  # a trade-off id of kind "scenario"
    recommendation: tuple[str, ...]
    when: Condition
    because: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class NextStep:
    """A concrete step for developers, after one of the article's lessons.

    It applies when the recommendation is in ``recommendation`` (empty: any) and
    ``when`` holds (``None``: always; an unanswered optional question: not).
    """

    id: str
    cites: tuple[str, ...]  # the first trade-off of kind "lesson" is the lesson it follows
    text: str
    recommendation: tuple[str, ...] = ()
    when: Condition | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Expectation:
    recommendation: str | None = None
    fired: tuple[str, ...] = ()
    not_fired: tuple[str, ...] = ()
    excluded: tuple[str, ...] | None = None
    min_confidence: float | None = None


@dataclass(frozen=True, slots=True)
class RuleTest:
    name: str
    answers: dict[str, object]
    expect: Expectation
    line: int | None = None


@dataclass(frozen=True, slots=True)
class RuleSet:
    meta: Meta
    outcomes: tuple[Outcome, ...]
    tradeoffs: dict[str, Tradeoff]
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]
    decision: Decision
    scenarios: tuple[Scenario, ...]
    tests: tuple[RuleTest, ...]
    source: str
    sha256: str
    _by_id: dict[str, Question] = field(default_factory=dict, repr=False, compare=False)
    next_steps: tuple[NextStep, ...] = ()
    doc: yamlio.Document | None = field(default=None, repr=False, compare=False)
    _outcome_ids: tuple[str, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({q.id: q for q in self.questions})
        object.__setattr__(self, "_outcome_ids", tuple(o.id for o in self.outcomes))

    def locate(self, path: yamlio.Path_, *, key: bool = False) -> Location:
        """Where a part of the rule set was written (for an overlay, in whichever file)."""
        if self.doc is None:
            return Location(self.source)
        return self.doc.locate(path, key=key)

    @property
    def outcome_ids(self) -> tuple[str, ...]:
        return self._outcome_ids

    def question(self, qid: str) -> Question:
        return self._by_id[qid]

    def has_question(self, qid: str) -> bool:
        return qid in self._by_id

    def outcome(self, oid: str) -> Outcome:
        for o in self.outcomes:
            if o.id == oid:
                return o
        raise KeyError(oid)


def location(rs: RuleSet, line: int | None) -> Location:
    return Location(rs.source, line)
