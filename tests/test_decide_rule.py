"""The one decision rule, checked directly (not only "engine == compiled"): tie-break order,
exclusions counted once, the mixed bonus at and under min_points, rounding, margin and
confidence, ``lte`` against ``lt``, ``--set`` over the file on the compiled path, a batch
line that excludes every outcome, and verdicts that callers cannot corrupt."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from llmchoice.cli.app import app
from llmchoice.decide import engine
from llmchoice.decide.compiled import CompiledRuleSet, compile_ruleset
from llmchoice.decide.explain import robustness
from llmchoice.decide.rule import decide
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.load import load_ruleset
from llmchoice.ruleset.model import Decision, Mixed, RuleSet

OUTCOMES = ("open", "closed", "hybrid")
TIES = Decision(tie_break=("hybrid", "open", "closed"))
MIXED = Decision(tie_break=("hybrid", "open", "closed"),
                 mixed=Mixed("hybrid", ("open", "closed"), 2.0, 3.0, "both", ()))

# Points chosen so every case below is worked out by hand in its test.
DUEL = """\
ruleset: {id: duel, version: "1", title: Duel, source: test}
outcomes:
  open: {label: Open, summary: o}
  closed: {label: Closed, summary: c}
  hybrid: {label: Hybrid, summary: h}
tradeoffs:
  t.one: {side: open, kind: perk, title: One, text: One.}
questions:
  - id: o
    prompt: Open points?
    type: choice
    choices: [{value: none, label: None}, {value: three, label: Three},
              {value: four, label: Four}, {value: five, label: Five}]
  - id: c
    prompt: Closed points?
    type: choice
    choices: [{value: none, label: None}, {value: three, label: Three},
              {value: four, label: Four}]
  - id: wall
    prompt: Walled?
    type: confirm
    required: false
  - id: frac
    prompt: Fractions?
    type: confirm
    required: false
  - id: n
    prompt: How many?
    type: number
    required: false
rules:
  - {id: o3, when: {o: three}, points: {open: 3}, because: o3, cites: [t.one]}
  - {id: o4, when: {o: four}, points: {open: 4}, because: o4, cites: [t.one]}
  - {id: o5, when: {o: five}, points: {open: 5}, because: o5, cites: [t.one]}
  - {id: c3, when: {c: three}, points: {closed: 3}, because: c3, cites: [t.one]}
  - {id: c4, when: {c: four}, points: {closed: 4}, because: c4, cites: [t.one]}
  - {id: wall-a, when: {wall: true}, exclude: [closed], because: first, cites: [t.one]}
  - {id: wall-b, when: {wall: true}, exclude: [closed, hybrid], because: second, cites: [t.one]}
  - {id: tenth, when: {frac: true}, points: {open: 0.1}, because: a tenth, cites: [t.one]}
  - {id: fifth, when: {frac: true}, points: {open: 0.2}, because: a fifth, cites: [t.one]}
  - {id: upto, when: {n: {lte: 10}}, points: {closed: 1}, because: lte, cites: [t.one]}
  - {id: below, when: {n: {lt: 10}}, points: {open: 1}, because: lt, cites: [t.one]}
  - {id: no-open, when: {n: {gte: 100}}, exclude: [open], because: big, cites: [t.one]}
  - {id: no-rest, when: {n: {gte: 100}, wall: true}, exclude: [hybrid], because: all,
     cites: [t.one]}
decision:
  mixed: {outcome: hybrid, between: [open, closed], weight: 2, min_points: 3,
          because: both, cites: [t.one]}
  tie_break: [hybrid, open, closed]
"""


@pytest.fixture(scope="module")
def duel_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("duel") / "duel.yaml"
    path.write_text(DUEL, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def duel(duel_path: Path) -> RuleSet:
    return load_ruleset(str(duel_path))


@pytest.fixture(scope="module")
def compiled(duel: RuleSet) -> CompiledRuleSet:
    return compile_ruleset(duel)


Scorer = Callable[[dict[str, Answer]], engine.Scored]


@pytest.fixture(params=["engine", "compiled"])
def weigh(request: pytest.FixtureRequest, duel: RuleSet, compiled: CompiledRuleSet) -> Scorer:
    if request.param == "engine":
        return lambda a: engine.score(duel, a)
    return compiled.score


# ------------------------------------------------------------------ decide() itself


def winner(sums: dict[str, float], decision: Decision = TIES,
           excluded: tuple[str, ...] = ()) -> str | None:
    v = decide(sums, excluded, decision, OUTCOMES)
    return None if v is None else v.winner


def test_exact_ties_break_by_tie_break_order_not_outcome_order() -> None:
    assert winner({"open": 2, "closed": 2, "hybrid": 2}) == "hybrid"
    assert winner({"open": 2, "closed": 2, "hybrid": 1}) == "open"
    other = Decision(tie_break=("closed", "open", "hybrid"))
    assert winner({"open": 2, "closed": 2, "hybrid": 1}, other) == "closed"
    # an excluded outcome never wins, not even a tie it would break
    assert winner({"open": 2, "closed": 2, "hybrid": 2}, excluded=("hybrid",)) == "open"
    assert winner({"open": 1, "closed": 1, "hybrid": 1}, excluded=OUTCOMES) is None


def test_mixed_bonus_only_above_min_points() -> None:
    def bonus(a: float, b: float, excluded: tuple[str, ...] = ()) -> float:
        v = decide({"open": a, "closed": b, "hybrid": 0}, excluded, MIXED, OUTCOMES)
        assert v is not None
        return v.bonus

    assert bonus(3, 5) == 0.0  # the weaker side exactly at min_points: nothing
    assert bonus(2.5, 9) == 0.0  # under it: nothing, never negative
    assert bonus(4, 5) == 2.0  # 2 x (4 - 3)
    assert bonus(5, 3.25) == 0.5  # the weaker side counts, whichever it is
    assert bonus(4, 5, ("closed",)) == 0.0  # a side excluded: no bonus
    assert bonus(4, 5, ("hybrid",)) == 0.0


def test_scores_are_rounded_to_six_decimals_and_margin_and_confidence_follow() -> None:
    v = decide([0.1 + 0.2, 0.1, 0.0], (), TIES, OUTCOMES)
    assert v is not None
    assert dict(v.scores) == {"open": 0.3, "closed": 0.1, "hybrid": 0.0}
    assert (v.winner, v.margin, v.confidence) == ("open", 0.2, 0.6667)  # 0.2 / 0.3
    alone = decide([1.0, 5.0, 0.0], {"closed", "hybrid"}, TIES, OUTCOMES)
    assert alone is not None and (alone.winner, alone.margin, alone.confidence) == ("open", 0, 1)
    nothing = decide([0.0, -1.0, 0.0], (), TIES, OUTCOMES)
    assert nothing is not None and (nothing.winner, nothing.confidence) == ("hybrid", 0.0)


def test_verdict_scores_are_read_only() -> None:
    v = decide([1.0, 2.0, 0.0], (), TIES, OUTCOMES)
    assert v is not None
    with pytest.raises(TypeError):
        v.scores["open"] = 9.0  # type: ignore[index]


# ------------------------------------------------------------------ through the evaluators


def test_tie_break_through_the_evaluators(weigh: Scorer) -> None:
    s = weigh({"o": "three", "c": "three"})  # 3 each, weaker side at min_points: no bonus
    assert s.scores == {"open": 3.0, "closed": 3.0, "hybrid": 0.0}
    assert (s.winner, s.margin, s.confidence) == ("open", 0.0, 0.0)
    assert not [c for c in s.contributions if c.rule == engine.MIXED_RULE_ID]


def test_mixed_bonus_through_the_evaluators(weigh: Scorer) -> None:
    s = weigh({"o": "five", "c": "four"})  # hybrid 2 x (4 - 3) = 2; open leads closed by 1
    assert s.scores == {"open": 5.0, "closed": 4.0, "hybrid": 2.0}
    assert (s.winner, s.margin, s.confidence) == ("open", 1.0, 0.2)
    bonus = [c for c in s.contributions if c.rule == engine.MIXED_RULE_ID]
    assert [(c.outcome, c.points) for c in bonus] == [("hybrid", 2.0)]


def test_exclusions_are_listed_once_by_the_first_rule(weigh: Scorer) -> None:
    s = weigh({"o": "none", "c": "four", "wall": True})
    assert [(e.outcome, e.rule) for e in s.excluded] == [("closed", "wall-a"), ("hybrid", "wall-b")]
    assert (s.winner, s.margin, s.confidence) == ("open", 0.0, 1.0)  # the only outcome left
    assert s.scores["closed"] == 4.0  # an excluded outcome keeps its score, it cannot win


def test_fractional_points_are_rounded(weigh: Scorer) -> None:
    s = weigh({"o": "none", "c": "none", "frac": True})
    assert s.scores["open"] == 0.3  # 0.1 + 0.2 is 0.30000000000000004 before rounding
    assert (s.winner, s.margin, s.confidence) == ("open", 0.3, 1.0)


@pytest.mark.parametrize(("n", "fired"), [(9.5, ["upto", "below"]), (10, ["upto"]),
                                          (10.5, [])])
def test_lte_includes_the_limit_and_lt_does_not(weigh: Scorer, n: float,
                                                  fired: list[str]) -> None:
    s = weigh({"o": "none", "c": "none", "n": n})
    assert list(s.fired) == fired


def test_every_outcome_excluded_raises_naming_the_rules(duel: RuleSet) -> None:
    answers: dict[str, Answer] = {"o": "none", "c": "none", "wall": True, "n": 100}
    for weigh in (lambda a: engine.score(duel, a), compile_ruleset(duel).score,
                  compile_ruleset(duel).verdict):
        with pytest.raises(engine.NoOutcomeLeft, match="by no-open, wall-a, wall-b\\)"):
            weigh(answers)


def test_robustness_keeps_a_clear_winner_and_splits_a_tie(duel: RuleSet) -> None:
    clear = engine.evaluate(duel, {"o": "five", "c": "none"})
    assert robustness(duel, clear).share == 1.0
    tied = engine.evaluate(duel, {"o": "three", "c": "three"})
    r = robustness(duel, tied)  # open and closed 3 each, perturbed either way
    assert 0.3 < r.share < 0.7
    assert [o for o, _ in r.others] == ["closed"]


# ------------------------------------------------------------------ memoised verdicts


def test_changing_a_returned_score_cannot_corrupt_a_later_verdict(
        compiled: CompiledRuleSet) -> None:
    answers: dict[str, Answer] = {"o": "five", "c": "four"}
    first = compiled.score(answers)
    first.scores["open"] = -100.0  # a caller's own copy
    v = compiled.verdict(answers)
    with pytest.raises(TypeError):
        v.scores["open"] = -100.0  # type: ignore[index]
    assert compiled.score(answers).scores == {"open": 5.0, "closed": 4.0, "hybrid": 2.0}
    assert dict(compiled.verdict_of_valid(answers).scores) == \
        {"open": 5.0, "closed": 4.0, "hybrid": 2.0}


# ------------------------------------------------------------------ validation and batch


def test_set_wins_over_the_file_on_the_compiled_path(compiled: CompiledRuleSet) -> None:
    resolved = compiled.validate({"o": "none", "c": "three"}, sets={"c": "four"})
    assert resolved.answers == {"o": "none", "c": "four"}
    assert compiled.score(resolved.answers).scores["closed"] == 4.0


def test_a_batch_line_that_excludes_every_outcome_gets_an_error_row(duel_path: Path,
                                                                     tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(textwrap.dedent("""\
        {"o": "five", "c": "none"}
        {"o": "none", "c": "none", "wall": true, "n": 100}
        {"o": "none", "c": "four"}
        """), encoding="utf-8")
    result = CliRunner().invoke(app, ["batch", str(src), "--rules", str(duel_path)])
    assert result.exit_code == 2
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3]
    assert rows[0]["recommendation"] == "open"
    assert "every outcome is excluded" in rows[1]["error"]
    assert "recommendation" not in rows[1]
    assert rows[2]["recommendation"] == "closed"
    assert f"{src}:2: " in result.stderr


def test_batch_names_missing_answers_together_with_the_defaults_hint(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"budget": "minimal"}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["batch", str(src)])
    error = json.loads(result.stdout)["error"]
    assert error.startswith("missing answers to transparency, customization, support, ")
    assert "(or use --defaults)" in error
