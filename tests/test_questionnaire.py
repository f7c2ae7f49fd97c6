"""The quiz's flow, driven by a scripted asker: no terminal involved."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmchoice.answers.validate import read_answers, validate
from llmchoice.decide.engine import evaluate
from llmchoice.io.errors import UsageError
from llmchoice.quiz.flow import (
    Action,
    Decision,
    Nav,
    check_ids,
    dependents,
    effective,
    run,
    saved_answers,
)

from .quizkit import DEFAULT_ANSWERS, ScriptedAsker, default_rules, quiz_rules

RS = default_rules()
QRS = quiz_rules()


def test_asks_every_question_in_order_with_progress_and_returns_validated_answers() -> None:
    asker = ScriptedAsker([*DEFAULT_ANSWERS.values(), Nav.SKIP, "250"])
    resolved = run(RS, asker)
    assert asker.asked() == [q.id for q in RS.questions]
    assert asker.progress() == [f"{n}/13" for n in range(1, 14)]
    # "250" arrived as text and was coerced to the number question's type; data was skipped.
    assert resolved.answers == {**DEFAULT_ANSWERS, "monthly_tokens": 250}
    assert len(asker.reviews) == 1


def test_first_step_preselects_the_default_and_cannot_go_back() -> None:
    asker = ScriptedAsker([*DEFAULT_ANSWERS.values(), Nav.SKIP, Nav.SKIP])
    run(RS, asker)
    first = asker.steps[0]
    assert (first.question.id, first.current, first.can_go_back) == ("budget", "moderate", False)
    assert all(s.can_go_back for s in asker.steps[1:])
    # optional questions without a default preselect nothing
    assert asker.steps[11].question.id == "data" and asker.steps[11].current is None


def test_back_returns_to_the_previous_question_with_its_answer_preselected() -> None:
    script = ["large", "unimportant", Nav.BACK, Nav.BACK,
              # budget again: still "large" preselected; keep it by replying what was shown
              lambda step: step.current,
              # transparency again, shown as answered; change it
              "essential",
              *list(DEFAULT_ANSWERS.values())[2:], Nav.SKIP, Nav.SKIP]
    asker = ScriptedAsker(script)
    resolved = run(RS, asker)
    assert asker.asked()[:6] == ["budget", "transparency", "customization", "transparency",
                                 "budget", "transparency"]
    assert asker.progress()[:6] == ["1/13", "2/13", "3/13", "2/13", "1/13", "2/13"]
    assert asker.steps[3].current == "unimportant"
    assert asker.steps[4].current == "large"
    assert asker.steps[4].can_go_back is False
    assert resolved.answers["budget"] == "large"
    assert resolved.answers["transparency"] == "essential"


def test_back_on_the_first_question_is_refused_with_a_reason() -> None:
    asker = ScriptedAsker([Nav.BACK, *DEFAULT_ANSWERS.values(), Nav.SKIP, Nav.SKIP])
    run(RS, asker)
    assert asker.asked()[:2] == ["budget", "budget"]
    assert "first question" in asker.steps[1].error


def test_a_value_coerce_refuses_is_asked_again_with_the_problem_and_the_text_kept() -> None:
    script = ["cheap", *DEFAULT_ANSWERS.values(), Nav.SKIP, "lots", "-3", "1_000"]
    asker = ScriptedAsker(script)
    resolved = run(RS, asker)
    budget_retry = asker.steps[1]
    assert budget_retry.question.id == "budget"
    assert "'cheap' is not allowed" in budget_retry.error
    assert "minimal, moderate, large" in budget_retry.error
    tokens = [s for s in asker.steps if s.question.id == "monthly_tokens"]
    assert [s.typed for s in tokens] == ["", "lots", "-3"]
    assert "found the text 'lots'" in tokens[1].error
    assert "out of range" in tokens[2].error
    assert resolved.answers["monthly_tokens"] == 1000


def test_a_required_question_can_be_answered_not_sure() -> None:
    # "Not sure" on the required budget: asked once, answered unsure, left out of the
    # answers; the optional questions answered "not sure" are unsure too.
    asker = ScriptedAsker([Nav.SKIP, *list(DEFAULT_ANSWERS.values())[1:], Nav.SKIP, Nav.SKIP])
    resolved = run(RS, asker)
    assert asker.asked().count("budget") == 1
    assert asker.steps[0].error == ""
    assert resolved.unsure == ("budget", "data", "monthly_tokens")
    assert "budget" not in resolved.answers
    assert [(line.question.id, line.value) for line in asker.reviews[0].lines][:2] == [
        ("budget", None), ("transparency", "essential")]
    saved = yaml.safe_load(saved_answers(RS, resolved.answers, json_format=False,
                                         unsure=resolved.unsure))
    assert saved.pop("rule_set") == {"id": RS.meta.id, "version": RS.meta.version}
    assert saved == {"budget": "unsure", **{k: v for k, v in DEFAULT_ANSWERS.items()
                                            if k != "budget"},
                     "data": "unsure", "monthly_tokens": "unsure"}
    assert list(saved)[0] == "budget"  # in question order, after the rule set it is for
    # the saved file replays: the same answers, the same unsure questions
    assert validate(RS, saved) == resolved


def test_when_conditions_add_questions_as_answers_arrive() -> None:
    asker = ScriptedAsker([True, "4", "big", ["code", "chat"], "low"])
    resolved = run(QRS, asker)
    assert asker.asked() == ["hosting", "gpus", "gpu_kind", "needs", "budget"]
    # At first only hosting, needs and budget apply; each answer reveals one more.
    assert asker.progress() == ["1/3", "2/4", "3/5", "4/5", "5/5"]
    assert resolved.answers == {"hosting": True, "gpus": 4, "gpu_kind": "big",
                                "needs": ("chat", "code"), "budget": "low"}


def test_going_back_and_changing_an_answer_drops_the_questions_that_no_longer_apply() -> None:
    asker = ScriptedAsker([True, "4", Nav.BACK, Nav.BACK, False, [], "high"])
    resolved = run(QRS, asker)
    assert asker.asked() == ["hosting", "gpus", "gpu_kind", "gpus", "hosting", "needs",
                             "budget"]
    assert resolved.answers == {"hosting": False, "needs": (), "budget": "high"}
    assert [line.question.id for line in asker.reviews[0].lines] == ["hosting", "needs",
                                                                     "budget"]


def test_change_an_answer_reasks_it_and_everything_depending_on_it() -> None:
    asker = ScriptedAsker(
        [True, "4", "big", Nav.SKIP, "low",
         # change hosting to no: gpus and gpu_kind stop applying, nothing else is asked
         False,
         # change hosting back to yes: gpus and gpu_kind come back with their old answers
         True, lambda step: step.current, lambda step: step.current],
        reviews=[Decision(Action.CHANGE, "hosting"), Decision(Action.CHANGE, "hosting")])
    resolved = run(QRS, asker)
    assert asker.asked() == ["hosting", "gpus", "gpu_kind", "needs", "budget",
                             "hosting", "hosting", "gpus", "gpu_kind"]
    assert [line.question.id for line in asker.reviews[1].lines] == ["hosting", "needs",
                                                                     "budget"]
    # preselected: the earlier answers, although they stopped applying for a while
    assert asker.steps[7].current == 4 and asker.steps[8].current == "big"
    assert resolved.answers == {"hosting": True, "gpus": 4, "gpu_kind": "big", "budget": "low"}
    # "not sure" is shown in the review as no value
    needs = [line for line in asker.reviews[0].lines if line.question.id == "needs"]
    assert needs[0].value is None


def test_change_a_question_without_dependents_asks_only_it() -> None:
    asker = ScriptedAsker([*DEFAULT_ANSWERS.values(), Nav.SKIP, Nav.SKIP, "large"],
                          reviews=[Decision(Action.CHANGE, "budget")])
    resolved = run(RS, asker)
    assert asker.asked()[13:] == ["budget"]
    assert asker.steps[13].current == "minimal"
    assert resolved.answers["budget"] == "large"


def test_back_from_the_first_question_of_a_change_returns_to_the_review_unchanged() -> None:
    asker = ScriptedAsker([*DEFAULT_ANSWERS.values(), Nav.SKIP, Nav.SKIP, Nav.BACK],
                          reviews=[Decision(Action.CHANGE, "quality")])
    resolved = run(RS, asker)
    assert asker.steps[13].can_go_back is True
    assert len(asker.reviews) == 2
    assert resolved.answers == DEFAULT_ANSWERS


def test_backing_out_of_a_change_cancels_it() -> None:
    # gpus 0 -> 3 makes gpu_kind apply; backing out to the review must not leave it
    # unanswered: the change is cancelled.
    asker = ScriptedAsker([True, "0", Nav.SKIP, "low", "3", Nav.BACK, Nav.BACK],
                          reviews=[Decision(Action.CHANGE, "gpus")])
    resolved = run(QRS, asker)
    assert asker.asked() == ["hosting", "gpus", "needs", "budget", "gpus", "gpu_kind", "gpus"]
    assert asker.steps[6].current == 3  # Back showed the changed answer...
    assert resolved.answers == {"hosting": True, "gpus": 0, "budget": "low"}  # ...then undid it


def test_start_over_forgets_the_answers_given() -> None:
    asker = ScriptedAsker([True, "4", "big", Nav.SKIP, "low",
                           False, ["chat"], "high"],
                          reviews=[Decision(Action.START_OVER)])
    resolved = run(QRS, asker)
    assert asker.asked()[5:] == ["hosting", "needs", "budget"]
    assert asker.steps[5].current is False  # the question's default, not the earlier answer
    assert resolved.answers == {"hosting": False, "needs": ("chat",), "budget": "high"}


def test_prefill_asks_only_the_open_questions_and_ask_reasks_given_ones() -> None:
    prefill = {k: v for k, v in DEFAULT_ANSWERS.items() if k != "quality"}
    asker = ScriptedAsker(["large", "strict", Nav.SKIP, Nav.SKIP])
    resolved = run(RS, asker, prefill=prefill, reask=["budget"])
    assert asker.asked() == ["budget", "quality", "data", "monthly_tokens"]
    assert asker.progress() == ["1/4", "2/4", "3/4", "4/4"]
    assert asker.steps[0].current == "minimal"  # the file's answer is preselected
    assert resolved.answers == {**DEFAULT_ANSWERS, "budget": "large", "quality": "strict"}


def test_prefill_with_every_answer_goes_straight_to_the_review() -> None:
    prefill = {**DEFAULT_ANSWERS, "data": "regulated", "monthly_tokens": 5}
    asker = ScriptedAsker([])
    resolved = run(RS, asker, prefill=prefill)
    assert asker.asked() == []
    assert len(asker.reviews) == 1
    assert resolved.answers == prefill


def test_start_over_with_a_prefill_keeps_the_files_answers() -> None:
    prefill = {k: v for k, v in DEFAULT_ANSWERS.items() if k != "budget"}
    asker = ScriptedAsker(["large", Nav.SKIP, Nav.SKIP, "minimal", Nav.SKIP, Nav.SKIP],
                          reviews=[Decision(Action.START_OVER)])
    resolved = run(RS, asker, prefill=prefill)
    assert asker.asked() == ["budget", "data", "monthly_tokens"] * 2
    assert asker.steps[3].current == "moderate"  # forgotten: the default again
    assert resolved.answers == DEFAULT_ANSWERS


def test_ask_with_an_unknown_id_is_a_usage_error_with_a_suggestion() -> None:
    with pytest.raises(UsageError, match=r"--ask 'budgte': unknown question.*budget"):
        check_ids(RS, ["budgte"])
    assert check_ids(RS, ["budget", "data", "budget"]) == ["budget", "data"]


def test_dependents_follow_conditions_transitively() -> None:
    assert dependents(QRS, "hosting") == ["hosting", "gpus", "gpu_kind"]
    assert dependents(QRS, "gpus") == ["gpus", "gpu_kind"]
    assert dependents(QRS, "budget") == ["budget"]
    assert effective(QRS, {"hosting": False, "gpus": 3, "budget": "low"}) == {
        "hosting": False, "budget": "low"}


@pytest.mark.parametrize("as_json", [False, True])
def test_saved_answers_read_back_to_the_same_answers_and_recommendation(
        tmp_path, as_json: bool) -> None:
    answers = {**DEFAULT_ANSWERS, "monthly_tokens": 12.5}
    resolved = validate(RS, answers)
    text = saved_answers(RS, resolved.answers, json_format=as_json)
    path = tmp_path / ("a.json" if as_json else "a.yaml")
    path.write_text(text, encoding="utf-8")
    doc = read_answers(path)
    again = validate(RS, doc.data, source=doc.source, locate=doc)
    assert again.answers == resolved.answers
    assert evaluate(RS, again.answers) == evaluate(RS, resolved.answers)
    if as_json:
        assert json.loads(text)["monthly_tokens"] == 12.5
    else:
        assert text.startswith("# Answers from 'llmchoice quiz'")
        assert yaml.safe_load(text)["budget"] == "minimal"


def test_saved_multi_choice_answers_are_lists() -> None:
    resolved = validate(QRS, {"hosting": False, "needs": ["code", "chat"], "budget": "low"})
    assert yaml.safe_load(saved_answers(QRS, resolved.answers, json_format=False)) == {
        "rule_set": {"id": "quiz-test", "version": "0.1.0"},
        "hosting": False, "needs": ["chat", "code"], "budget": "low"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_whatever_is_replied_the_quiz_ends_with_answers_recommend_accepts(data) -> None:
    """Random replies (valid values of any question, Back, skip, junk) and random review
    decisions: the quiz ends, and its answers validate and score like a file's."""
    values: dict[str, list[object]] = {
        "hosting": [True, False, "yes"], "gpus": ["0", "3", 7, "2000", "x"],
        "gpu_kind": ["small", "big"], "needs": [[], ["chat"], "code,chat", ["bad"]],
        "budget": ["low", "high"]}
    budget = {"steps": 0}

    class RandomAsker:
        def question(self, step):  # type: ignore[no-untyped-def]
            budget["steps"] += 1
            if budget["steps"] > 60:  # then answer properly, to finish
                return values[step.question.id][0] if step.question.id != "gpus" else "3"
            pool = [Nav.BACK, Nav.SKIP, "nonsense", *values[step.question.id],
                    *values["budget"]]
            return data.draw(st.sampled_from(pool))

        def review(self, review):  # type: ignore[no-untyped-def]
            if budget["steps"] > 60:
                return Decision(Action.CONFIRM)
            ids = [line.question.id for line in review.lines]
            return data.draw(st.sampled_from(
                [Decision(Action.CONFIRM), Decision(Action.START_OVER),
                 *[Decision(Action.CHANGE, i) for i in ids]]))

    resolved = run(QRS, RandomAsker())
    plain = {k: list(v) if isinstance(v, tuple) else v for k, v in resolved.answers.items()}
    plain.update(dict.fromkeys(resolved.unsure, "unsure"))
    assert validate(QRS, plain) == resolved
    evaluate(QRS, resolved.answers, unsure=resolved.unsure)
    # gpus is asked exactly when hosting is yes: answered or unsure
    assert ("gpus" in resolved.answers or "gpus" in resolved.unsure) == \
        (resolved.answers.get("hosting") is True)


def test_each_step_carries_the_answers_given_before_it_in_this_pass() -> None:
    """What the ✔ lines above a prompt must show: after Back, the question asked again and
    those after it are no longer among them."""
    rs = RS
    replies: list[object] = ["minimal", "essential", Nav.BACK, Nav.SKIP,
                             *list(DEFAULT_ANSWERS.values())[2:], Nav.SKIP, Nav.SKIP]
    asker = ScriptedAsker(replies)
    run(rs, asker)
    done = [[(line.question.id, line.value) for line in s.done or ()] for s in asker.steps]
    assert done[:4] == [[], [("budget", "minimal")],
                        [("budget", "minimal"), ("transparency", "essential")],
                        [("budget", "minimal")]]  # back on transparency: its line is gone
    assert done[4] == [("budget", "minimal"), ("transparency", None)]  # not sure
