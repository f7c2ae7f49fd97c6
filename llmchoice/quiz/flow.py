"""The questionnaire: the quiz's flow as a pure function over an injected asker.

:func:`run` walks a rule set's questions and asks each one through an
:class:`Asker` (the terminal one lives in :mod:`llmchoice.quiz.prompts`; tests
pass a scripted one). Nothing here touches a terminal or imports questionary.

The flow:

- Questions are asked in rule-set order; a question whose ``when`` is false
  for the answers so far is not asked. Conditions are re-evaluated after every
  answer, so changing an earlier answer can add or remove later questions.
- Each :class:`Step` carries its progress (``number`` of ``total``, counted
  over the questions this pass will ask), the answer to preselect (the
  previous one, else the question's default) and whether Back is possible.
- The asker replies with a raw value, :data:`Nav.BACK` (the previous question
  again, its answer preselected) or :data:`Nav.SKIP` ("not sure", offered on every
  question, required ones too: the answer is then ``unsure``, as in an answers file).
  Every raw value goes through :func:`llmchoice.answers.validate.coerce`;
  a refused one is asked again with the problem in :attr:`Step.error`.
- Prefilled answers (``--answers``) are not asked unless named in ``reask``
  (``--ask``). After the last question comes a :class:`Review`: confirm,
  change one answer (it and every question whose condition depends on it are
  asked again), or start over (forget the answers given in this session).
- The confirmed answers, with ``unsure`` for each question answered "not sure",
  go through :func:`llmchoice.answers.validate`, the same check ``recommend`` runs
  on a file; :func:`saved_answers` writes them back, ``unsure`` included.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, cast

import yaml

from llmchoice.answers.validate import (
    UNSURE,
    Resolved,
    applicable,
    coerce,
    to_plain,
    validate,
)
from llmchoice.io.check import did_you_mean
from llmchoice.io.errors import UsageError
from llmchoice.io.textsafe import clean_line
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import Question, RuleSet


class Nav(enum.Enum):
    """Replies to a question that are not an answer."""

    BACK = "back"
    SKIP = "skip"


class Action(enum.Enum):
    """What to do at the review."""

    CONFIRM = "confirm"
    CHANGE = "change"
    START_OVER = "start_over"


@dataclass(frozen=True, slots=True)
class ReviewLine:
    question: Question
    value: Answer | None  # None: answered "not sure"


@dataclass(frozen=True, slots=True)
class Step:
    """One question to ask, with what the asker needs to show it."""

    question: Question
    number: int  # 1-based position in this pass
    total: int  # questions this pass asks, as far as the answers so far tell
    current: Answer | None  # the answer to preselect: the previous one, else the default
    skipped: bool  # answered "not sure" before (preselect that)
    can_go_back: bool
    error: str = ""  # why the previous reply to this question was refused
    typed: str = ""  # the refused reply, if it was text, to edit rather than retype
    # the questions answered before this one in this pass, in the order asked, with their
    # answers (None: "not sure"): what the asker's ✔ lines above the prompt must show.
    # None: the caller keeps no history (the asker then only appends).
    done: tuple[ReviewLine, ...] | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """Every question that applies, with its answer, in order."""

    lines: tuple[ReviewLine, ...]


@dataclass(frozen=True, slots=True)
class Decision:
    """The reply to a review; ``question`` names the answer to change for ``CHANGE``."""

    action: Action
    question: str | None = None


Reply = object  # a raw answer (checked with coerce) or a Nav


class Asker(Protocol):
    """Asks one thing at a time; raises KeyboardInterrupt or EOFError to abort."""

    def question(self, step: Step) -> Reply: ...

    def review(self, review: Review) -> Decision: ...


@dataclass
class _State:
    values: dict[str, Answer]
    skipped: set[str] = field(default_factory=set)


def effective(rs: RuleSet, values: Mapping[str, Answer]) -> dict[str, Answer]:
    """The answers that count: those of questions whose ``when`` holds, in question order."""
    out: dict[str, Answer] = {}
    for q in rs.questions:
        if q.id in values and applicable(q, out):
            out[q.id] = values[q.id]
    return out


def dependents(rs: RuleSet, qid: str) -> list[str]:
    """``qid`` and every question whose condition depends on it, directly or not, in order."""
    found = {qid}
    for q in rs.questions:
        if q.when is not None and q.when.questions() & found:
            found.add(q.id)
    return [q.id for q in rs.questions if q.id in found]


def check_ids(rs: RuleSet, ids: Iterable[str], what: str = "--ask") -> list[str]:
    """Question ids given on the command line, checked against the rule set."""
    known = [q.id for q in rs.questions]
    out: list[str] = []
    for qid in ids:
        if qid not in known:
            raise UsageError(f"{what} {qid!r}: unknown question{did_you_mean(qid, known)}; "
                             f"questions are: {', '.join(known)}")
        if qid not in out:
            out.append(qid)
    return out


def _walk(rs: RuleSet, asker: Asker, state: _State, plan: set[str], *,
          back_exits: bool = False) -> None:
    """Ask, in order, every applicable question that is in ``plan`` or has no answer yet.

    ``plan`` grows with every question visited, so that after Back, moving
    forward again shows the same questions with their answers preselected.
    With ``back_exits`` (changing an answer from the review), Back on the first
    question returns to the review and cancels the change: a half-made change
    could leave a question it made apply unanswered.
    """
    questions = rs.questions
    before = _State(dict(state.values), set(state.skipped))
    history: list[int] = []
    i = 0
    error = typed = ""
    while True:
        eff = effective(rs, state.values)

        def due(j: int, eff: dict[str, Answer] = eff) -> bool:
            q = questions[j]
            return applicable(q, eff) and (
                q.id in plan or (q.id not in state.values and q.id not in state.skipped))

        upcoming = [j for j in range(i, len(questions)) if due(j)]
        if not upcoming:
            return
        j = upcoming[0]
        q = questions[j]
        plan.add(q.id)
        current = state.values.get(q.id)
        if current is None and q.default is not None:
            current = cast(Answer, q.default)
        done = tuple(ReviewLine(questions[k], None if questions[k].id in state.skipped
                                else state.values.get(questions[k].id)) for k in history)
        step = Step(q, len(history) + 1, len(history) + len(upcoming), current,
                    q.id in state.skipped, bool(history) or back_exits, error, typed, done)
        reply = asker.question(step)
        error = typed = ""
        if reply is Nav.BACK:
            if history:
                i = history.pop()
            elif back_exits:
                state.values, state.skipped = before.values, before.skipped
                return
            else:
                i, error = j, "this is the first question; there is nothing to go back to"
            continue
        if reply is Nav.SKIP:
            state.values.pop(q.id, None)
            state.skipped.add(q.id)
        else:
            value, problem = coerce(q, reply, from_text=isinstance(reply, str))
            if problem or value is None:
                i, error = j, problem or "no answer given"
                typed = reply if isinstance(reply, str) else ""
                continue
            state.values[q.id] = value
            state.skipped.discard(q.id)
        history.append(j)
        i = j + 1


def _review(rs: RuleSet, state: _State) -> Review:
    eff = effective(rs, state.values)
    lines = [ReviewLine(q, eff.get(q.id)) for q in rs.questions
             if q.id in eff or (applicable(q, eff) and
                                (not q.required or q.id in state.skipped))]
    return Review(tuple(lines))


def _confirmed(rs: RuleSet, state: _State) -> dict[str, object]:
    """The answers to validate: those that count, and ``unsure`` for each question that
    applies and was answered "not sure"."""
    eff = effective(rs, state.values)
    plain = to_plain(eff)
    out: dict[str, object] = {}
    for q in rs.questions:
        if q.id in plain:
            out[q.id] = plain[q.id]
        elif q.id in state.skipped and applicable(q, eff):
            out[q.id] = UNSURE
    return out


def run(rs: RuleSet, asker: Asker, *, prefill: Mapping[str, Answer] | None = None,
        reask: Iterable[str] = ()) -> Resolved:
    """Ask the questions that need asking, review, and return the validated answers.

    ``prefill`` holds answers already checked (from ``--answers``); only the
    questions they leave open are asked, plus those in ``reask``.
    """
    initial = dict(prefill or {})
    first_plan = set(check_ids(rs, reask))
    state = _State(dict(initial))
    plan = set(first_plan)
    changing = False
    while True:
        _walk(rs, asker, state, plan, back_exits=changing)
        changing = False
        review = _review(rs, state)
        decision = asker.review(review)
        if decision.action is Action.CONFIRM:
            return validate(rs, _confirmed(rs, state), source="quiz")
        if decision.action is Action.START_OVER:
            state = _State(dict(initial))
            plan = set(first_plan)
            continue
        shown = [line.question.id for line in review.lines]
        if decision.question not in shown:
            raise UsageError(f"cannot change {decision.question!r}: it is not one of the "
                             f"answers under review ({', '.join(shown)})")
        plan = set(dependents(rs, decision.question))
        changing = True


def saved_answers(rs: RuleSet, answers: Mapping[str, Answer], *, json_format: bool,
                  unsure: Iterable[str] = ()) -> str:
    """Answers as a file ``recommend`` reads back (YAML with a comment header, or JSON),
    with ``unsure`` for each of the ``unsure`` questions, in question order."""
    given = to_plain(answers)
    left = set(unsure)
    plain = {q.id: given.get(q.id, UNSURE) for q in rs.questions
             if q.id in given or q.id in left}
    if json_format:
        return json.dumps(plain, indent=2, ensure_ascii=False) + "\n"
    head = (f"# Answers from 'llmchoice quiz' (rule set {clean_line(rs.meta.id)} "
            f"{clean_line(rs.meta.version)}).\n"
            "# Replay them with: llmchoice recommend THIS-FILE\n")
    body = yaml.safe_dump(plain, sort_keys=False, allow_unicode=True, default_flow_style=False)
    return head + body
