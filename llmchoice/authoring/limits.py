"""The size limit of the answer space that ``rules analyze`` and ``rules diff`` walk.

Both enumerate every combination of answers up to a bound and draw a seeded sample
beyond it; the sample is drawn from the indices of the combinations, which must stay
machine-sized integers. So a rule set whose answer space is larger than
:data:`MAX_ANSWER_SPACE` is refused with its size, before any work, rather than failing
halfway (a 28-question, 5-choice rule set has about 3.7 x 10^19 combinations).
"""

from __future__ import annotations

import math

from llmchoice.decide.engine import alternatives
from llmchoice.io.errors import UsageError
from llmchoice.ruleset.model import Question, RuleSet

MAX_ANSWER_SPACE = 10**18  # combinations of answers (the README's limits)
MAX_EXHAUSTIVE = 10**7  # combinations that --exhaustive may score one by one


def _states(rs: RuleSet, q: Question) -> int:
    """At least the number of answers the analysis tries for ``q`` (an upper bound), with
    one more for "unanswered" (or "not asked") where a question can be left so."""
    if q.type == "multi":
        n = len(q.values)
        tried = 2 ** n if n <= 16 else n + 2
    elif q.type == "confirm":
        tried = 2
    elif q.type == "number":
        tried = len(alternatives(rs, q, None)) + 1
    else:
        tried = len(q.values)
    return tried + (1 if not q.required or q.when is not None else 0)


def answer_space_size(rs: RuleSet) -> int:
    """An upper bound on the number of answer combinations of ``rs`` (an exact integer)."""
    return math.prod(_states(rs, q) for q in rs.questions)


def _about(size: int) -> str:
    """``about 3.7 x 10^19`` (math.log10 takes integers of any size; float() would not)."""
    if size < 10**6:
        return f"{size:,}"
    power = math.log10(size)
    return f"about {10 ** (power - math.floor(power)):.1f} x 10^{math.floor(power)}"


def check_answer_space(rs: RuleSet, command: str, *, exhaustive: bool = False) -> None:
    """Refuse a rule set whose answer space is over :data:`MAX_ANSWER_SPACE` (or, with
    ``--exhaustive``, over :data:`MAX_EXHAUSTIVE`)."""
    size = answer_space_size(rs)
    about = _about(size)
    if size > MAX_ANSWER_SPACE:
        raise UsageError(
            f"{rs.source}: {about} combinations of answers ({len(rs.questions)} questions) "
            f"is over the limit of 10^18 that '{command}' can sample from; use fewer "
            "questions or fewer choices per question, or split the rule set")
    if exhaustive and size > MAX_EXHAUSTIVE:
        raise UsageError(
            f"{rs.source}: {about} combinations of answers is over the limit of "
            f"{MAX_EXHAUSTIVE:,} for --exhaustive; leave it out to score a seeded sample")
