"""How an answer is shown to people: the one place that turns an answer into words.

Every report, the quiz and the rule-authoring texts use these, so the same answer
reads the same everywhere:

* :func:`show_value` — a bare value in prose: ``5,000``, ``code, chat``, ``yes``,
  ``not answered``.
* :func:`show_answer` — the same with the question at hand: the choice's label and the
  number's unit (``Large: cost matters less than results``, ``1,000 million tokens per
  month``); several labels are kept apart by ``; `` since a label may hold a comma.
* :func:`show_pairs` — answers on one line as ``question=value`` pairs, for listings of
  answer profiles (``rules analyze``, ``rules diff``): commas separate the pairs there, so
  a number has no thousands separator and a multi-choice answer is bracketed.

Pure and cheap to import: no rich, no YAML.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from llmchoice.io.textsafe import clean_line

if TYPE_CHECKING:
    from llmchoice.ruleset.model import Question

NOT_ANSWERED = "not answered"
NONE_CHOSEN = "none"


def _number(value: float, *, grouped: bool = True) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if grouped else str(value)


def show_value(value: object) -> str:
    """A bare value in prose: numbers with thousands separators, a multi-choice answer as
    ``a, b`` (``none`` when empty), booleans as yes/no, no answer as ``not answered``."""
    if value is None:
        return NOT_ANSWERED
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list):
        return ", ".join(show_value(v) for v in value) if value else NONE_CHOSEN
    if isinstance(value, int | float):
        return _number(value)
    return str(value)


def show_answer(question: Question, value: object, *, unanswered: str = NOT_ANSWERED) -> str:
    """An answer to ``question`` as a person reads it: the choices' labels (several kept
    apart by semicolons), the number with its unit (thousands separated), yes/no.
    ``unanswered`` names no answer (the quiz says ``not sure``, which is what its user
    picked). Cleaned of control characters."""
    if value is None:
        return unanswered
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list):
        # Labels are sentences that may hold commas ("Research: experiments, papers"),
        # so several are kept apart by semicolons.
        labels = [clean_line(question.label_of(v)) for v in value]
        return "; ".join(labels) if labels else NONE_CHOSEN
    if isinstance(value, int | float):
        unit = f" {clean_line(question.unit)}" if question.unit else ""
        return _number(value) + unit
    return clean_line(question.label_of(value))


def _pair_value(value: object) -> str:
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_pair_value(v) for v in value) + "]"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number(value, grouped=False)
    return show_value(value)


def show_pairs(answers: Mapping[str, object]) -> str:
    """``budget=high, needs=[code, chat], gpus=4000``: answers on one line."""
    return ", ".join(f"{k}={_pair_value(v)}" for k, v in answers.items())
