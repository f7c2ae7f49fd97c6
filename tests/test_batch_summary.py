"""`batch --summary` counts the deciding answers from tables; they must be what a full score
of every line gives (llmchoice/batch/deciding.py)."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmchoice.batch.deciding import Deciding
from llmchoice.batch.stream import JsonlWriter, Summary, run
from llmchoice.decide.compiled import compile_ruleset
from llmchoice.decide.rule import NoOutcomeLeft
from llmchoice.ruleset.load import load_ruleset

from .test_compiled import rule_sets, valid_answers


def both_ways(crs, answers_list):  # type: ignore[no-untyped-def]
    fast_wins: Counter[str] = Counter()
    fast: Counter[tuple[str, str]] = Counter()
    full_wins: Counter[str] = Counter()
    full: Counter[tuple[str, str]] = Counter()
    tables, scored = Deciding(crs, fast_wins, fast), Deciding(crs, full_wins, full)
    for answers in answers_list:
        try:
            s = crs.score(answers)
        except NoOutcomeLeft:
            continue
        tables.line(answers, s.winner, crs.verdict_key(answers) is not None)
        scored.add_scored(s.contributions, s.winner, answers)
        full_wins[s.winner] += 1
    return (fast_wins, fast), (full_wins, full)


@pytest.mark.slow
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # profile: conftest
@given(st.data())
def test_tables_count_what_full_scores_count_on_random_rule_sets(data: st.DataObject) -> None:
    rs = data.draw(rule_sets())
    crs = compile_ruleset(rs)
    answers = [data.draw(valid_answers(rs)) for _ in range(8)]
    fast, full = both_ways(crs, answers)
    assert fast == full


def test_tables_count_what_full_scores_count_on_the_default_set() -> None:
    rs = load_ruleset()
    crs = compile_ruleset(rs)
    rng = random.Random(5)
    answers = []
    for _ in range(3000):
        given: dict[str, object] = {q.id: rng.choice(q.values) for q in rs.questions
                                    if q.type == "choice" and (q.required or rng.random() < .5)}
        if rng.random() < 0.5:
            given["monthly_tokens"] = rng.choice([1, 5, 20, 2500, 2500.0, 10**6])
        answers.append(crs.answers(given))
    fast, full = both_ways(crs, answers)
    assert fast == full
    assert sum(fast[0].values()) == 3000 and len(fast[1]) > 10


def test_a_summary_run_counts_every_scored_line(tmp_path: Path) -> None:
    """Through the batch loop: the winners add up to the lines scored, and the deciding
    answers are the full count's."""
    rs = load_ruleset()
    crs = compile_ruleset(rs)
    rng = random.Random(9)
    lines = [json.dumps({q.id: rng.choice(q.values) for q in rs.questions
                         if q.type == "choice" and q.required}).encode() for _ in range(500)]
    summary = Summary(rs.outcome_ids)
    with (tmp_path / "out.jsonl").open("w", encoding="utf-8") as out:
        stats = run(crs, iter(enumerate(lines, 1)), "jsonl",
                    JsonlWriter(out, crs, contributions=False, what_if=False),
                    display="x", summary=summary, on_bad=lambda n, r: None)
    assert stats.scored == 500 == summary.scored
    _, full = both_ways(crs, [crs.answers(json.loads(line)) for line in lines])
    assert (summary.counts, summary.deciding) == full
