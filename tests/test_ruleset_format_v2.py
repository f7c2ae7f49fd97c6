"""The rule-set format of issue 12: question kinds and monotone directions, paths and path
rules, beyond-the-article sources, test profiles and lists of acceptable verdicts.

Each new check has a bad file here, and the error is asserted at its line and column.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from llmchoice.io import yamlio
from llmchoice.io.errors import RuleSetError
from llmchoice.ruleset.load import load_ruleset
from llmchoice.ruleset.model import BeyondArticle, Monotone, RuleSet
from llmchoice.ruleset.schema import ruleset_schema

from ._ruletools import ROOT, SMALL, pos, run, write

DEFAULT_V2 = ROOT / "rules" / "default.yaml"
DEFAULT_V1 = ROOT / "tests" / "data" / "default_v1.yaml"  # the shipped set before 2.0.0

# A small rule set using every new key once.
V2 = """
ruleset: {id: v2, version: 1.0.0, title: V2, source: tests}
outcomes:
  open: {label: Open, summary: o}
  closed: {label: Closed, summary: c}
  hybrid: {label: Hybrid, summary: h}
tradeoffs:
  t.cost: {side: open, kind: perk, title: Cost, text: cheap}
  t.speed: {side: closed, kind: advantage, title: Speed, text: fast}
  t.learn: {side: both, kind: lesson, title: Learn, text: learn}
questions:
  - id: budget
    prompt: Budget?
    type: choice
    kind: preference
    monotone: {from: open, to: closed}
    choices: [{value: low, label: Low}, {value: mid, label: Mid}, {value: high, label: High}]
  - id: data
    prompt: Data?
    type: choice
    kind: fact
    required: false
    monotone: {from: open, to: closed, order: [local, cloud]}
    choices: [{value: cloud, label: Cloud}, {value: local, label: Local}]
  - id: tokens
    prompt: Tokens?
    type: number
    kind: fact
    required: false
    monotone: {from: closed, to: open}
rules:
  - id: cheap
    when: {budget: low}
    points: {open: 2}
    because: Low budget.
    cites: [t.cost]
  - id: rich
    when: {budget: high}
    points: {closed: 2}
    because: High budget.
    cites: [t.speed]
    beyond_article: {source: a price list, as_of: 2026}
  - id: local-only
    when: {data: local}
    exclude: [closed, open.api]
    because: Data stays here.
    cites: [t.cost]
    beyond_article:
      source: compliance practice
      as_of: 2026-11-05
paths:
  open.self:
    outcome: open
    label: Open, self-hosted
    summary: Run it yourselves.
    hosting: self
    cost_option: self_host_large
  open.api:
    outcome: open
    label: Open through an API
    summary: A host runs it.
    hosting: hosted
    cost_option: open_hosted_api
  closed.api:
    outcome: closed
    label: Closed API
    summary: The vendor runs it.
    hosting: hosted
    cost_option: frontier_api
path_rules:
  - path: open.self
    when: {data: local}
    because: The data stays here.
    cites: [t.cost]
    beyond_article: {source: compliance practice, as_of: 2026-11}
  - path: open.api
    because: No GPUs needed.
    cites: [t.cost]
  - path: closed.api
    because: The vendor's API.
    cites: [t.speed]
next_steps:
  - id: learn-serving
    paths: [open.self]
    cites: [t.learn]
    text: Learn to serve models.
decision:
  tie_break: [hybrid, open, closed]
  min_lead: 1.5
tests:
  - name: low budget is open
    answers: {budget: low}
    expect: {recommendation: open, path: [open.api]}
  - name: middle could go either way
    profile: ambiguous
    reason: Nothing pulls hard either way.
    answers: {budget: mid}
    expect: {recommendation: [hybrid, open], path: [open.api]}
  - name: high budget is closed
    profile: clear
    answers: {budget: high}
    expect: {recommendation: closed}
"""


def _write(tmp_path: Path, text: str, name: str = "rules.yaml") -> Path:
    return write(tmp_path, name, text)


def _v2(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    assert old in V2, old
    return _write(tmp_path, V2.replace(old, new, count))


def _problems(path: Path) -> list[str]:
    with pytest.raises(RuleSetError) as info:
        load_ruleset(path)
    return [f"{p.location.line}:{p.location.column}: {p.message}" for p in info.value.problems]


# --------------------------------------------------------------------------- what loads


def test_every_new_key_loads_as_typed_data(tmp_path: Path) -> None:
    rs = load_ruleset(_write(tmp_path, V2))
    budget, data, tokens = rs.questions
    assert (budget.kind, data.kind, tokens.kind) == ("preference", "fact", "fact")
    assert budget.monotone == Monotone("open", "closed", ("low", "mid", "high"))  # as listed
    assert data.monotone == Monotone("open", "closed", ("local", "cloud"))
    assert tokens.monotone == Monotone("closed", "open", ())  # numbers: ascending
    rich, local = rs.rules[1], rs.rules[2]
    assert rich.beyond_article == BeyondArticle("a price list", "2026")  # a number, kept as text
    assert local.beyond_article == BeyondArticle("compliance practice", "2026-11-05")
    assert (local.exclude, local.exclude_paths) == (("closed",), ("open.api",))
    assert rs.rules[0].beyond_article is None
    assert [p.id for p in rs.paths] == ["open.self", "open.api", "closed.api"]  # file order
    assert rs.path("open.api").hosting == "hosted"
    assert rs.path("open.self").cost_option == "self_host_large"
    first = rs.path_rules[0]
    assert (first.path, first.when is not None, first.beyond_article) == (
        "open.self", True, BeyondArticle("compliance practice", "2026-11"))
    assert [r.when for r in rs.path_rules[1:]] == [None, None]  # fallbacks
    assert rs.next_steps[0].paths == ("open.self",)
    assert rs.decision.min_lead == 1.5
    one, two, three = rs.tests
    assert (one.profile, one.reason, one.expect.recommendations) == (None, "", ("open",))
    assert (two.profile, two.reason) == ("ambiguous", "Nothing pulls hard either way.")
    assert two.expect.recommendations == ("hybrid", "open")
    assert two.expect.path == ("open.api",)
    assert (three.profile, three.expect.path) == ("clear", ())


def test_an_expectation_accepts_any_listed_outcome_and_path(tmp_path: Path) -> None:
    rs = load_ruleset(_write(tmp_path, V2))
    one, two, three = (t.expect for t in rs.tests)
    assert one.recommendation == "open"  # the single one, for callers that expect one
    assert two.recommendation == "hybrid"
    assert two.accepts("open") and two.accepts("hybrid") and not two.accepts("closed")
    assert two.accepts_path("open.api") and not two.accepts_path("open.self")
    assert three.accepts_path(None) and three.accepts_path("closed.api")  # empty: any


def test_the_new_default_rule_set_loads() -> None:
    rs = load_ruleset(DEFAULT_V2)
    assert [q.id for q in rs.questions if q.kind == "fact"] == ["data", "monthly_tokens"]
    assert all(q.monotone is not None for q in rs.questions)
    assert rs.question("domain").monotone == Monotone(
        "open", "closed", ("research", "general", "specialized_industry"))
    assert {p.outcome for p in rs.paths} == set(rs.outcome_ids)
    on_premises = next(r for r in rs.rules if r.id == "data-on-premises")
    assert (on_premises.exclude, on_premises.exclude_paths) == (
        ("closed", "hybrid"), ("open.hosted-api", "open.private-endpoint"))
    assert on_premises.beyond_article is not None
    assert on_premises.beyond_article.as_of == "2026-12"
    for outcome in rs.outcome_ids:  # every outcome has a fallback path rule
        assert any(r.when is None and rs.path(r.path).outcome == outcome for r in rs.path_rules)
    assert {t.profile for t in rs.tests} == {None, "clear", "ambiguous"}
    assert rs.decision.min_lead == 1.0


def _untouched(rs: RuleSet) -> None:
    assert rs.paths == () and rs.path_rules == ()
    assert {q.kind for q in rs.questions} == {"preference"}
    assert all(q.monotone is None for q in rs.questions)
    assert all(r.exclude_paths == () and r.beyond_article is None for r in rs.rules)
    assert all(s.paths == () for s in rs.next_steps)
    assert all(t.profile is None and t.reason == "" and t.expect.path == () for t in rs.tests)
    assert rs.decision.min_lead == 1.0


@pytest.mark.parametrize("path", [DEFAULT_V1], ids=lambda p: p.name)
def test_rule_sets_without_the_new_keys_load_as_before(path: Path) -> None:
    rs = load_ruleset(path)
    _untouched(rs)
    raw = yamlio.load(path, what="test").data
    assert isinstance(raw, dict)
    written = {t["name"]: t["expect"].get("recommendation") for t in raw.get("tests", [])}
    assert written  # a single recommendation in the file is a 1-tuple
    loaded = {t.name: t.expect for t in rs.tests}
    assert {n: loaded[n].recommendations for n in written} == {
        n: (w,) if w else () for n, w in written.items()}
    assert {n: loaded[n].recommendation for n in written} == written


def test_the_small_fixture_loads_as_before(tmp_path: Path) -> None:
    _untouched(load_ruleset(_write(tmp_path, SMALL)))


# --------------------------------------------------------------------------- questions


def test_a_question_kind_must_be_fact_or_preference(tmp_path: Path) -> None:
    path = _v2(tmp_path, "    kind: preference\n", "    kind: prefrence\n")
    assert _problems(path) == [
        f"{pos(path, 'kind: prefrence', 'prefrence')}: question 'budget' kind: expected one of "
        "preference, fact, found the text 'prefrence' (did you mean 'preference'?)"]


def test_monotone_names_two_different_outcomes(tmp_path: Path) -> None:
    path = _v2(tmp_path, "monotone: {from: open, to: closed}",
               "monotone: {from: opne, to: closed}")
    assert _problems(path) == [
        f"{pos(path, 'from: opne', 'opne')}: question 'budget' monotone.from: expected one of "
        "open, closed, hybrid, found the text 'opne' (did you mean 'open'?)"]
    path = _v2(tmp_path, "monotone: {from: closed, to: open}",
               "monotone: {from: closed, to: closed}")
    assert _problems(path) == [
        f"{pos(path, 'from: closed, to: closed', 'closed}')}: question 'tokens' monotone: "
        "'from' and 'to' are both 'closed'; expected two different outcomes"]
    path = _v2(tmp_path, "monotone: {from: open, to: closed}", "monotone: {from: open}")
    assert _problems(path) == [
        f"{pos(path, 'monotone: {from: open}', '{')}: question 'budget' monotone: "
        "missing key 'to'"]


def test_monotone_order_is_every_choice_once(tmp_path: Path) -> None:
    path = _v2(tmp_path, "order: [local, cloud]", "order: [local, clod]")
    assert _problems(path) == [
        f"{pos(path, 'order: [local, clod]', 'clod')}: question 'data' monotone.order: "
        "expected one of cloud, local, found the text 'clod' (did you mean 'cloud'?)"]
    path = _v2(tmp_path, "order: [local, cloud]", "order: [local]")
    assert _problems(path) == [
        f"{pos(path, 'order: [local]', '[')}: question 'data' monotone.order: expected every "
        "choice once, missing cloud"]
    path = _v2(tmp_path, "order: [local, cloud]", "order: [local, cloud, local]")
    assert _problems(path) == [
        f"{pos(path, 'order: [local, cloud, local]', 'local]')}: question 'data' "
        "monotone.order: 'local' is listed twice"]


def test_monotone_is_for_choice_and_number_questions_only(tmp_path: Path) -> None:
    data_choices = ("    choices: [{value: cloud, label: Cloud}, {value: local, label: Local}]\n")
    for qtype in ("multi", "confirm"):
        text = V2.replace("    type: choice\n    kind: fact", f"    type: {qtype}\n    kind: fact")
        if qtype == "confirm":
            text = text.replace(data_choices, "")
        path = _write(tmp_path, text, f"{qtype}.yaml")
        where = pos(path, "monotone: {from: open, to: closed, order", "monotone")
        assert f"{where}: question 'data' monotone: only a choice or number question has an " \
               f"order of answers; a {qtype} question has none" in _problems(path)
    path = _v2(tmp_path, "monotone: {from: closed, to: open}",
               "monotone: {from: closed, to: open, order: [1, 2]}")
    assert _problems(path) == [
        f"{pos(path, 'order: [1, 2]', 'order')}: question 'tokens' monotone.order: a number "
        "question's answers go in ascending order; leave 'order' out"]


@pytest.mark.parametrize("qtype", ["choice", "multi"])
def test_no_choice_may_be_called_unsure(tmp_path: Path, qtype: str) -> None:
    text = V2.replace("{value: mid, label: Mid}", "{value: unsure, label: Not sure}")
    text = text.replace("  - id: budget\n    prompt: Budget?\n    type: choice\n    kind: "
                        "preference\n    monotone: {from: open, to: closed}\n",
                        f"  - id: budget\n    prompt: Budget?\n    type: {qtype}\n")
    text = text.replace("budget: mid", "budget: low")
    if qtype == "multi":
        text = text.replace("{budget: low}", "{budget: [low]}").replace(
            "{budget: high}", "{budget: [high]}")
    path = _write(tmp_path, text)
    assert _problems(path) == [
        f"{pos(path, 'value: unsure', 'unsure')}: question 'budget': 'unsure' cannot be a "
        "choice; it is the answer every question accepts for 'not sure'"]


# --------------------------------------------------------------------------- beyond_article


@pytest.mark.parametrize("as_of", ["Nov 2026", "2026-13", "26", "true"])
def test_beyond_article_as_of_is_a_date(tmp_path: Path, as_of: str) -> None:
    path = _v2(tmp_path, "as_of: 2026}", f"as_of: {as_of}}}")
    found = "true/false (true)" if as_of == "true" else (
        "the number 26" if as_of == "26" else f"the text {as_of!r}")
    assert _problems(path) == [
        f"{pos(path, f'as_of: {as_of}}}', as_of)}: rule 'rich' beyond_article.as_of: expected a "
        f"date as YYYY, YYYY-MM or YYYY-MM-DD (when the source was read), found {found}"]


def test_beyond_article_needs_a_source(tmp_path: Path) -> None:
    path = _v2(tmp_path, "    beyond_article: {source: compliance practice, as_of: 2026-11}",
               "    beyond_article: {as_of: 2026-11, sorce: x}")
    assert _problems(path) == [
        f"{pos(path, 'sorce: x', 'sorce')}: path_rules[0] beyond_article: unknown key 'sorce' "
        "(did you mean 'source'?); expected one of as_of, source",
        f"{pos(path, 'beyond_article: {as_of', '{')}: path_rules[0] beyond_article: missing "
        "key 'source'"]


# --------------------------------------------------------------------------- paths


def test_a_path_id_may_not_be_an_outcome_id(tmp_path: Path) -> None:
    path = _v2(tmp_path, "  closed.api:\n", "  closed:\n")
    problems = _problems(path)
    assert problems[0] == (
        f"{pos(path, '  closed:', 'closed', nth=2)}: path 'closed': a path id must differ "
        "from every outcome id (open, closed, hybrid); name it after its outcome, such as "
        "'closed.hosted-api'")


def test_a_path_names_an_outcome_and_who_hosts_it(tmp_path: Path) -> None:
    path = _v2(tmp_path, "    outcome: closed\n    label: Closed API\n    summary: The vendor "
                         "runs it.\n    hosting: hosted",
               "    outcome: clossed\n    label: Closed API\n    summary: The vendor runs it.\n"
               "    hosting: cloud")
    assert _problems(path) == [
        f"{pos(path, 'outcome: clossed', 'clossed')}: path 'closed.api' outcome: expected one "
        "of open, closed, hybrid, found the text 'clossed' (did you mean 'closed'?)",
        f"{pos(path, 'hosting: cloud', 'cloud')}: path 'closed.api' hosting: expected one of "
        "self, hosted, found the text 'cloud'"]
    path = _v2(tmp_path, "    cost_option: frontier_api\n", "")
    assert _problems(path) == [
        f"{pos(path, 'outcome: closed', 'outcome')}: path 'closed.api': missing key "
        "'cost_option'"]


def test_a_path_rule_names_a_known_path_a_condition_and_trade_offs(tmp_path: Path) -> None:
    path = _v2(tmp_path, "  - path: open.api\n", "  - path: open.apj\n")
    assert _problems(path) == [
        f"{pos(path, 'path: open.apj', 'open.apj')}: path_rules[1] path: unknown path the text "
        "'open.apj' (did you mean 'open.api'?); expected one of open.self, open.api, closed.api"]
    path = _v2(tmp_path, "    when: {data: local}\n    because: The data stays here.",
               "    when: {data: locall}\n    because: The data stays here.")
    assert _problems(path) == [
        f"{pos(path, 'data: locall', 'locall')}: path_rules[0] when: 'data' value: expected one "
        "of cloud, local, found the text 'locall' (did you mean 'local'?)"]
    path = _v2(tmp_path, "    because: No GPUs needed.\n    cites: [t.cost]",
               "    because: No GPUs needed.\n    cites: [t.cots]")
    assert _problems(path) == [
        f"{pos(path, 'cites: [t.cots]', 't.cots')}: path_rules[1] cites an unknown trade-off "
        "'t.cots' (did you mean 't.cost'?)"]


def test_path_rules_without_paths_name_the_missing_section(tmp_path: Path) -> None:
    start, end = V2.index("paths:\n  open.self:"), V2.index("path_rules:")
    text = V2[:start] + V2[end:]
    text = text.replace("exclude: [closed, open.api]", "exclude: [closed]")
    text = text.replace("    paths: [open.self]\n", "").replace(", path: [open.api]", "")
    path = _write(tmp_path, text)
    assert _problems(path)[0] == (
        f"{pos(path, 'path: open.self', 'open.self')}: path_rules[0] path: unknown path the "
        "text 'open.self'; expected one of none: the rule set has no paths section")


def test_a_rule_may_exclude_outcomes_and_paths(tmp_path: Path) -> None:
    path = _v2(tmp_path, "exclude: [closed, open.api]", "exclude: [closed, open.apy]")
    assert _problems(path) == [
        f"{pos(path, 'open.apy')}: rule 'local-only' exclude: expected an outcome (open, closed, "
        "hybrid) or a path (open.self, open.api, closed.api), found the text 'open.apy' "
        "(did you mean 'open.api'?)"]


def test_without_paths_an_unknown_exclusion_is_worded_as_before(tmp_path: Path) -> None:
    text = SMALL.replace("    points: {open: 2}\n", "    exclude: [clsed]\n", 1)
    path = _write(tmp_path, text)
    assert _problems(path) == [
        f"{pos(path, 'clsed')}: rule 'cheap' exclude: expected one of open, closed, hybrid, "
        "found the text 'clsed' (did you mean 'closed'?)"]


def test_a_next_step_names_known_paths(tmp_path: Path) -> None:
    path = _v2(tmp_path, "paths: [open.self]", "paths: [open.selff]")
    assert _problems(path) == [
        f"{pos(path, 'open.selff')}: next step 'learn-serving' paths: unknown path the text "
        "'open.selff' (did you mean 'open.self'?); expected one of open.self, open.api, "
        "closed.api"]


# --------------------------------------------------------------------------- tests, decision


def test_a_test_profile_is_clear_or_ambiguous(tmp_path: Path) -> None:
    path = _v2(tmp_path, "profile: clear", "profile: obvious")
    assert _problems(path) == [
        f"{pos(path, 'profile: obvious', 'obvious')}: test 'high budget is closed' profile: "
        "expected one of clear, ambiguous, found the text 'obvious' (did you mean 'ambiguous'?)"]


def test_expected_recommendations_and_paths_are_known(tmp_path: Path) -> None:
    path = _v2(tmp_path, "recommendation: [hybrid, open]", "recommendation: [hybrid, opne]")
    assert _problems(path) == [
        f"{pos(path, 'opne]', 'opne')}: test 'middle could go either way' "
        "expect.recommendation: expected one of open, closed, hybrid, found the text 'opne' "
        "(did you mean 'open'?)"]
    path = _v2(tmp_path, "recommendation: open, path: [open.api]",
               "recommendation: open, path: [open.apii]")
    assert _problems(path) == [
        f"{pos(path, 'open.apii')}: test 'low budget is open' expect.path: unknown path the "
        "text 'open.apii' (did you mean 'open.api'?); expected one of open.self, open.api, "
        "closed.api"]


def test_an_expected_path_must_belong_to_an_acceptable_outcome(tmp_path: Path) -> None:
    path = _v2(tmp_path, "recommendation: open, path: [open.api]",
               "recommendation: open, path: [open.api, closed.api]")
    assert _problems(path) == [
        f"{pos(path, 'closed.api]', 'closed.api')}: test 'low budget is open' expect.path: "
        "'closed.api' is a path of 'closed', which is not an acceptable recommendation (open)"]


@pytest.mark.parametrize("value", ["-1", "fast", "101"])
def test_min_lead_is_a_number_from_0_to_100(tmp_path: Path, value: str) -> None:
    path = _v2(tmp_path, "min_lead: 1.5", f"min_lead: {value}")
    found = "the text 'fast'" if value == "fast" else value
    assert _problems(path) == [
        f"{pos(path, 'min_lead', value)}: decision.min_lead: expected a number at least 0 and "
        f"at most 100, found {found}"]


def test_a_bad_new_key_is_one_clear_message_and_exit_2(tmp_path: Path) -> None:
    path = _v2(tmp_path, "  - path: open.api\n", "  - path: open.apj\n")
    result = run("rules", "validate", path)
    assert result.exit_code == 2
    assert f"{path}:{pos(path, 'open.apj')}: path_rules[1] path: unknown path" in result.stderr
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------- overlays


def _overlay(tmp_path: Path, body: str) -> Path:
    base = _write(tmp_path, V2, "base.yaml")
    return write(tmp_path, "over.yaml", f"extends: {base.name}\n"
                                        "ruleset: {id: over, version: 1.0.0}\n" + body)


def test_an_overlay_adds_and_patches_paths_and_replaces_path_rules(tmp_path: Path) -> None:
    path = _overlay(tmp_path, """
paths:
  closed.private:
    outcome: closed
    label: Closed, private deployment
    summary: In your cloud account.
    hosting: hosted
    cost_option: frontier_api
  open.api: {label: Open through a host}
path_rules:
  - path: closed.private
    when: {data: local}
    because: Data terms.
    cites: [t.speed]
  - path: closed.api
    because: The vendor's API.
    cites: [t.speed]
  - path: open.api
    because: No GPUs.
    cites: [t.cost]
""")
    rs = load_ruleset(path)
    assert [p.id for p in rs.paths] == ["open.self", "open.api", "closed.api", "closed.private"]
    assert rs.path("open.api").label == "Open through a host"
    assert rs.path("open.api").hosting == "hosted"  # the base's, kept
    assert [r.path for r in rs.path_rules] == ["closed.private", "closed.api", "open.api"]


def test_an_overlay_removing_a_path_the_base_still_names_is_an_error(tmp_path: Path) -> None:
    path = _overlay(tmp_path, "paths: {open.self: null}\n")
    base = tmp_path / "base.yaml"
    with pytest.raises(RuleSetError) as info:
        load_ruleset(path)
    where = [(str(p.location.source), f"{p.location.line}:{p.location.column}")
             for p in info.value.problems]
    assert (str(base), pos(base, "  - path: open.self", "open.self")) in where
    assert (str(base), pos(base, "paths: [open.self]", "open.self")) in where
    assert any("path_rules[0] path: unknown path the text 'open.self'" in p.message
               for p in info.value.problems)


def test_an_overlay_patches_beyond_article_and_monotone_key_by_key(tmp_path: Path) -> None:
    path = _overlay(tmp_path, """
questions:
  - id: budget
    monotone: {to: hybrid}
rules:
  - id: rich
    beyond_article: {as_of: 2027-01}
""")
    rs = load_ruleset(path)
    assert rs.question("budget").monotone == Monotone("open", "hybrid", ("low", "mid", "high"))
    assert rs.rules[1].beyond_article == BeyondArticle("a price list", "2027-01")
    bad = _overlay(tmp_path, "rules:\n  - id: rich\n    beyond_article: {as_of: soon}\n")
    [problem] = _problems(bad)
    assert problem.startswith(f"{pos(bad, 'soon')}: rule 'rich' beyond_article.as_of")


# --------------------------------------------------------------------------- the JSON Schema


def test_the_schema_flags_mistakes_in_the_new_keys(tmp_path: Path) -> None:
    validator = Draft202012Validator(ruleset_schema())
    good = yamlio.load(_write(tmp_path, V2), what="test").data
    assert isinstance(good, dict)
    assert [e.message for e in validator.iter_errors(good)] == []
    bad = json.loads(json.dumps(good))
    bad["questions"][0]["kind"] = "opinion"
    bad["questions"][0]["monotone"]["form"] = "open"
    bad["rules"][1]["beyond_article"]["as_of"] = "Nov 2026"
    bad["paths"]["open.api"]["hosting"] = "cloud"
    bad["path_rules"][0]["beyond_article"] = {"source": "x"}
    bad["tests"][1]["profile"] = "obvious"
    bad["decision"]["min_lead"] = -1
    del bad["paths"]["closed.api"]["cost_option"]
    errors = " | ".join(e.message for e in validator.iter_errors(bad))
    for expected in ("'opinion' is not one of ['preference', 'fact']",
                     "'form' was unexpected", "'Nov 2026' is not valid under any",
                     "'cloud' is not one of ['self', 'hosted']", "'as_of' is a required property",
                     "'obvious' is not one of ['clear', 'ambiguous']",
                     "-1 is less than the minimum of 0", "'cost_option' is a required property"):
        assert expected in errors, expected


def test_a_path_rule_may_price_its_path_with_its_own_cost_option() -> None:
    """The on-premises rule for a good-enough model prices the small open model; the one
    for any other model keeps the path's own option (the large model)."""
    from llmchoice.answers.validate import validate
    from llmchoice.decide.engine import evaluate

    rs = load_ruleset(DEFAULT_V2)
    team = {"budget": "minimal", "transparency": "essential", "customization": "deep",
            "support": "community", "expertise": "strong", "performance": "good_enough",
            "quality": "standard", "lock_in": "avoid", "domain": "research",
            "control": "critical", "time_to_market": "flexible", "data": "on_premises"}
    small = evaluate(rs, validate(rs, team).answers).path
    assert small is not None and (small.id, small.cost_option) == ("open.self-hosted",
                                                                   "self_host_small")
    large = evaluate(rs, validate(rs, {**team, "performance": "cutting_edge"}).answers).path
    assert large is not None and (large.id, large.cost_option) == ("open.self-hosted",
                                                                   "self_host_large")
    assert rs.path("open.self-hosted").cost_option == "self_host_large"


def test_a_path_rules_cost_option_must_be_an_id(tmp_path: Path) -> None:
    text = DEFAULT_V2.read_text(encoding="utf-8")
    assert "    cost_option: self_host_small\n    because: Beyond" in text
    path = _write(tmp_path, text.replace("    cost_option: self_host_small\n    because: Beyond",
                                         "    cost_option: [small]\n    because: Beyond"))
    problems = _problems(path)
    assert len(problems) == 1 and "cost_option: expected an id" in problems[0], problems
