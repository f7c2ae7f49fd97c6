"""What ``rules validate`` reports (a :class:`Finding`), and the exact enumeration of the
answers a few questions can take, which the checks share."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from llmchoice.authoring.space import Axis, axis_of
from llmchoice.frozen import frozen
from llmchoice.io.errors import Location
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import Question, RuleSet

MAX_ENUMERATION = 200_000


@frozen
class Finding:
    location: Location
    severity: str  # "error" or "warning"
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message} [{self.code}]"


def closure(rs: RuleSet, qids: frozenset[str]) -> list[Question]:
    """The questions named, and those their ``when`` conditions name, in question order."""
    need = set(qids)
    changed = True
    while changed:
        changed = False
        for q in rs.questions:
            if q.id in need and q.when is not None:
                extra = q.when.questions() - need
                if extra:
                    need |= extra
                    changed = True
    return [q for q in rs.questions if q.id in need]


def profiles(rs: RuleSet, questions: Sequence[Question]) -> list[dict[str, Answer]] | None:
    """Every consistent combination of answers to ``questions`` (None if too many).

    Optional questions may also be unanswered, and conditional ones not asked, so a
    condition is checked against every way it can be met.
    """
    axes: list[Axis] = [axis_of(rs, q) for q in questions]
    if math.prod(len(a.states) for a in axes) > MAX_ENUMERATION:
        return None
    out = []
    for combo in itertools.product(*(a.states for a in axes)):
        raw = {a.id: v for a, v in zip(axes, combo, strict=True)}
        answers: dict[str, Answer] = {}
        ok = True
        for q in questions:
            value = raw[q.id]
            if q.when is not None and q.when.evaluate(answers) is not True:
                if value is not None:
                    ok = False
                    break
                continue
            if value is None:
                if q.required:  # a required question that is asked always has an answer
                    ok = False
                    break
                continue
            answers[q.id] = value
        if ok:
            out.append(answers)
    return out
