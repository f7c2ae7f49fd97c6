"""The rule set's model: frozen data that the loader builds and everything else reads."""

from __future__ import annotations

from dataclasses import field

from llmchoice.frozen import frozen
from llmchoice.io import yamlio
from llmchoice.io.errors import Location
from llmchoice.ruleset.conditions import Condition

QUESTION_TYPES = ("choice", "multi", "number", "confirm")
TRADEOFF_KINDS = ("perk", "challenge", "advantage", "drawback", "scenario", "lesson",
                  "consideration")
TRADEOFF_SIDES = ("open", "closed", "both")
QUESTION_KINDS = ("preference", "fact")  # the first is the default
HOSTINGS = ("self", "hosted")
TEST_PROFILES = ("clear", "ambiguous")
UNSURE = "unsure"  # the answer "not sure", which every question accepts; never a choice
NOT_ASKED = "not_asked"  # a question the adaptive quiz did not need to ask; never a choice


@frozen
class Meta:
    id: str
    version: str
    title: str
    source: str


@frozen
class Outcome:
    id: str
    label: str
    summary: str


@frozen
class Tradeoff:
    id: str
    side: str
    kind: str
    title: str
    text: str


@frozen
class Choice:
    value: str
    label: str
    help: str = ""


@frozen
class Monotone:
    """Moving an answer one step toward ``from_outcome`` must never make ``to_outcome`` win.

    ``order`` runs from the ``from_outcome`` end to the ``to_outcome`` end: a choice
    question's values (by default in the order they are listed); empty for a number
    question, whose ascending numbers go from ``from_outcome`` to ``to_outcome``.
    """

    from_outcome: str
    to_outcome: str
    order: tuple[str, ...] = ()


@frozen
class BeyondArticle:
    """A rule that goes beyond the article says where its reasoning comes from, and when."""

    source: str
    as_of: str  # YYYY, YYYY-MM or YYYY-MM-DD


@frozen
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
    kind: str = "preference"  # or "fact": never a decisive answer or a what-if lever
    monotone: Monotone | None = None

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    def label_of(self, value: object) -> str:
        for c in self.choices:
            if c.value == value:
                return c.label
        return str(value)


@frozen
class Rule:
    """``exclude`` holds the outcomes it rules out and ``exclude_paths`` the paths (the
    file's one ``exclude`` list may name both)."""

    id: str
    when: Condition
    points: tuple[tuple[str, float], ...]
    exclude: tuple[str, ...]
    because: str
    cites: tuple[str, ...]
    line: int | None = None
    exclude_paths: tuple[str, ...] = ()
    beyond_article: BeyondArticle | None = None


@frozen
class Path:
    """One way to run an outcome (``open.hosted-api``): who hosts the model, and which line
    of the cost estimate prices it."""

    id: str
    outcome: str
    label: str
    summary: str
    hosting: str  # "self" or "hosted"
    cost_option: str
    line: int | None = None


@frozen
class PathRule:
    """Chooses ``path`` for its outcome when ``when`` holds (``None``: always, a fallback)."""

    path: str
    when: Condition | None
    because: str
    cites: tuple[str, ...]
    beyond_article: BeyondArticle | None = None
    line: int | None = None
    cost_option: str = ""  # prices the path when this rule chooses it ("": the path's own)


@frozen
class BudgetBands:
    """What each answer to the budget question allows a month (USD), to compare with the
    chosen path's estimate: ``ceilings`` maps a choice to its ceiling; a choice not listed
    has none. ``cites``: the trade-offs a conflict cites."""

    question: str
    ceilings: tuple[tuple[str, float], ...]
    because: str
    cites: tuple[str, ...]
    beyond_article: BeyondArticle | None = None
    line: int | None = None

    def ceiling(self, value: object) -> float | None:
        """The monthly ceiling in USD for an answer, or None (no ceiling, or not a band)."""
        return next((usd for v, usd in self.ceilings if v == value), None)


@frozen
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


@frozen
class Decision:
    tie_break: tuple[str, ...]
    mixed: Mixed | None = None
    min_lead: float = 1.0  # a lead smaller than this is "too close" to call


@frozen
class Scenario:
    id: str  # a trade-off id of kind "scenario"
    recommendation: tuple[str, ...]
    when: Condition
    because: str
    line: int | None = None
    label: str | None = None  # how reports name it, when the title alone could be misread


@frozen
class NextStep:
    """A concrete step for developers, after one of the article's lessons.

    It applies when the recommendation is in ``recommendation`` (empty: any), the
    chosen path is in ``paths`` (empty: any) and ``when`` holds (``None``: always; an
    unanswered optional question: not).
    """

    id: str
    cites: tuple[str, ...]  # the first trade-off of kind "lesson" is the lesson it follows
    text: str
    recommendation: tuple[str, ...] = ()
    when: Condition | None = None
    line: int | None = None
    paths: tuple[str, ...] = ()


@frozen
class Expectation:
    """What a test expects. ``recommendations``: the acceptable outcomes (empty: any);
    ``path``: the acceptable path ids (empty: any)."""

    recommendations: tuple[str, ...] = ()
    fired: tuple[str, ...] = ()
    not_fired: tuple[str, ...] = ()
    excluded: tuple[str, ...] | None = None
    min_confidence: float | None = None
    path: tuple[str, ...] = ()

    @property
    def recommendation(self) -> str | None:
        """The first acceptable outcome (the only one, when the file names one); ``None``
        when any is acceptable. Use :meth:`accepts` to check a verdict against all."""
        return self.recommendations[0] if self.recommendations else None

    def accepts(self, outcome: str) -> bool:
        return not self.recommendations or outcome in self.recommendations

    def accepts_path(self, path_id: str | None) -> bool:
        return not self.path or path_id in self.path


@frozen
class RuleTest:
    name: str
    answers: dict[str, object]
    expect: Expectation
    line: int | None = None
    profile: str | None = None  # "clear" or "ambiguous"
    reason: str = ""


@frozen
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
    paths: tuple[Path, ...] = ()
    path_rules: tuple[PathRule, ...] = ()
    budget_bands: BudgetBands | None = None

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

    def path(self, pid: str) -> Path:
        for p in self.paths:
            if p.id == pid:
                return p
        raise KeyError(pid)


def location(rs: RuleSet, line: int | None) -> Location:
    return Location(rs.source, line)
