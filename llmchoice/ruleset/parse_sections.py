"""The sections that refer to others: rules, the decision, scenarios, next steps and tests.

Each checks its references (outcomes, paths, trade-offs, questions) as it goes.
"""

from __future__ import annotations

from llmchoice.io import yamlio
from llmchoice.io.check import Bounds, Checker, describe, did_you_mean, is_number
from llmchoice.ruleset import keys
from llmchoice.ruleset.conditions import ALWAYS, Condition
from llmchoice.ruleset.limits import MAX_RULES, MIN_POINTS, POINTS
from llmchoice.ruleset.model import (
    TEST_PROFILES,
    Decision,
    Expectation,
    Mixed,
    NextStep,
    Path,
    Question,
    Rule,
    RuleTest,
    Scenario,
    Tradeoff,
)
from llmchoice.ruleset.parse_conditions import parse_condition
from llmchoice.ruleset.parse_refs import (
    outcome_list,
    parse_beyond_article,
    parse_cites,
    path_list,
)

MIXED_WEIGHT = Bounds(0, 5)


def _points(chk: Checker, path: yamlio.Path_, value: object, what: str) -> float:
    """Points: within :data:`~llmchoice.ruleset.limits.POINTS`, and 0 or not below
    :data:`~llmchoice.ruleset.limits.MIN_POINTS` (scores are rounded to 6 decimals)."""
    if not is_number(value):
        return chk.number(path, value, what)  # "expected a finite number, found ..."
    got = chk.number(path, value, what, bounds=POINTS)
    if got and abs(got) < MIN_POINTS:
        chk.error(path, f"{what}: expected 0 or at least {MIN_POINTS:f} either way (scores "
                        f"keep 6 decimals), found {got!r}")
        return 0.0
    return got
CONFIDENCE = Bounds(0, 1)
MIN_LEAD = Bounds(0, 100)


def parse_rules(chk: Checker, raw: object, questions: dict[str, Question],
                outcomes: tuple[str, ...], tradeoffs: dict[str, Tradeoff],
                paths: tuple[str, ...] = ()) -> tuple[Rule, ...]:
    items = chk.seq(("rules",), raw, "rules", nonempty=True)
    if len(items) > MAX_RULES:
        chk.error(("rules",), f"rules: {len(items):,} rules is over the limit of {MAX_RULES:,} "
                              "for one rule set (with the rule sets it extends)")
        items = items[:MAX_RULES]
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
                    points.append((oid, _points(chk, (*path, "points", oid), val,
                                                f"{what} points for {oid!r}")))
        exclude: tuple[str, ...] = ()
        exclude_paths: tuple[str, ...] = ()
        if "exclude" in b:
            exclude, exclude_paths = _exclude(chk, (*path, "exclude"), b["exclude"], outcomes,
                                              paths, f"{what} exclude")
        if "points" not in b and "exclude" not in b:
            chk.error(path, f"{what}: expected 'points' or 'exclude' (or both)")
        beyond = None
        if "beyond_article" in b:
            beyond = parse_beyond_article(chk, (*path, "beyond_article"), b["beyond_article"],
                                          what)
        out[rid] = Rule(
            id=rid, when=when, points=tuple(points), exclude=exclude,
            because=chk.text((*path, "because"), b.get("because"), f"{what} because"),
            cites=parse_cites(chk, (*path, "cites"), b.get("cites"), tradeoffs, what),
            line=chk.line(path), exclude_paths=exclude_paths, beyond_article=beyond,
        )
    return tuple(out.values())


def _exclude(chk: Checker, path: yamlio.Path_, raw: object, outcomes: tuple[str, ...],
             paths: tuple[str, ...], what: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A rule's ``exclude``: the outcomes it names, and the paths it names."""
    found_outcomes: list[str] = []
    found_paths: list[str] = []
    for i, item in enumerate(chk.seq(path, raw, what, nonempty=True)):
        if item in outcomes:
            found_outcomes.append(str(item))
        elif item in paths:
            found_paths.append(str(item))
        elif not paths:  # worded as before paths existed
            chk.one_of((*path, i), item, outcomes, what)
        else:
            hint = did_you_mean(item, (*outcomes, *paths)) if isinstance(item, str) else ""
            chk.error((*path, i), f"{what}: expected an outcome ({', '.join(outcomes)}) or a "
                                  f"path ({', '.join(paths)}), found {describe(item)}{hint}")
    return tuple(found_outcomes), tuple(found_paths)


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
    min_lead = 1.0
    if "min_lead" in m:
        min_lead = chk.number(("decision", "min_lead"), m["min_lead"], "decision.min_lead",
                              bounds=MIN_LEAD)
    return Decision(tie_break=tie or outcomes, mixed=mixed, min_lead=min_lead)


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
        label = chk.text((*path, "label"), b["label"], "label") if "label" in b else None
        out.append(Scenario(sid or "", rec, when,
                            chk.text((*path, "because"), b.get("because"), "because"),
                            chk.line(path), label))
    return tuple(out)


def parse_next_steps(chk: Checker, raw: object, questions: dict[str, Question],
                     outcomes: tuple[str, ...], tradeoffs: dict[str, Tradeoff],
                     paths: tuple[str, ...] = ()) -> tuple[NextStep, ...]:
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
        step_paths: tuple[str, ...] = ()
        if "paths" in b:
            step_paths = path_list(chk, (*path, "paths"), b["paths"], paths, f"{what} paths")
        when = None
        if "when" in b:
            when = parse_condition(chk, (*path, "when"), b["when"], questions, f"{what} when")
        out[sid] = NextStep(sid, cites, chk.text((*path, "text"), b.get("text"), f"{what} text"),
                            rec, when, chk.line(path), step_paths)
    return tuple(out.values())


def parse_tests(chk: Checker, raw: object, outcomes: tuple[str, ...],
                paths: tuple[Path, ...] = ()) -> tuple[RuleTest, ...]:
    out = []
    for i, body in enumerate(chk.seq(("tests",), raw, "tests")):
        path: yamlio.Path_ = ("tests", i)
        b = chk.mapping(path, body, f"tests[{i}]", required=keys.TEST_CASE.required,
                        optional=keys.TEST_CASE.optional)
        if not b:
            continue
        name = chk.text((*path, "name"), b.get("name"), f"tests[{i}].name", name=True)
        answers = b.get("answers")
        if not isinstance(answers, dict):
            chk.error((*path, "answers"), f"test {name!r} answers: expected a mapping of "
                                          f"question id to answer, found {describe(answers)}")
            answers = {}
        profile = None
        if "profile" in b:
            profile = chk.one_of((*path, "profile"), b["profile"], TEST_PROFILES,
                                 f"test {name!r} profile")
        reason = ""
        if "reason" in b:
            reason = chk.text((*path, "reason"), b["reason"], f"test {name!r} reason")
        expect = _expectation(chk, (*path, "expect"), b.get("expect"), outcomes, paths,
                              f"test {name!r} expect")
        out.append(RuleTest(name, dict(answers), expect, chk.line(path), profile, reason))
    return tuple(out)


def _expectation(chk: Checker, epath: yamlio.Path_, raw: object, outcomes: tuple[str, ...],
                 paths: tuple[Path, ...], what: str) -> Expectation:
    e = chk.mapping(epath, raw, what, required=keys.EXPECT.required,
                    optional=keys.EXPECT.optional)
    recs: tuple[str, ...] = ()
    recs_ok = True  # every acceptable outcome named is known
    if "recommendation" in e:
        rec = e["recommendation"]
        if isinstance(rec, list):
            recs = outcome_list(chk, (*epath, "recommendation"), rec, outcomes,
                                f"{what}.recommendation")
            recs_ok = len(recs) == len(rec) > 0
        else:
            one = chk.one_of((*epath, "recommendation"), rec, outcomes, f"{what}.recommendation")
            recs = (one,) if one is not None else ()
            recs_ok = one is not None
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
                          f"{what}.excluded") is not None)
    min_conf = None
    if "min_confidence" in e:
        min_conf = chk.number((*epath, "min_confidence"), e["min_confidence"],
                              f"{what}.min_confidence", bounds=CONFIDENCE)
    expect_paths: tuple[str, ...] = ()
    if "path" in e:
        expect_paths = path_list(chk, (*epath, "path"), e["path"], tuple(p.id for p in paths),
                                 f"{what}.path")
        if recs_ok:
            _paths_fit(chk, (*epath, "path"), expect_paths, recs, paths, what)
    return Expectation(recs, fired, not_fired, excluded, min_conf, expect_paths)


def _paths_fit(chk: Checker, path: yamlio.Path_, expect_paths: tuple[str, ...],
               recs: tuple[str, ...], paths: tuple[Path, ...], what: str) -> None:
    """A test's acceptable path must belong to an acceptable outcome, or it can never pass."""
    outcome_of = {p.id: p.outcome for p in paths}
    for j, pid in enumerate(expect_paths):
        if recs and outcome_of[pid] not in recs:
            chk.error((*path, j), f"{what}.path: {pid!r} is a path of {outcome_of[pid]!r}, "
                                  f"which is not an acceptable recommendation "
                                  f"({', '.join(recs)})")
