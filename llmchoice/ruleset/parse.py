"""Building a :class:`RuleSet` from a parsed document: every field and cross reference checked.

All problems are collected and raised together as one
:class:`~llmchoice.io.errors.RuleSetError`, each as ``file:line:column: what was
expected, what was found``, with a did-you-mean for misspelt ids. The keys each
section accepts come from :mod:`llmchoice.ruleset.keys`, which the JSON Schema
is generated from too.

Why hand-written checks rather than a JSON Schema validator at run time: the
checks that matter most here are cross references (a rule citing a trade-off,
a condition naming a question and one of its values, an operator that fits the
question's type), which JSON Schema cannot express; and the schema validator
would add ~100 ms to every start. The JSON Schema of the format is still
published (``llmchoice rules schema``) for editors, and the test suite checks
the shipped rule sets against it.
"""

from __future__ import annotations

from llmchoice.answers.validate import validate
from llmchoice.io import yamlio
from llmchoice.io.check import Checker, did_you_mean
from llmchoice.io.errors import AnswersError, Problem, RuleSetError
from llmchoice.ruleset import keys
from llmchoice.ruleset.model import TRADEOFF_KINDS, TRADEOFF_SIDES, Meta, Outcome, RuleSet, Tradeoff
from llmchoice.ruleset.parse_budget import parse_budget_bands
from llmchoice.ruleset.parse_paths import parse_path_rules, parse_paths
from llmchoice.ruleset.parse_questions import parse_questions
from llmchoice.ruleset.parse_sections import (
    parse_decision,
    parse_next_steps,
    parse_rules,
    parse_scenarios,
    parse_tests,
)


def build(doc: yamlio.Document, *, sha256: str = "") -> RuleSet:
    """Validate a parsed document and build the rule set, or raise every problem at once."""
    chk = Checker(doc)
    if not isinstance(doc.data, dict):  # what the file holds instead is not echoed
        raise RuleSetError(f"{doc.source}: not a valid rule set", (Problem(
            doc.locate(()), f"rule set: expected a mapping, found {_kind(doc.data)}"),))
    top = chk.mapping((), doc.data, "rule set", required=keys.TOP.required,
                      optional=keys.TOP.optional)
    if chk.problems and not top:
        raise RuleSetError(f"{doc.source}: not a valid rule set", tuple(chk.problems))
    meta = _meta(chk, top.get("ruleset"))
    outcomes = _outcomes(chk, top.get("outcomes"))
    oids = tuple(o.id for o in outcomes)
    tradeoffs = _tradeoffs(chk, top.get("tradeoffs"))
    questions = parse_questions(chk, top.get("questions"), oids)
    qmap = {q.id: q for q in questions}
    paths = parse_paths(chk, top["paths"], oids) if "paths" in top else ()
    pids = tuple(p.id for p in paths)
    rules = parse_rules(chk, top.get("rules"), qmap, oids, tradeoffs, pids)
    path_rules = parse_path_rules(chk, top.get("path_rules", []), qmap, pids, tradeoffs)
    decision = parse_decision(chk, top.get("decision"), oids, tradeoffs)
    scenarios = parse_scenarios(chk, top.get("scenarios", []), qmap, oids, tradeoffs)
    tests = parse_tests(chk, top.get("tests", []), oids, paths)
    next_steps = parse_next_steps(chk, top.get("next_steps", []), qmap, oids, tradeoffs, pids)
    bands = parse_budget_bands(chk, top["budget_bands"], qmap, tradeoffs) \
        if "budget_bands" in top else None
    chk.raise_if_any(RuleSetError, "the rule set")
    rs = RuleSet(meta, outcomes, tradeoffs, questions, rules, decision, scenarios, tests,
                 doc.source, sha256, next_steps=next_steps, doc=doc, paths=paths,
                 path_rules=path_rules, budget_bands=bands)
    _check_tests(rs, doc)
    return rs


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text (not shown)"
    return "nothing (null)" if value is None else "a single value"


def _meta(chk: Checker, raw: object) -> Meta:
    m = chk.mapping(("ruleset",), raw, "ruleset", required=keys.META.required,
                    optional=keys.META.optional)
    return Meta(
        id=chk.ident(("ruleset", "id"), m.get("id", "x"), "ruleset.id"),
        version=chk.text(("ruleset", "version"), m.get("version", "?"), "ruleset.version",
                         name=True),
        title=chk.text(("ruleset", "title"), m.get("title", "?"), "ruleset.title", name=True),
        source=chk.text(("ruleset", "source"), m.get("source", "?"), "ruleset.source"),
    )


def _outcomes(chk: Checker, raw: object) -> tuple[Outcome, ...]:
    m = chk.mapping(("outcomes",), raw, "outcomes")
    out = []
    for oid, body in m.items():
        path = ("outcomes", oid)
        chk.ident(path, oid, "outcome id")
        b = chk.mapping(path, body, f"outcome {oid!r}", required=keys.OUTCOME.required,
                        optional=keys.OUTCOME.optional)
        out.append(Outcome(oid, chk.text((*path, "label"), b.get("label", oid), "label",
                                         name=True),
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
        b = chk.mapping(path, body, f"trade-off {tid!r}", required=keys.TRADEOFF.required,
                        optional=keys.TRADEOFF.optional)
        side = chk.one_of((*path, "side"), b.get("side", "both"), TRADEOFF_SIDES,
                          f"trade-off {tid!r} side")
        kind = chk.one_of((*path, "kind"), b.get("kind", "consideration"), TRADEOFF_KINDS,
                          f"trade-off {tid!r} kind")
        out[tid] = Tradeoff(tid, side or "both", kind or "consideration",
                            chk.text((*path, "title"), b.get("title", tid), "title", name=True),
                            chk.text((*path, "text"), b.get("text", ""), "text"))
    return out


def _check_tests(rs: RuleSet, doc: yamlio.Document) -> None:
    """Tests' answers and rule names must fit the rule set (their outcome is `rules test`'s job)."""
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
