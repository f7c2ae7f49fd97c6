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
from dataclasses import dataclass, field, replace
from typing import Protocol, cast

import yaml

from llmchoice.answers.meta import stamp
from llmchoice.answers.validate import (
    NOT_ASKED,
    UNSURE,
    Resolved,
    applicable,
    coerce,
    to_plain,
    validate,
)
from llmchoice.frozen import frozen
from llmchoice.io.check import did_you_mean
from llmchoice.io.errors import UsageError
from llmchoice.io.textsafe import clean_line
from llmchoice.quiz.adaptive import Pick, StopOffer, pick, stop_offer
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


@frozen
class ReviewLine:
    question: Question
    value: Answer | None  # None: answered "not sure" (or not asked)
    not_asked: bool = False  # the adaptive quiz stopped before it: it could not change the verdict


@frozen
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
    why: str = ""  # the adaptive quiz: one line on why this question is asked now


@frozen
class Review:
    """Every question that applies, with its answer, in order."""

    lines: tuple[ReviewLine, ...]


@frozen
class Decision:
    """The reply to a review; ``question`` names the answer to change for ``CHANGE``."""

    action: Action
    question: str | None = None


Reply = object  # a raw answer (checked with coerce) or a Nav


class Asker(Protocol):
    """Asks one thing at a time; raises KeyboardInterrupt or EOFError to abort."""

    def question(self, step: Step) -> Reply: ...

    def review(self, review: Review) -> Decision: ...

    def offer_stop(self, offer: StopOffer) -> Reply:
        """True: stop here; False: answer the rest anyway; or :data:`Nav.BACK`."""


@dataclass
class _State:
    values: dict[str, Answer]
    skipped: set[str] = field(default_factory=set)
    adaptive: bool = False
    stop: str | None = None  # adaptive: "stop" or "all" once the user chose at the offer


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
    before = _State(dict(state.values), set(state.skipped), state.adaptive, state.stop)
    first = [q.id for q in questions if q.id in plan] if back_exits else []
    history: list[int] = []
    i = 0
    again: int | None = None  # adaptive: the question to ask next (after Back, a refusal)
    error = typed = ""
    while True:
        what, j, why, upcoming = _next(rs, asker, state, plan, history, i, again, first,
                                       back_exits)
        if what == "end":
            return
        if what == "loop":
            continue
        if what == "back":
            if history:
                again = history.pop()
            elif back_exits:
                _restore(state, before)
                return
            continue
        again = None
        q = questions[j]
        plan.add(q.id)
        step = _step(state, q, [questions[k] for k in history],
                     len(history) + len(upcoming) + (j not in upcoming), back_exits, why)
        reply = asker.question(replace(step, error=error, typed=typed))
        error = typed = ""
        if reply is Nav.BACK:
            if history:
                i = again = history.pop()
            elif back_exits:
                _restore(state, before)
                return
            else:
                i = again = j
                error = "this is the first question; there is nothing to go back to"
            continue
        error, typed = _take(state, q, reply)
        if error:
            i = again = j
            continue
        history.append(j)
        i = j + 1


def _next(rs: RuleSet, asker: Asker, state: _State, plan: set[str], history: list[int],
          i: int, again: int | None, first: list[str], back_exits: bool,
          ) -> tuple[str, int, str, list[int]]:
    """The next move of a walk: ("ask", question index, why, the questions due), or
    "end", "loop" (choose again) or "back" (from the adaptive offer to stop). In rule-set
    order from ``i``, or adaptively (``again``: the question to ask again)."""
    questions = rs.questions
    eff = effective(rs, state.values)

    def due(j: int) -> bool:
        q = questions[j]
        return applicable(q, eff) and (
            q.id in plan or (q.id not in state.values and q.id not in state.skipped))

    if not state.adaptive:
        upcoming = [j for j in range(i, len(questions)) if due(j)]
        return ("ask", upcoming[0], "", upcoming) if upcoming else ("end", -1, "", [])
    asked = {questions[k].id for k in history}
    upcoming = [j for j in range(len(questions)) if due(j) and questions[j].id not in asked]
    if again is not None:
        return "ask", again, "", upcoming
    if not upcoming:
        return "end", -1, "", []
    what, j, why = _adaptive_next(rs, asker, state, upcoming, first, asked,
                                  bool(history) or back_exits)
    return what, j, why, upcoming


def _step(state: _State, q: Question, before: list[Question], total: int, back_exits: bool,
          why: str) -> Step:
    """The step for ``q``, asked after the questions ``before`` in this pass."""
    current = state.values.get(q.id)
    if current is None and q.default is not None:
        current = cast(Answer, q.default)
    done = tuple(ReviewLine(b, None if b.id in state.skipped else state.values.get(b.id))
                 for b in before)
    return Step(q, len(before) + 1, total, current, q.id in state.skipped,
                bool(before) or back_exits, "", "", done, why)


def _take(state: _State, q: Question, reply: object) -> tuple[str, str]:
    """Record a reply to ``q``; ('', '') when taken, else (the problem, the text typed)."""
    if reply is Nav.SKIP:
        state.values.pop(q.id, None)
        state.skipped.add(q.id)
        return "", ""
    value, problem = coerce(q, reply, from_text=isinstance(reply, str))
    if problem or value is None:
        return problem or "no answer given", reply if isinstance(reply, str) else ""
    state.values[q.id] = value
    state.skipped.discard(q.id)
    return "", ""


def _adaptive_next(rs: RuleSet, asker: Asker, state: _State, upcoming: list[int],
                   first: list[str], asked: set[str], can_go_back: bool,
                   ) -> tuple[str, int, str]:
    """The adaptive quiz's next move: ("ask", question index, why), or after the offer
    to stop, "end" (stop), "loop" (answer the rest: choose again) or "back"."""
    questions = rs.questions
    if any(qid not in asked for qid in first):  # a change from the review: that first
        j = next(n for n, q in enumerate(questions) if q.id in first and q.id not in asked)
        return "ask", j, ""
    eff = effective(rs, state.values)
    p = _pick(rs, state, eff, [questions[n].id for n in upcoming])
    if p.settled and state.stop != "all":
        if state.stop == "stop":
            return "end", -1, ""
        reply = asker.offer_stop(stop_offer(rs, p, len(upcoming), can_go_back))
        if reply is Nav.BACK:
            return "back", -1, ""
        state.stop = "stop" if reply is True else "all"
        return ("end" if reply is True else "loop"), -1, ""
    return "ask", questions.index(rs.question(cast(str, p.question))), p.why


def _restore(state: _State, before: _State) -> None:
    state.values, state.skipped, state.stop = before.values, before.skipped, before.stop


def _pick(rs: RuleSet, state: _State, eff: Mapping[str, Answer],
          candidates: list[str]) -> Pick:
    """The adaptive choice among ``candidates``: the answers that count and are not up
    for asking are known; questions answered "not sure" stay unanswered; every other
    question is open."""
    known = {q: v for q, v in eff.items() if q not in candidates}
    open_ = [q.id for q in rs.questions if q.id not in known and
             (q.id in candidates or q.id not in state.skipped)]
    return pick(rs, known, open_, candidates, in_order=state.stop == "all")


def _review(rs: RuleSet, state: _State) -> Review:
    eff = effective(rs, state.values)
    lines = []
    for q in rs.questions:
        if q.id in eff:
            lines.append(ReviewLine(q, eff[q.id]))
        elif applicable(q, eff) and (not q.required or q.id in state.skipped or state.adaptive):
            lines.append(ReviewLine(q, None, _not_asked(state, q, eff)))
    return Review(tuple(lines))


def _not_asked(state: _State, q: Question, eff: Mapping[str, Answer]) -> bool:
    """The adaptive quiz stopped before ``q``: it applies, has no answer and was not
    answered "not sure"."""
    return state.adaptive and q.id not in eff and q.id not in state.skipped


def _confirmed(rs: RuleSet, state: _State) -> dict[str, object]:
    """The answers to validate: those that count, ``unsure`` for each question that
    applies and was answered "not sure", and ``not_asked`` for each the adaptive quiz did
    not need to ask."""
    eff = effective(rs, state.values)
    plain = to_plain(eff)
    out: dict[str, object] = {}
    for q in rs.questions:
        if q.id in plain:
            out[q.id] = plain[q.id]
        elif q.id in state.skipped and applicable(q, eff):
            out[q.id] = UNSURE
        elif applicable(q, eff) and _not_asked(state, q, eff):
            out[q.id] = NOT_ASKED
    return out


def run(rs: RuleSet, asker: Asker, *, prefill: Mapping[str, Answer] | None = None,
        reask: Iterable[str] = (), adaptive: bool = False) -> Resolved:
    """Ask the questions that need asking, review, and return the validated answers.

    ``prefill`` holds answers already checked (from ``--answers``); only the
    questions they leave open are asked, plus those in ``reask``. ``adaptive``: ask next
    the question that best separates the outcomes still reachable, and offer to stop
    when only one is (:mod:`llmchoice.quiz.adaptive`); the questions left are then
    confirmed as ``not_asked``.
    """
    initial = dict(prefill or {})
    first_plan = set(check_ids(rs, reask))
    state = _State(dict(initial), adaptive=adaptive)
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
            state = _State(dict(initial), adaptive=adaptive)
            plan = set(first_plan)
            continue
        shown = [line.question.id for line in review.lines]
        if decision.question not in shown:
            raise UsageError(f"cannot change {decision.question!r}: it is not one of the "
                             f"answers under review ({', '.join(shown)})")
        plan = set(dependents(rs, decision.question))
        changing = True


def saved_answers(rs: RuleSet, answers: Mapping[str, Answer], *, json_format: bool,
                  unsure: Iterable[str] = (), not_asked: Iterable[str] = ()) -> str:
    """Answers as a file ``recommend`` reads back (YAML with a comment header, or JSON),
    with ``unsure`` for each of the ``unsure`` questions and ``not_asked`` for each of the
    ``not_asked`` ones, in question order."""
    given = to_plain(answers)
    left, skipped = set(unsure), set(not_asked)
    plain = stamp(rs.meta.id, rs.meta.version)
    plain.update({q.id: given.get(q.id, NOT_ASKED if q.id in skipped else UNSURE)
                  for q in rs.questions if q.id in given or q.id in left or q.id in skipped})
    if json_format:
        return json.dumps(plain, indent=2, ensure_ascii=False) + "\n"
    head = (f"# Answers from 'llmchoice quiz' (rule set {clean_line(rs.meta.id)} "
            f"{clean_line(rs.meta.version)}).\n"
            "# Replay them with: llmchoice recommend THIS-FILE\n")
    body = yaml.safe_dump(plain, sort_keys=False, allow_unicode=True, default_flow_style=False)
    return head + body
