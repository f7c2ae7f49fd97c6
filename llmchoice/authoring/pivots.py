"""Deciding answers: how often changing one answer alone changes the recommendation.

Part of ``rules analyze`` (:mod:`llmchoice.authoring.analysis`): over an exhaustive core
the winners are laid out as one byte per profile, and each axis is read as lines of
profiles that differ only in that answer; over a sampled core, the neighbours of a
sample of profiles are scored. Optional questions are compared within their strata.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import cast

from llmchoice.authoring.space import NONE, Space, State, fit, show_state
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import RuleSet

PIVOT_SAMPLE = 2000
STRONGEST_PER_OUTCOME = 3
SKIP = 254  # not a canonical profile (a value for a question that is not asked)
NO_OUTCOME = 255


def dist(codes: bytes, outcomes: Sequence[str]) -> dict[str, int]:
    out = {o: codes.count(i) for i, o in enumerate(outcomes)}
    if NO_OUTCOME in codes:
        out[NONE] = codes.count(NO_OUTCOME)
    return out


def slices(w: bytes, radices: Sequence[int], k: int) -> list[bytes]:
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
    if not any(SKIP in s for s in canonical):
        width = len(lines)
        for col in zip(*lines, strict=True):
            if col.count(col[0]) != width:
                count += width
        return count
    for col, own in zip(zip(*lines, strict=True), zip(*canonical, strict=True), strict=True):
        vals = [c for c in col if c != SKIP]
        if vals and vals.count(vals[0]) != len(vals):
            count += sum(1 for c in own if c != SKIP)
    return count


@dataclass
class StrataCodes:
    """The winners' codes of the optional answers' strata: one byte per (stratum, core
    profile of the sample), ``SKIP`` where that profile is not canonical."""

    strata: list[tuple[int, ...]]
    sample: list[int]
    codes: bytearray

    @classmethod
    def empty(cls, strata: list[tuple[int, ...]], sample: list[int]) -> StrataCodes:
        return cls(strata, sample, bytearray([SKIP]) * (len(strata) * len(sample)))

    def __bool__(self) -> bool:
        return self.codes.count(SKIP) != len(self.codes)

    def row(self, p: int) -> bytes:
        n = len(self.sample)
        return bytes(self.codes[p * n:(p + 1) * n])


def optional_stats(space: Space, st: StrataCodes, base: bytearray | dict[int, int],
                    outcomes: Sequence[str]) -> list[dict[str, object]]:
    """Per optional answer: the distribution, and how often answering it changed the winner."""
    extra = space.extra.axes
    skip = bytes([SKIP])
    before = bytes(base[i] if isinstance(base, bytearray) else base.get(i, SKIP)
                   for i in st.sample)
    rows = [st.row(p) for p in range(len(st.strata))]
    out: list[dict[str, object]] = []
    for k, ax in enumerate(extra):
        for j, state in enumerate(ax.states):
            if state is None:
                continue
            codes = bytearray()
            changed = alone = 0
            for stratum, row in zip(st.strata, rows, strict=True):
                if stratum[k] != j:
                    continue
                kept = row.translate(None, skip)
                codes += kept
                if all(d == 0 for i, d in enumerate(stratum) if i != k):
                    alone += len(kept)
                    changed += sum(1 for c, b in zip(row, before, strict=True)
                                   if c != SKIP and b != SKIP and c != b)
            out.append({"question": ax.id, "answer": show_state(state),
                        "profiles": len(codes), "distribution": dist(bytes(codes), outcomes),
                        "alone": alone, "changed_alone": changed})
    return out


def deciding_answers(rs: RuleSet, space: Space, w: bytearray | None,
              core_code: dict[int, int], distribution: dict[str, int],
              st: StrataCodes, seed: int,
              code: Callable[[dict[str, Answer]], int], sampled: bool,
              representative: dict[int, int],
              ) -> tuple[list[dict[str, object]], list[dict[str, object]], bool]:
    """Per question, how often changing that answer alone changes the winner (most first);
    the single answers most tied to each outcome; and whether the core was enumerated."""
    strongest: list[dict[str, object]] = []
    if w is not None:
        deciding, strongest = _enumerated_pivots(rs, space, w, representative, distribution)
    else:
        deciding = _sampled_pivots(rs, space, core_code, seed, code)
    deciding.extend(_optional_pivots(space, st, w, core_code, sampled))
    deciding.sort(key=lambda d: (-cast(float, d["share"]), str(d["question"])))
    strongest.sort(key=lambda d: (-cast(float, d["lift"]), str(d["question"]),
                                  str(d["answer"])))
    top: list[dict[str, object]] = []
    for o in rs.outcome_ids:
        top.extend([d for d in strongest if d["outcome"] == o][:STRONGEST_PER_OUTCOME])
    return deciding, top, w is not None


def _enumerated_pivots(rs: RuleSet, space: Space, w: bytearray, representative: dict[int, int],
                       distribution: dict[str, int],
                       ) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """An enumerated core: read each axis as lines of profiles that differ only there."""
    core = space.core
    deciding: list[dict[str, object]] = []
    strongest: list[dict[str, object]] = []
    total = sum(distribution.values())
    data = bytes(w)
    canonical = len(data) - data.count(SKIP)
    # A duplicate (an answer to a question that is not asked) stands for the profile it
    # repeats, so changing an answer that decides whether another question is asked
    # compares with the right neighbour.
    mapped = bytearray(w)
    for i, j in representative.items():
        mapped[i] = w[j]
    for k, ax in enumerate(core.axes):
        parts = slices(data, core.radices, k)
        n = _pivotal(slices(bytes(mapped), core.radices, k), parts)
        deciding.append({"question": ax.id, "profiles": n,
                         "share": n / canonical if canonical else 0.0})
        for j, state in enumerate(ax.states):
            if state is None:
                continue
            shares = dist(parts[j], rs.outcome_ids)
            strongest.extend(_strength(ax.id, state, shares, distribution, total))
    return deciding, strongest


def _sampled_pivots(rs: RuleSet, space: Space, core_code: dict[int, int], seed: int,
                    code: Callable[[dict[str, Answer]], int]) -> list[dict[str, object]]:
    """A sampled core: rescore the neighbours of a sample of profiles."""
    core = space.core
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
        if mine == SKIP:
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
                    cache[oi] = SKIP if fitted is None else code(fitted[0])
                if cache[oi] not in (SKIP, mine):
                    per_axis[k] += 1
                    break
    return [{"question": ax.id, "profiles": per_axis[k],
             "share": per_axis[k] / checked if checked else 0.0}
            for k, ax in enumerate(core.axes)]


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


def _optional_pivots(space: Space, st: StrataCodes, w: bytearray | None,
                     core_code: dict[int, int], sampled: bool) -> list[dict[str, object]]:
    """For each optional question: profiles where changing only it changes the winner.

    Per core profile of the sample, the strata that differ only in question ``k`` (the
    core's own winner standing for "all unanswered") form a line; a line's profiles count
    when they do not all have the same winner."""
    if not st:
        return []
    extra = space.extra.axes
    n = len(st.sample)
    zeros = (0,) * len(extra)
    strata = [zeros, *st.strata]  # position 0: the core profile itself
    lines_of: list[list[list[int]]] = []
    for k in range(len(extra)):
        by_rest: dict[tuple[int, ...], list[int]] = {}
        for p, stratum in enumerate(strata):
            by_rest.setdefault(stratum[:k] + (0,) + stratum[k + 1:], []).append(p)
        lines_of.append(list(by_rest.values()))
    changed = [0] * len(extra)
    counted = [0] * len(extra)
    for i, index in enumerate(st.sample):
        column = [st.codes[p * n + i] for p in range(len(st.strata))]
        if all(c == SKIP for c in column):
            continue
        column.insert(0, w[index] if w is not None else core_code.get(index, SKIP))
        for k, lines in enumerate(lines_of):
            for line in lines:
                vals = [column[p] for p in line if column[p] != SKIP]
                counted[k] += len(vals)
                if vals and vals.count(vals[0]) != len(vals):
                    changed[k] += len(vals)
    return [{"question": ax.id, "profiles": changed[k],
             "share": changed[k] / counted[k] if counted[k] else 0.0,
             "optional": True, "sampled": sampled} for k, ax in enumerate(extra)]
