#!/usr/bin/env python3
"""How many questions the adaptive quiz asks, over every profile of the required questions.

    .venv/bin/python benchmarks/adaptive_questions.py [--first]

Every one of the default rule set's 52,488 profiles (each required question answered
one of its ways) is put through the adaptive quiz's own choice
(:func:`llmchoice.quiz.adaptive.pick`, as ``quiz`` calls it) by a user who answers
truthfully and says "not sure" to the optional questions (the profile does not hold them),
and who accepts the offer to stop. The quiz offers it only once the outcome, the way
to run it (the path) and the report's advice (the next steps that apply) are settled. It
prints the average number of questions asked (the fixed quiz asks 13), the distribution,
and checks that every stop gave the profile's own outcome, path and next steps.

Picks are remembered by everything they depend on, so the run takes seconds to minutes
rather than hours: the open questions, the packed points of the rules that read only
answered questions (:meth:`llmchoice.decide.reach.Reacher.split`), and the answers to the
questions whose value matters beyond those points: those read by a rule that reads two
questions or more, by a path rule or a rule that excludes paths, by a next step's
``when`` or by a question's ``when`` (for the default rule set: transparency, data
location, volume, expertise, performance, customization, lock-in, control and time to
market).

``--first``: once the outcome is settled, ask the first open question the path rules need
(in their order) instead of the one whose answers leave the fewest paths, to compare.
"""

from __future__ import annotations

import collections
import statistics
import sys
import time
from itertools import product
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from llmchoice.decide import engine  # noqa: E402
from llmchoice.decide.explain import next_steps  # noqa: E402
from llmchoice.decide.reach import reacher_for  # noqa: E402
from llmchoice.decide.reach_paths import path_reacher_for  # noqa: E402
from llmchoice.quiz import adaptive  # noqa: E402
from llmchoice.ruleset.load import load_ruleset  # noqa: E402
from llmchoice.ruleset.model import RuleSet  # noqa: E402


def verdict(rs: RuleSet, answers: dict[str, object]) -> tuple[str, str | None]:
    """The engine's outcome and path, as ``recommend`` gives them."""
    s = engine.score(rs, answers)  # type: ignore[arg-type]
    excluded = {e.outcome for e in engine.path_exclusions(rs, s.fired)}
    path = engine.choose_path(rs, answers, s.winner, excluded)  # type: ignore[arg-type]
    return s.winner, None if path is None else path.id


def beyond_points(rs: RuleSet) -> frozenset[str]:
    """The questions whose answers a pick reads beyond the packed points (see the module)."""
    found: set[str] = set()
    for r in rs.rules:
        if len(r.when.questions()) > 1 or r.exclude_paths:
            found |= r.when.questions()
    for pr in rs.path_rules:
        if pr.when is not None:
            found |= pr.when.questions()
    for ns in rs.next_steps:
        if ns.when is not None:
            found |= ns.when.questions()
    for q in rs.questions:
        if q.when is not None:
            found |= q.when.questions() | {q.id}
    return frozenset(found)


def advice(rs: RuleSet, answers: dict[str, object]) -> tuple[object, ...]:
    """The outcome, the path and the ids of the next steps, as a report gives them."""
    result = engine.evaluate(rs, answers)  # type: ignore[arg-type]
    return (*verdict(rs, answers), tuple(s.id for s in next_steps(rs, result)))


def first_strategy() -> None:
    """--first: the first open question the path rules of the outcome need."""
    def first(rs, known, open_, candidates, outcome):  # type: ignore[no-untyped-def]
        q = path_reacher_for(rs).first_undecided(known, open_, outcome)
        return q if q in candidates else None
    adaptive._path_question = first  # type: ignore[assignment]  # noqa: SLF001


def main() -> int:
    if "--first" in sys.argv[1:]:
        first_strategy()
    rs = load_ruleset("default")
    r = reacher_for(rs)
    required = [q for q in rs.questions if q.required]
    ids = [q.id for q in rs.questions]
    beyond = [q for q in ids if q in beyond_points(rs)]
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
            key = (tuple(candidates), base, tuple((q in skipped, known.get(q)) for q in beyond))
            found = memo.get(key)
            if found is None:
                p = adaptive.pick(rs, known, candidates, candidates)  # type: ignore[arg-type]
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
        if advice(rs, known) != advice(rs, profile):  # type: ignore[arg-type]
            wrong += 1
    n = sum(counts.values())
    mean = sum(k * v for k, v in counts.items()) / n
    median = statistics.median(k for k, v in counts.items() for _ in range(v))
    print(f"profiles: {n} ({time.perf_counter() - start:.0f} s, {len(memo)} distinct picks)")
    print(f"questions asked: mean {mean:.2f} of 13 (median {median:g}); "
          f"the fixed quiz asks 13")
    for k in sorted(counts):
        print(f"  {k:2d} questions: {counts[k]:6d} profiles ({counts[k] / n:.1%})")
    print(f"stops that changed the outcome, the path or the next steps: {wrong}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
