"""Whose plans a report gives (report/plans.py) and every rule's exclusions it names
(report/ruled_out.exclusions), checked directly on engine results of the default rule
set and hand-changed copies of them.

Written to kill the mutants ``.ci/mutation.py plans`` found alive (docs/testing.md).
"""

from __future__ import annotations

import dataclasses

from llmchoice.decide.engine import choose_path, evaluate, plan_assumptions
from llmchoice.decide.result import Exclusion, Result
from llmchoice.report.plans import framed, path_for, plan_pair
from llmchoice.report.ruled_out import RuledOutGroup, exclusions, grouped, lead
from llmchoice.report.view import Cite, RuledOut
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.load import load_ruleset
from tests.conftest import MIDDLE

RS = load_ruleset("default")
# finance.yaml's answers with a moderate budget, a research domain and a flexible time to
# market (finance itself no longer splits this way since budget-one-stack): unsure
# transparency, customization and quality split the verdict so that Open and Hybrid win
# most ways; leaving them out, Hybrid is too close to Closed (the engine's pair), so the
# title's pair (Open, Hybrid) is not the engine's
FINANCE: dict[str, Answer] = {
    "budget": "moderate", "support": "dedicated", "expertise": "some",
    "performance": "good_enough", "lock_in": "tolerate", "domain": "research",
    "control": "low", "time_to_market": "flexible"}
UNSURE = ("transparency", "customization", "quality")


def _finance() -> Result:
    return evaluate(RS, FINANCE, unsure=UNSURE)


def _clear() -> Result:
    return evaluate(RS, MIDDLE)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- plan_pair


def test_plan_pair_is_the_titles_pair_else_nothing() -> None:
    r = _finance()
    assert plan_pair(r) == ("open", "hybrid")
    assert r.certainty.close == ("hybrid", "closed")  # the engine's own pair differs
    assert plan_pair(_clear()) == ()


def test_plan_pair_takes_a_given_pair_and_no_more_than_two() -> None:
    r = _finance()
    assert plan_pair(r, ("closed", "hybrid")) == ("closed", "hybrid")
    assert plan_pair(_clear(), ("closed", "hybrid")) == ("closed", "hybrid")
    assert plan_pair(r, ("open", "closed", "hybrid")) == ()
    assert plan_pair(r, ("open",)) == ()
    assert plan_pair(r, ()) == ()


# --------------------------------------------------------------------------- path_for


def test_path_for_the_recommendation_and_the_runner_up_are_the_engines() -> None:
    r = _finance()
    assert r.path is not None and r.certainty.alternative is not None
    assert path_for(RS, r, "hybrid") is r.path
    assert path_for(RS, r, "closed") is r.certainty.alternative


def test_path_for_another_outcome_is_chosen_as_the_engine_chooses() -> None:
    r = _finance()
    p = path_for(RS, r, "open")
    assert p is not None and p.id == "open.hosted-api" and p.outcome == "open"
    # the ways of running it that a fired rule excludes are left out
    blocked = dataclasses.replace(r, excluded_paths=(
        Exclusion("open.hosted-api", "x", "because", ()),))
    # (no other way of running open applies to these answers: no plan rather than it)
    assert path_for(RS, blocked, "open") is None
    assert choose_path(RS, r.answers, "open", {"open.hosted-api"}) is None


def test_path_for_a_runner_up_of_another_outcome_is_not_taken() -> None:
    r = _finance()  # the alternative is closed's path: not open's
    p = path_for(RS, r, "open")
    assert p is not None and p.outcome == "open"


# --------------------------------------------------------------------------- framed


def test_framed_puts_the_titles_pair_in_the_engines_place() -> None:
    r = _finance()
    f = framed(RS, r, ("open", "hybrid"))
    assert f.recommendation == "open"
    assert f.path is not None and f.path.id == "open.hosted-api"
    assert f.certainty.close == ("open", "hybrid") and f.certainty.tied == ()
    assert f.certainty.alternative is r.path  # hybrid's own plan, the engine's
    # the scores and everything else stay the engine's
    assert f.scores == r.scores and f.certainty.basis == r.certainty.basis
    assert f.contributions == r.contributions and f.answers == r.answers
    assert r.recommendation == "hybrid"  # the original is untouched


def test_framed_keeps_a_tie_a_tie() -> None:
    r = _finance()
    tie = dataclasses.replace(r, certainty=dataclasses.replace(
        r.certainty, tied=("hybrid", "closed"), close=()))
    f = framed(RS, tie, ("open", "hybrid"))
    assert f.certainty.tied == ("open", "hybrid") and f.certainty.close == ()


def test_framed_is_the_result_itself_when_nothing_changes() -> None:
    r = _finance()
    assert framed(RS, r, ()) is r
    assert framed(RS, r, ("open", "hybrid", "closed")) is r
    same = framed(RS, r, ("hybrid", "closed"))  # the engine's pair, its order
    assert same.certainty is r.certainty and same.path is r.path and same.scores == r.scores
    # only the assumptions are the plan's own (exclude it or run it another way)
    assert same.path_assumptions == plan_assumptions(RS, r.answers, "hybrid", r.path,
                                                     r.unsure)
    swapped = framed(RS, r, ("closed", "hybrid"))
    assert swapped is not r and swapped.recommendation == "closed"
    assert swapped.path is r.certainty.alternative and swapped.certainty.alternative is r.path


def test_framed_gives_a_pair_to_a_clear_verdict() -> None:
    r = _clear()
    assert r.certainty.close == () and r.certainty.tied == ()
    f = framed(RS, r, (r.recommendation, "closed"))
    assert f.certainty.close == (r.recommendation, "closed")
    assert f.path is r.path
    assert f.certainty.alternative is not None and f.certainty.alternative.outcome == "closed"


# --------------------------------------------------------------------------- exclusions


ON_PREMISES = {**MIDDLE, "transparency": "essential", "data": "on_premises"}


def test_every_fired_rule_that_excludes_an_outcome_is_named() -> None:
    r = evaluate(RS, ON_PREMISES)  # type: ignore[arg-type]
    assert [(e.outcome, e.rule) for e in r.excluded] == [
        ("closed", "transparency-essential"), ("hybrid", "transparency-essential")]
    rows = exclusions(RS, r)
    assert [(k, o, rule) for k, o, rule, _, _ in rows] == [
        ("outcome", "closed", "transparency-essential"),
        ("outcome", "hybrid", "transparency-essential"),
        ("outcome", "closed", "data-on-premises"), ("outcome", "hybrid", "data-on-premises"),
        ("path", "open.hosted-api", "data-on-premises"),
        ("path", "open.private-endpoint", "data-on-premises")]
    rule = next(x for x in RS.rules if x.id == "data-on-premises")
    assert rows[2][3] == rule.because and rows[2][4] == rule.cites
    first = next(x for x in RS.rules if x.id == "transparency-essential")
    assert rows[0][3] == first.because and rows[0][4] == first.cites


def test_one_requirement_is_named_once() -> None:
    r = evaluate(RS, {**MIDDLE, "transparency": "essential"})  # type: ignore[arg-type]
    assert [(k, o, rule) for k, o, rule, _, _ in exclusions(RS, r)] == [
        ("outcome", "closed", "transparency-essential"),
        ("outcome", "hybrid", "transparency-essential")]
    assert exclusions(RS, _clear()) == ()


def test_a_rule_that_did_not_fire_is_not_named() -> None:
    r = evaluate(RS, ON_PREMISES)  # type: ignore[arg-type]
    unfired = dataclasses.replace(r, fired=tuple(f for f in r.fired
                                                 if f != "data-on-premises"))
    rules = [rule for _, _, rule, _, _ in exclusions(RS, unfired)]
    assert rules.count("data-on-premises") == 2  # the Result's own path exclusions only
    assert all(k == "path" for k, _, rule, _, _ in exclusions(RS, unfired)
               if rule == "data-on-premises")


# --------------------------------------------------------------------------- grouped, lead


def _row(oid: str, rule: str, kind: str = "outcome", because: str = "") -> RuledOut:
    return RuledOut(oid, oid.upper(), rule, because or f"why {rule}",
                    (Cite(f"t.{rule}", f"T {rule}"),), kind, f"beyond {rule}")


def test_grouped_by_rule_in_order_of_first_appearance() -> None:
    rows = (_row("closed", "r1"), _row("hybrid", "r1"), _row("closed", "r2"),
            _row("p.api", "r2", "path"), _row("p.end", "r1", "path"))
    groups = grouped(rows)
    assert [g.rule for g in groups] == ["r1", "r2"]
    assert groups[0].outcomes == ("CLOSED", "HYBRID") and groups[0].paths == ("P.END",)
    assert groups[1].outcomes == ("CLOSED",) and groups[1].paths == ("P.API",)
    assert (groups[1].because, groups[1].beyond) == ("why r2", "beyond r2")
    assert groups[1].cites == (Cite("t.r2", "T r2"),)
    assert grouped(()) == ()


def test_lead_words_every_count() -> None:
    def strong(x: str) -> str:
        return f"*{x}*"

    def lead_of(outs: tuple[str, ...], paths: tuple[str, ...]) -> str:
        return lead(RuledOutGroup("r", "b", (), None, outs, paths), strong)

    assert lead_of(("A",), ()) == "*A* is ruled out"
    assert lead_of(("A", "B"), ()) == "*A* and *B* are ruled out"
    assert lead_of(("A", "B", "C"), ()) == "*A*, *B* and *C* are ruled out"
    assert lead_of(("A",), ("P",)) == "*A* is ruled out, and so is *P*"
    assert lead_of(("A",), ("P", "Q")) == "*A* is ruled out, and so are *P* and *Q*"
    assert lead_of((), ("P",)) == "Ruled out: *P*"
    assert lead_of((), ("P", "Q", "R")) == "Ruled out: *P*, *Q* and *R*"
