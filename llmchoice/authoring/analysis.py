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
  single answers most strongly tied to one outcome (:mod:`llmchoice.authoring.pivots`).

"Without a rule" is the one decision rule (:func:`llmchoice.decide.rule.decide`) on the
other fired rules' points. The answer space lives in :mod:`llmchoice.authoring.space`,
``rules diff`` in :mod:`llmchoice.authoring.diff` (re-exported here).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import cast

from llmchoice.authoring.diff import Diff, diff, rule_changes
from llmchoice.authoring.pivots import (
    SKIP,
    StrataCodes,
    deciding_answers,
    dist,
    optional_stats,
)
from llmchoice.authoring.space import (
    DEFAULT_SAMPLES,
    MAX_CORE,
    MAX_STRATA,
    NONE,
    Scorer,
    Space,
    common_space,
    fit,
    has_when,
    non_canonical,
    space_of,
)
from llmchoice.authoring.tally import Example, Tally, coder
from llmchoice.decide.compiled import score
from llmchoice.decide.rule import MIXED_RULE_ID
from llmchoice.io.errors import UsageError
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import RuleSet

Progress = Callable[[int, int], None]  # (profiles done, profiles in all)
STEP = (1 << 12) - 1  # progress is told every 4,096 profiles

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


@dataclass
class _Core:
    """The core's winners: one byte per profile when the core is enumerated, else a code
    per drawn index; and each duplicate profile's canonical one."""

    indices: Sequence[int]
    exhaustive: bool
    w: bytearray
    code: dict[int, int]
    representative: dict[int, int]

    @property
    def by_index(self) -> bytearray | dict[int, int]:
        return self.w if self.exhaustive else self.code

    def codes(self) -> bytes:
        return bytes(self.w) if self.exhaustive else bytes(self.code.values())

    def canonical(self) -> list[int]:
        return [i for i in self.indices
                if (self.w[i] if self.exhaustive else self.code.get(i, SKIP)) != SKIP]


def _core_answers(rs: RuleSet, space: Space, core_exhaustive: bool,
                  indices: Sequence[int]) -> Iterator[tuple[int, dict[str, Answer] | None, int]]:
    """Each core profile (optional questions unanswered) in index order: its index, its
    answers (None when a required answer is missing), and the canonical profile it repeats
    (its own index when it is canonical)."""
    core = space.core
    ids = [a.id for a in core.axes]
    if core_exhaustive and not has_when(space.axes):
        # no question depends on another: every combination is canonical and complete,
        # and ``fit`` gives the answers in question order, as ``zip`` does here
        for index, combo in enumerate(itertools.product(*(a.states for a in core.axes))):
            yield index, dict(zip(ids, cast(tuple[Answer, ...], combo), strict=True)), index
        return
    zeros = (0,) * len(space.extra.axes)
    digits_iter = core.all_digits() if core_exhaustive else (core.digits(i) for i in indices)
    strides = core.strides()
    for index, digits in zip(indices, digits_iter, strict=True):
        raw = space.raw(digits, zeros)
        fitted = fit(rs, raw)
        if fitted is None:
            yield index, None, index
        elif non_canonical(raw, fitted[1]):
            used = fitted[1]
            yield index, None, sum((d if a.id in used else 0) * st
                                   for a, d, st in zip(core.axes, digits, strides, strict=True))
        else:
            yield index, fitted[0], index


def _score_core(rs: RuleSet, space: Space, tally: Tally, exhaustive: bool,
                seed: int, progress: Progress, samples: int) -> _Core:
    """Score the core, optional questions unanswered (each canonical profile once)."""
    core = space.core
    core_exhaustive = exhaustive or core.size <= MAX_CORE
    indices = range(core.size) if core_exhaustive else core.sample(MAX_CORE, seed)
    out = _Core(indices, core_exhaustive, bytearray([SKIP]) * (core.size if core_exhaustive
                                                                else 0), {}, {})
    count = tally.score
    w = out.w
    # the profiles in all, as far as known: the sample of the core is drawn from the
    # canonical profiles, which may be fewer
    strata = len(_strata_of(space, exhaustive, seed)[1])
    total = len(indices) + strata * (len(indices) if exhaustive else min(samples, len(indices)))
    for n, (index, answers, canonical) in enumerate(
            _core_answers(rs, space, core_exhaustive, indices)):
        if not n & STEP:
            progress(n, total)
        if answers is None:
            if canonical != index:
                out.representative[index] = canonical
            continue
        if core_exhaustive:
            w[index] = count(answers)
        else:
            out.code[index] = count(answers)
    return out


@dataclass
class _Strata:
    """The optional answers' strata scored, each with the same sample of core profiles."""

    all_strata: list[tuple[int, ...]]
    codes: StrataCodes
    canonical: int

    @property
    def strata(self) -> list[tuple[int, ...]]:
        return self.codes.strata

    @property
    def sample(self) -> list[int]:
        return self.codes.sample

    @property
    def sampled(self) -> bool:
        return len(self.sample) < self.canonical or len(self.strata) < len(self.all_strata)


def _strata_of(space: Space, exhaustive: bool, seed: int,
               ) -> tuple[list[tuple[int, ...]], list[tuple[int, ...]]]:
    """Every combination of optional answers but "all unanswered", and those scored."""
    extra = space.extra
    all_strata = [d for d in extra.all_digits() if any(d)] if extra.axes else []
    strata = all_strata
    if not exhaustive and len(all_strata) > MAX_STRATA:
        strata = sorted(random.Random(seed).sample(all_strata, MAX_STRATA))
    return all_strata, strata


def _score_strata(rs: RuleSet, space: Space, tally: Tally, core: _Core, *, samples: int,
                  seed: int, exhaustive: bool, progress: Progress) -> _Strata:
    """Score every (or a sample of the) optional-answer combinations on a core sample."""
    all_strata, strata = _strata_of(space, exhaustive, seed)
    canonical = core.canonical()
    if exhaustive or samples >= len(canonical):
        sample = canonical
    else:
        sample = sorted(random.Random(seed + 1).sample(canonical, samples))
    codes = StrataCodes.empty(strata, sample)
    if strata and sample:
        answers_of = _answers_of(rs, space)
        digits = [space.core.digits(index) for index in sample] if len(sample) * len(strata) \
            <= MAX_CORE else None
        at = 0
        done, total = len(core.indices), len(core.indices) + len(strata) * len(sample)
        for stratum in strata:
            progress(done + at, total)
            for i, index in enumerate(sample):
                found = answers_of(digits[i] if digits else space.core.digits(index), stratum)
                if found is not None:
                    codes.codes[at] = tally.score(found)
                at += 1
    return _Strata(all_strata, codes, len(canonical))


def _answers_of(rs: RuleSet, space: Space) -> Callable[[Sequence[int], Sequence[int]],
                                                       dict[str, Answer] | None]:
    """A profile's answers from its core and optional digits, or None when it is not
    canonical (``fit``; without questions that depend on others, the answered states in
    question order)."""
    def fitted(core_digits: Sequence[int], extra_digits: Sequence[int],
               ) -> dict[str, Answer] | None:
        raw = space.raw(core_digits, extra_digits)
        found = fit(rs, raw)
        return None if found is None or non_canonical(raw, found[1]) else found[0]

    def answered(core_digits: Sequence[int], extra_digits: Sequence[int],
                 ) -> dict[str, Answer] | None:
        return {k: v for k, v in space.raw(core_digits, extra_digits).items()
                if v is not None}

    return fitted if has_when(space.axes) else answered


def _rule_findings(rs: RuleSet, tally: Tally) -> tuple[
        list[dict[str, object]], list[dict[str, object]], list[dict[str, object]]]:
    """Rules that never fired, rules that never decided, and the tied outcome pairs."""
    never_fired: list[dict[str, object]] = [
        {"rule": r, "where": _where(rs, r)} for r in _in_order(rs, tally.unfired)]
    never_decisive: list[dict[str, object]] = [{"rule": r, "where": _where(rs, r)}
                      for r in _in_order(rs, tally.undecided - tally.unfired)]
    tie_pairs: list[dict[str, object]] = [
        {"outcomes": list(k), "profiles": n, "winner": k[0],
         "examples": [e.to_json() for e in tally.tie_examples[k]]}
        for k, n in sorted(tally.ties.items(), key=lambda kv: (-kv[1], kv[0]))]
    return never_fired, never_decisive, tie_pairs


def analyze(rs: RuleSet, *, samples: int = DEFAULT_SAMPLES, seed: int = 0,
            exhaustive: bool = False, scorer: Scorer = score,
            progress: Progress | None = None) -> Analysis:
    """Score every profile of the core and a stratified sample of the optional answers.
    ``progress(done, total)`` is called now and then with the profiles counted so far."""
    progress = progress or _quiet
    if samples < 0:
        raise UsageError(f"--samples {samples}: expected 0 or more")
    space = space_of(rs)
    tally = Tally(rs, scorer)
    outcomes = rs.outcome_ids

    # 1. the core, optional ones unanswered
    core = _score_core(rs, space, tally, exhaustive, seed, progress, samples)
    core_evaluated = tally.profiles
    core_ties = sum(tally.ties.values())
    distribution = dist(core.codes(), outcomes)

    st = _score_strata(rs, space, tally, core, samples=samples, seed=seed,  # 2. stratified
                       exhaustive=exhaustive, progress=progress)
    optional = (optional_stats(space, st.codes, core.by_index, outcomes)
                if st.codes else [])

    deciding, strongest, pivots_exhaustive = deciding_answers(  # 3. deciding answers
        rs, space, core.w if core.exhaustive else None, core.code, distribution, st.codes,
        seed, coder(rs, scorer), st.sampled, core.representative)

    never_fired, never_decisive, tie_pairs = _rule_findings(rs, tally)
    return Analysis(
        ruleset={"id": rs.meta.id, "version": rs.meta.version, "source": rs.source,
                 "sha256": rs.sha256},
        space=space.describe(),
        core_size=core_evaluated if core.exhaustive else space.core.size,
        core_evaluated=core_evaluated, core_drawn=len(core.indices),
        core_exhaustive=core.exhaustive, strata=len(st.strata), strata_total=len(st.all_strata),
        samples=len(st.sample) if st.strata else 0, seed=seed, profiles=tally.profiles,
        distribution=distribution, optional=optional, never_fired=never_fired,
        never_decisive=never_decisive,
        never_wins=[o for o in outcomes if tally.wins[o] == 0],
        ties=sum(tally.ties.values()), core_ties=core_ties, tie_pairs=tie_pairs, deciding=deciding,
        strongest=strongest, no_outcome=tally.no_outcome,
        no_outcome_examples=tally.no_outcome_examples, pivots_exhaustive=pivots_exhaustive,
    )


def _quiet(done: int, total: int) -> None:
    """No progress shown."""


def _in_order(rs: RuleSet, ids: set[str]) -> list[str]:
    order = [r.id for r in rs.rules] + [MIXED_RULE_ID]
    return [r for r in order if r in ids]


__all__ = ["NONE", "Analysis", "Diff", "Example", "Scorer", "Space", "analyze", "common_space",
           "diff", "fit", "rule_changes", "space_of"]
