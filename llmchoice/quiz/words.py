"""How the quiz names questions and answers on one line, and fits text to a width."""

from __future__ import annotations

from llmchoice.answers.show import show_answer
from llmchoice.io.textsafe import clean_line
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import Question


def short_name(q: Question) -> str:
    """A question's name for one-line summaries: its ``title``, else its id in words
    (``time_to_market`` -> ``Time to market``)."""
    if q.title.strip():
        return clean_line(q.title).strip()
    words = clean_line(q.id).replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def answer_text(q: Question, value: Answer | None) -> str:
    """An answer as the quiz's user reads it: ``not sure`` is what they picked for none."""
    return show_answer(q, value, unanswered="not sure")


def number_hint(q: Question) -> str:
    """What a number question takes, in words: ``Million tokens per month, 0 or more``."""
    def show(v: float) -> str:
        return str(int(v)) if float(v).is_integer() else f"{v:g}"

    what = clean_line(q.unit) if q.unit else "a number"
    what = what[:1].upper() + what[1:]
    if q.minimum is not None and q.maximum is not None:
        return f"{what}, from {show(q.minimum)} to {show(q.maximum)}"
    if q.minimum is not None:
        return f"{what}, {show(q.minimum)} or more"
    if q.maximum is not None:
        return f"{what}, {show(q.maximum)} or less"
    return what


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 1)].rstrip() + "…"


__all__ = ["_fit", "answer_text", "number_hint", "short_name"]
