"""Revisit a decision record: weigh its answers again with today's rule set and cost
figures (and, if given, new answers), and say whether the decision still holds.

The decision **holds** when the recommendation, the way to run it and whether there is
a clear verdict are all as recorded, and no revisit condition is met. An undecided record
holds while it is still undecided between the same two outcomes (in either order), each
run the way it planned: which of them the scores lean to is then not a change (it is
reported as ``lean_moved``), nor is a lever the record said would leave it too close to
call between them, nor the lean's price. The conditions are
the record's own: each lever (an answer that the record said would change the
recommendation, leave it too close to call, or run it another way, now given), and the
cost (at the answered volume the cheapest option is no longer the one recorded, or a
volume is now answered where the record had none). What moved underneath (the rule set's
version or sha256, cost figures and their dates, answers, the lead in points) is listed
either way. The weighing is the engine's; nothing here scores.
"""

from __future__ import annotations

from collections.abc import Mapping

from llmchoice.answers.validate import UNSURE, to_plain, validate
from llmchoice.cost.assumptions import Assumptions
from llmchoice.cost.for_answers import with_cost
from llmchoice.decide.engine import choose_path, evaluate
from llmchoice.decide.result import Result
from llmchoice.frozen import frozen
from llmchoice.record.block import Record, cost_estimate, lead_of, undecided
from llmchoice.record.costs import CostCondition, cost_condition
from llmchoice.ruleset.model import RuleSet


@frozen
class Moved:
    """Something the decision rests on that is not as recorded. ``kind``: ``rule set``,
    ``costs file``, ``assumption`` or ``answer``; ``name``: the assumption or question id
    (empty for the files); ``before``/``after``: the values (None: absent)."""

    kind: str
    name: str
    before: object
    after: object
    before_as_of: str | None = None
    after_as_of: str | None = None


@frozen
class Met:
    """A revisit condition now met. ``kind``: ``lever`` (``name`` the question, ``value``
    the answer now given, ``outcome`` what the record said it would give) or ``cost``
    (``name``: ``cheaper``, ``cheapest`` or ``own_option``, the option that prices the
    plan, ``value`` now, ``outcome`` as recorded)."""

    kind: str
    name: str
    value: object
    outcome: object
    path: object = None  # a lever: the way of running it the record said it would give
    effect: object = None  # a lever: "recommendation", "certainty" or "path" (as recorded)
    close: object = None  # a lever: the record said it would be too close to call


@frozen
class Revisit:
    record: Record
    result: Result  # today's
    holds: bool
    # of "recommendation", "path", "verdict" (a clear one or not), "between" (undecided
    # between other outcomes, or their plans run another way)
    changed: tuple[str, ...]
    moved: tuple[Moved, ...]
    met: tuple[Met, ...]
    break_even: float | None  # today's, millions of tokens a month
    cheaper: str | None  # today's, at the answered volume (frontier API or self-hosting)
    cheapest: str | None
    cost: CostCondition | None = None  # today's, at the answered volume
    undecided: bool = False  # today: no clear verdict
    lead: tuple[float, str] | None = None  # today's lead in points, over whom
    # an undecided record still undecided between the same outcomes (any order): the
    # outcomes today names, and whether the scores now lean to another of them
    same_pair: tuple[str, ...] = ()
    lean_moved: bool = False


def today_pair(result: Result) -> tuple[str, ...]:
    """The outcomes an undecided report names today, most first: the two that win most
    ways of answering the unsure questions when those split the verdict (as
    ``report.unsure_view.unsure_split`` ranks them), else the tie or too close a call."""
    oa = result.open_answers
    won = [] if oa is None else sorted(
        ((o, share) for o, share in oa.shares if share > 0),
        key=lambda p: (-p[1], p[0] != result.recommendation))
    if len(won) > 1:
        return won[0][0], won[1][0]
    return tuple(result.certainty.tied or result.certainty.close)


def plans_now(rs: RuleSet, result: Result, pair: tuple[str, ...]) -> dict[str, str | None]:
    """Each named outcome's way of running it today (as ``report.plans.path_for``)."""
    out: dict[str, str | None] = {}
    for o in pair:
        p = result.path if o == result.recommendation else choose_path(
            rs, result.answers, o, {e.outcome for e in result.excluded_paths})
        out[o] = p.id if p is not None else None
    return out


def _still_between(rs: RuleSet, record: Record, result: Result) -> tuple[str, ...]:
    """The pair when the record was undecided between these outcomes and today is too
    (any order), each run the way the record planned; else ()."""
    between = record.get("verdict", "between")
    pair = today_pair(result)
    if not isinstance(between, list) or len(pair) != 2 or not set(pair) <= set(between):
        return ()
    plans = record.get("verdict", "plans")
    recorded = {p.get("outcome"): p.get("path") for p in plans if isinstance(p, dict)} \
        if isinstance(plans, list) else {}
    now = plans_now(rs, result, pair)
    return pair if all(recorded.get(o, now[o]) == now[o] for o in pair) else ()


def _given(record: Record, new: Mapping[str, object] | None) -> dict[str, object]:
    if new is not None:
        return dict(new)
    answers = record.get("answers")
    assert isinstance(answers, dict)
    given: dict[str, object] = dict(answers)
    unsure = record.get("unsure")
    assert isinstance(unsure, list)
    for q in unsure:
        if isinstance(q, str):
            given[q] = UNSURE
    return given


def _moved_files(record: Record, rs: RuleSet, a: Assumptions) -> list[Moved]:
    out = []
    before = (record.get("ruleset", "id"), record.get("ruleset", "version"),
              record.get("ruleset", "sha256"))
    after = (rs.meta.id, rs.meta.version, rs.sha256)
    if before != after:
        out.append(Moved("rule set", "", before, after))
    costs = (record.get("cost", "file", "id"), record.get("cost", "file", "version"),
             record.get("cost", "file", "sha256"))
    now = (a.meta.id, a.meta.version, a.meta.sha256)
    if costs != now:
        out.append(Moved("costs file", "", costs, now))
    figures = record.get("cost", "assumptions")
    assert isinstance(figures, dict)
    for entry in a.entries:
        old = figures.get(entry.id)
        old_value = old.get("value") if isinstance(old, dict) else None
        old_as_of = old.get("as_of") if isinstance(old, dict) else None
        if old_value != entry.value or old_as_of != entry.as_of:
            out.append(Moved("assumption", entry.id, old_value, entry.value,
                             old_as_of if isinstance(old_as_of, str) else None,
                             entry.as_of))
    return out


def _moved_answers(record: Record, result: Result, rs: RuleSet) -> list[Moved]:
    before = record.get("answers")
    assert isinstance(before, dict)
    unsure = record.get("unsure")
    was_unsure = set(unsure) if isinstance(unsure, list) else set()
    after = to_plain(result.answers)
    out = []
    for q in rs.questions:
        old = UNSURE if q.id in was_unsure else before.get(q.id)
        new = UNSURE if q.id in result.unsure else after.get(q.id)
        if old != new:
            out.append(Moved("answer", q.id, old, new))
    return out


def _reached(lever: dict[str, object], value: object) -> bool:
    """Whether ``value`` meets the lever: its answer, or for a number's range (``at_least``,
    ``below``; older records have only ``to``) any answer inside it."""
    if "at_least" not in lever and "below" not in lever:
        return value == lever.get("to")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    low, high = lever.get("at_least"), lever.get("below")
    return (not isinstance(low, (int, float)) or value >= low) and \
        (not isinstance(high, (int, float)) or value < high)


def _met(record: Record, result: Result, cheaper: str | None,
         cheapest: str | None, own: str | None = None) -> list[Met]:
    out = []
    plain = to_plain(result.answers)
    levers = record.get("revisit_when")
    for lever in levers if isinstance(levers, list) else []:
        if isinstance(lever, dict) and isinstance(lever.get("question"), str) \
                and lever.get("question") in plain and _reached(lever, plain[lever["question"]]):
            out.append(Met("lever", lever["question"], plain[lever["question"]],
                           lever.get("recommendation"), lever.get("path"),
                           lever.get("effect"), lever.get("close")))
    was = record.get("cost", "cheapest")
    if was is not None and cheapest is not None and was != cheapest:
        out.append(Met("cost", "cheapest", cheapest, was))
    # the same path priced by another option (a good-enough model now wanted at the
    # frontier, or the other way): the plan's own bill changed
    was_own = record.get("cost", "own_option")
    if was_own is not None and own is not None and was_own != own:
        out.append(Met("cost", "own_option", own, was_own))
    volume = result.cost.monthly_tokens if result.cost is not None else None
    if record.get("cost", "monthly_tokens") is None and volume is not None:
        out.append(Met("cost", "volume", volume, None))
    return out


def revisit(rs: RuleSet, record: Record, a: Assumptions, *,
            answers: Mapping[str, object] | None = None, answers_source: str | None = None,
            sets: Mapping[str, str] | None = None) -> Revisit:
    """Weigh the record's answers (or ``answers``, with ``sets`` over either) with ``rs``
    and ``a``, and compare with what the record says."""
    source = answers_source or f"{record.source} (its recorded answers)"
    r = validate(rs, _given(record, answers), source=source, sets=sets)
    result = with_cost(evaluate(rs, r.answers, not_applicable=r.not_applicable,
                                unsure=r.unsure), rs, assumptions=a)
    est = cost_estimate(result, a)
    cost = (cost_condition(rs, result, a, result.cost.monthly_tokens)
            if result.cost is not None else None)
    cheaper = est.cheaper if cost is not None else None
    cheapest = cost.cheapest.id if cost is not None else None
    open_questions = record.get("verdict", "open_questions")
    still_open = isinstance(open_questions, list) and \
        any(q in result.unsure for q in open_questions)
    was_none = record.get("verdict", "certainty") == "none"
    now_none = undecided(result) or (was_none and still_open)
    changed = []
    rec, path = record.weighed()
    pair = _still_between(rs, record, result) if was_none and now_none else ()
    lean_moved = bool(pair) and rec != result.recommendation
    if rec != result.recommendation and not pair:
        changed.append("recommendation")
    if path != (result.path.id if result.path else None) and not pair:
        changed.append("path")
    if was_none != now_none:
        changed.append("verdict")
    elif was_none and not pair and isinstance(record.get("verdict", "between"), list) \
            and len(today_pair(result)) == 2:  # undecided today between other outcomes
        changed.append("between")
    moved = _moved_files(record, rs, a) + _moved_answers(record, result, rs)
    own = cost.own.id if cost is not None and cost.own is not None else None
    met = _met(record, result, cheaper, cheapest, own)
    if pair:  # still undecided between the same plans: a lever that leaves it too close
        # between them, or the lean's price, is not a change of the decision
        met = [m for m in met if not (m.kind == "lever" and m.close and m.outcome in pair)
               and not (m.kind == "cost" and m.name == "own_option")]
    return Revisit(record, result, not changed and not met, tuple(changed), tuple(moved),
                   tuple(met), est.break_even.monthly_tokens, cheaper, cheapest, cost,
                   now_none, lead_of(result), pair, lean_moved)
