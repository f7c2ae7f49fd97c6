"""The sections that refer to others: rules, the decision, scenarios, next steps and tests.

Each checks its references (outcomes, trade-offs, questions) as it goes.
"""

from __future__ import annotations

from llmchoice.io import yamlio
from llmchoice.io.check import Bounds, Checker, describe, did_you_mean
from llmchoice.ruleset import keys
from llmchoice.ruleset.conditions import ALWAYS, Condition
from llmchoice.ruleset.model import (
    Decision,
    Expectation,
    Mixed,
    NextStep,
    Question,
    Rule,
    RuleTest,
    Scenario,
    Tradeoff,
)
from llmchoice.ruleset.parse_conditions import parse_condition

MIXED_WEIGHT = Bounds(0, 5)
CONFIDENCE = Bounds(0, 1)


def parse_cites(chk: Checker, path: yamlio.Path_, raw: object, tradeoffs: dict[str, Tradeoff],
           what: str) -> tuple[str, ...]:
    out = []
    for i, c in enumerate(chk.seq(path, raw, f"{what} cites", nonempty=True)):
        if not isinstance(c, str) or c not in tradeoffs:
            hint = did_you_mean(c, tradeoffs) if isinstance(c, str) else ""
            chk.error((*path, i), f"{what} cites an unknown trade-off {describe(c)}{hint}")
            continue
        out.append(c)
    return tuple(out)


def outcome_list(chk: Checker, path: yamlio.Path_, raw: object, outcomes: tuple[str, ...],
                  what: str) -> tuple[str, ...]:
    out = []
    for i, o in enumerate(chk.seq(path, raw, what, nonempty=True)):
        got = chk.one_of((*path, i), o, outcomes, what)
        if got is not None:
            out.append(got)
    return tuple(out)


def parse_rules(chk: Checker, raw: object, questions: dict[str, Question],
                outcomes: tuple[str, ...], tradeoffs: dict[str, Tradeoff]) -> tuple[Rule, ...]:
    items = chk.seq(("rules",), raw, "rules", nonempty=True)
    out: dict[str, Rule] = {}
    for i, body in enumerate(items):
        path: yamlio.Path_ = ("rules", i)
        b = chk.mapping(path, body, f"rules[{i}]", required=keys.RULE.required,
                        optional=keys.RULE.optional)
        if not b:
            continue
        rid = chk.ident((*path, "id"), b.get("id"), f"rules[{i}].id")
        what = f"rule {rid!r}"
        if rid in out:
            chk.error((*path, "id"), f"{what}: duplicate rule id")
        when = parse_condition(chk, (*path, "when"), b.get("when"), questions, f"{what} when")
        points: list[tuple[str, float]] = []
        if "points" in b:
            pm = chk.mapping((*path, "points"), b["points"], f"{what} points",
                             optional=outcomes)
            for oid, val in pm.items():
                if oid in outcomes:
                    points.append((oid, chk.number((*path, "points", oid), val,
                                                   f"{what} points for {oid!r}")))
        exclude: tuple[str, ...] = ()
        if "exclude" in b:
            exclude = outcome_list(chk, (*path, "exclude"), b["exclude"], outcomes,
                                    f"{what} exclude")
        if "points" not in b and "exclude" not in b:
            chk.error(path, f"{what}: expected 'points' or 'exclude' (or both)")
        out[rid] = Rule(
            id=rid, when=when, points=tuple(points), exclude=exclude,
            because=chk.text((*path, "because"), b.get("because"), f"{what} because"),
            cites=parse_cites(chk, (*path, "cites"), b.get("cites"), tradeoffs, what),
            line=chk.line(path),
        )
    return tuple(out.values())


def parse_decision(chk: Checker, raw: object, outcomes: tuple[str, ...],
                   tradeoffs: dict[str, Tradeoff]) -> Decision:
    m = chk.mapping(("decision",), raw, "decision", required=keys.DECISION.required,
                    optional=keys.DECISION.optional)
    tie = outcome_list(chk, ("decision", "tie_break"), m.get("tie_break"), outcomes,
                        "decision.tie_break")
    if tie and sorted(tie) != sorted(outcomes):
        chk.error(("decision", "tie_break"),
                  f"decision.tie_break: expected every outcome once ({', '.join(outcomes)}), "
                  f"found {', '.join(tie)}")
    if "method" in m and m["method"] != "weighted_sum":
        chk.error(("decision", "method"),
                  f"decision.method: expected 'weighted_sum', found {describe(m['method'])}")
    mixed = None
    if "mixed" in m:
        path = ("decision", "mixed")
        mm = chk.mapping(path, m["mixed"], "decision.mixed",
                         required=keys.MIXED.required, optional=keys.MIXED.optional)
        outcome = chk.one_of((*path, "outcome"), mm.get("outcome"), outcomes,
                             "decision.mixed.outcome")
        between = outcome_list(chk, (*path, "between"), mm.get("between"), outcomes,
                                "decision.mixed.between")
        if len(between) != 2 or outcome in between:
            chk.error((*path, "between"), "decision.mixed.between: expected two outcomes other "
                                          "than decision.mixed.outcome")
        weight = chk.number((*path, "weight"), mm.get("weight"), "decision.mixed.weight",
                            bounds=MIXED_WEIGHT)
        if outcome and len(between) == 2:
            mixed = Mixed(
                outcome=outcome, between=(between[0], between[1]), weight=weight,
                min_points=chk.number((*path, "min_points"), mm.get("min_points", 0),
                                      "decision.mixed.min_points"),
                because=chk.text((*path, "because"), mm.get("because"), "decision.mixed.because"),
                cites=parse_cites(chk, (*path, "cites"), mm.get("cites"), tradeoffs,
                                  "decision.mixed"),
            )
    return Decision(tie_break=tie or outcomes, mixed=mixed)


def parse_scenarios(chk: Checker, raw: object, questions: dict[str, Question],
                    outcomes: tuple[str, ...],
                    tradeoffs: dict[str, Tradeoff]) -> tuple[Scenario, ...]:
    out = []
    scenario_ids = [t for t, v in tradeoffs.items() if v.kind == "scenario"]
    for i, body in enumerate(chk.seq(("scenarios",), raw, "scenarios")):
        path: yamlio.Path_ = ("scenarios", i)
        b = chk.mapping(path, body, f"scenarios[{i}]", required=keys.SCENARIO.required,
                        optional=keys.SCENARIO.optional)
        if not b:
            continue
        sid = chk.one_of((*path, "id"), b.get("id"), scenario_ids,
                         f"scenarios[{i}].id (a trade-off of kind scenario)")
        rec = outcomes
        if "recommendation" in b:
            rec = outcome_list(chk, (*path, "recommendation"), b["recommendation"], outcomes,
                                f"scenarios[{i}].recommendation")
        when: Condition = ALWAYS
        if "when" in b:
            when = parse_condition(chk, (*path, "when"), b["when"], questions,
                                   f"scenarios[{i}] when")
        out.append(Scenario(sid or "", rec, when,
                            chk.text((*path, "because"), b.get("because"), "because"),
                            chk.line(path)))
    return tuple(out)


def parse_next_steps(chk: Checker, raw: object, questions: dict[str, Question],
                     outcomes: tuple[str, ...],
                     tradeoffs: dict[str, Tradeoff]) -> tuple[NextStep, ...]:
    """The optional ``next_steps:`` section: the article's lessons as steps for these answers."""
    out: dict[str, NextStep] = {}
    for i, body in enumerate(chk.seq(("next_steps",), raw, "next_steps")):
        path: yamlio.Path_ = ("next_steps", i)
        b = chk.mapping(path, body, f"next_steps[{i}]", required=keys.NEXT_STEP.required,
                        optional=keys.NEXT_STEP.optional)
        if not b:
            continue
        sid = chk.ident((*path, "id"), b.get("id"), f"next_steps[{i}].id")
        what = f"next step {sid!r}"
        if sid in out:
            chk.error((*path, "id"), f"{what}: duplicate next-step id")
        cites = parse_cites(chk, (*path, "cites"), b.get("cites"), tradeoffs, what)
        if cites and not any(tradeoffs[c].kind == "lesson" for c in cites):
            lessons = [t for t, v in tradeoffs.items() if v.kind == "lesson"]
            chk.error((*path, "cites"), f"{what} cites: expected at least one trade-off of kind "
                                        f"lesson ({', '.join(lessons) or 'none defined'}), "
                                        f"found {', '.join(cites)}")
        rec: tuple[str, ...] = ()
        if "recommendation" in b:
            rec = outcome_list(chk, (*path, "recommendation"), b["recommendation"], outcomes,
                                f"{what} recommendation")
        when = None
        if "when" in b:
            when = parse_condition(chk, (*path, "when"), b["when"], questions, f"{what} when")
        out[sid] = NextStep(sid, cites, chk.text((*path, "text"), b.get("text"), f"{what} text"),
                            rec, when, chk.line(path))
    return tuple(out.values())


def parse_tests(chk: Checker, raw: object, outcomes: tuple[str, ...]) -> tuple[RuleTest, ...]:
    out = []
    for i, body in enumerate(chk.seq(("tests",), raw, "tests")):
        path: yamlio.Path_ = ("tests", i)
        b = chk.mapping(path, body, f"tests[{i}]", required=keys.TEST_CASE.required,
                        optional=keys.TEST_CASE.optional)
        if not b:
            continue
        name = chk.text((*path, "name"), b.get("name"), f"tests[{i}].name")
        answers = b.get("answers")
        if not isinstance(answers, dict):
            chk.error((*path, "answers"), f"test {name!r} answers: expected a mapping of "
                                          f"question id to answer, found {describe(answers)}")
            answers = {}
        epath = (*path, "expect")
        e = chk.mapping(epath, b.get("expect"), f"test {name!r} expect",
                        required=keys.EXPECT.required, optional=keys.EXPECT.optional)
        rec = None
        if "recommendation" in e:
            rec = chk.one_of((*epath, "recommendation"), e["recommendation"], outcomes,
                             f"test {name!r} expect.recommendation")
        fired = tuple(str(x) for x in chk.seq((*epath, "fired"), e.get("fired", []),
                                             "expect.fired"))
        not_fired = tuple(str(x) for x in chk.seq((*epath, "not_fired"),
                                                 e.get("not_fired", []), "expect.not_fired"))
        excluded = None
        if "excluded" in e:
            excluded = tuple(
                str(x) for j, x in enumerate(chk.seq((*epath, "excluded"), e["excluded"],
                                                     "expect.excluded"))
                if chk.one_of((*epath, "excluded", j), x, outcomes,
                              f"test {name!r} expect.excluded") is not None)
        min_conf = None
        if "min_confidence" in e:
            min_conf = chk.number((*epath, "min_confidence"), e["min_confidence"],
                                  f"test {name!r} expect.min_confidence", bounds=CONFIDENCE)
        out.append(RuleTest(name, dict(answers), Expectation(rec, fired, not_fired, excluded,
                                                             min_conf), chk.line(path)))
    return tuple(out)

