"""The compiled rule set gives exactly the engine's result (a property, with hypothesis).

Checked on the default rule set and on random rule sets made for the purpose:
questions of every type (one asked only when an earlier answer says so),
conditions nested with any/all/not, every operator, number limits, exclusions
(sometimes of every outcome), points that add up exactly and points that do
not (0.1 + 0.2), and the mixed-needs bonus.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmchoice.answers.validate import validate
from llmchoice.decide import engine, values
from llmchoice.decide.compiled import compile_ruleset
from llmchoice.decide.compiled import score as compiled_score
from llmchoice.io import yamlio
from llmchoice.io.errors import AnswersError
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.load import build, load_ruleset
from llmchoice.ruleset.model import RuleSet

DEFAULT = load_ruleset()
COMPILED_DEFAULT = compile_ruleset(DEFAULT)


def outcome(fn: Callable[[], object]) -> tuple[str, object]:
    """A call's result, or the kind of exception it raised."""
    try:
        return "ok", fn()
    except Exception as exc:  # noqa: BLE001 - compared, not hidden
        return "raised", type(exc).__name__ if not isinstance(exc, engine.NoOutcomeLeft) \
            else exc.message


def valid_answers(rs: RuleSet) -> st.SearchStrategy[dict[str, Answer]]:
    """Answers as validation leaves them: each question's own values, in question order,
    optional ones sometimes left out, a question only when it applies."""

    @st.composite
    def build_answers(draw: st.DrawFn) -> dict[str, Answer]:
        out: dict[str, Answer] = {}
        for q in rs.questions:
            if q.when is not None and q.when.evaluate(out) is not True:
                continue
            if not q.required and draw(st.booleans()):
                continue
            if q.type == "choice":
                out[q.id] = draw(st.sampled_from(q.values))
            elif q.type == "confirm":
                out[q.id] = draw(st.booleans())
            elif q.type == "multi":
                chosen = draw(st.sets(st.sampled_from(q.values)))
                out[q.id] = tuple(v for v in q.values if v in chosen)
            else:
                lo = q.minimum if q.minimum is not None else -1e6
                hi = q.maximum if q.maximum is not None else 1e6
                limits = sorted(values.thresholds(rs, q.id)) or [lo]
                number = draw(st.one_of(
                    st.sampled_from(limits),
                    st.integers(int(math.ceil(lo)), int(math.floor(hi))),
                    st.floats(lo, hi, allow_nan=False, allow_infinity=False)))
                if lo <= number <= hi:
                    out[q.id] = number
        return out

    return build_answers()


def assert_same(rs: RuleSet, answers: dict[str, Answer]) -> None:
    compiled = compile_ruleset(rs) if rs is not DEFAULT else COMPILED_DEFAULT
    expected = outcome(lambda: engine.score(rs, answers))
    got = outcome(lambda: compiled.score(answers))
    assert got == expected
    verdict = outcome(lambda: compiled.verdict(answers))
    valid = outcome(lambda: compiled.verdict_of_valid(answers))
    if expected[0] == "ok":
        s = expected[1]
        assert isinstance(s, engine.Scored)
        fields = (s.scores, s.excluded, s.winner, s.margin, s.confidence)
        assert verdict == ("ok", fields)
        assert valid == ("ok", fields)
        key = compiled.verdict_key(answers)
        if key is not None:
            assert tuple(compiled.verdict_of_key(key)) == fields
        assert compiled.what_if(answers, s.winner) == engine.what_if(
            rs, answers, s.winner, levers=engine.preference_questions(rs))
    else:
        assert verdict == expected
        assert valid == expected


# ------------------------------------------------------------------------- the default set


@settings(max_examples=300, deadline=None)
@given(valid_answers(DEFAULT))
def test_default_rule_set_scores_exactly_as_the_engine(answers: dict[str, Answer]) -> None:
    assert_same(DEFAULT, answers)


@settings(max_examples=200, deadline=None)
@given(valid_answers(DEFAULT))
def test_default_rule_set_validates_exactly_as_the_validator(answers: dict[str, Answer]) -> None:
    plain: dict[str, object] = {k: list(v) if isinstance(v, tuple) else v
                                for k, v in reversed(answers.items())}  # any key order
    assert COMPILED_DEFAULT.validate(plain) == validate(DEFAULT, plain)
    assert COMPILED_DEFAULT.answers(plain) == validate(DEFAULT, plain).answers


JUNK = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30),
                 st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
                 st.lists(st.text(max_size=4), max_size=3), st.sampled_from(
                     [v for q in DEFAULT.questions for v in q.values]))


@pytest.mark.slow
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # profile: conftest
@given(st.data())
def test_anything_validates_as_the_validator_says(data: st.DataObject) -> None:
    given_: dict[str, object] = data.draw(valid_answers(DEFAULT))  # type: ignore[assignment]
    given_ = dict(given_)
    for key in data.draw(st.lists(st.sampled_from(
            [q.id for q in DEFAULT.questions] + ["$schema", "colour"]), max_size=4)):
        given_[key] = data.draw(JUNK)
    expected = outcome(lambda: validate(DEFAULT, given_))
    if expected[0] == "raised":  # the same problems, word for word
        try:
            validate(DEFAULT, given_)
        except AnswersError as exc:
            expected = ("raised", exc.render())
    got = outcome(lambda: COMPILED_DEFAULT.validate(given_))
    if got[0] == "raised":
        try:
            COMPILED_DEFAULT.validate(given_)
        except AnswersError as exc:
            got = ("raised", exc.render())
    assert got == expected


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([q.id for q in DEFAULT.questions]), JUNK))
def test_unvalidated_answers_still_score_as_the_engine(answers: dict[str, Any]) -> None:
    expected = outcome(lambda: engine.score(DEFAULT, answers))
    assert outcome(lambda: COMPILED_DEFAULT.score(answers)) == expected
    verdict = outcome(lambda: COMPILED_DEFAULT.verdict(answers))
    if expected[0] == "ok":
        s = expected[1]
        assert isinstance(s, engine.Scored)
        assert verdict == ("ok", (s.scores, s.excluded, s.winner, s.margin, s.confidence))
    else:
        assert verdict[0] == "raised"


# ------------------------------------------------------------------------- random rule sets

OUTCOMES = ("alpha", "beta", "gamma")
CHOICES = ("c0", "c1", "c2")
MULTI = ("m0", "m1", "m2", "m3")
LIMITS = (0, 2.5, 10, 10.5, 50, 99)


def condition(depth: int) -> st.SearchStrategy[dict[str, object]]:
    leaf = st.one_of(
        st.sampled_from(CHOICES).map(lambda v: {"pick": v}),
        st.tuples(st.sampled_from(("in", "not_in")),
                  st.lists(st.sampled_from(CHOICES), min_size=1, max_size=3, unique=True)
                  ).map(lambda t: {"pick": {t[0]: t[1]}}),
        st.sampled_from(CHOICES).map(lambda v: {"later": v}),
        st.lists(st.sampled_from(MULTI), max_size=3, unique=True).map(lambda v: {"tags": v}),
        st.tuples(st.sampled_from(("contains_any", "contains_all")),
                  st.lists(st.sampled_from(MULTI), min_size=1, max_size=3, unique=True)
                  ).map(lambda t: {"tags": {t[0]: t[1]}}),
        st.tuples(st.sampled_from(("eq", "lt", "lte", "gt", "gte")), st.sampled_from(LIMITS)
                  ).map(lambda t: {"size": {t[0]: t[1]}}),
        st.booleans().map(lambda v: {"flag": v}),
        st.tuples(st.sampled_from(("pick", "tags", "size", "flag", "later", "other")),
                  st.booleans()).map(lambda t: {t[0]: {"answered": t[1]}}),
        st.sampled_from(CHOICES).map(lambda v: {"other": v}),
    )
    if depth == 0:
        return leaf
    inner = condition(depth - 1)
    return st.one_of(
        leaf,
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: {"all": xs}),
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: {"any": xs}),
        inner.map(lambda c: {"not": c}),
        st.tuples(leaf, leaf).map(lambda t: {**t[0], **t[1]}),  # two questions at once
    )


def random_doc_head() -> dict[str, object]:
    """The random rule sets' fixed part: id, outcomes, one trade-off and six questions (a
    choice, a multi, a number, a confirm, a conditional choice and another choice)."""
    return {
        "ruleset": {"id": "random", "version": "1", "title": "Random", "source": "test"},
        "outcomes": {o: {"label": o.title(), "summary": o} for o in OUTCOMES},
        "tradeoffs": {"t.one": {"side": "both", "kind": "consideration", "title": "One",
                                "text": "One."}},
        "questions": [
            {"id": "pick", "prompt": "Pick?", "type": "choice",
             "choices": [{"value": v, "label": v} for v in CHOICES]},
            {"id": "tags", "prompt": "Tags?", "type": "multi", "required": False,
             "choices": [{"value": v, "label": v} for v in MULTI]},
            {"id": "size", "prompt": "Size?", "type": "number", "required": False,
             "min": 0, "max": 100},
            {"id": "flag", "prompt": "Flag?", "type": "confirm", "required": False},
            {"id": "later", "prompt": "Later?", "type": "choice", "required": False,
             "when": {"pick": {"in": ["c0", "c1"]}},
             "choices": [{"value": v, "label": v} for v in CHOICES]},
            {"id": "other", "prompt": "Other?", "type": "choice", "required": False,
             "choices": [{"value": v, "label": v} for v in CHOICES]},
        ],
    }


@st.composite
def rule_sets(draw: st.DrawFn) -> RuleSet:
    inexact = draw(st.booleans())
    point_values = [0, 1, 2, 3, -1, 0.5, 1.25] + ([0.1, 0.2, 0.7, 1.3] if inexact else [])
    rules = []
    for n in range(draw(st.integers(1, 10))):
        rule: dict[str, object] = {"id": f"r{n}", "when": draw(condition(2)),
                                   "because": "Because.", "cites": ["t.one"]}
        points = draw(st.dictionaries(st.sampled_from(OUTCOMES), st.sampled_from(point_values),
                                      max_size=3))
        exclude = draw(st.lists(st.sampled_from(OUTCOMES), max_size=2, unique=True)) \
            if draw(st.integers(0, 5)) == 0 else []
        if points or not exclude:
            rule["points"] = points or {"alpha": 1}
        if exclude:
            rule["exclude"] = exclude
        rules.append(rule)
    decision: dict[str, object] = {"tie_break": draw(st.permutations(OUTCOMES))}
    if draw(st.booleans()):
        weights = (0, 0.3, 0.5, 0.75, 1, 1 / 3, 0.1234567)
        decision["mixed"] = {"outcome": "gamma", "between": ["alpha", "beta"],
                             "weight": draw(st.sampled_from(weights)),
                             "min_points": draw(st.sampled_from((0, 1, 2.5, 4))),
                             "because": "Both.", "cites": ["t.one"]}
    doc = {**random_doc_head(), "rules": rules, "decision": decision}
    text = yaml.safe_dump(doc, sort_keys=False)
    return build(yamlio.parse(text, "random.yaml"), sha256="0" * 64)


@pytest.mark.slow
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # profile: conftest
@given(st.data())
def test_random_rule_sets_score_exactly_as_the_engine(data: st.DataObject) -> None:
    rs = data.draw(rule_sets())
    compiled = compile_ruleset(rs)
    for _ in range(5):
        answers = data.draw(valid_answers(rs))
        expected = outcome(lambda a=answers: engine.score(rs, a))  # type: ignore[misc]
        assert outcome(lambda a=answers: compiled.score(a)) == expected  # type: ignore[misc]
        assert outcome(lambda a=answers: compiled_score(rs, a)) == expected  # type: ignore[misc]
        if expected[0] == "ok":
            s = expected[1]
            assert isinstance(s, engine.Scored)
            fields = (s.scores, s.excluded, s.winner, s.margin, s.confidence)
            assert tuple(compiled.verdict(answers)) == fields
            assert tuple(compiled.verdict_of_valid(answers)) == fields
            assert compiled.what_if(answers, s.winner) == engine.what_if(
            rs, answers, s.winner, levers=engine.preference_questions(rs))
            scenario = compiled.scenario(answers, s.winner)
            assert scenario == engine.pick_scenario(rs, answers, s.winner)
        else:
            assert outcome(lambda a=answers: compiled.verdict(a)) == expected  # type: ignore[misc]
        plain = {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}
        assert compiled.validate(plain) == validate(rs, plain)
        text = {k: ",".join(v) if isinstance(v, tuple) else json.dumps(v) if
                isinstance(v, bool) else str(v) for k, v in answers.items()}
        assert outcome(lambda t=text: compiled.validate({}, sets=t)) == \
            outcome(lambda t=text: validate(rs, {}, sets=t))  # type: ignore[misc]


def test_the_default_rule_set_is_compiled_to_tables() -> None:
    """What makes it fast: every rule but the one on a number is in a table, and the
    sums are exact (whole points), so they are packed and added at once. The rule on the
    number (volume-high) also reads performance, as its premise is the frontier price,
    so it is a general block (one condition of two leaves per row, memoised)."""
    blocks = COMPILED_DEFAULT._blocks
    kinds = [b.kind for b in blocks]
    assert kinds.count("general") == 1
    assert kinds.count("number") == 0
    assert sum(len(b.rules) for b in blocks if b.kind == "table") == len(DEFAULT.rules) - 1
    assert COMPILED_DEFAULT._packing is not None


def test_the_engines_bonus_and_ties_are_kept() -> None:
    """Hand-picked cases: a tie broken by the tie-break order, the mixed bonus, and an
    exclusion that leaves one outcome."""
    tie = {"budget": "moderate", "transparency": "unimportant", "customization": "none",
           "support": "community", "expertise": "some", "performance": "good_enough",
           "quality": "standard", "lock_in": "tolerate", "domain": "general",
           "control": "moderate", "time_to_market": "normal"}
    for answers in (tie, {**tie, "data": "on_premises"}, {**tie, "support": "dedicated",
                                                         "customization": "deep",
                                                         "quality": "strict"}):
        assert_same(DEFAULT, answers)  # type: ignore[arg-type]
