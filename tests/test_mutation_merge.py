"""The merge rule, checked directly: for given people's answers, the team's answer to each
question, how it was reached, who voted for what (in which order) and who was unsure.

A small rule set (below) has what the default one lacks: a choice with no order, a
multi-choice question, several answers to one question that each rule something out, and
an answer that rules out every outcome.

Written to kill the mutants ``.ci/mutation.py merge`` found alive (docs/testing.md).

Equivalent mutants left alive (they cannot change behaviour):

- ``x__binding__mutmut_8`` (``with_answer(rs, team, None, m.value)`` for the base) and
  ``x__constraint__mutmut_9`` (the same for ``got``): when they run, ``team`` already
  holds ``m.value`` for ``m.question`` (or, for a tie, nothing), so setting it again or
  not gives the same answers.
- ``x__plain__mutmut_7``, ``_9``, ``_10``: the bound ``2**53`` moved to ``<= 2**53``,
  ``3**53`` or ``2**54``: a number question's answers lie within +-1e12 (the loader
  refuses a wider ``min``/``max``), so a median never comes near 2**53 (9.0e15).
- ``x__votes__mutmut_21``, ``_23``, ``_25``: the sort key's default for an answer not
  among the question's choices (``0`` → ``None``, left out, ``1``): only number answers
  are not, and they all get the same default, so only the counts order them.
- ``x_merge__mutmut_37`` (a multi-choice answer passed on as a tuple, not a list):
  ``validate`` takes a tuple as it takes a list (``test_a_multi_choice_answer_...``).
- ``x_merge__mutmut_46``, ``_50``, ``_53`` (``require_all=False`` → ``None``, left out,
  ``True``) and ``_45``, ``_49``, ``_51``, ``_52`` (the ``source`` of the merged answers): every
  required question that applies to the team was answered or left unsure by the people
  whose answers the team took (each person's file was checked whole), or is "unsure"
  after a tie, so the merged answers are never refused and the source never shown.
"""

from __future__ import annotations

import pytest

from llmchoice.answers.validate import UNSURE, validate
from llmchoice.ruleset.load import load_ruleset
from llmchoice.ruleset.model import RuleSet
from llmchoice.team.merge import Merged, MergedAnswer, Vote, merge
from llmchoice.team.people import Person
from tests.conftest import MIDDLE

RULES = """\
ruleset: {id: merge-test, version: 0.1.0, title: Merge test rules,
          source: tests/test_mutation_merge.py}
outcomes:
  open: {label: Open, summary: Open models.}
  closed: {label: Closed, summary: Closed models.}
  hybrid: {label: Hybrid, summary: Both kinds.}
tradeoffs:
  open.a: {side: open, kind: perk, title: Perk A, text: An open perk.}
questions:
  - id: gate
    prompt: Which gate?
    type: choice
    choices:
      - {value: none, label: None}
      - {value: no_closed, label: No closed}
      - {value: no_hybrid, label: No hybrid}
      - {value: nothing_left, label: Nothing left}
      - {value: no_hosted, label: No hosted path}
      - {value: open_only, label: Open only}
  - id: colour
    prompt: Which colour?
    type: choice
    choices:
      - {value: red, label: Red}
      - {value: blue, label: Blue}
      - {value: green, label: Green}
  - id: needs
    prompt: What do you need?
    type: multi
    required: false
    choices:
      - {value: chat, label: Chat}
      - {value: code, label: Code}
  - id: volume
    prompt: How many?
    type: number
    required: false
    min: 0
    max: 1000000000000
paths:
  open.self: {outcome: open, label: Self, summary: Self., hosting: self,
              cost_option: self_host_large}
  open.hosted: {outcome: open, label: Hosted, summary: Hosted., hosting: hosted,
                cost_option: frontier_api}
  closed.api: {outcome: closed, label: API, summary: API., hosting: hosted,
               cost_option: frontier_api}
  hybrid.both: {outcome: hybrid, label: Both, summary: Both., hosting: hosted,
                cost_option: frontier_api}
path_rules:
  - {path: open.hosted, because: Hosted., cites: [open.a]}
  - {path: open.self, because: Self., cites: [open.a]}
  - {path: closed.api, because: API., cites: [open.a]}
  - {path: hybrid.both, because: Both., cites: [open.a]}
rules:
  - {id: gate-closed, when: {gate: no_closed}, exclude: [closed], because: No closed.,
     cites: [open.a]}
  - {id: gate-hybrid, when: {gate: no_hybrid}, exclude: [hybrid], because: No hybrid.,
     cites: [open.a]}
  - {id: gate-all, when: {gate: nothing_left}, exclude: [open, closed, hybrid],
     because: Nothing., cites: [open.a]}
  - {id: gate-hosted, when: {gate: no_hosted}, exclude: [open.hosted], because: Not hosted.,
     cites: [open.a]}
  - {id: gate-open-only, when: {gate: open_only}, exclude: [closed, hybrid],
     because: Open only., cites: [open.a]}
  - {id: hybrid-and-blue, when: {all: [{gate: no_hybrid}, {colour: blue}]},
     exclude: [open.self], because: Blue., cites: [open.a]}
  - {id: red, when: {colour: red}, points: {open: 1}, because: Red., cites: [open.a]}
decision:
  tie_break: [hybrid, open, closed]
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    path = tmp_path_factory.mktemp("merge") / "rules.yaml"
    path.write_text(RULES, encoding="utf-8")
    return load_ruleset(str(path))


def _team(rs: RuleSet, *answers: dict[str, object], base: dict[str, object] | None = None,
          ) -> Merged:
    base = {"gate": "none", "colour": "red"} if base is None else base
    people = [Person(f"p{i}", f"p{i}.yaml", validate(rs, {**base, **a}))
              for i, a in enumerate(answers)]
    return merge(rs, people)


def _answer(merged: Merged, question: str) -> MergedAnswer:
    (found,) = [m for m in merged.answers if m.question == question]
    return found


def test_an_agreed_answer_keeps_who_was_unsure(small: RuleSet) -> None:
    m = _team(small, {}, {}, {"colour": UNSURE})
    assert _answer(m, "colour") == MergedAnswer("colour", "red", "agreed",
                                                (Vote("red", ("p0", "p1")),), ("p2",))


def test_a_majority_keeps_who_was_unsure(small: RuleSet) -> None:
    m = _team(small, {}, {}, {"colour": "blue"}, {"colour": UNSURE})
    assert _answer(m, "colour") == MergedAnswer(
        "colour", "red", "majority", (Vote("red", ("p0", "p1")), Vote("blue", ("p2",))),
        ("p3",))


def test_everyone_unsure_is_not_the_same_as_nobody_answering(small: RuleSet) -> None:
    m = _team(small, {"volume": UNSURE}, {"volume": UNSURE})
    assert _answer(m, "volume") == MergedAnswer("volume", None, "unsure", (), ("p0", "p1"))
    assert _answer(m, "needs") == MergedAnswer("needs", None, "unanswered", (), ())
    assert m.resolved.unsure == ("volume",)
    assert "needs" not in m.resolved.answers and "volume" not in m.resolved.answers


def test_a_number_takes_the_median_a_whole_one_as_an_int(small: RuleSet) -> None:
    m = _team(small, {"volume": 1000}, {"volume": 3000}, {"volume": UNSURE})
    assert _answer(m, "volume") == MergedAnswer(
        "volume", 2000, "median", (Vote(1000, ("p0",)), Vote(3000, ("p1",))), ("p2",))
    assert type(_answer(m, "volume").value) is int
    assert m.resolved.answers["volume"] == 2000
    half = _team(small, {"volume": 1000}, {"volume": 2001})
    assert _answer(half, "volume").value == 1500.5
    small_numbers = _team(small, {"volume": 2}, {"volume": 4})
    assert type(_answer(small_numbers, "volume").value) is int


def test_a_choice_with_no_order_and_no_majority_is_unsettled(small: RuleSet) -> None:
    m = _team(small, {"colour": "green"}, {"colour": "red"})
    # same count: the choices' order lists them, not the files' order
    assert _answer(m, "colour") == MergedAnswer(
        "colour", None, "tie", (Vote("red", ("p1",)), Vote("green", ("p0",))))
    assert m.resolved.unsure == ("colour",)
    three = _team(small, {"colour": "green"}, {"colour": "blue"}, {"colour": "red"})
    assert _answer(three, "colour").how == "tie"  # no order, so no middle either
    assert [v.value for v in _answer(three, "colour").votes] == ["red", "blue", "green"]


def test_a_multi_choice_answer_is_merged_and_checked_as_a_list(small: RuleSet) -> None:
    m = _team(small, {"needs": ["code", "chat"]}, {"needs": ["chat", "code"]})
    assert _answer(m, "needs").value == ("chat", "code")
    assert m.resolved.answers["needs"] == ("chat", "code")


def test_of_two_answers_ruling_out_as_much_the_first_listed_binds(small: RuleSet) -> None:
    # none has the majority; no_closed and no_hybrid each rule out one outcome, one
    # person each; no_hosted, given by two, rules out only a path: outcomes come first
    m = _team(small, {}, {}, {}, {"gate": "no_hybrid"}, {"gate": "no_closed"},
              {"gate": "no_hosted"}, {"gate": "no_hosted"})
    gate = _answer(m, "gate")
    assert (gate.value, gate.how) == ("no_closed", "binding")
    assert [v.value for v in gate.votes] == ["none", "no_hosted", "no_closed", "no_hybrid"]
    assert (gate.rules, gate.rules_out) == (("gate-closed",), ("closed",))
    assert m.resolved.answers["gate"] == "no_closed"


def test_an_answer_that_leaves_nothing_does_not_stop_the_search(small: RuleSet) -> None:
    m = _team(small, {}, {}, {}, {"gate": "nothing_left"}, {"gate": "no_hosted",
                                                              "colour": UNSURE})
    gate = _answer(m, "gate")
    assert [v.value for v in gate.votes] == ["none", "nothing_left", "no_hosted"]
    assert gate == MergedAnswer("gate", "no_hosted", "binding", gate.votes, (),
                                ("gate-hosted",), ("open.hosted",))


def test_an_answer_ruling_out_nothing_new_does_not_stop_the_search(small: RuleSet) -> None:
    m = _team(small, {"gate": "no_closed"}, {"gate": "no_closed"}, {"gate": "no_closed"},
              {"gate": "no_closed"}, {}, {}, {"gate": "no_hybrid"}, {"gate": UNSURE})
    gate = _answer(m, "gate")
    assert [v.value for v in gate.votes] == ["no_closed", "none", "no_hybrid"]
    assert (gate.value, gate.how, gate.unsure) == ("no_hybrid", "binding", ("p7",))


def test_a_weaker_requirement_does_not_outvote_a_stronger_majority(small: RuleSet) -> None:
    # no_closed rules out only part of what open_only does: nothing the team's answer
    # leaves in, so it binds no one
    m = _team(small, *[{"gate": "open_only"}] * 4, {"gate": "no_closed"})
    gate = _answer(m, "gate")
    assert (gate.value, gate.how) == ("open_only", "majority")
    assert (gate.rules, gate.rules_out) == (("gate-open-only",), ("closed", "hybrid"))


def test_a_binding_answer_is_the_teams_when_the_other_questions_are_weighed(
        small: RuleSet) -> None:
    # the binding no_hybrid (not the majority's no_closed) with everyone's blue fires
    # hybrid-and-blue: blue then rules out a path
    m = _team(small, *[{"gate": "no_closed"}] * 4, {}, {}, {"gate": "no_hybrid"},
              base={"gate": "none", "colour": "blue"})
    assert _answer(m, "gate").value == "no_hybrid"
    colour = _answer(m, "colour")
    assert (colour.value, colour.how) == ("blue", "agreed")
    assert (colour.rules, colour.rules_out) == (("hybrid-and-blue",), ("open.self",))


def test_an_agreed_answer_that_leaves_no_outcome_is_kept_as_given(small: RuleSet) -> None:
    m = _team(small, {"gate": "nothing_left"}, {"gate": "nothing_left"})
    assert _answer(m, "gate") == MergedAnswer(
        "gate", "nothing_left", "agreed", (Vote("nothing_left", ("p0", "p1")),))


# ---------------------------------------------------------------- the default rule set


def test_an_ordered_scale_takes_the_middle_on_its_own_order(rs: RuleSet) -> None:
    def team(question: str, *values: str) -> MergedAnswer:
        people = [Person(f"p{i}", "f", validate(rs, {**MIDDLE, question: v}))
                  for i, v in enumerate(values)]
        return _answer(merge(rs, people), question)

    # budget is ordered as its choices are listed: minimal, moderate, large
    budget = team("budget", "large", "minimal", "moderate")
    assert (budget.value, budget.how) == ("moderate", "median")
    # domain has its own order (research, general, specialized_industry), not the listing
    # (research, specialized_industry, general)
    domain = team("domain", "research", "general", "specialized_industry")
    assert (domain.value, domain.how) == ("general", "median")
    domain = team("domain", "specialized_industry", "specialized_industry", "general",
                  "general", "research")
    assert (domain.value, domain.how) == ("general", "median")
    # an even split whose two middle answers differ has no middle
    budget = team("budget", "minimal", "large")
    assert (budget.value, budget.how) == (None, "tie")


def test_a_scale_median_keeps_who_was_unsure(rs: RuleSet) -> None:
    people = [Person(f"p{i}", "f", validate(rs, {**MIDDLE, "budget": v}))
              for i, v in enumerate(["minimal", "large", "moderate", UNSURE])]
    budget = _answer(merge(rs, people), "budget")
    assert budget.unsure == ("p3",)
    assert budget.votes == (Vote("minimal", ("p0",)), Vote("moderate", ("p2",)),
                            Vote("large", ("p1",)))
