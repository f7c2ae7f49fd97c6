"""Whole-space figures of a rule set over every profile of its required questions.

The share of each outcome and path, exact ties, close calls (a lead under one point),
and two groups the review of 2026-12 asked about: teams without ML staff and teams that
must inspect the model. docs/scoring.md quotes these figures.

    python benchmarks/wholespace.py rules/default.yaml tests/data/default_v1.yaml
"""

from __future__ import annotations

import itertools
import sys
from collections import Counter

from llmchoice.decide.compiled import compile_ruleset
from llmchoice.decide.engine import choose_path, path_exclusions
from llmchoice.ruleset.load import load_ruleset


def _shares(counts: Counter[str], total: int) -> str:
    return ", ".join(f"{k} {v / total:.1%}" for k, v in sorted(counts.items()))


def figures(path: str) -> list[str]:
    rs = load_ruleset(path)
    crs = compile_ruleset(rs)
    required = [q for q in rs.questions if q.required]
    winners: Counter[str] = Counter()
    paths: Counter[str] = Counter()
    no_ml: Counter[str] = Counter()
    must_inspect: Counter[str] = Counter()
    total = ties = close = 0
    for combo in itertools.product(*[q.values for q in required]):
        answers = dict(zip([q.id for q in required], combo, strict=True))
        s = crs.score(answers)
        total += 1
        winners[s.winner] += 1
        if rs.paths:
            excluded = {e.outcome for e in path_exclusions(rs, s.fired)}
            chosen = choose_path(rs, answers, s.winner, excluded)
            paths[chosen.id if chosen else "(none)"] += 1
        allowed = len(rs.outcome_ids) - len({e.outcome for e in s.excluded})
        ties += s.margin == 0 and allowed > 1
        close += 0 < s.margin < 1
        if answers.get("expertise") == "none":
            no_ml[s.winner] += 1
        if answers.get("transparency") == "essential":
            must_inspect[s.winner] += 1
    lines = [f"{path}: {total:,} profiles", f"  outcomes: {_shares(winners, total)}"]
    if paths:
        lines.append(f"  paths: {_shares(paths, total)}")
    lines.append(f"  exact ties {ties / total:.1%}; leads under one point {close / total:.1%}")
    if no_ml:
        lines.append(f"  without ML staff: {_shares(no_ml, sum(no_ml.values()))}")
    if must_inspect:
        lines.append(f"  transparency essential: "
                     f"{_shares(must_inspect, sum(must_inspect.values()))}")
    return lines


def main(argv: list[str]) -> int:
    for path in argv or ["rules/default.yaml"]:
        print("\n".join(figures(path)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
