"""The rule set: its model (frozen dataclasses) and its loader and validator.

:func:`load_ruleset` reads a YAML file and checks every field and every cross
reference (questions, choice values, outcomes, trade-off ids, operators against
question types). All problems are collected and raised together as one
:class:`~llmchoice.io.errors.RuleSetError`, each as ``file:line:column: what was
expected, what was found``, with a did-you-mean for misspelt ids.

Why hand-written checks rather than a JSON Schema validator at run time: the
checks that matter most here are cross references (a rule citing a trade-off,
a condition naming a question and one of its values, an operator that fits the
question's type), which JSON Schema cannot express; and the schema validator
would add ~100 ms to every start. The JSON Schema of the format is still
published (``llmchoice rules schema``) for editors, and the test suite checks
the shipped rule sets against it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from pathlib import Path

from llmchoice.io import yamlio
from llmchoice.io.check import Checker, describe, did_you_mean
from llmchoice.io.errors import Problem, RuleSetError
from llmchoice.io.shipped import shipped_file
from llmchoice.ruleset.conditions import (
    ALL_OPS,
    ALWAYS,
    CHOICE_OPS,
    CONFIRM_OPS,
    MULTI_OPS,
    NUMBER_OPS,
    All,
    Any,
    Condition,
    Not,
    Test,
)
from llmchoice.ruleset.model import (
    QUESTION_TYPES,
    TRADEOFF_KINDS,
    TRADEOFF_SIDES,
    Choice,
    Decision,
    Expectation,
    Meta,
    Mixed,
    NextStep,
    Outcome,
    Question,
    Rule,
    RuleSet,
    RuleTest,
    Scenario,
    Tradeoff,
)

_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

DEFAULT_RULES_ENV = "LLMCHOICE_RULES"


# --------------------------------------------------------------------------- conditions


def parse_condition(chk: Checker, path: yamlio.Path_, raw: object,
                    questions: dict[str, Question], what: str) -> Condition:
    """Build a condition, checking questions, values and operators against types."""
    if not isinstance(raw, dict) or not raw:
        chk.error(path, f"{what}: expected a condition mapping such as {{budget: minimal}}, "
                        f"found {describe(raw)}")
        return ALWAYS
    items: list[Condition] = []
    for key, value in raw.items():
        sub = (*path, key)
        if key in ("all", "any"):
            parts = chk.seq(sub, value, f"{what}: '{key}'", nonempty=True)
            conds = tuple(parse_condition(chk, (*sub, i), p, questions, what)
                          for i, p in enumerate(parts))
            items.append(All(conds) if key == "all" else Any(conds))
        elif key == "not":
            items.append(Not(parse_condition(chk, sub, value, questions, what)))
        elif key in questions:
            items.extend(_parse_tests(chk, sub, questions[key], value, what))
        else:
            chk.error(sub, f"{what}: unknown question {key!r}"
                           f"{did_you_mean(key, [*questions, 'all', 'any', 'not'])}; "
                           "expected a question id asked before this point, or all/any/not",
                      key=True)
    if len(items) == 1:
        return items[0]
    return All(tuple(items))


def _parse_tests(chk: Checker, path: yamlio.Path_, q: Question, raw: object,
                 what: str) -> list[Test]:
    if isinstance(raw, dict):
        tests = []
        for op, operand in raw.items():
            tests.append(_parse_test(chk, (*path, op), q, op, operand, what))
        if not tests:
            chk.error(path, f"{what}: an empty operator mapping for {q.id!r}")
        return tests
    return [_parse_test(chk, path, q, "eq", raw, what)]


def _parse_test(chk: Checker, path: yamlio.Path_, q: Question, op: str, operand: object,
                what: str) -> Test:
    allowed = {"choice": CHOICE_OPS, "number": NUMBER_OPS, "multi": MULTI_OPS,
               "confirm": CONFIRM_OPS}[q.type] + ("answered",)
    if op not in allowed:
        hint = did_you_mean(op, ALL_OPS) if op not in ALL_OPS else ""
        chk.error(path, f"{what}: operator {op!r}{hint} does not apply to {q.type} question "
                        f"{q.id!r}; expected one of {', '.join(allowed)}", key=True)
        return Test(q.id, "eq", None)
    label = f"{what}: {q.id!r}"
    if op == "answered":
        return Test(q.id, op, chk.boolean(path, operand, f"{label} answered"))
    if q.type == "number":
        return Test(q.id, op, chk.number(path, operand, label))
    if q.type == "confirm":
        return Test(q.id, op, chk.boolean(path, operand, label))
    many = op != "eq" or q.type == "multi"
    if many:
        values = operand if isinstance(operand, list) else None
        if values is None:
            chk.error(path, f"{label} {op}: expected a list of values from "
                            f"{', '.join(q.values)}, found {describe(operand)}")
            return Test(q.id, op, ())
        out = []
        for i, v in enumerate(values):
            checked = chk.one_of((*path, i), v, q.values, f"{label} value")
            if checked is not None:
                out.append(checked)
        return Test(q.id, op, tuple(out))
    checked = chk.one_of(path, operand, q.values, f"{label} value")
    return Test(q.id, op, checked)


# --------------------------------------------------------------------------- sections


def _meta(chk: Checker, raw: object) -> Meta:
    m = chk.mapping(("ruleset",), raw, "ruleset", required=("id", "version", "title", "source"),
                    optional=("description",))
    return Meta(
        id=chk.ident(("ruleset", "id"), m.get("id", "x"), "ruleset.id"),
        version=chk.text(("ruleset", "version"), m.get("version", "?"), "ruleset.version"),
        title=chk.text(("ruleset", "title"), m.get("title", "?"), "ruleset.title"),
        source=chk.text(("ruleset", "source"), m.get("source", "?"), "ruleset.source"),
    )


def _outcomes(chk: Checker, raw: object) -> tuple[Outcome, ...]:
    m = chk.mapping(("outcomes",), raw, "outcomes")
    out = []
    for oid, body in m.items():
        path = ("outcomes", oid)
        chk.ident(path, oid, "outcome id")
        b = chk.mapping(path, body, f"outcome {oid!r}", required=("label", "summary"))
        out.append(Outcome(oid, chk.text((*path, "label"), b.get("label", oid), "label"),
                           chk.text((*path, "summary"), b.get("summary", ""), "summary")))
    if len(out) < 2:
        chk.error(("outcomes",), f"outcomes: expected at least two outcomes, found {len(out)}")
    return tuple(out)


def _tradeoffs(chk: Checker, raw: object) -> dict[str, Tradeoff]:
    m = chk.mapping(("tradeoffs",), raw, "tradeoffs")
    out = {}
    for tid, body in m.items():
        path = ("tradeoffs", tid)
        chk.ident(path, tid, "trade-off id")
        b = chk.mapping(path, body, f"trade-off {tid!r}",
                        required=("side", "kind", "title", "text"))
        side = chk.one_of((*path, "side"), b.get("side", "both"), TRADEOFF_SIDES,
                          f"trade-off {tid!r} side")
        kind = chk.one_of((*path, "kind"), b.get("kind", "consideration"), TRADEOFF_KINDS,
                          f"trade-off {tid!r} kind")
        out[tid] = Tradeoff(tid, side or "both", kind or "consideration",
                            chk.text((*path, "title"), b.get("title", tid), "title"),
                            chk.text((*path, "text"), b.get("text", ""), "text"))
    return out


def _questions(chk: Checker, raw: object) -> tuple[Question, ...]:
    items = chk.seq(("questions",), raw, "questions", nonempty=True)
    seen: dict[str, Question] = {}
    for i, body in enumerate(items):
        path: yamlio.Path_ = ("questions", i)
        b = chk.mapping(path, body, f"questions[{i}]",
                        required=("id", "prompt", "type"),
                        optional=("help", "choices", "default", "required", "when", "min",
                                  "max", "unit", "title"))
        if not b:
            continue
        qid = chk.ident((*path, "id"), b.get("id"), f"questions[{i}].id")
        what = f"question {qid!r}"
        if qid in seen:
            chk.error((*path, "id"), f"{what}: duplicate question id")
        qtype = chk.one_of((*path, "type"), b.get("type"), QUESTION_TYPES, f"{what} type")
        choices: list[Choice] = []
        if qtype in ("choice", "multi"):
            for j, c in enumerate(chk.seq((*path, "choices"), b.get("choices"),
                                          f"{what} choices", nonempty=True)):
                cpath = (*path, "choices", j)
                cm = chk.mapping(cpath, c, f"{what} choice", required=("value", "label"),
                                 optional=("help",))
                value = cm.get("value")
                if not isinstance(value, str) or not _VALUE.match(value):
                    chk.error((*cpath, "value"), f"{what} choice value: expected a word of "
                              f"letters, digits, '-', '_' or '.', found {describe(value)}")
                    continue
                if value in [x.value for x in choices]:
                    chk.error((*cpath, "value"), f"{what}: duplicate choice {value!r}")
                choices.append(Choice(value, chk.text((*cpath, "label"), cm.get("label"),
                                                      "label"),
                                      chk.text((*cpath, "help"), cm.get("help", ""), "help",
                                               allow_empty=True)))
        elif "choices" in b:
            chk.error((*path, "choices"), f"{what}: a {qtype} question has no choices", key=True)
        minimum = maximum = None
        if qtype == "number":
            if "min" in b:
                minimum = chk.number((*path, "min"), b["min"], f"{what} min")
            if "max" in b:
                maximum = chk.number((*path, "max"), b["max"], f"{what} max")
            if minimum is not None and maximum is not None and minimum > maximum:
                chk.error((*path, "max"), f"{what}: max {maximum} is below min {minimum}")
        else:
            for key in ("min", "max", "unit"):
                if key in b:
                    chk.error((*path, key), f"{what}: {key!r} is only for number questions",
                              key=True)
        required = chk.boolean((*path, "required"), b.get("required", True), f"{what} required")
        when = None
        if "when" in b:
            when = parse_condition(chk, (*path, "when"), b["when"], dict(seen),
                                   f"{what} when")
        q = Question(
            id=qid, prompt=chk.text((*path, "prompt"), b.get("prompt"), f"{what} prompt"),
            help=chk.text((*path, "help"), b.get("help", ""), f"{what} help", allow_empty=True),
            type=qtype or "choice", choices=tuple(choices), required=required, when=when,
            minimum=minimum, maximum=maximum,
            unit=chk.text((*path, "unit"), b.get("unit", ""), f"{what} unit", allow_empty=True),
            title=chk.text((*path, "title"), b.get("title", ""), f"{what} title",
                           allow_empty=True),
            line=chk.line(path),
        )
        if "default" in b and b["default"] is not None:
            from llmchoice.answers.validate import coerce  # noqa: PLC0415 - answers imports this module

            value, problem = coerce(q, b["default"])
            if problem:
                chk.error((*path, "default"), f"{what} default: {problem}")
            else:
                q = dataclasses.replace(q, default=value)
        seen[qid] = q
    return tuple(seen.values())


def _cites(chk: Checker, path: yamlio.Path_, raw: object, tradeoffs: dict[str, Tradeoff],
           what: str) -> tuple[str, ...]:
    out = []
    for i, c in enumerate(chk.seq(path, raw, f"{what} cites", nonempty=True)):
        if not isinstance(c, str) or c not in tradeoffs:
            hint = did_you_mean(c, tradeoffs) if isinstance(c, str) else ""
            chk.error((*path, i), f"{what} cites an unknown trade-off {describe(c)}{hint}")
            continue
        out.append(c)
    return tuple(out)


def _outcome_list(chk: Checker, path: yamlio.Path_, raw: object, outcomes: tuple[str, ...],
                  what: str) -> tuple[str, ...]:
    out = []
    for i, o in enumerate(chk.seq(path, raw, what, nonempty=True)):
        got = chk.one_of((*path, i), o, outcomes, what)
        if got is not None:
            out.append(got)
    return tuple(out)


def _rules(chk: Checker, raw: object, questions: dict[str, Question], outcomes: tuple[str, ...],
           tradeoffs: dict[str, Tradeoff]) -> tuple[Rule, ...]:
    items = chk.seq(("rules",), raw, "rules", nonempty=True)
    out: dict[str, Rule] = {}
    for i, body in enumerate(items):
        path: yamlio.Path_ = ("rules", i)
        b = chk.mapping(path, body, f"rules[{i}]", required=("id", "when", "because", "cites"),
                        optional=("points", "exclude", "note"))
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
            exclude = _outcome_list(chk, (*path, "exclude"), b["exclude"], outcomes,
                                    f"{what} exclude")
        if "points" not in b and "exclude" not in b:
            chk.error(path, f"{what}: expected 'points' or 'exclude' (or both)")
        out[rid] = Rule(
            id=rid, when=when, points=tuple(points), exclude=exclude,
            because=chk.text((*path, "because"), b.get("because"), f"{what} because"),
            cites=_cites(chk, (*path, "cites"), b.get("cites"), tradeoffs, what),
            line=chk.line(path),
        )
    return tuple(out.values())


def _decision(chk: Checker, raw: object, outcomes: tuple[str, ...],
              tradeoffs: dict[str, Tradeoff]) -> Decision:
    m = chk.mapping(("decision",), raw, "decision", required=("tie_break",),
                    optional=("mixed", "method", "confidence"))
    tie = _outcome_list(chk, ("decision", "tie_break"), m.get("tie_break"), outcomes,
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
                         required=("outcome", "between", "weight", "because", "cites"),
                         optional=("min_points",))
        outcome = chk.one_of((*path, "outcome"), mm.get("outcome"), outcomes,
                             "decision.mixed.outcome")
        between = _outcome_list(chk, (*path, "between"), mm.get("between"), outcomes,
                                "decision.mixed.between")
        if len(between) != 2 or outcome in between:
            chk.error((*path, "between"), "decision.mixed.between: expected two outcomes other "
                                          "than decision.mixed.outcome")
        weight = chk.number((*path, "weight"), mm.get("weight"), "decision.mixed.weight")
        if not 0 <= weight <= 5:
            chk.error((*path, "weight"), f"decision.mixed.weight: expected a number from 0 to 5, "
                                         f"found {weight}")
        if outcome and len(between) == 2:
            mixed = Mixed(
                outcome=outcome, between=(between[0], between[1]), weight=weight,
                min_points=chk.number((*path, "min_points"), mm.get("min_points", 0),
                                      "decision.mixed.min_points"),
                because=chk.text((*path, "because"), mm.get("because"), "decision.mixed.because"),
                cites=_cites(chk, (*path, "cites"), mm.get("cites"), tradeoffs, "decision.mixed"),
            )
    return Decision(tie_break=tie or outcomes, mixed=mixed)


def _scenarios(chk: Checker, raw: object, questions: dict[str, Question],
               outcomes: tuple[str, ...], tradeoffs: dict[str, Tradeoff]) -> tuple[Scenario, ...]:
    out = []
    scenario_ids = [t for t, v in tradeoffs.items() if v.kind == "scenario"]
    for i, body in enumerate(chk.seq(("scenarios",), raw, "scenarios")):
        path: yamlio.Path_ = ("scenarios", i)
        b = chk.mapping(path, body, f"scenarios[{i}]", required=("id", "because"),
                        optional=("recommendation", "when"))
        if not b:
            continue
        sid = chk.one_of((*path, "id"), b.get("id"), scenario_ids,
                         f"scenarios[{i}].id (a trade-off of kind scenario)")
        rec = outcomes
        if "recommendation" in b:
            rec = _outcome_list(chk, (*path, "recommendation"), b["recommendation"], outcomes,
                                f"scenarios[{i}].recommendation")
        when: Condition = ALWAYS
        if "when" in b:
            when = parse_condition(chk, (*path, "when"), b["when"], questions,
                                   f"scenarios[{i}] when")
        out.append(Scenario(sid or "", rec, when,
                            chk.text((*path, "because"), b.get("because"), "because"),
                            chk.line(path)))
    return tuple(out)


def _next_steps(chk: Checker, raw: object, questions: dict[str, Question],
                outcomes: tuple[str, ...], tradeoffs: dict[str, Tradeoff]) -> tuple[NextStep, ...]:
    """The optional ``next_steps:`` section: the article's lessons as steps for these answers."""
    out: dict[str, NextStep] = {}
    for i, body in enumerate(chk.seq(("next_steps",), raw, "next_steps")):
        path: yamlio.Path_ = ("next_steps", i)
        b = chk.mapping(path, body, f"next_steps[{i}]", required=("id", "cites", "text"),
                        optional=("recommendation", "when"))
        if not b:
            continue
        sid = chk.ident((*path, "id"), b.get("id"), f"next_steps[{i}].id")
        what = f"next step {sid!r}"
        if sid in out:
            chk.error((*path, "id"), f"{what}: duplicate next-step id")
        cites = _cites(chk, (*path, "cites"), b.get("cites"), tradeoffs, what)
        if cites and not any(tradeoffs[c].kind == "lesson" for c in cites):
            lessons = [t for t, v in tradeoffs.items() if v.kind == "lesson"]
            chk.error((*path, "cites"), f"{what} cites: expected at least one trade-off of kind "
                                        f"lesson ({', '.join(lessons) or 'none defined'}), "
                                        f"found {', '.join(cites)}")
        rec: tuple[str, ...] = ()
        if "recommendation" in b:
            rec = _outcome_list(chk, (*path, "recommendation"), b["recommendation"], outcomes,
                                f"{what} recommendation")
        when = None
        if "when" in b:
            when = parse_condition(chk, (*path, "when"), b["when"], questions, f"{what} when")
        out[sid] = NextStep(sid, cites, chk.text((*path, "text"), b.get("text"), f"{what} text"),
                            rec, when, chk.line(path))
    return tuple(out.values())


def _tests(chk: Checker, raw: object, outcomes: tuple[str, ...]) -> tuple[RuleTest, ...]:
    out = []
    for i, body in enumerate(chk.seq(("tests",), raw, "tests")):
        path: yamlio.Path_ = ("tests", i)
        b = chk.mapping(path, body, f"tests[{i}]", required=("name", "answers", "expect"))
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
                        optional=("recommendation", "fired", "not_fired", "excluded",
                                  "min_confidence"))
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
                                  "expect.min_confidence")
            if not 0 <= min_conf <= 1:
                chk.error((*epath, "min_confidence"),
                          f"test {name!r} expect.min_confidence: expected a number from 0 to 1, "
                          f"found {min_conf:g}")
        out.append(RuleTest(name, dict(answers), Expectation(rec, fired, not_fired, excluded,
                                                             min_conf), chk.line(path)))
    return tuple(out)


TOP_KEYS = ("ruleset", "outcomes", "tradeoffs", "questions", "rules", "decision", "scenarios",
            "tests", "next_steps", "$schema")


def build(doc: yamlio.Document, *, sha256: str = "") -> RuleSet:
    """Validate a parsed document and build the rule set, or raise every problem at once."""
    chk = Checker(doc)
    top = chk.mapping((), doc.data, "rule set",
                      required=("ruleset", "outcomes", "tradeoffs", "questions", "rules",
                                "decision"),
                      optional=("scenarios", "tests", "next_steps", "$schema"))
    if chk.problems and not top:
        raise RuleSetError(f"{doc.source}: not a valid rule set", tuple(chk.problems))
    meta = _meta(chk, top.get("ruleset"))
    outcomes = _outcomes(chk, top.get("outcomes"))
    oids = tuple(o.id for o in outcomes)
    tradeoffs = _tradeoffs(chk, top.get("tradeoffs"))
    questions = _questions(chk, top.get("questions"))
    qmap = {q.id: q for q in questions}
    rules = _rules(chk, top.get("rules"), qmap, oids, tradeoffs)
    decision = _decision(chk, top.get("decision"), oids, tradeoffs)
    scenarios = _scenarios(chk, top.get("scenarios", []), qmap, oids, tradeoffs)
    tests = _tests(chk, top.get("tests", []), oids)
    next_steps = _next_steps(chk, top.get("next_steps", []), qmap, oids, tradeoffs)
    if chk.problems:
        n = len(chk.problems)
        raise RuleSetError(f"{doc.source}: {n} problem{'s' if n != 1 else ''} in the rule set",
                           tuple(chk.problems))
    rs = RuleSet(meta, outcomes, tradeoffs, questions, rules, decision, scenarios, tests,
                 doc.source, sha256, next_steps=next_steps, doc=doc)
    _check_tests(rs, doc)
    return rs


def _check_tests(rs: RuleSet, doc: yamlio.Document) -> None:
    """Tests' answers and rule names must fit the rule set (their outcome is `rules test`'s job)."""
    from llmchoice.answers.validate import validate  # noqa: PLC0415 - answers imports this module
    from llmchoice.io.errors import AnswersError  # noqa: PLC0415

    problems: list[Problem] = []
    rule_ids = [r.id for r in rs.rules] + ["decision.mixed"]
    for i, t in enumerate(rs.tests):
        try:
            validate(rs, t.answers, source=doc.source, use_defaults=True)
        except AnswersError as exc:
            for p in exc.problems:
                problems.append(Problem(doc.locate(("tests", i, "answers")),
                                        f"test {t.name!r}: {p.message}"))
        for key in ("fired", "not_fired"):
            for j, rid in enumerate(getattr(t.expect, key)):
                if rid not in rule_ids:
                    problems.append(Problem(doc.locate(("tests", i, "expect", key, j)),
                                            f"test {t.name!r} expect.{key}: unknown rule "
                                            f"{rid!r}{did_you_mean(rid, rule_ids)}"))
    if problems:
        n = len(problems)
        raise RuleSetError(f"{doc.source}: {n} problem{'s' if n != 1 else ''} in the rule set",
                           tuple(problems))


# --------------------------------------------------------------------------- finding and loading


def default_rules_path() -> Path:
    """The shipped ``default.yaml``."""
    return shipped_file("default.yaml")


def resolve_rules_path(rules: str | Path | None) -> Path:
    """``--rules`` if given, else ``$LLMCHOICE_RULES``, else the shipped default.

    An empty ``--rules ''`` is refused (it is usually an unset shell variable); an empty
    ``$LLMCHOICE_RULES`` counts as unset.
    """
    if rules is not None and not str(rules).strip():
        raise RuleSetError("--rules: the name is empty; name a rule-set file, or 'default'")
    chosen = str(rules) if rules is not None else os.environ.get(DEFAULT_RULES_ENV, "")
    if chosen in ("", "default"):
        return default_rules_path()
    return Path(chosen)


def load_ruleset(rules: str | Path | None = None) -> RuleSet:
    """Load and validate a rule set (``None``: the environment's or the shipped default)."""
    path = resolve_rules_path(rules)
    text, display = yamlio.read_source(path, what="rule set")
    doc = yamlio.parse(text, display)
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if isinstance(doc.data, dict) and "extends" in doc.data:
        from llmchoice.ruleset import overlay  # noqa: PLC0415 - overlay imports this module

        doc, sha256 = overlay.apply(doc, path, sha256)
    return build(doc, sha256=sha256)

