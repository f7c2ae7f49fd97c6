"""`llmchoice rules analyze`: the whole answer space, counted."""

from __future__ import annotations

import dataclasses
import itertools
import json
import random
from collections import Counter
from pathlib import Path

import pytest

from llmchoice.answers.validate import applicable
from llmchoice.authoring.tally import winner_without
from llmchoice.decide.engine import MIXED_RULE_ID, score, with_answer
from llmchoice.ruleset.load import load_ruleset

from ._ruletools import SMALL, TYPES, pos, run, write


@pytest.fixture(scope="module")
def default_json() -> dict[str, object]:
    result = run("rules", "analyze", "--format", "json", "--samples", "200")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("Scored ")
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_default_core_is_every_combination_of_the_required_questions(
        default_json: dict[str, object]) -> None:
    assert default_json["core_size"] == 52_488
    assert default_json["core_evaluated"] == 52_488
    assert default_json["core_exhaustive"] is True
    space = {s["question"]: s for s in default_json["space"]}  # type: ignore[attr-defined]
    assert space["monthly_tokens"]["states"] == ["unanswered", "2000", "4000", "8000"]
    assert space["data"]["states"] == ["unanswered", "on_premises", "regulated", "unrestricted"]
    assert space["budget"]["required"] is True
    # 4 x 4 - 1 combinations of optional answers, each with the same 200 core profiles
    assert default_json["strata"] == 15
    assert default_json["samples"] == 200
    assert default_json["profiles"] == 52_488 + 15 * 200


def test_default_distribution_matches_a_brute_force_count(
        default_json: dict[str, object]) -> None:
    rs = load_ruleset()
    required = [q for q in rs.questions if q.required]
    counts: Counter[str] = Counter()
    for combo in itertools.product(*(q.values for q in required)):
        counts[score(rs, dict(zip([q.id for q in required], combo, strict=True))).winner] += 1
    assert default_json["distribution"] == dict(counts)
    assert sum(counts.values()) == 52_488


def test_default_has_no_dead_rules_or_outcomes(default_json: dict[str, object]) -> None:
    assert default_json["never_fired"] == []
    assert default_json["never_decisive"] == []
    assert default_json["never_wins"] == []
    assert default_json["no_outcome"] == 0
    deciding = {d["question"]: d for d in default_json["deciding"]}  # type: ignore[attr-defined]
    assert set(deciding) == {q.id for q in load_ruleset().questions}
    assert all(0 < d["share"] <= 1 for d in deciding.values())


def test_default_text_report() -> None:
    result = run("rules", "analyze", "--samples", "50")
    assert result.exit_code == 0
    out = result.stdout
    assert "Core: every combination of the 11 required questions, optional questions " \
           "unanswered: 52,488 profiles; scored 52,488, all of them." in out
    assert "Each of the 15 combinations of optional answers (other than all unanswered) with " \
           "a random sample of 50 core profiles (seed 0)." in out
    assert "Rules that never fire\n  none" in out
    assert "Answers that exclude every outcome (a rule-set error)\n  none" in out
    assert "Ties between the top two, decided by decision.tie_break: " in out
    assert "Answers that most often decide" in out and "(optional; sampled)" in out


def test_small_rule_set_counted_by_hand(tmp_path: Path) -> None:
    # budget low -> open 2 (cheap); high -> closed 2, hybrid 1 (rich). colour never matters.
    path = write(tmp_path, "small.yaml", SMALL)
    data = json.loads(run("rules", "analyze", path, "--format", "json").stdout)
    assert data["core_size"] == 4
    assert data["distribution"] == {"open": 2, "closed": 2, "hybrid": 0}
    assert data["never_wins"] == ["hybrid"]
    assert data["never_fired"] == [] and data["never_decisive"] == []
    assert data["ties"] == 0
    deciding = {d["question"]: d["share"] for d in data["deciding"]}
    assert deciding == {"budget": 1.0, "colour": 0.0}


DEAD = SMALL.replace("""decision:""", """  - id: impossible
    when: {all: [{budget: low}, {budget: high}]}
    points: {hybrid: 5}
    because: Never.
    cites: [t.cost]
  - id: redundant
    when: {budget: low}
    points: {open: 1}
    because: Open already wins with a low budget.
    cites: [t.cost]
  - id: colour-tie
    when: {colour: blue}
    points: {open: 2}
    because: Blue ties closed with open when the budget is high.
    cites: [t.cost]
  - id: home
    when: {data: home}
    exclude: [closed, hybrid]
    because: Home.
    cites: [t.cost]
  - id: home-and-high
    when: {all: [{data: home}, {budget: high}]}
    exclude: [open]
    because: Contradiction.
    cites: [t.cost]
decision:""").replace("""rules:""", """  - id: data
    prompt: Data?
    type: choice
    required: false
    choices: [{value: home, label: Home}, {value: cloud, label: Cloud}]
rules:""")


def test_dead_rules_ties_and_contradictions_are_found(tmp_path: Path) -> None:
    path = write(tmp_path, "dead.yaml", DEAD)
    result = run("rules", "analyze", path, "--exhaustive")
    assert result.exit_code == 1  # some answers exclude every outcome
    out = result.stdout
    assert "In all: 12 profiles scored." in out  # 2 x 2 core, x 3 states of data
    assert f"Rules that never fire\n  {path}:{pos(path, '- id: impossible', 'id')}: impossible\n" \
        in out
    never_decisive = out.split("Rules that never change a winner")[1].split("\n\n")[0]
    # cheap and redundant both give open points for a low budget: each alone is redundant.
    assert f"{path}:{pos(path, '- id: redundant', 'id')}: redundant" in never_decisive
    assert f"{path}:{pos(path, '- id: cheap', 'id')}: cheap" in never_decisive
    assert "rich" not in never_decisive
    assert ("Answers that exclude every outcome (a rule-set error)\n  2 profiles, for example:\n"
            "    budget=high, colour=red, data=home\n    budget=high, colour=blue, data=home\n"
            in out)
    # budget=high, colour=blue: open 2 = closed 2 > hybrid 1: the tie goes to open (tie_break)
    ties = out.split("Ties between the top two, decided by decision.tie_break:")[1]
    assert ties.startswith(" 1 of 4 core profiles (25.0%); 2 of all 12 profiles scored (16.7%)")
    assert "open = closed" in ties and "-> open" in ties
    assert "e.g. budget=high, colour=blue (open 2, closed 2, hybrid 1)" in ties


def test_removing_a_rule_by_arithmetic_matches_rescoring_without_it() -> None:
    """The 'never changes a winner' shortcut agrees with really scoring without the rule."""
    rs = load_ruleset()
    rng = random.Random(7)
    checked = 0
    for _ in range(150):
        answers: dict[str, object] = {q.id: rng.choice(q.values) for q in rs.questions
                                      if q.type == "choice" and (q.required or rng.random() < .5)}
        if rng.random() < 0.5:
            answers["monthly_tokens"] = rng.choice([10, 100, 5000])
        s = score(rs, answers)  # type: ignore[arg-type]
        rules = list(s.fired)
        if any(c.rule == MIXED_RULE_ID for c in s.contributions):
            rules.append(MIXED_RULE_ID)
        for rid in rules:
            if rid == MIXED_RULE_ID:
                without = dataclasses.replace(rs, decision=dataclasses.replace(
                    rs.decision, mixed=None))
            else:
                without = dataclasses.replace(rs, rules=tuple(r for r in rs.rules if r.id != rid))
            assert winner_without(rs, s, rid) == score(without, answers).winner, (rid, answers)  # type: ignore[arg-type]
            checked += 1
    assert checked > 1000


def test_bad_options(tmp_path: Path) -> None:
    assert run("rules", "analyze", "--format", "xml").exit_code == 2
    bad = run("rules", "analyze", "--samples", "-1")
    assert bad.exit_code == 2
    assert "--samples -1: expected 0 or more" in bad.stderr
    core_only = json.loads(run("rules", "analyze", write(tmp_path, "s.yaml", SMALL),
                               "--samples", "0", "--format", "json").stdout)
    assert core_only["profiles"] == 4


def test_every_question_type_and_conditional_questions(tmp_path: Path) -> None:
    path = write(tmp_path, "types.yaml", TYPES)
    data = json.loads(run("rules", "analyze", path, "--format", "json", "--exhaustive").stdout)
    states = {s["question"]: s["states"] for s in data["space"]}
    assert states["tools"] == ["[]", "[git]", "[svn]", "[git, svn]"]
    assert states["seats"] == ["5", "10", "20"]  # around the threshold 10 of 'gte: 10'
    assert states["gpu"] == ["true", "false"]
    assert states["follow"] == ["unanswered", "x", "y"]  # asked only when tools include git
    assert states["extras"] == ["unanswered", "[]", "[a]", "[b]", "[a, b]"]
    # By hand: follow is asked (x or y) for the 2 tool sets with git, not for the other 2.
    rs = load_ruleset(path)
    expected: Counter[str] = Counter()
    for flag, tools, seats, gpu in itertools.product(
            ["true", "null", "1.5"], [(), ("git",), ("svn",), ("git", "svn")], [5, 10, 20],
            [True, False]):
        for follow in (["x", "y"] if "git" in tools else [None]):
            answers: dict[str, object] = {"flag": flag, "tools": tools, "seats": seats, "gpu": gpu}
            if follow:
                answers["follow"] = follow
            expected[score(rs, answers).winner] += 1  # type: ignore[arg-type]
    assert data["core_size"] == data["core_evaluated"] == sum(expected.values()) == 108
    assert data["distribution"] == {"open": expected["open"], "closed": expected["closed"]}
    assert data["profiles"] == 108 * 5  # with every state of the optional 'extras'
    deciding = {d["question"]: d for d in data["deciding"]}
    assert deciding["extras"]["share"] > 0  # r4 needs extras to include a (and gpu)
    assert deciding["gpu"]["share"] == 0  # ... so without extras, gpu never matters

    # "Changing only this answer", by brute force: change it, drop answers that stop
    # applying; a change that would need a new answer (follow, once git is in) is no change.
    def complete(answers: dict[str, object]) -> bool:
        return all(q.id in answers for q in rs.questions
                   if q.required and applicable(q, answers))  # type: ignore[arg-type]

    values = {"flag": ["true", "null", "1.5"], "tools": [(), ("git",), ("svn",), ("git", "svn")],
              "seats": [5, 10, 20], "gpu": [True, False], "follow": ["x", "y"]}
    pivotal: Counter[str] = Counter()
    for flag, tools, seats, gpu in itertools.product(*list(values.values())[:4]):
        for follow in (["x", "y"] if "git" in tools else [None]):
            answers = {"flag": flag, "tools": tools, "seats": seats, "gpu": gpu}
            if follow:
                answers["follow"] = follow
            mine = score(rs, answers).winner  # type: ignore[arg-type]
            for qid, options in values.items():
                if qid not in answers:
                    continue
                others = [with_answer(rs, answers, qid, v)  # type: ignore[arg-type]
                          for v in options if v != answers[qid]]
                if any(complete(o) and score(rs, o).winner != mine for o in others):
                    pivotal[qid] += 1
    assert pivotal["tools"] > 0
    assert {q: deciding[q]["profiles"] for q in values} == {q: pivotal[q] for q in values}


def test_a_core_too_large_to_enumerate_is_sampled(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import llmchoice.authoring.analysis

    monkeypatch.setattr(llmchoice.authoring.analysis, "MAX_CORE", 60)  # TYPES has 108 core profiles
    path = write(tmp_path, "types.yaml", TYPES)
    result = run("rules", "analyze", path)
    assert result.exit_code == 0, result.stderr
    # 3 x 4 x 3 x 2 x 3 = 216 combinations, some repeating an answer set (follow not asked)
    assert ("216 combinations, too many to score: a uniform random sample of 60 (seed 0), "
            in " ".join(result.stdout.split()))  # (the line wraps at the width)
    assert "them distinct answer sets, scored." in result.stdout
    assert "(required questions: on a random sample of core profiles, neighbours rescored)" \
        in result.stdout
    data = json.loads(run("rules", "analyze", path, "--format", "json").stdout)
    assert data["core_exhaustive"] is False
    assert sum(data["distribution"].values()) == data["core_evaluated"] <= 60
    deciding = {d["question"]: d["share"] for d in data["deciding"]}
    assert deciding["gpu"] == 0.0 and deciding["flag"] > 0


PLANTED = """
ruleset: {id: planted, version: 1.0.0, title: Planted, source: tests}
outcomes:
  open: {label: Open, summary: o}
  closed: {label: Closed, summary: c}
  hybrid: {label: Hybrid, summary: h}
tradeoffs:
  t.a: {side: open, kind: perk, title: A, text: a}
questions:
  - id: need
    prompt: Need?
    type: choice
    monotone: {from: open, to: closed}
    choices: [{value: a, label: A}, {value: b, label: B}, {value: c, label: C}]
  - id: gate
    prompt: Gate?
    type: choice
    monotone: {from: open, to: closed, order: ["yes", "no"]}
    choices: [{value: "no", label: No}, {value: "yes", label: Yes}]
rules:
  - {id: need-a, when: {need: a}, points: {open: 2}, because: a, cites: [t.a]}
  - {id: need-b, when: {need: b}, points: {closed: 3}, because: b, cites: [t.a]}
  - {id: need-c, when: {need: c}, points: {open: 1}, because: c, cites: [t.a]}
  - {id: gate, when: {gate: "yes"}, exclude: [closed], because: g, cites: [t.a]}
decision:
  tie_break: [hybrid, open, closed]
"""


def test_monotonicity_finds_a_planted_violation(tmp_path: Path) -> None:
    """need: c -> b (toward open) gives closed 3 and takes open's 1 away: with the gate
    open both scores move the wrong way and the verdict becomes closed; with the gate
    shut (closed excluded) the scores still move the wrong way. gate: no -> yes adds
    an exclusion: a constraint change, not a violation. 6 profiles, 4 + 3 moves."""
    path = write(tmp_path, "planted.yaml", PLANTED)
    result = run("rules", "analyze", path, "--monotonicity", "--format", "json")
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    assert data["profiles"] == 6 and data["moves"] == 7
    assert data["violations"] == {"from-falls": 2, "to-rises": 2, "becomes-to": 1}
    assert data["per_question"] == {"need": 5}
    assert data["constraint_changes"] == 3
    becomes = data["examples"]["becomes-to"]
    assert becomes == [{"question": "need", "from": "c", "to": "b",
                        "answers": {"need": "c", "gate": "no"},
                        "detail": "verdict open -> closed"}]
    text = run("rules", "analyze", path, "--monotonicity")
    assert text.exit_code == 1
    assert "  Violations: 5\n" in text.stdout
    assert "    need: c -> b (verdict open -> closed); with need=c, gate=no\n" in text.stdout
    assert "Constraint changes (the move adds or removes an exclusion; not judged): 3\n" \
        in text.stdout
    fixed = write(tmp_path, "fixed.yaml", PLANTED.replace("points: {closed: 3}",
                                                          "points: {open: 1}"))
    ok = run("rules", "analyze", fixed, "--monotonicity")
    assert ok.exit_code == 0, ok.stdout
    assert "  Violations: 0\n" in ok.stdout


def test_monotonicity_default_exits_0() -> None:
    result = run("rules", "analyze", "--monotonicity", "--samples", "20")
    assert result.exit_code == 0, result.stdout
    assert "  Violations: 0\n" in result.stdout
    assert result.stderr.startswith("Checked ")
