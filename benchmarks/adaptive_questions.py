#!/usr/bin/env python3
"""How many questions the adaptive quiz asks, over every profile of the required questions.

    .venv/bin/python benchmarks/adaptive_questions.py

Every one of the default rule set's 52,488 profiles (each required question answered
one of its ways) is put through the adaptive quiz's own choice
(:func:`llmchoice.quiz.adaptive.pick`, as ``quiz --adaptive`` calls it) by a user who
answers truthfully and says "not sure" to the optional questions (the profile does not
hold them), and who accepts the offer to stop. It prints the average number of questions
asked (the fixed quiz asks 13), the distribution, and checks that every stop gave the
profile's own verdict. Picks are remembered by what they depend on for this rule set
(the open questions and the packed points of the answers so far), so the run takes a few
minutes rather than hours.
"""

from __future__ import annotations

import collections
import statistics
import sys
import time
from itertools import product
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from llmchoice.decide.compiled import compiled_for  # noqa: E402
from llmchoice.decide.reach import reacher_for  # noqa: E402
from llmchoice.quiz.adaptive import pick  # noqa: E402
from llmchoice.ruleset.load import load_ruleset  # noqa: E402


def main() -> int:
    rs = load_ruleset("default")
    r = reacher_for(rs)
    crs = compiled_for(rs)
    required = [q for q in rs.questions if q.required]
    ids = [q.id for q in rs.questions]
    memo: dict[object, tuple[str | None, bool]] = {}
    counts: collections.Counter[int] = collections.Counter()
    wrong = 0
    start = time.perf_counter()
    for values in product(*[q.values for q in required]):
        profile = dict(zip([q.id for q in required], values, strict=True))
        known: dict[str, object] = {}
        skipped: set[str] = set()
        asked = 0
        while True:
            candidates = [q for q in ids if q not in known and q not in skipped]
            if not candidates:
                break
            base, _ = r.split(known, candidates)  # type: ignore[arg-type]
            key = (tuple(candidates), base)
            found = memo.get(key)
            if found is None:
                p = pick(rs, known, candidates, candidates)  # type: ignore[arg-type]
                found = memo[key] = (p.question, p.settled)
            question, settled = found
            if settled:
                break
            assert question is not None
            asked += 1
            if question in profile:
                known[question] = profile[question]
            else:
                skipped.add(question)
        counts[asked] += 1
        truth = crs.verdict(profile).winner
        if crs.verdict(known).winner != truth:  # type: ignore[arg-type]
            wrong += 1
    n = sum(counts.values())
    mean = sum(k * v for k, v in counts.items()) / n
    median = statistics.median(k for k, v in counts.items() for _ in range(v))
    print(f"profiles: {n} ({time.perf_counter() - start:.0f} s, {len(memo)} distinct picks)")
    print(f"questions asked: mean {mean:.2f} of 13 (median {median:g}); "
          f"the fixed quiz asks 13")
    for k in sorted(counts):
        print(f"  {k:2d} questions: {counts[k]:6d} profiles ({counts[k] / n:.1%})")
    print(f"stops that changed the verdict: {wrong}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
