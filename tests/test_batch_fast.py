"""`batch`'s fast path (llmchoice/batch/fast.py) writes the same bytes as the full way.

Every test runs the same input through :func:`llmchoice.batch.stream.run` twice, with the
fast path and without it (``fast=False``), and compares the output, the counts, the bad
lines reported and the summary: on generated answer sets in every order, on hostile and
mutated lines, on random rule sets, and with the fast path's tables full.
"""

from __future__ import annotations

import io
import json
import math
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from itertools import product
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmchoice.batch import fast as fast_module
from llmchoice.batch import joint as joint_module
from llmchoice.batch.fast import fast_rows
from llmchoice.batch.joint import joint_plan, region_cuts
from llmchoice.batch.stream import JsonlWriter, Summary, read_lines, run
from llmchoice.decide.compiled import CompiledRuleSet, compile_ruleset
from llmchoice.io import yamlio
from llmchoice.ruleset import conditions
from llmchoice.ruleset.load import build, load_ruleset
from llmchoice.ruleset.model import RuleSet

from .test_compiled import rule_sets, valid_answers

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = load_ruleset()
CRS = compile_ruleset(DEFAULT)
VOLUMES = [0, 5, 20, 50, 120, 800, 1000, 2500, 10**6]


def run_both(crs: CompiledRuleSet, data: bytes, *, summary: bool = False,
             line_buffered: bool = False) -> tuple[object, ...]:
    """(output, stats, bad lines reported, summary) with the fast path, and without it."""
    results = []
    for fast in (True, False):
        out = io.StringIO()
        bad: list[tuple[int, str]] = []
        tally = Summary(crs.ruleset.outcome_ids) if summary else None
        writer = JsonlWriter(out, crs, contributions=False, what_if=False,
                             line_buffered=line_buffered)
        stats = run(crs, read_lines(io.BytesIO(data), "in.jsonl"), "jsonl", writer,
                    display="in.jsonl", summary=tally,
                    on_bad=lambda n, r, bad=bad: bad.append((n, r)), fast=fast)
        results.append((out.getvalue(), stats, bad,
                        None if tally is None else (tally.counts, tally.deciding, tally.bad)))
    assert results[0] == results[1]
    return results[0]


def answer_set(rng: random.Random, rs: RuleSet = DEFAULT) -> dict[str, object]:
    """A valid answer set as a user might write it: optional answers sometimes left out."""
    answers: dict[str, object] = {}
    for q in rs.questions:
        if q.type == "choice" and (q.required or rng.random() < 0.5):
            answers[q.id] = rng.choice(q.values)
        elif q.type == "number" and rng.random() < 0.5:
            answers[q.id] = rng.choice(VOLUMES)
        elif q.type == "confirm" and rng.random() < 0.7:
            answers[q.id] = rng.random() < 0.5
    return answers


def shuffled(rng: random.Random, answers: dict[str, object]) -> dict[str, object]:
    items = list(answers.items())
    rng.shuffle(items)
    return dict(items)


HOSTILE = [
    "", "   ", "{}", "[]", "null", "1", '"text"', "{", '{"budget": "minimal"}',
    ' {"budget": "minimal"}', "{\"budget\": NaN}", "{\"monthly_tokens\": Infinity}",
    '{"budget": "minimal", "budget": "large"}', '{"budget": {"a": 1}}', '{"$schema": "x"}',
    '{"budget": "unsure"}', '{"budget": "not_asked"}', '{"budget": 1}', '{"budget": true}',
    '{"budget": ["minimal"]}', '{"nope": 1}', "[" * 3000, "9" * 5000, '{"a": 1} x',
    '{"budget": "\\u001b[2J"}', '{"budget": "minimal"}\x00', "\ufeff{}",
]


def hostile(rng: random.Random, good: dict[str, object]) -> str:
    """A line that is bad, odd, or valid in an unusual way."""
    kind = rng.randrange(12)
    line = dict(good)
    if kind == 0:
        return rng.choice(HOSTILE)
    if kind == 1:
        line["monthly_tokens"] = rng.choice([True, False, 1.0, 2500.0, 1e300, -1, "50",
                                             "unsure", None, [1], {"x": 1}, 10**30, 0.5,
                                             2**53 + 1, 10**400, -(2**60)])
    elif kind == 2:
        line[rng.choice(list(line))] = rng.choice(["unsure", "", None, 3, ["a"], "MINIMAL"])
    elif kind == 3:
        del line[rng.choice(list(line))]
    elif kind == 4:
        line[rng.choice(["$schema", "_comment", "name", "extra"])] = "x"
    elif kind == 5:  # a duplicate key
        text = json.dumps(line)
        key = rng.choice(list(line))
        return text[:-1] + f', "{key}": {json.dumps(line[key])}}}'
    elif kind == 6:
        return " " + json.dumps(line) + " \t"
    elif kind == 7:
        return json.dumps(line, separators=(",", ":"), ensure_ascii=False)
    elif kind == 8:
        line["data"] = rng.choice(["on_premises", "regulated", "standard", "nope"])
    elif kind == 9:
        text = json.dumps(line)
        pos = rng.randrange(len(text))
        return text[:pos] + rng.choice(['"', "{", "}", ",", ":", "\\", "x", ""]) + text[pos + 1:]
    elif kind == 10:
        return json.dumps(shuffled(rng, line), indent=None)
    return json.dumps(line)


def test_generated_lines_give_the_same_bytes() -> None:
    rng = random.Random(15)
    lines = [json.dumps(shuffled(rng, answer_set(rng)) if rng.random() < 0.3
                        else answer_set(rng)) for _ in range(3000)]
    data = ("\n".join(lines) + "\n").encode()
    out, stats, bad, _ = run_both(CRS, data)
    assert stats.scored == 3000 and not bad  # type: ignore[attr-defined]
    assert out.count("\n") == 3000  # type: ignore[attr-defined]
    run_both(CRS, data, summary=True)
    assert fast_module._Known(CRS, json.dumps).folded  # the scenario is in the sum


@pytest.mark.parametrize("seed", range(4))
def test_hostile_lines_give_the_same_bytes_and_reasons(seed: int) -> None:
    rng = random.Random(seed)
    lines = [hostile(rng, answer_set(rng)) if rng.random() < 0.5 else json.dumps(answer_set(rng))
             for _ in range(600)]
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    out, stats, bad, _ = run_both(CRS, data)
    assert stats.bad > 0 and stats.scored > 0  # type: ignore[attr-defined]
    run_both(CRS, data, summary=True, line_buffered=bool(seed % 2))


def test_a_line_with_every_outcome_excluded_is_bad_both_ways() -> None:
    line = {**answer_set(random.Random(1)), "data": "on_premises"}
    data = (json.dumps(line) + "\n").encode() * 3
    run_both(CRS, data, summary=True)


def test_the_fast_path_takes_valid_lines_and_declines_the_rest() -> None:
    out = io.StringIO()
    writer = JsonlWriter(out, CRS, contributions=False, what_if=False)
    row = fast_rows(CRS, writer, None)
    assert row is not None
    good = answer_set(random.Random(3))
    assert row(json.dumps(good), 7)
    assert row.kept["shapes"][tuple(good)][0] is None  # type: ignore[attr-defined]
    required = {q.id: q.values[0] for q in DEFAULT.questions if q.required}
    assert row(json.dumps(required), 5) and row(json.dumps(required), 6)
    assert row(json.dumps({**shuffled(random.Random(4), good), "monthly_tokens": 50}), 8)
    for text in HOSTILE + [json.dumps({**good, "monthly_tokens": 5.0}),
                           json.dumps({**good, "monthly_tokens": True}),
                           json.dumps({**good, "budget": "unsure"}),
                           json.dumps({**good, "$schema": "x"})]:
        assert not row(text, 9), text
    writer.flush()
    rows = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [r["line"] for r in rows] == [7, 5, 6, 8]
    assert rows[3]["answers"]["monthly_tokens"] == 50
    assert list(rows[3]["answers"]) == [q.id for q in DEFAULT.questions
                                        if q.id in rows[3]["answers"]]


def test_full_tables_decline_new_answers_and_rows_stay_the_same(
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MAX_LEARNED", "MAX_PREPARED", "MAX_SCENARIOS", "MAX_SHAPES"):
        monkeypatch.setattr(fast_module, name, 2)
    rng = random.Random(8)
    lines = []
    for n in range(800):
        answers = shuffled(rng, answer_set(rng)) if n % 3 else answer_set(rng)
        answers["monthly_tokens"] = rng.randrange(10_000)  # more numbers than remembered
        lines.append(json.dumps(answers))
    run_both(CRS, ("\n".join(lines) + "\n").encode(), summary=True)


def number_scenario() -> RuleSet:
    """The default rule set with a scenario that reads the number question."""
    doc = yaml.safe_load((ROOT / "rules" / "default.yaml").read_text(encoding="utf-8"))
    doc["scenarios"][2]["when"] = {"any": [{"customization": "deep"},
                                           {"monthly_tokens": {"gte": 800}}]}
    return build(yamlio.parse(yaml.safe_dump(doc, sort_keys=False), "n.yaml"), sha256="0" * 64)


def test_a_scenario_on_a_number_gives_the_same_bytes() -> None:
    """A scenario that reads a number cannot be folded into the sum (see fast.py): the
    scenario is then kept per winner and answers read."""
    crs = compile_ruleset(number_scenario())
    rng = random.Random(11)
    assert not fast_module._Known(crs, json.dumps).folded
    lines = [hostile(rng, answer_set(rng)) if n % 5 == 0 else json.dumps(answer_set(rng))
             for n in range(1500)]
    out = run_both(crs, ("\n".join(lines) + "\n").encode(), summary=True)[0]
    assert '"monthly_tokens":2500' in out and "future.hybrid-approach" in out  # type: ignore[operator]


@pytest.mark.parametrize("when", [
    {"domain": "research"},
    {"all": [{"domain": {"in": ["research", "general"]}}, {"not": {"budget": "large"}}]},
    {"any": [{"customization": {"answered": False}}, {"budget": "minimal"}]},
])
def test_answers_share_a_scenario_digit_only_when_no_scenario_tells_them_apart(
        when: dict[str, object]) -> None:
    doc = yaml.safe_load((ROOT / "rules" / "default.yaml").read_text(encoding="utf-8"))
    doc["scenarios"][0]["when"] = when
    rs = build(yamlio.parse(yaml.safe_dump(doc, sort_keys=False), "s.yaml"), sha256="0" * 64)
    reads = {q for sc in rs.scenarios for q in sc.when.questions()}
    digits = fast_module.scenario_digits(rs, reads)
    assert digits is not None
    read = [q for q in rs.questions if q.id in reads]
    by_sum: dict[int, set[tuple[bool, ...]]] = {}
    for combo in product(*[(None, *q.values) for q in read]):
        answers = {q.id: v for q, v in zip(read, combo, strict=True) if v is not None}
        total = sum(digits[(q, v)] for q, v in answers.items())
        assert 0 <= total < digits[None]
        by_sum.setdefault(total, set()).add(
            tuple(sc.when.evaluate(answers) is True for sc in rs.scenarios))
    assert all(len(found) == 1 for found in by_sum.values())  # a sum: one scenario choice
    assert len(by_sum) < math.prod(len(q.values) + 1 for q in read)  # and fewer sums,
    assert len(by_sum) == digits[None]  # each of which some answers give


def variant(*, pair_rule: bool) -> RuleSet:
    """The default rule set with a true/false question (two answers checked by type on one
    line), a rule that fires on an unanswered question (the sum of no answers is not 0)
    and, with ``pair_rule``, a rule on two questions (the key is no longer a sum per
    answer: the compiled evaluator gives it)."""
    doc = yaml.safe_load((ROOT / "rules" / "default.yaml").read_text(encoding="utf-8"))
    doc["questions"].append({"id": "gpu", "title": "GPUs", "prompt": "Do you own GPUs?",
                             "kind": "fact", "type": "confirm", "required": False})
    rule = dict(doc["rules"][0])
    doc["rules"] += [
        {**rule, "id": "gpu-yes", "when": {"gpu": True}, "points": {"open": 1}},
        {**rule, "id": "data-unknown", "when": {"data": {"answered": False}},
         "points": {"closed": 1}}]
    if pair_rule:
        doc["rules"].append({**rule, "id": "minimal-and-strong", "points": {"open": 2},
                             "when": {"budget": "minimal", "expertise": "strong"}})
    else:  # the default's one rule on two questions (volume-high) reads the volume alone
        for r in doc["rules"]:
            if r["id"] == "volume-high":
                r["when"] = {"monthly_tokens": {"gte": 4000}}
    return build(yamlio.parse(yaml.safe_dump(doc, sort_keys=False), "v.yaml"), sha256="0" * 64)


@pytest.mark.parametrize("pair_rule", [False, True])
def test_rule_sets_summed_per_answer_or_not_give_the_same_bytes(pair_rule: bool) -> None:
    rs = variant(pair_rule=pair_rule)
    crs = compile_ruleset(rs)
    known = fast_module._Known(crs, json.dumps)
    assert known.additive and known.base != 0 and known.folded
    assert known.radix == len(known.joint_of)  # one packed sum per digits
    assert known.radix == (1 if not pair_rule else 36)  # (6 for volume-high, 6 for the pair)
    rng = random.Random(21)
    lines = [hostile(rng, answer_set(rng, rs)) if n % 7 == 0 else
             json.dumps(shuffled(rng, answer_set(rng, rs)) if n % 3 else answer_set(rng, rs))
             for n in range(1200)]
    data = ("\n".join(lines) + "\n").encode()
    out = run_both(crs, data)[0]
    run_both(crs, data, summary=True)
    assert '"gpu":true' in out and '"monthly_tokens":50' in out  # type: ignore[operator]
    both = {**answer_set(random.Random(2), rs), "monthly_tokens": 20, "gpu": False}
    row, known = fresh(crs)
    assert row(json.dumps(both), 1) and known.learned == 2  # 20, false
    assert row(json.dumps({**both, "gpu": True}), 2) and known.learned == 3  # after a known one
    assert row(json.dumps({**both, "monthly_tokens": 120}), 3) and known.learned == 4
    row, known = fresh(crs)
    assert not row(json.dumps({**both, "monthly_tokens": -1}), 4)  # below the minimum
    assert known.learned == 1  # false, after the number refused
    assert row(json.dumps(both), 5) and known.learned == 2


def fresh(crs: CompiledRuleSet) -> tuple[Callable[[str, int], bool], fast_module._Known]:
    row = fast_rows(crs, JsonlWriter(io.StringIO(), crs, contributions=False, what_if=False),
                    None)
    assert row is not None
    return row, row.kept["known"]  # type: ignore[attr-defined]


def test_points_that_do_not_add_up_exactly_leave_every_line_to_the_full_way() -> None:
    doc = yaml.safe_load((ROOT / "rules" / "default.yaml").read_text(encoding="utf-8"))
    doc["rules"][0]["points"] = {"open": 0.1}
    doc["rules"][1].setdefault("points", {})["closed"] = 0.2
    rs = build(yamlio.parse(yaml.safe_dump(doc, sort_keys=False), "x.yaml"), sha256="0" * 64)
    crs = compile_ruleset(rs)
    assert crs.verdict_key({}) is None
    writer = JsonlWriter(io.StringIO(), crs, contributions=False, what_if=False)
    assert fast_rows(crs, writer, None) is None
    rng = random.Random(3)
    run_both(crs, ("\n".join(json.dumps(answer_set(rng)) for _ in range(300)) + "\n").encode())


def test_the_scenarios_answers_are_folded_up_to_a_limit(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    reads = {q for sc in DEFAULT.scenarios for q in sc.when.questions()}
    combos = math.prod(len(q.values) + 1 for q in DEFAULT.questions if q.id in reads)
    monkeypatch.setattr(fast_module, "MAX_FOLDED", combos)
    assert fast_module.scenario_digits(DEFAULT, reads) is not None
    monkeypatch.setattr(fast_module, "MAX_FOLDED", combos - 1)
    assert fast_module.scenario_digits(DEFAULT, reads) is None
    assert not fast_module._Known(CRS, json.dumps).folded
    run_both(CRS, ("\n".join(json.dumps(answer_set(random.Random(n))) for n in range(300))
                   + "\n").encode(), summary=True)


def test_each_thing_is_worked_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shapes, verdicts and scenarios are worked out once each and then looked up."""
    calls: Counter[str] = Counter()

    def spy(name: str, fn: Callable[..., object]) -> Callable[..., object]:
        def wrapped(*args: object) -> object:
            calls[name] += 1
            return fn(*args)
        return wrapped

    for crs in (CRS, compile_ruleset(number_scenario())):
        calls.clear()
        monkeypatch.setattr(fast_module._Known, "shape",
                            spy("shape", fast_module._Known.shape))
        monkeypatch.setattr(crs, "verdict_of_key", spy("verdict", crs.verdict_of_key))
        monkeypatch.setattr(crs, "scenario", spy("scenario", crs.scenario))
        seen: list[tuple[str, bool]] = []
        writer = JsonlWriter(io.StringIO(), crs, contributions=False, what_if=False)
        row = fast_rows(crs, writer, lambda a, w, keyed, seen=seen: seen.append((w, keyed)))
        assert row is not None
        rng = random.Random(4)
        for n in range(2000):  # answers in a few orders of keys
            answers = answer_set(rng)
            order = shuffled(random.Random(n % 5), answers) if n % 2 else answers
            assert row(json.dumps(order), n)
        kept = row.kept  # type: ignore[attr-defined]
        assert calls["shape"] == len(kept["shapes"]) < 50
        assert calls["verdict"] == len(kept["verdicts"]) < 1000
        scenarios = kept["sums"] if kept["known"].folded else kept["scenarios"]
        assert calls["scenario"] == len(scenarios) < 2000
        assert len(seen) == 2000 and all(keyed for _, keyed in seen)
        monkeypatch.undo()


def test_the_tables_stop_at_their_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MAX_LEARNED", "MAX_PREPARED", "MAX_SCENARIOS", "MAX_SHAPES"):
        monkeypatch.setattr(fast_module, name, 3)
    rng = random.Random(9)
    for crs in (CRS, compile_ruleset(number_scenario())):
        writer = JsonlWriter(io.StringIO(), crs, contributions=False, what_if=False)
        row = fast_rows(crs, writer, None)
        assert row is not None
        for n in range(300):
            answers = shuffled(rng, answer_set(rng)) if n % 2 else answer_set(rng)
            answers["monthly_tokens"] = rng.randrange(1000)
            row(json.dumps(answers), n)
        kept = row.kept  # type: ignore[attr-defined]
        assert kept["known"].learned == 3
        assert [len(kept[k]) for k in ("shapes", "verdicts", "sums")] == [3, 3, 3]
        assert len(kept["scenarios"]) == (0 if kept["known"].folded else 3)


def unconditional(rs: RuleSet) -> RuleSet:
    """The rule set with every question always asked (the fast path needs that)."""
    return replace(rs, questions=tuple(replace(q, when=None) for q in rs.questions))


@pytest.mark.slow
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # profile: conftest
@given(st.data())
def test_random_rule_sets_give_the_same_bytes(data: st.DataObject) -> None:
    rs = unconditional(data.draw(rule_sets()))
    crs = compile_ruleset(rs)
    row = fast_rows(crs, JsonlWriter(io.StringIO(), crs, contributions=False, what_if=False),
                    None)
    assert (row is None) == (crs.verdict_key({}) is None)  # points that add up exactly
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    lines = []
    for _ in range(12):
        answers: dict[str, object] = {
            k: list(v) if isinstance(v, tuple) else v
            for k, v in data.draw(valid_answers(rs)).items()}
        lines.append(json.dumps(shuffled(rng, answers)) if rng.random() < 0.3 else
                     hostile(rng, answers) if rng.random() < 0.3 else json.dumps(answers))
    run_both(crs, ("\n".join(lines) + "\n").encode(), summary=True)


def test_the_default_sets_rule_on_two_questions_is_summed_with_the_rest(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """volume-high reads the monthly tokens and the performance needed: both are digits of
    the sum (the volume by region around 4,000), and no line needs the evaluator."""
    plan = joint_plan(CRS)
    assert plan is not None and plan.regions["monthly_tokens"][0] == (4000.0,)
    assert {q for q, _ in plan.digits} == {"performance"} and plan.radix == len(plan.table)
    assert [plan.number_digit("monthly_tokens", x) for x in (3999, 4000, 10**6)] == \
        [0, plan.number_digit("monthly_tokens", 4001), plan.number_digit("monthly_tokens", 4000)]
    assert plan.number_digit("monthly_tokens", 3999) != plan.number_digit("monthly_tokens", 4000)
    assert plan.number_digit("monthly_tokens", 2**53 + 1) is None
    known = fast_module._Known(CRS, json.dumps)
    assert known.additive and known.radix > 1
    rng = random.Random(15)
    lines = []
    for n in range(1500):
        answers = answer_set(rng)
        if n % 2:
            answers["monthly_tokens"] = rng.choice([3999, 4000, 4001, 2500, 10**6, 0])
        if n % 3 == 0:
            answers["performance"] = "cutting_edge"
        lines.append(json.dumps(shuffled(rng, answers)) if n % 5 else hostile(rng, answers))
    data = ("\n".join(lines) + "\n").encode()
    row, _ = fresh(CRS)  # (its tables are worked out before the spy below)
    run_both(CRS, data)
    fired = sum(1 for text in lines if '"cutting_edge"' in text and any(
        f'"monthly_tokens": {x}' in text for x in (4000, 4001, 1000000)))
    assert fired > 50
    run_both(CRS, data, summary=True)
    monkeypatch.setattr(CRS, "verdict_key", lambda answers: pytest.fail("evaluated per line"))
    taken = sum(row(text, 1) for text in lines)
    monkeypatch.undo()
    assert taken > 1000  # every line that takes the fast path is keyed without the evaluator


SIZE_TESTS = st.tuples(st.sampled_from(("eq", "lt", "lte", "gt", "gte")),
                       st.sampled_from((0, 2.5, 10, 10.5, 50, 99))).map(
    lambda t: conditions.Test("size", t[0], t[1]))
OTHER_TESTS = st.one_of(
    st.sampled_from(("c0", "c1", "c2")).map(lambda v: conditions.Test("pick", "eq", v)),
    st.booleans().map(lambda v: conditions.Test("flag", "eq", v)),
    st.sampled_from(("c0", "c2")).map(lambda v: conditions.Test("other", "eq", v)),
    st.booleans().map(lambda v: conditions.Test("size", "answered", v)))


@st.composite
def joint_rule_sets(draw: st.DrawFn) -> RuleSet:
    """A random rule set (every question asked) with one to three more rules, each on the
    number and one or two other questions (all, any, not): groups on several questions."""
    rs = unconditional(draw(rule_sets()))
    extra = []
    for n in range(draw(st.integers(1, 3))):
        items = (draw(SIZE_TESTS), *draw(st.lists(OTHER_TESTS, min_size=1, max_size=2)))
        when = draw(st.sampled_from((conditions.All, conditions.Any)))(items)
        extra.append(replace(rs.rules[n % len(rs.rules)], id=f"joint{n}",
                             when=conditions.Not(when) if draw(st.booleans()) else when))
    return replace(rs, rules=(*rs.rules, *extra))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_rule_sets_with_rules_on_several_questions_give_the_same_bytes(
        data: st.DataObject) -> None:
    """Random rule sets whose rules read several questions at once (choices, numbers by
    region, true/false): the digits of the groups give the same rows and summary."""
    rs = data.draw(joint_rule_sets())
    crs = compile_ruleset(rs)
    plan = joint_plan(crs)
    known = fast_module._Known(crs, json.dumps) if crs.verdict_key({}) is not None else None
    if known is not None:
        assert known.additive == (plan is not None)
        if any(len(r.when.questions()) > 1 for r in rs.rules if "size" in r.when.questions()):
            assert plan is None or "size" in plan.regions  # the number is read jointly
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    lines = []
    for _ in range(25):
        answers: dict[str, object] = {
            k: list(v) if isinstance(v, tuple) else v
            for k, v in data.draw(valid_answers(rs)).items()}
        if "size" in answers and rng.random() < 0.5:
            answers["size"] = rng.choice([0, 2, 3, 10, 11, 50, 99, 100])  # ints at the limits
        lines.append(json.dumps(shuffled(rng, answers)) if rng.random() < 0.5 else
                     hostile(rng, answers) if rng.random() < 0.2 else json.dumps(answers))
    run_both(crs, ("\n".join(lines) + "\n").encode(), summary=True)


def test_a_number_read_with_other_questions_is_a_digit_by_its_region() -> None:
    """The limits of a number are those its rules compare it with (not the other
    questions' values, not ``answered``); each region, and each limit, has its digit."""
    t = conditions.Test
    rule = DEFAULT.rules[0]

    def cuts(*tests: conditions.Test) -> tuple[float, ...] | None:
        rs = replace(DEFAULT, rules=(replace(rule, when=conditions.All(tests)),
                                     replace(rule, when=t("monthly_tokens", "gte", 7))))
        return region_cuts(rs, (0,), "monthly_tokens")

    volume = [t("monthly_tokens", op, n) for op, n in
              (("eq", 10), ("lt", 20), ("lte", 30), ("gt", 40.5), ("gte", 50))]
    assert cuts(*volume, t("performance", "eq", "cutting_edge"),
                t("monthly_tokens", "answered", True)) == (10.0, 20.0, 30.0, 40.5, 50.0)
    assert cuts(t("monthly_tokens", "answered", False), t("performance", "eq", "x")) == ()
    assert cuts(t("performance", "eq", "x"), volume[1]) == (20.0,)
    for bad in (t("monthly_tokens", "in", (1, 2)), t("monthly_tokens", "eq", "5"),
                t("monthly_tokens", "lt", math.inf), t("monthly_tokens", "gt", 2.0**60),
                t("monthly_tokens", "eq", True)):
        assert cuts(volume[0], bad) is None
    assert cuts(t("monthly_tokens", "gte", -(2**53)), t("monthly_tokens", "lte", 2**53)) == \
        (-(2.0**53), 2.0**53)
    plan = joint_plan(CRS)
    assert plan is not None
    plan.regions["q"] = ((10.0, 20.0), (0, 3, 6, 9, 12))
    assert [plan.number_digit("q", x) for x in (-5, 9, 10, 11, 19, 20, 21, 10**9)] == \
        [0, 0, 3, 6, 6, 9, 12, 12]
    assert plan.number_digit("q", 2**53) == plan.number_digit("q", -(2**53)) + 12 == 12
    assert plan.number_digit("q", 2**53 + 1) is None
    assert plan.number_digit("q", -(2**53) - 1) is None


def test_true_false_answers_and_the_limit_of_the_groups_digits(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A true/false question read with a choice is a digit per answer; past ``MAX_JOINT``
    combinations the evaluator keys the lines instead, with the same bytes."""
    t = conditions.Test
    rs = variant(pair_rule=True)
    both = conditions.All((t("gpu", "eq", True), t("budget", "eq", "minimal")))
    rs = replace(rs, rules=(*rs.rules, replace(rs.rules[0], id="gpu-minimal", when=both)))
    crs = compile_ruleset(rs)
    plan = joint_plan(crs)
    assert plan is not None and plan.digits[("gpu", True)] != plan.digits[("gpu", False)]
    rng = random.Random(8)
    lines = [json.dumps(shuffled(rng, {**answer_set(rng, rs), "gpu": n % 3 == 0}))
             for n in range(600)]
    data = ("\n".join(lines) + "\n").encode()
    run_both(crs, data, summary=True)
    volume = joint_plan(CRS)
    assert volume is not None and volume.radix == 6
    monkeypatch.setattr(joint_module, "MAX_JOINT", 12)  # volume 4 x performance 3
    assert joint_plan(CRS) is not None
    monkeypatch.setattr(joint_module, "MAX_JOINT", 11)
    assert joint_plan(CRS) is None and not fast_module._Known(CRS, json.dumps).additive
    run_both(CRS, ("\n".join(json.dumps(answer_set(random.Random(n))) for n in range(300))
                   + "\n").encode(), summary=True)


def test_a_number_compared_with_a_non_number_leaves_the_key_to_the_evaluator() -> None:
    t = conditions.Test
    odd = conditions.All((t("performance", "eq", "cutting_edge"),
                          t("monthly_tokens", "in", (100, 200)), t("monthly_tokens", "gt", 5)))
    rs = replace(DEFAULT, rules=(*DEFAULT.rules, replace(DEFAULT.rules[0], id="odd", when=odd)))
    assert region_cuts(rs, (len(rs.rules) - 1,), "monthly_tokens") is None
    crs = compile_ruleset(rs)
    assert joint_plan(crs) is None
    rng = random.Random(12)
    run_both(crs, ("\n".join(json.dumps(answer_set(rng)) for _ in range(300)) + "\n").encode())
