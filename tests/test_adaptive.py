"""The adaptive quiz (quiz --adaptive, the default): the most telling question first, an
offer to stop once the rest cannot change the verdict, and a stop that never changes it."""

from __future__ import annotations

import contextlib
import json
import random
from collections.abc import Mapping, Sequence
from itertools import product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmchoice.answers.validate import validate
from llmchoice.decide.compiled import compiled_for
from llmchoice.decide.engine import choose_path, evaluate, path_exclusions, score
from llmchoice.decide.explain import next_steps
from llmchoice.decide.rule import NoOutcomeLeft
from llmchoice.quiz.flow import Action, Decision, Nav, Step, effective, run, saved_answers
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import RuleSet

from .quizkit import ScriptedAsker, default_rules
from .test_reach import rich_values
from .test_reach_steps import step_rule_sets

RS = default_rules()
PROFILES = st.fixed_dictionaries({q.id: st.sampled_from(q.values) for q in RS.questions
                                  if q.required})
EXTRAS = st.fixed_dictionaries({}, optional={"data": st.sampled_from(RS.question("data").values),
                                             "monthly_tokens": st.sampled_from([5, 5000])})


def truthful(profile: dict[str, Answer]) -> ScriptedAsker:
    """Answers every question from ``profile``; "not sure" for those it does not hold."""
    def reply(step: Step) -> object:
        return profile.get(step.question.id, Nav.SKIP)
    return ScriptedAsker([reply] * 20)


def verdict(rs: RuleSet, answers: Mapping[str, Answer]) -> tuple[str, str | None]:
    """The engine's recommendation: the outcome and how to run it (its path), as
    :func:`llmchoice.decide.engine.evaluate` makes it (without the rest of a report)."""
    s = score(rs, answers)
    path = choose_path(rs, answers, s.winner, {e.outcome for e in path_exclusions(rs, s.fired)})
    return s.winner, (path.id if path is not None else None)


def advice(rs: RuleSet, answers: Mapping[str, Answer]) -> tuple[object, ...]:
    """The recommendation with the report's advice: outcome, path and the next steps.
    (The next steps read only the recommendation, its path and the answers, so the report
    is evaluated without its what-ifs and deciding facts: three quarters of the cost.)"""
    report = evaluate(rs, dict(answers), levers=(), facts=())
    return (*verdict(rs, answers), tuple(s.id for s in next_steps(rs, report)))


def completions(rs: RuleSet, answers: Mapping[str, Answer], open_: Sequence[str],
                rng: random.Random | None = None, n: int = 0,
                ) -> list[dict[str, Answer]]:
    """Every completion of ``open_`` over a richer set of values than the reach tries
    ("not sure" included), or, with ``rng``, ``n`` random ones."""
    spaces = [[*rich_values(rs.question(q)), None] for q in open_]
    combos = product(*spaces) if rng is None else (
        [rng.choice(s) for s in spaces] for _ in range(n))
    out = []
    for combo in combos:
        full = {**answers, **{q: v for q, v in zip(open_, combo, strict=True) if v is not None}}
        out.append(effective(rs, full))
    return out


@pytest.mark.slow
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # profile: conftest
@given(PROFILES, EXTRAS, st.booleans(), st.randoms(use_true_random=False))
def test_the_offered_stop_never_changes_the_outcome_or_the_path(
        profile: dict[str, Answer], extras: dict[str, Answer], stop: bool,
        rng: random.Random) -> None:
    truth = {**profile, **extras}
    asker = truthful(truth)
    asker.stops_left = [stop]
    resolved = run(RS, asker, adaptive=True)
    expected = compiled_for(RS).verdict(truth).winner
    assert evaluate(RS, resolved.answers).recommendation == expected
    asked = asker.asked()
    assert len(set(asked)) == len(asked)
    if asker.offers and stop:
        offer = asker.offers[0]
        now = verdict(RS, resolved.answers)
        assert (offer.outcome, offer.path) == now and offer.remaining == len(resolved.not_asked)
        assert set(asked).isdisjoint(resolved.not_asked)
        # the stop is right: answers to the questions not asked change neither the outcome,
        # the way to run it nor the advice (random completions; test_reach_paths and
        # test_reach_steps are the exhaustive ones)
        steps = advice(RS, resolved.answers)
        for full in completions(RS, resolved.answers, resolved.not_asked, rng, 150):
            assert advice(RS, full) == steps, full
        # the saved file replays to the same verdict, the questions not asked as not_asked
        text = saved_answers(RS, resolved.answers, json_format=True, unsure=resolved.unsure,
                             not_asked=resolved.not_asked)
        again = validate(RS, json.loads(text))
        assert again.not_asked == resolved.not_asked
        assert verdict(RS, again.answers) == now
    else:
        assert resolved.not_asked == ()
        assert len(asked) == len(RS.questions)


@pytest.mark.slow
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # profile: conftest
@given(st.data())
def test_on_random_rule_sets_with_paths_the_stop_holds_for_every_completion(
        data: st.DataObject) -> None:
    """Random small rule sets with paths, path rules, path exclusions and next steps:
    whenever the stop is offered, every completion of the questions not asked (brute
    force) gives the offered outcome and path, and the same next steps."""
    rs = data.draw(step_rule_sets())
    truth = {q.id: data.draw(st.sampled_from([*rich_values(q), None])) for q in rs.questions}
    asker = truthful({q: v for q, v in truth.items() if v is not None})
    resolved = run(rs, asker, adaptive=True)
    if not asker.offers:
        assert resolved.not_asked == ()
        return
    offer = asker.offers[0]
    assert resolved.not_asked and offer.remaining == len(resolved.not_asked)
    seen = set()
    for full in completions(rs, resolved.answers, resolved.not_asked):
        with contextlib.suppress(NoOutcomeLeft):
            seen.add(advice(rs, full))
    assert len(seen) <= 1, seen  # the outcome, the path and the next steps all settled
    assert all(got[:2] == (offer.outcome, offer.path) for got in seen)


# a bank: the questions its advice reads, answered as it would
BANK = {"transparency": "essential", "data": "on_premises", "expertise": "none",
        "budget": "moderate", "customization": "moderate", "performance": "good_enough",
        "control": "moderate", "time_to_market": "normal"}


def test_an_essential_need_to_inspect_settles_the_outcome_then_how_to_run_it_then_advice(
        ) -> None:
    """A bank (transparency essential, data on premises) is settled on open source,
    self-hosted, after two questions, but not the report's advice: whether to hire ML
    staff first depends on its in-house expertise, so the quiz asks that before any stop."""
    asker = truthful(BANK)
    resolved = run(RS, asker, adaptive=True)
    asked = asker.asked()
    # customization decides a Skill Up step too (fine-tune it, or run it as it is)
    assert asked[:4] == ["transparency", "data", "customization", "expertise"]
    assert asker.steps[0].why == ("Asked now: an answer to it can rule out Closed-source LLM "
                                  "and Hybrid of both.")
    assert asker.steps[1].why == ("Asked now: it decides how to run Open-source LLM: "
                                  "self-hosted, through a hosted API or in a private "
                                  "endpoint.")
    assert asker.steps[2].why == ("Asked now: it decides the report's advice: next steps "
                                  "under Skill Up.")
    assert asker.steps[3].why == ("Asked now: it decides the report's advice: next steps "
                                  "under Skill Up and Adapt to Change.")
    assert set(asked) == set(BANK)  # each question the advice reads, no other
    offer = asker.offers[0]
    assert offer.remaining == 13 - len(asked) and offer.outcome == "open"
    assert offer.path == "open.self-hosted"
    assert offer.label == "Open-source LLM — Open weights, self-hosted"
    assert resolved.answers == BANK and len(resolved.not_asked) == offer.remaining
    steps = advice(RS, resolved.answers)[2]
    assert "get-the-skill-first" in steps  # "First get the skill: ... Hire one engineer"
    review = asker.reviews[0]
    assert sum(line.not_asked for line in review.lines) == offer.remaining


def test_the_outcome_alone_settled_is_no_stop_a_bank_is_asked_until_the_path_is() -> None:
    """Transparency essential leaves only open source, but not how to run it: regulated
    data and in-house expertise decide between a private endpoint and self-hosting."""
    bank = {"transparency": "essential", "data": "regulated", "expertise": "none"}
    asker = truthful(bank)
    resolved = run(RS, asker, adaptive=True)
    assert asker.asked()[:2] == ["transparency", "data"]
    assert "self-hosted or in a private endpoint" in asker.steps[2].why
    assert asker.offers and asker.offers[0].path == "open.private-endpoint"
    assert verdict(RS, resolved.answers) == ("open", "open.private-endpoint")
    # not sure where the data may go: no stop until nothing can change the path
    unsure = truthful({"transparency": "essential"})
    run(RS, unsure, adaptive=True)
    assert unsure.asked()[:2] == ["transparency", "data"] and len(unsure.asked()) > 2


def test_back_from_the_offer_asks_the_last_question_again_and_anyway_asks_the_rest() -> None:
    first = [lambda s: s.question.values[0] if s.question.required else Nav.SKIP]
    known = {q: v for q, v in BANK.items() if q != "data"}
    asker = ScriptedAsker(["on_premises", "on_premises", *first * 6],
                          stops=[Nav.BACK, False])
    resolved = run(RS, asker, prefill=known, adaptive=True)
    assert asker.asked()[:2] == ["data", "data"]
    assert asker.steps[1].current == "on_premises"  # preselected after Back
    assert len(asker.offers) == 2  # offered again; then "answer them anyway"
    assert asker.asked()[2:] == [q.id for q in RS.questions if q.id not in BANK]
    assert resolved.not_asked == ()


def test_a_change_from_the_review_asks_that_question_first_and_again_what_it_needs() -> None:
    bank = [lambda s: BANK[s.question.id]] * 6
    replies: list[object] = ["essential", "on_premises", *bank]
    replies += ["unrestricted"]  # the change: now how to run it is open again
    replies += [lambda s: s.question.values[0] if s.question.required else Nav.SKIP] * 11
    asker = ScriptedAsker(replies, reviews=[Decision(Action.CHANGE, "data")])
    resolved = run(RS, asker, adaptive=True)
    assert asker.asked()[:4] == ["transparency", "data", "customization", "expertise"]
    assert asker.asked()[8] == "data"  # the change first, then whatever it reopened
    assert resolved.answers["data"] == "unrestricted"
    now = advice(RS, resolved.answers)
    for full in completions(RS, resolved.answers, resolved.not_asked, random.Random(5), 300):
        assert advice(RS, full) == now


def test_answers_from_a_file_count_and_the_offer_comes_before_any_question() -> None:
    asker = ScriptedAsker([])
    resolved = run(RS, asker, prefill=BANK, adaptive=True)
    assert asker.asked() == [] and asker.offers[0].remaining == 13 - len(BANK)
    assert resolved.answers == BANK
    assert len(resolved.not_asked) == 13 - len(BANK)


# a moderate budget: a minimal one leaves a two-stack hybrid no case (budget-one-stack), and
# the quiz then says so when it asks the budget (see the test after this one)
STARTUP = {"budget": "moderate", "transparency": "preferred", "customization": "moderate",
           "support": "community", "expertise": "some", "performance": "good_enough",
           "quality": "standard", "lock_in": "tolerate", "domain": "general",
           "control": "moderate", "time_to_market": "urgent"}


@pytest.mark.parametrize("profile", [STARTUP, BANK])
def test_the_reasons_say_rule_out_only_for_a_hard_exclusion_and_always_say_something(
        profile: dict[str, Answer]) -> None:
    """Preferences (support, volume, domain...) only move points: their line says what
    they weigh or that an answer can put an outcome out of reach, never that it rules one
    out; and no line is the empty "it can still change the recommendation"."""
    asker = truthful(profile)
    run(RS, asker, adaptive=True)
    labels = {RS.outcome(o).label: o for o in RS.outcome_ids}
    for step in asker.steps:
        qid, line = step.question.id, step.why
        assert line and "can still change the recommendation" not in line, (qid, line)
        if "rule out " in line:
            named = line.split("rule out ")[1].split(" and put")[0].rstrip(".")
            for label, o in labels.items():
                if label in named:
                    assert any(o in r.exclude and qid in r.when.questions()
                               for r in RS.rules), (qid, line)
    whys = {s.question.id: s.why for s in asker.steps}
    if profile is STARTUP:
        assert whys["support"] == ("Asked now: it weighs Open-source LLM against "
                                   "Closed-source LLM; all three are still possible.")
        assert whys["expertise"] == "Asked now: an answer to it can rule out Hybrid of both."
        assert whys["domain"] == ("Asked now: an answer to it can put Closed-source LLM out "
                                  "of reach.")


def test_on_a_minimal_budget_the_quiz_says_hybrid_goes_out_of_reach() -> None:
    asker = truthful({**STARTUP, "budget": "minimal"})
    run(RS, asker, adaptive=True)
    whys = {s.question.id: s.why for s in asker.steps}
    assert whys["budget"] == "Asked now: an answer to it can put Hybrid of both out of reach."
    assert whys["support"] == ("Asked now: it weighs Open-source LLM against "
                               "Closed-source LLM; both are still possible.")
