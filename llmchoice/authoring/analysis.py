"""Analyze a rule set over its whole answer space, and compare two rule sets on it.

What is enumerated (see :mod:`llmchoice.authoring.space` for the states of each question):

1. **The core, exhaustively**: every combination of the *required* questions'
   states, with every optional question unanswered. For the default rule set
   that is 3^8 x 2^3 = 52,488 profiles. (If a rule set's core has more than
   :data:`MAX_CORE` profiles, a uniform random sample of that many is used,
   and the report says so.)
2. **The optional questions, stratified**: every combination of the optional
   questions' states other than "all unanswered" (for the default rule set,
   data has 4 states and monthly_tokens 6, so 23 combinations), each paired
   with the same random sample of ``samples`` core profiles (seeded, so runs
   repeat). ``exhaustive=True`` pairs every combination with every core profile
   instead (1,259,712 profiles for the default rule set).

Scoring is one call per profile to a replaceable ``scorer`` with the signature
of :func:`llmchoice.decide.engine.score` (by default :func:`llmchoice.decide.compiled.score`,
which gives the same results faster); the analysis reads only the ``winner``,
``scores``, ``fired``, ``contributions``, ``excluded`` and ``margin`` of what it
returns, and expects :class:`~llmchoice.decide.engine.NoOutcomeLeft` when every
outcome is excluded. Nothing here builds a full Result.

What is counted:

* the recommendation's distribution (core; and per optional answer);
* rules that never fire; rules that never change a winner (removing the rule
  from that profile's sum, all else equal, never changes the recommendation);
* outcomes that never win; profiles where the top two allowed outcomes tie
  (and which outcome the tie-break then picks); profiles where every outcome
  is excluded (a rule-set error);
* *deciding answers*: for each question, the share of profiles where changing
  only that answer (to any other state) changes the recommendation; and the
  single answers most strongly tied to one outcome.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from llmchoice.answers.validate import applicable, to_plain
from llmchoice.authoring.space import Axis, Grid, State, answered_states, axis_of, show_state
from llmchoice.decide.compiled import score
from llmchoice.decide.engine import MIXED_RULE_ID, NoOutcomeLeft, Scored
from llmchoice.io.errors import UsageError
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import Mixed, Question, RuleSet

Scorer = Callable[[RuleSet, Mapping[str, Answer]], Scored]

DEFAULT_SAMPLES = 1000
MAX_CORE = 200_000
MAX_STRATA = 256
PIVOT_SAMPLE = 2000
EXAMPLES = 3
STRONGEST_PER_OUTCOME = 3
MAX_DIFF_EXAMPLES = 6

NONE = "(none)"  # no outcome left: every outcome excluded
_SKIP = 254  # not a canonical profile (a value for a question that is not asked)
_NO_OUTCOME = 255


# --------------------------------------------------------------------------- the space


@dataclass(frozen=True, slots=True)
class Space:
    """Axes in question order, split into the exhaustive core and the optional extras."""

    axes: tuple[Axis, ...]

    @property
    def core(self) -> Grid:
        return Grid(tuple(a for a in self.axes if a.core))

    @property
    def extra(self) -> Grid:
        return Grid(tuple(a for a in self.axes if not a.core))

    def raw(self, core_digits: Sequence[int], extra_digits: Sequence[int]) -> dict[str, State]:
        ci = iter(core_digits)
        ei = iter(extra_digits)
        return {a.id: a.states[next(ci) if a.core else next(ei)] for a in self.axes}

    def describe(self) -> list[dict[str, object]]:
        return [{"question": a.id, "required": a.core,
                 "states": [show_state(s) for s in a.states]} for a in self.axes]


def fit(rs: RuleSet, raw: Mapping[str, State]) -> tuple[dict[str, Answer], set[str]] | None:
    """One rule set's answers for a raw profile, and the questions it used.

    Questions the profile does not name take their default when required (else
    stay unanswered); questions whose ``when`` is false are dropped. ``None``
    when a required question that applies has no answer.
    """
    out: dict[str, Answer] = {}
    used: set[str] = set()
    for q in rs.questions:
        value = raw.get(q.id, q.default if q.required else None)
        if q.when is not None and not applicable(q, out):
            continue
        used.add(q.id)
        if value is None:
            if q.required:
                return None
            continue
        out[q.id] = cast(Answer, value)
    return out, used


def space_of(rs: RuleSet) -> Space:
    return Space(tuple(axis_of(rs, q) for q in rs.questions))


def common_space(old: RuleSet, new: RuleSet) -> Space:
    """The questions both rule sets ask, with the states both accept."""
    problems = []
    for a, b in ((old, new), (new, old)):
        for q in a.questions:
            if not b.has_question(q.id) and q.required and q.default is None:
                problems.append(f"{a.source} requires {q.id!r}, which {b.source} does not ask, "
                                "and it has no default")
    if problems:
        raise UsageError("cannot compare the rule sets: " + "; ".join(problems))
    axes = []
    for q in new.questions:
        if not old.has_question(q.id):
            continue
        p = old.question(q.id)
        if p.type != q.type:
            raise UsageError(f"cannot compare the rule sets: question {q.id!r} is a {p.type} "
                             f"question in {old.source} and a {q.type} question in {new.source}")
        mine = answered_states(new, q)
        theirs = answered_states(old, p)
        if q.type == "number":
            states: tuple[State, ...] = tuple(sorted({*mine, *theirs}, key=float))  # type: ignore[arg-type]
        else:
            states = tuple(s for s in mine if s in theirs)
        required = q.required or p.required
        if not required or q.when is not None or p.when is not None:
            states = (None, *states)
        merged = Question(q.id, q.prompt, q.help, q.type, q.choices, q.default, required,
                          q.when, q.minimum, q.maximum, q.unit, q.line)
        axes.append(Axis(merged, states))
    return Space(tuple(axes))


# --------------------------------------------------------------------------- tallies


@dataclass
class Example:
    answers: dict[str, Answer]
    detail: str = ""

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"answers": to_plain(self.answers)}
        if self.detail:
            out["detail"] = self.detail
        return out


def _winner_without(rs: RuleSet, s: Scored, rid: str) -> str | None:
    """The winner had rule ``rid`` (or the mixed bonus) not fired, everything else equal."""
    sums = dict(s.scores)
    mixed = rs.decision.mixed
    bonus = sum(c.points for c in s.contributions if c.rule == MIXED_RULE_ID)
    if mixed is not None and bonus:
        sums[mixed.outcome] -= bonus
    by_id = {r.id: r for r in rs.rules}
    excluded: set[str] = set()
    for fired in s.fired:
        if fired != rid:
            excluded.update(by_id[fired].exclude)
    if rid != MIXED_RULE_ID:
        for c in s.contributions:
            if c.rule == rid:
                sums[c.outcome] -= c.points
        if mixed is not None and not excluded.intersection((*mixed.between, mixed.outcome)):
            a, b = mixed.between
            sums[mixed.outcome] += mixed.bonus(sums[a], sums[b])
    allowed = [o for o in rs.decision.tie_break if o not in excluded]
    if not allowed:
        return None
    order = {o: i for i, o in enumerate(rs.decision.tie_break)}
    return min(allowed, key=lambda o: (-round(sums[o], 6), order[o]))


class _Tally:
    """Everything counted while profiles are scored, for one rule set."""

    def __init__(self, rs: RuleSet, scorer: Scorer) -> None:
        self.rs = rs
        self.scorer = scorer
        self.codes = {o: i for i, o in enumerate(rs.outcome_ids)}
        self.wins: Counter[str] = Counter()
        self.unfired = {r.id for r in rs.rules}
        self.undecided = {r.id for r in rs.rules}
        if rs.decision.mixed is not None:
            self.undecided.add(MIXED_RULE_ID)
            self.unfired.add(MIXED_RULE_ID)
        self.decisive_example: dict[str, Example] = {}
        self.ties: Counter[tuple[str, ...]] = Counter()
        self.tie_examples: dict[tuple[str, ...], list[Example]] = {}
        self.no_outcome = 0
        self.no_outcome_examples: list[Example] = []
        self.profiles = 0
        self.by_id = {r.id: r for r in rs.rules}

    def score(self, answers: dict[str, Answer]) -> tuple[int, Scored | None]:
        self.profiles += 1
        try:
            s = self.scorer(self.rs, answers)
        except NoOutcomeLeft as exc:
            self.no_outcome += 1
            if len(self.no_outcome_examples) < EXAMPLES:
                self.no_outcome_examples.append(Example(answers, exc.message))
            if self.unfired:  # the rules did fire; the engine raised before saying so
                self.unfired.difference_update(
                    r.id for r in self.rs.rules if r.when.evaluate(answers) is True)
            return _NO_OUTCOME, None
        self.wins[s.winner] += 1
        mixed_fired = any(c.rule == MIXED_RULE_ID for c in s.contributions)
        if self.unfired:
            self.unfired.difference_update(s.fired)
            if mixed_fired:
                self.unfired.discard(MIXED_RULE_ID)
        if self.undecided:
            candidates = [r for r in s.fired if r in self.undecided]
            if mixed_fired and MIXED_RULE_ID in self.undecided:
                candidates.append(MIXED_RULE_ID)
            for rid in candidates:
                other = _winner_without(self.rs, s, rid)
                if other != s.winner:
                    self.undecided.discard(rid)
                    self.decisive_example[rid] = Example(
                        answers, f"{s.winner} with it, {other or NONE} without it")
        if s.margin == 0:
            out = {e.outcome for e in s.excluded}
            top = s.scores[s.winner]
            tied = [o for o in self.rs.decision.tie_break
                    if o not in out and s.scores[o] == top]
            if len(tied) > 1:
                key = tuple(tied)
                self.ties[key] += 1
                examples = self.tie_examples.setdefault(key, [])
                if len(examples) < EXAMPLES:
                    scores = ", ".join(f"{o} {s.scores[o]:g}" for o in self.rs.outcome_ids)
                    examples.append(Example(answers, scores))
        return self.codes[s.winner], s


# --------------------------------------------------------------------------- pivots


def _slices(w: bytes, radices: Sequence[int], k: int) -> list[bytes]:
    """For axis ``k``: one byte string per state, aligned so position i of each is a line."""
    stride = math.prod(radices[k + 1:])
    block = stride * radices[k]
    return [b"".join(w[h + j * stride: h + (j + 1) * stride] for h in range(0, len(w), block))
            for j in range(radices[k])]


def _pivotal(lines: list[bytes], canonical: list[bytes]) -> int:
    """How many canonical profiles have another state on this axis with another winner.

    ``lines`` holds each profile's winner (a duplicate profile: the winner of the one it
    repeats); ``canonical`` the same with duplicates marked, so each profile counts once.
    """
    count = 0
    if not any(_SKIP in s for s in canonical):
        width = len(lines)
        for col in zip(*lines, strict=True):
            if col.count(col[0]) != width:
                count += width
        return count
    for col, own in zip(zip(*lines, strict=True), zip(*canonical, strict=True), strict=True):
        vals = [c for c in col if c != _SKIP]
        if vals and vals.count(vals[0]) != len(vals):
            count += sum(1 for c in own if c != _SKIP)
    return count


# --------------------------------------------------------------------------- analyze


@dataclass
class Analysis:
    ruleset: dict[str, str]
    space: list[dict[str, object]]
    core_size: int
    core_evaluated: int
    core_drawn: int
    core_exhaustive: bool
    strata: int
    strata_total: int
    samples: int
    seed: int
    profiles: int
    distribution: dict[str, int]
    optional: list[dict[str, object]]
    never_fired: list[dict[str, object]]
    never_decisive: list[dict[str, object]]
    never_wins: list[str]
    ties: int
    core_ties: int
    tie_pairs: list[dict[str, object]]
    deciding: list[dict[str, object]]
    strongest: list[dict[str, object]]
    no_outcome: int
    no_outcome_examples: list[Example] = field(default_factory=list)
    pivots_exhaustive: bool = True

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for key in self.__dataclass_fields__:
            value = getattr(self, key)
            if key == "no_outcome_examples":
                value = [e.to_json() for e in value]
            out[key] = value
        return out


def _where(rs: RuleSet, rid: str) -> str:
    if rid == MIXED_RULE_ID:
        return str(rs.locate(("decision", "mixed")))
    for i, r in enumerate(rs.rules):
        if r.id == rid:
            return str(rs.locate(("rules", i)))
    return rs.source  # pragma: no cover - every id comes from the rule set


def _dist(codes: bytes, outcomes: Sequence[str]) -> dict[str, int]:
    out = {o: codes.count(i) for i, o in enumerate(outcomes)}
    if _NO_OUTCOME in codes:
        out[NONE] = codes.count(_NO_OUTCOME)
    return out


def analyze(rs: RuleSet, *, samples: int = DEFAULT_SAMPLES, seed: int = 0,
            exhaustive: bool = False, scorer: Scorer = score) -> Analysis:
    """Score every profile of the core and a stratified sample of the optional answers."""
    if samples < 0:
        raise UsageError(f"--samples {samples}: expected 0 or more")
    space = space_of(rs)
    core, extra = space.core, space.extra
    tally = _Tally(rs, scorer)
    outcomes = rs.outcome_ids
    core_exhaustive = exhaustive or core.size <= MAX_CORE
    core_indices = range(core.size) if core_exhaustive else core.sample(MAX_CORE, seed)
    zeros = (0,) * len(extra.axes)

    # 1. the core, optional questions unanswered
    w = bytearray([_SKIP]) * (core.size if core_exhaustive else 0)
    core_code: dict[int, int] = {}
    digits_iter = core.all_digits() if core_exhaustive else (core.digits(i) for i in core_indices)
    strides = core.strides()
    representative: dict[int, int] = {}  # a duplicate profile -> the canonical one it repeats
    for index, digits in zip(core_indices, digits_iter, strict=True):
        raw = space.raw(digits, zeros)
        fitted = fit(rs, raw)
        if fitted is None:
            continue
        if _non_canonical(raw, fitted[1]):
            used = fitted[1]
            representative[index] = sum(
                (d if a.id in used else 0) * st
                for a, d, st in zip(core.axes, digits, strides, strict=True))
            continue
        code, _ = tally.score(fitted[0])
        if core_exhaustive:
            w[index] = code
        else:
            core_code[index] = code
    core_codes = bytes(w) if core_exhaustive else bytes(core_code.values())
    core_evaluated = tally.profiles
    core_ties = sum(tally.ties.values())
    distribution = _dist(core_codes, outcomes)

    # 2. optional answers, stratified
    all_strata = [d for d in extra.all_digits() if any(d)] if extra.axes else []
    strata = all_strata
    if not exhaustive and len(all_strata) > MAX_STRATA:
        strata = sorted(random.Random(seed).sample(all_strata, MAX_STRATA))
    canonical = [i for i in core_indices
                 if (w[i] if core_exhaustive else core_code.get(i, _SKIP)) != _SKIP]
    if exhaustive or samples >= len(canonical):
        sample = canonical
    else:
        sample = sorted(random.Random(seed + 1).sample(canonical, samples))
    results: dict[tuple[int, tuple[int, ...]], int] = {}
    if strata and sample:
        for stratum in strata:
            for index in sample:
                raw = space.raw(core.digits(index), stratum)
                fitted = fit(rs, raw)
                if fitted is None or _non_canonical(raw, fitted[1]):
                    continue
                results[(index, stratum)] = tally.score(fitted[0])[0]
    optional = (_optional_stats(space, rs, results, w if core_exhaustive else core_code, outcomes)
                if results else [])

    # 3. deciding answers
    sampled = len(sample) < len(canonical) or len(strata) < len(all_strata)
    deciding, strongest, pivots_exhaustive = _deciding(
        rs, space, tally, w if core_exhaustive else None, core_code, distribution, results,
        seed, scorer, sampled, representative)

    never_fired: list[dict[str, object]] = [
        {"rule": r, "where": _where(rs, r)} for r in _in_order(rs, tally.unfired)]
    never_decisive: list[dict[str, object]] = [{"rule": r, "where": _where(rs, r)}
                      for r in _in_order(rs, tally.undecided - tally.unfired)]
    tie_pairs = [{"outcomes": list(k), "profiles": n, "winner": k[0],
                  "examples": [e.to_json() for e in tally.tie_examples[k]]}
                 for k, n in sorted(tally.ties.items(), key=lambda kv: (-kv[1], kv[0]))]
    return Analysis(
        ruleset={"id": rs.meta.id, "version": rs.meta.version, "source": rs.source,
                 "sha256": rs.sha256},
        space=space.describe(),
        core_size=core_evaluated if core_exhaustive else core.size,
        core_evaluated=core_evaluated, core_drawn=len(core_indices),
        core_exhaustive=core_exhaustive, strata=len(strata), strata_total=len(all_strata),
        samples=len(sample) if strata else 0, seed=seed, profiles=tally.profiles,
        distribution=distribution, optional=optional, never_fired=never_fired,
        never_decisive=never_decisive,
        never_wins=[o for o in outcomes if tally.wins[o] == 0],
        ties=sum(tally.ties.values()), core_ties=core_ties, tie_pairs=tie_pairs, deciding=deciding,
        strongest=strongest, no_outcome=tally.no_outcome,
        no_outcome_examples=tally.no_outcome_examples, pivots_exhaustive=pivots_exhaustive,
    )


def _non_canonical(raw: Mapping[str, State], used: set[str]) -> bool:
    """A profile that names a value for a question no rule set asks: a duplicate."""
    return any(v is not None and k not in used for k, v in raw.items())


def _in_order(rs: RuleSet, ids: set[str]) -> list[str]:
    order = [r.id for r in rs.rules] + [MIXED_RULE_ID]
    return [r for r in order if r in ids]


def _optional_stats(space: Space, rs: RuleSet, results: dict[tuple[int, tuple[int, ...]], int],
                    base: bytearray | dict[int, int],
                    outcomes: Sequence[str]) -> list[dict[str, object]]:
    """Per optional answer: the distribution, and how often answering it changed the winner."""
    extra = space.extra.axes
    out: list[dict[str, object]] = []
    for k, ax in enumerate(extra):
        for j, state in enumerate(ax.states):
            if state is None:
                continue
            codes = bytearray()
            changed = 0
            for (index, stratum), code in results.items():
                if stratum[k] != j:
                    continue
                codes.append(code)
                before = base[index] if isinstance(base, bytearray) else base.get(index)
                if before is not None and code != before and all(
                        d == 0 for i, d in enumerate(stratum) if i != k):
                    changed += 1
            alone = sum(1 for (_, s) in results if s[k] == j and
                        all(d == 0 for i, d in enumerate(s) if i != k))
            out.append({"question": ax.id, "answer": show_state(state),
                        "profiles": len(codes), "distribution": _dist(bytes(codes), outcomes),
                        "alone": alone, "changed_alone": changed})
    return out


def _deciding(rs: RuleSet, space: Space, tally: _Tally, w: bytearray | None,
              core_code: dict[int, int], distribution: dict[str, int],
              results: dict[tuple[int, tuple[int, ...]], int], seed: int,
              scorer: Scorer, sampled: bool, representative: dict[int, int],
              ) -> tuple[list[dict[str, object]], list[dict[str, object]], bool]:
    core = space.core
    outcomes = rs.outcome_ids
    deciding: list[dict[str, object]] = []
    strongest: list[dict[str, object]] = []
    total = sum(distribution.values())
    exhaustive = w is not None
    if w is not None:
        data = bytes(w)
        canonical = len(data) - data.count(_SKIP)
        # A duplicate (an answer to a question that is not asked) stands for the profile it
        # repeats, so changing an answer that decides whether another question is asked
        # compares with the right neighbour.
        mapped = bytearray(w)
        for i, j in representative.items():
            mapped[i] = w[j]
        for k, ax in enumerate(core.axes):
            slices = _slices(data, core.radices, k)
            n = _pivotal(_slices(bytes(mapped), core.radices, k), slices)
            deciding.append({"question": ax.id, "profiles": n,
                             "share": n / canonical if canonical else 0.0})
            for j, state in enumerate(ax.states):
                if state is None:
                    continue
                dist = _dist(slices[j], outcomes)
                strongest.extend(_strength(ax.id, state, dist, distribution, total))
    else:
        # A sampled core: rescore the neighbours of a sample of profiles.
        pool = sorted(core_code)
        picks = pool if len(pool) <= PIVOT_SAMPLE else sorted(
            random.Random(seed + 2).sample(pool, PIVOT_SAMPLE))
        zeros = (0,) * len(space.extra.axes)
        cache = dict(core_code)
        per_axis = [0] * len(core.axes)
        checked = 0
        for index in picks:
            digits = core.digits(index)
            mine = cache[index]
            if mine == _SKIP:
                continue
            checked += 1
            for k, r in enumerate(core.radices):
                for j in range(r):
                    if j == digits[k]:
                        continue
                    other = list(digits)
                    other[k] = j
                    oi = sum(d * s for d, s in zip(other, core.strides(), strict=True))
                    if oi not in cache:
                        fitted = fit(rs, space.raw(other, zeros))
                        if fitted is None:
                            cache[oi] = _SKIP
                        else:
                            cache[oi] = _score_code(rs, fitted[0], scorer)
                    if cache[oi] not in (_SKIP, mine):
                        per_axis[k] += 1
                        break
        for k, ax in enumerate(core.axes):
            deciding.append({"question": ax.id, "profiles": per_axis[k],
                             "share": per_axis[k] / checked if checked else 0.0})
    deciding.extend(_optional_pivots(space, rs, results, w, core_code, sampled))
    deciding.sort(key=lambda d: (-cast(float, d["share"]), str(d["question"])))
    strongest.sort(key=lambda d: (-cast(float, d["lift"]), str(d["question"]),
                                  str(d["answer"])))
    top: list[dict[str, object]] = []
    for o in outcomes:
        top.extend([d for d in strongest if d["outcome"] == o][:STRONGEST_PER_OUTCOME])
    return deciding, top, exhaustive


def _score_code(rs: RuleSet, answers: dict[str, Answer], scorer: Scorer) -> int:
    try:
        return rs.outcome_ids.index(scorer(rs, answers).winner)
    except NoOutcomeLeft:
        return _NO_OUTCOME


def _strength(qid: str, state: State, dist: dict[str, int], overall: dict[str, int],
              total: int) -> list[dict[str, object]]:
    n = sum(dist.values())
    if not n or not total:
        return []
    out = []
    for o, c in dist.items():
        share = c / n
        base = overall.get(o, 0) / total
        if base > 0 and share > base:
            out.append({"question": qid, "answer": show_state(state), "outcome": o,
                        "share": share, "overall": base, "lift": share / base})
    return out


def _optional_pivots(space: Space, rs: RuleSet,
                     results: dict[tuple[int, tuple[int, ...]], int], w: bytearray | None,
                     core_code: dict[int, int], sampled: bool) -> list[dict[str, object]]:
    """For each optional question: profiles where changing only it changes the winner."""
    if not results:
        return []
    extra = space.extra.axes
    zeros = (0,) * len(extra)
    table = dict(results)
    for index in {i for i, _ in results}:
        base = w[index] if w is not None else core_code.get(index, _SKIP)
        table[(index, zeros)] = base
    out = []
    for k, ax in enumerate(extra):
        lines: dict[tuple[int, tuple[int, ...]], list[int]] = {}
        for (index, stratum), code in table.items():
            if code == _SKIP:
                continue
            key = (index, stratum[:k] + (0,) + stratum[k + 1:])
            lines.setdefault(key, []).append(code)
        n = sum(len(v) for v in lines.values() if v.count(v[0]) != len(v))
        m = sum(len(v) for v in lines.values())
        out.append({"question": ax.id, "profiles": n, "share": n / m if m else 0.0,
                    "optional": True, "sampled": sampled})
    return out


# --------------------------------------------------------------------------- diff


@dataclass
class Diff:
    old: dict[str, str]
    new: dict[str, str]
    space: list[dict[str, object]]
    profiles: int
    core_profiles: int
    sampled_profiles: int
    changed: int
    transitions: list[dict[str, object]]
    examples: list[dict[str, object]]
    drivers: list[dict[str, object]]
    rule_changes: dict[str, list[str]]

    def to_json(self) -> dict[str, object]:
        return {key: getattr(self, key) for key in self.__dataclass_fields__}


def diff(old: RuleSet, new: RuleSet, *, samples: int = DEFAULT_SAMPLES, seed: int = 0,
         exhaustive: bool = False, scorer: Scorer = score) -> Diff:
    """Score the common answer space with both rule sets and compare the recommendations."""
    if samples < 0:
        raise UsageError(f"--samples {samples}: expected 0 or more")
    space = common_space(old, new)
    core, extra = space.core, space.extra
    zeros = (0,) * len(extra.axes)
    core_indices: Sequence[int] = (range(core.size) if exhaustive or core.size <= MAX_CORE
                                   else core.sample(MAX_CORE, seed))
    profiles: list[tuple[int, tuple[int, ...]]] = [(i, zeros) for i in core_indices]
    strata = [d for d in extra.all_digits() if any(d)] if extra.axes else []
    if not exhaustive and len(strata) > MAX_STRATA:
        strata = sorted(random.Random(seed).sample(strata, MAX_STRATA))
    pool = list(core_indices)
    sample = pool if exhaustive or samples >= len(pool) else sorted(
        random.Random(seed + 1).sample(pool, samples))
    profiles += [(i, s) for s in strata for i in sample]

    def winner(rs: RuleSet, answers: dict[str, Answer]) -> tuple[str, Scored | None]:
        try:
            s = scorer(rs, answers)
        except NoOutcomeLeft:
            return NONE, None
        return s.winner, s

    compared = core_count = 0
    transitions: Counter[tuple[str, str]] = Counter()
    examples_by: dict[tuple[str, str], list[dict[str, object]]] = {}
    all_answers: Counter[tuple[str, str]] = Counter()
    changed_answers: Counter[tuple[str, str]] = Counter()
    for index, stratum in profiles:
        raw = space.raw(core.digits(index), stratum)
        a = fit(old, raw)
        b = fit(new, raw)
        if a is None or b is None or _non_canonical(raw, a[1] | b[1]):
            continue
        compared += 1
        if not any(stratum):
            core_count += 1
        was, s_old = winner(old, a[0])
        now, s_new = winner(new, b[0])
        shown = [(k, show_state(v)) for k, v in raw.items() if v is not None]
        all_answers.update(shown)
        if was != now:
            transitions[(was, now)] += 1
            changed_answers.update(shown)
            kept = examples_by.setdefault((was, now), [])
            if len(kept) < 2:
                kept.append({
                    "answers": to_plain(b[0]), "old": was, "new": now,
                    "old_scores": s_old.scores if s_old else {},
                    "new_scores": s_new.scores if s_new else {}})
    changed = sum(transitions.values())
    ordered = sorted(transitions.items(), key=lambda kv: (-kv[1], kv[0]))
    examples = [e for key, _ in ordered for e in examples_by[key]][:MAX_DIFF_EXAMPLES]
    drivers = []
    if changed:
        for key, n in changed_answers.items():
            share = n / changed
            base = all_answers[key] / compared
            if share > base:
                drivers.append({"question": key[0], "answer": key[1], "changed_share": share,
                                "overall_share": base, "lift": share / base})
        drivers.sort(key=lambda d: (-cast(float, d["lift"]), -cast(float, d["changed_share"]),
                                    str(d["question"]), str(d["answer"])))
    return Diff(
        old={"id": old.meta.id, "version": old.meta.version, "source": old.source},
        new={"id": new.meta.id, "version": new.meta.version, "source": new.source},
        space=space.describe(), profiles=compared, core_profiles=core_count,
        sampled_profiles=compared - core_count, changed=changed,
        transitions=[{"from": a, "to": b, "profiles": n}
                     for (a, b), n in ordered],
        examples=examples, drivers=drivers[:6], rule_changes=rule_changes(old, new),
    )


def _points(rule_points: tuple[tuple[str, float], ...]) -> str:
    return "{" + ", ".join(f"{o}: {p:g}" for o, p in rule_points) + "}"


def rule_changes(old: RuleSet, new: RuleSet) -> dict[str, list[str]]:
    """What differs in the rules, questions and decision, by id."""
    before = {r.id: r for r in old.rules}
    after = {r.id: r for r in new.rules}
    changed = []
    for rid, r in after.items():
        p = before.get(rid)
        if p is None:
            continue
        parts = []
        if dict(p.points) != dict(r.points):
            parts.append(f"points {_points(p.points)} -> {_points(r.points)}")
        if set(p.exclude) != set(r.exclude):
            parts.append(f"exclude [{', '.join(p.exclude)}] -> [{', '.join(r.exclude)}]")
        if p.when != r.when:
            parts.append(f"when '{p.when.describe()}' -> '{r.when.describe()}'")
        if parts:
            changed.append(f"{rid}: " + "; ".join(parts))
    decision = []
    if old.decision != new.decision:
        om, nm = old.decision.mixed, new.decision.mixed
        if (om and (om.outcome, om.between, om.weight, om.min_points)) != (
                nm and (nm.outcome, nm.between, nm.weight, nm.min_points)):
            decision.append("mixed: " + _mixed(om) + " -> " + _mixed(nm))
        if old.decision.tie_break != new.decision.tie_break:
            decision.append(f"tie_break [{', '.join(old.decision.tie_break)}] -> "
                            f"[{', '.join(new.decision.tie_break)}]")
    questions_changed = []
    for q in new.questions:
        if not old.has_question(q.id):
            continue
        was = old.question(q.id)
        parts = []
        if was.type != q.type:
            parts.append(f"type {was.type} -> {q.type}")
        added = [v for v in q.values if v not in was.values]
        dropped = [v for v in was.values if v not in q.values]
        if added:
            parts.append(f"choices added [{', '.join(added)}] (answers using them are valid "
                         "only in the new rule set and are not compared)")
        if dropped:
            parts.append(f"choices removed [{', '.join(dropped)}] (answers using them are valid "
                         "only in the old rule set and are not compared)")
        if was.default != q.default:
            parts.append(f"default {was.default} -> {q.default} (changes what --defaults and "
                         "the quiz start from, not full answer sets)")
        if was.required != q.required:
            parts.append(f"required {was.required} -> {q.required}".lower())
        if (was.minimum, was.maximum) != (q.minimum, q.maximum):
            parts.append(f"range [{was.minimum}, {was.maximum}] -> [{q.minimum}, {q.maximum}]")
        if was.when != q.when:
            parts.append("when changed")
        if parts:
            questions_changed.append(f"{q.id}: " + "; ".join(parts))
    return {
        "rules_added": [r for r in after if r not in before],
        "rules_removed": [r for r in before if r not in after],
        "rules_changed": changed,
        "questions_added": [q.id for q in new.questions if not old.has_question(q.id)],
        "questions_removed": [q.id for q in old.questions if not new.has_question(q.id)],
        "questions_changed": questions_changed,
        "decision": decision,
    }


def _mixed(m: object) -> str:
    if not isinstance(m, Mixed):
        return "off"
    return (f"{m.outcome} gains {m.weight:g} x (min({m.between[0]}, {m.between[1]}) - "
            f"{m.min_points:g}) when positive")
