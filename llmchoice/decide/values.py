"""Representative answers to one question, and answers with one changed: what the what-ifs,
the sensitivity, the unsure analysis and the path assumptions try."""

from __future__ import annotations

from collections.abc import Mapping

from llmchoice.answers.validate import applicable
from llmchoice.ruleset.conditions import Answer, leaves
from llmchoice.ruleset.model import Question, RuleSet


def thresholds(rs: RuleSet, qid: str, paths: bool = False) -> list[float]:
    """The values a number question is compared with by the rules and scenarios (with
    ``paths``, the path rules too), in order."""
    found: set[float] = set()
    conds = [r.when for r in rs.rules] + [s.when for s in rs.scenarios]
    if paths:  # the path rules' cuts too (how to run it may change where the verdict does not)
        conds += [pr.when for pr in rs.path_rules if pr.when is not None]
    for cond in conds:
        for leaf in leaves(cond):
            if leaf.question == qid and leaf.op in ("eq", "lt", "lte", "gt", "gte"):
                found.add(float(leaf.value))  # type: ignore[arg-type]
    return sorted(found)


def alternatives(rs: RuleSet, q: Question, current: Answer | None, *,
                 paths: bool = False) -> list[Answer]:
    """Representative other answers to one question, for what-if and sensitivity (with
    ``paths``, a number question's values also straddle the path rules' cuts)."""
    if q.type == "choice":
        return [v for v in q.values if v != current]
    if q.type == "confirm":
        return [v for v in (True, False) if v != current]
    if q.type == "multi":
        have = set(current) if isinstance(current, tuple) else set()
        out: list[Answer] = []
        for v in q.values:
            toggled = have ^ {v}
            out.append(tuple(x for x in q.values if x in toggled))
        return out
    cuts = thresholds(rs, q.id, paths)
    if not cuts:
        return []
    reps: list[float] = []
    for i, t in enumerate(cuts):
        reps.append(t)
        if i + 1 < len(cuts):
            reps.append((t + cuts[i + 1]) / 2)
    reps.insert(0, cuts[0] / 2 if cuts[0] > 0 else cuts[0] - 1)
    reps.append(cuts[-1] * 2 if cuts[-1] > 0 else cuts[-1] + 1)
    lo, hi = q.minimum, q.maximum
    values: list[Answer] = []
    for r in reps:
        if (lo is not None and r < lo) or (hi is not None and r > hi) or r == current:
            continue
        rep: Answer = int(r) if float(r).is_integer() else r
        if rep not in values:
            values.append(rep)
    return values


def with_answer(rs: RuleSet, answers: Mapping[str, Answer], qid: str,
                value: Answer | None) -> dict[str, Answer]:
    """Answers with one changed, dropping answers whose question stops applying."""
    changed: dict[str, Answer] = dict(answers)
    if value is None:
        changed.pop(qid, None)
    else:
        changed[qid] = value
    out: dict[str, Answer] = {}
    for q in rs.questions:
        if q.id in changed and applicable(q, out):
            out[q.id] = changed[q.id]
    return out
