"""What ``llmchoice revisit`` says: whether the decision still holds, what changed, and
which revisit condition is now met; as text (terminal and Markdown) or JSON.

Everything read from the record is data from a stranger: it is cleaned of control
characters and escaped for Markdown; questions go by their titles, outcomes and paths by
their labels, cost figures by their names.
"""

from __future__ import annotations

import json

from llmchoice.cost.model import SPEC_BY_ID
from llmchoice.cost.words import tokens_words
from llmchoice.io.textsafe import clean_line
from llmchoice.record.revisit import Met, Moved, Revisit
from llmchoice.ruleset.model import RuleSet

from .advice import path_label
from .common import outcome_label, question_title
from .markdown import md
from .team_view import answer_words

FORMATS = ("terminal", "markdown", "json")
_SIDES = {"api": "the API", "self_host": "self-hosting"}


def _text(value: object) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:,g}"
    if isinstance(value, tuple | list):
        return ", ".join(_text(v) for v in value) or "none"
    return "not answered" if value is None else clean_line(str(value))


def _answer(rules: RuleSet, qid: str, value: object) -> str:
    if rules.has_question(qid) and not isinstance(value, list) and value not in (None,
                                                                                 "unsure"):
        return answer_words(rules, qid, value)  # type: ignore[arg-type]
    return _text(value)


def _was(rules: RuleSet, rv: Revisit) -> str:
    rec = rv.record.get("verdict", "recommendation")
    path = rv.record.get("verdict", "path")
    text = outcome_label(rules, rec) if isinstance(rec, str) else _text(rec)
    if isinstance(path, str):
        text += f" ({path_label(rules, path)})"
    return text


def _now(rules: RuleSet, rv: Revisit) -> str:
    r = rv.result
    text = outcome_label(rules, r.recommendation)
    if r.path is not None:
        text += f" ({r.path.label})"
    return text + (" — no clear verdict" if r.certainty.label == "none" else "")


def moved_sentence(rules: RuleSet, m: Moved) -> str:
    if m.kind == "rule set":
        b, a = m.before, m.after
        assert isinstance(b, tuple) and isinstance(a, tuple)
        return (f"Rule set: {_text(b[0])} {_text(b[1])} (sha256 {_text(b[2])[:12]}) is now "
                f"{_text(a[0])} {_text(a[1])} (sha256 {_text(a[2])[:12]}).")
    if m.kind == "costs file":
        return "Cost figures file: not the one the record was written with."
    if m.kind == "assumption":
        spec = SPEC_BY_ID.get(m.name)
        name = spec.name if spec else m.name
        dates = (f" (read {clean_line(m.before_as_of or 'as your own figure')}, now "
                 f"{clean_line(m.after_as_of or 'your own figure')})"
                 if m.before_as_of != m.after_as_of else "")
        return f"Cost figure {name}: {_text(m.before)} is now {_text(m.after)}{dates}."
    return (f"Answer to {question_title(rules, m.name)}: {_answer(rules, m.name, m.before)} "
            f"is now {_answer(rules, m.name, m.after)}.")


def met_sentence(rules: RuleSet, m: Met) -> str:
    if m.kind == "lever":
        out = outcome_label(rules, m.outcome) if isinstance(m.outcome, str) else "another"
        return (f"{question_title(rules, m.name)} is now {_answer(rules, m.name, m.value)}: "
                f"the record said that would make it {out}.")
    if m.name == "cheaper":
        return (f"Cost: at the answered volume {_SIDES.get(str(m.value), _text(m.value))} "
                f"is now cheaper (it was {_SIDES.get(str(m.outcome), _text(m.outcome))}).")
    return (f"Cost: the cheapest way to run it at the answered volume is now "
            f"{_text(m.value)} (it was {_text(m.outcome)}).")


def lines(rules: RuleSet, rv: Revisit) -> list[str]:
    """The revisit in plain sentences, the verdict first."""
    src = clean_line(rv.record.source)
    if rv.holds:
        out = [f"The decision in {src} still holds: {_now(rules, rv)}."]
    elif rv.changed:
        out = [f"The decision in {src} has changed ({', '.join(rv.changed)}): it was "
               f"{_was(rules, rv)}, today it is {_now(rules, rv)}."]
    else:
        out = [f"The decision in {src} needs a fresh look: {_now(rules, rv)} is still the "
               "recommendation, but a condition the record names for revisiting it is met."]
    if rv.met:
        out += ["", "Revisit conditions now met:", *(f"- {met_sentence(rules, m)}"
                                                    for m in rv.met)]
    out += ["", "What changed since it was written:" if rv.moved else
            "Nothing it rests on changed: the same answers, rule set and cost figures."]
    out += [f"- {moved_sentence(rules, m)}" for m in rv.moved]
    if rv.break_even is not None:
        out += ["", f"The cost break-even is now about {tokens_words(rv.break_even)}."]
    return out


def render_revisit(rules: RuleSet, rv: Revisit, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(revisit_dict(rules, rv), indent=2, ensure_ascii=False) + "\n"
    text = lines(rules, rv)
    if fmt == "markdown":
        return "\n".join(md(t) if not t.startswith("- ") else "- " + md(t[2:])
                         for t in text) + "\n"
    return "\n".join(clean_line(t) for t in text) + "\n"


def revisit_dict(rules: RuleSet, rv: Revisit) -> dict[str, object]:
    r = rv.result
    return {
        "holds": rv.holds, "changed": list(rv.changed),
        "was": {"recommendation": rv.record.get("verdict", "recommendation"),
                "path": rv.record.get("verdict", "path"),
                "certainty": rv.record.get("verdict", "certainty")},
        "now": {"recommendation": r.recommendation, "path": r.path.id if r.path else None,
                "certainty": r.certainty.label, "scores": dict(r.scores)},
        "met": [{"kind": m.kind, "name": m.name, "value": m.value, "recorded": m.outcome,
                 "sentence": met_sentence(rules, m)} for m in rv.met],
        "moved": [{"kind": m.kind, "name": m.name,
                   "before": list(m.before) if isinstance(m.before, tuple) else m.before,
                   "after": list(m.after) if isinstance(m.after, tuple) else m.after,
                   "sentence": moved_sentence(rules, m)} for m in rv.moved],
        "break_even_monthly_tokens": rv.break_even, "cheaper": rv.cheaper,
        "cheapest": rv.cheapest,
        "ruleset": {"id": r.ruleset.id, "version": r.ruleset.version,
                    "sha256": r.ruleset.sha256},
    }
