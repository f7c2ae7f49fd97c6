"""The adaptive quiz (quiz --adaptive, the default): the most telling question first, an
offer to stop once the rest cannot change the verdict, and a stop that never changes it."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmchoice.answers.validate import validate
from llmchoice.decide.compiled import compiled_for
from llmchoice.decide.engine import evaluate
from llmchoice.quiz.flow import Action, Decision, Nav, Step, run, saved_answers
from llmchoice.ruleset.conditions import Answer

from .quizkit import ScriptedAsker, default_rules

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


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PROFILES, EXTRAS, st.booleans())
def test_the_offered_stop_never_changes_the_verdict(profile: dict[str, Answer],
                                                    extras: dict[str, Answer],
                                                    stop: bool) -> None:
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
        assert offer.outcome == expected and offer.remaining == len(resolved.not_asked)
        assert set(asked).isdisjoint(resolved.not_asked)
        # the saved file replays to the same verdict, the questions not asked as not_asked
        text = saved_answers(RS, resolved.answers, json_format=True, unsure=resolved.unsure,
                             not_asked=resolved.not_asked)
        again = validate(RS, json.loads(text))
        assert again.not_asked == resolved.not_asked
        assert evaluate(RS, again.answers).recommendation == expected
    else:
        assert resolved.not_asked == ()
        assert len(asked) == len(RS.questions)


def test_an_essential_need_to_inspect_stops_after_one_question() -> None:
    asker = ScriptedAsker(["essential"])
    resolved = run(RS, asker, adaptive=True)
    assert asker.asked() == ["transparency"]
    assert asker.steps[0].why == ("Asked now: an answer to it can rule out Closed-source LLM "
                                  "and Hybrid of both.")
    assert asker.offers[0].remaining == 12 and asker.offers[0].outcome == "open"
    assert len(resolved.not_asked) == 12 and resolved.answers == {"transparency": "essential"}
    review = asker.reviews[0]
    assert sum(line.not_asked for line in review.lines) == 12


def test_back_from_the_offer_asks_the_last_question_again_and_anyway_asks_the_rest() -> None:
    first = [lambda s: s.question.values[0] if s.question.required else Nav.SKIP]
    asker = ScriptedAsker(["essential", "essential", *first * 12], stops=[Nav.BACK, False])
    resolved = run(RS, asker, adaptive=True)
    assert asker.asked()[:2] == ["transparency", "transparency"]
    assert asker.steps[1].current == "essential"  # preselected after Back
    assert len(asker.offers) == 2  # offered again; then "answer them anyway"
    assert asker.asked()[2:] == [q.id for q in RS.questions if q.id != "transparency"]
    assert resolved.not_asked == ()


def test_a_change_from_the_review_asks_that_question_first_and_again_what_it_needs() -> None:
    replies: list[object] = ["essential"]
    replies += ["preferred"]  # the change: now the rest matters
    replies += [lambda s: s.question.values[0] if s.question.required else Nav.SKIP] * 12
    asker = ScriptedAsker(replies, reviews=[Decision(Action.CHANGE, "transparency")])
    resolved = run(RS, asker, adaptive=True)
    assert asker.asked()[:2] == ["transparency", "transparency"]
    assert resolved.answers["transparency"] == "preferred"
    truth = dict(resolved.answers)
    assert evaluate(RS, resolved.answers).recommendation == \
        compiled_for(RS).verdict(truth).winner


def test_answers_from_a_file_count_and_the_offer_comes_before_any_question() -> None:
    asker = ScriptedAsker([])
    resolved = run(RS, asker, prefill={"transparency": "essential"}, adaptive=True)
    assert asker.asked() == [] and asker.offers[0].remaining == 12
    assert resolved.answers == {"transparency": "essential"}
    assert len(resolved.not_asked) == 12
