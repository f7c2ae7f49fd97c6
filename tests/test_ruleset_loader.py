"""The rule-set loader: the default set is complete, and every mistake is named with its place."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from llmchoice.io.errors import RuleSetError
from llmchoice.ruleset.load import default_rules_path, load_ruleset
from llmchoice.ruleset.model import RuleSet

ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "article.txt"

MINIMAL = """\
ruleset: {id: tiny, version: "1", title: Tiny, source: test}
outcomes:
  open: {label: Open, summary: o}
  closed: {label: Closed, summary: c}
tradeoffs:
  open.full-transparency: {side: open, kind: perk, title: Full Transparency, text: See.}
questions:
  - id: budget
    prompt: Budget?
    type: choice
    choices:
      - {value: minimal, label: Minimal}
      - {value: large, label: Large}
  - id: tokens
    prompt: Tokens?
    type: number
    required: false
rules:
  - id: cheap
    when: {budget: minimal}
    points: {open: 2}
    because: Cheap.
    cites: [open.full-transparency]
decision:
  tie_break: [open, closed]
"""


def load_text(write: Callable[[str, str], Path], text: str) -> RuleSet:
    return load_ruleset(write("rules.yaml", text))


def problems(write: Callable[[str, str], Path], text: str) -> list[str]:
    with pytest.raises(RuleSetError) as info:
        load_text(write, text)
    return [f"{p.location.line}:{p.location.column} {p.message}" for p in info.value.problems]


def test_minimal_rule_set_loads(write: Callable[[str, str], Path]) -> None:
    rs = load_text(write, MINIMAL)
    assert rs.outcome_ids == ("open", "closed")
    assert rs.rules[0].line == 19


def test_default_rule_set_has_every_article_bullet_in_its_own_words(rs: RuleSet) -> None:
    article = ARTICLE.read_text(encoding="utf-8") if ARTICLE.exists() else None
    assert len(rs.tradeoffs) == 22
    kinds = [t.kind for t in rs.tradeoffs.values()]
    assert {k: kinds.count(k) for k in set(kinds)} == {
        "perk": 4, "challenge": 3, "advantage": 4, "drawback": 4, "scenario": 3, "lesson": 4}
    for t in rs.tradeoffs.values():
        if article is not None:
            assert f"- {t.title}: {t.text}" in article, t.id


def test_every_trade_off_is_cited_by_a_rule(rs: RuleSet) -> None:
    cited = {c for r in rs.rules for c in r.cites}
    if rs.decision.mixed:
        cited |= set(rs.decision.mixed.cites)
    assert set(rs.tradeoffs) - cited == set()
    assert all(r.cites and r.because.endswith(".") for r in rs.rules)


def test_default_questions_match_the_contract(rs: RuleSet) -> None:
    expected = {
        "budget": ("minimal", "moderate", "large"),
        "transparency": ("essential", "preferred", "unimportant"),
        "customization": ("deep", "moderate", "none"),
        "support": ("dedicated", "community", "self"),
        "expertise": ("strong", "some", "none"),
        "performance": ("cutting_edge", "good_enough"),
        "quality": ("strict", "standard"),
        "lock_in": ("avoid", "tolerate"),
        "domain": ("research", "specialized_industry", "general"),
        "control": ("critical", "moderate", "low"),
        "time_to_market": ("urgent", "normal", "flexible"),
        "data": ("on_premises", "regulated", "unrestricted"),
    }
    for qid, values in expected.items():
        q = rs.question(qid)
        assert q.values == values
        assert q.required == (qid != "data")
        assert len(q.help) > 40, f"{qid} needs a help text that teaches"
    tokens = rs.question("monthly_tokens")
    assert tokens.type == "number" and not tokens.required
    assert rs.question("lock_in").title == "Lock-in"  # short names for summaries


def test_default_rule_set_is_found_from_any_directory(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert default_rules_path().is_file()
    assert load_ruleset(None).meta.id == "llmchoice-default"


def test_environment_variable_selects_a_rule_set(write: Callable[[str, str], Path],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = write("env.yaml", MINIMAL)
    monkeypatch.setenv("LLMCHOICE_RULES", str(path))
    assert load_ruleset(None).meta.id == "tiny"
    assert load_ruleset("default").meta.id == "llmchoice-default"


def test_all_problems_at_once_with_lines_and_did_you_mean(
        write: Callable[[str, str], Path]) -> None:
    broken = MINIMAL.replace("points: {open: 2}", "points: {opn: 2}") \
                    .replace("cites: [open.full-transparency]", "cites: [open.full-transparancy]") \
                    .replace("when: {budget: minimal}", "when: {bugdet: minimal}")
    found = problems(write, broken)
    assert found == [
        "20:12 rule 'cheap' when: unknown question 'bugdet' (did you mean 'budget'?); "
        "expected a question id asked before this point, or all/any/not",
        "21:14 rule 'cheap' points: unknown key 'opn' (did you mean 'open'?); "
        "expected one of closed, open",
        "23:13 rule 'cheap' cites an unknown trade-off 'open.full-transparancy' "
        "(did you mean 'open.full-transparency'?)",
    ]


def test_values_and_operators_are_checked_against_question_types(
        write: Callable[[str, str], Path]) -> None:
    text = MINIMAL.replace("when: {budget: minimal}",
                           "when: {all: [{budget: minimall}, {budget: {gt: 3}}, "
                           "{tokens: {in: [1]}}, {tokens: {gte: many}}]}")
    found = problems(write, text)
    assert found[0].startswith("20:27 rule 'cheap' when: 'budget' value: expected one of "
                               "minimal, large, found the text 'minimall' "
                               "(did you mean 'minimal'?)")
    assert found[1].startswith("20:48 rule 'cheap' when: operator 'gt' does not apply to choice "
                               "question 'budget'")
    assert "operator 'in' does not apply to number question 'tokens'" in found[2]
    assert found[3].startswith("20:93 rule 'cheap' when: 'tokens': expected a finite number")


@pytest.mark.parametrize(("edit", "expected"), [
    (("  - id: cheap\n", "  - id: cheap\n    bogus: 1\n"),
     r"^20:5 rules\[0\]: unknown key 'bogus'"),
    (("tie_break: [open, closed]", "tie_break: [open]"),
     r"expected every outcome once \(open, closed\), found open"),
    (("    points: {open: 2}\n", ""), r"expected 'points' or 'exclude'"),
    (("type: number", "type: numeric"), r"expected one of choice, multi, number, confirm, "
                                         r"found the text 'numeric' \(did you mean 'number'\?\)"),
    (("ruleset: {id: tiny,", "ruleset: {id: Tiny Set,"), r"ruleset.id: expected an id"),
    (("points: {open: 2}", "points: {open: .nan}"), r"expected a finite number"),
    (("  - id: tokens", "  - id: budget"), r"duplicate question id"),
])
def test_each_mistake_is_named(write: Callable[[str, str], Path], edit: tuple[str, str],
                               expected: str) -> None:
    old, new = edit
    assert old in MINIMAL
    found = problems(write, MINIMAL.replace(old, new))
    assert any(re.search(expected, p) for p in found), found


def test_question_when_may_only_use_earlier_questions(write: Callable[[str, str], Path]) -> None:
    text = MINIMAL.replace("    required: false\n",
                           "    required: false\n    when: {later: x}\n")
    assert any("unknown question 'later'" in p for p in problems(write, text))


def test_embedded_tests_are_checked_against_questions_and_rules(
        write: Callable[[str, str], Path]) -> None:
    text = MINIMAL + """\
tests:
  - name: bad
    answers: {budget: huge}
    expect: {recommendation: open, fired: [cheapp]}
"""
    found = problems(write, text)
    assert any("test 'bad': budget: the text 'huge' is not allowed" in p for p in found)
    assert any("unknown rule 'cheapp' (did you mean 'cheap'?)" in p for p in found)


def test_not_a_mapping_is_one_clear_problem(write: Callable[[str, str], Path]) -> None:
    assert problems(write, "- just\n- a list\n") == [
        "1:1 rule set: expected a mapping, found a list"]


def test_default_rules_path_points_at_the_shipped_file() -> None:
    assert default_rules_path().name == "default.yaml"


def test_a_number_too_long_for_a_float_is_named_not_a_crash(tmp_path: Path) -> None:
    """A 400-digit number used to crash the loader with OverflowError."""
    huge = "1" + "0" * 400
    path = tmp_path / "huge.yaml"
    path.write_text(MINIMAL.replace("points: {open: 2}", f"points: {{open: {huge}}}"),
                    encoding="utf-8")
    with pytest.raises(RuleSetError) as exc:
        load_ruleset(path)
    assert [p.message for p in exc.value.problems] == [
        "rule 'cheap' points for 'open': expected a finite number, "
        "found a number of about 401 digits"]


def test_decision_mixed_weight_is_checked_against_its_range(tmp_path: Path) -> None:
    text = default_rules_path().read_text(encoding="utf-8").replace("weight: 1.4", "weight: 7")
    path = tmp_path / "w.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleSetError) as exc:
        load_ruleset(path)
    assert [p.message for p in exc.value.problems] == [
        "decision.mixed.weight: expected a number at least 0 and at most 5, found 7"]
