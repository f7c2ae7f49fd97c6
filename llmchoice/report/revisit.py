"""What ``llmchoice revisit`` says: whether the decision still holds, what changed, and
which revisit condition is now met; as text (terminal and Markdown) or JSON.

Everything read from the record is data from a stranger: it is cleaned of control
characters and escaped for Markdown; questions go by their titles, outcomes and paths by
their labels, cost figures by their names.
"""

from __future__ import annotations

import json

from llmchoice.cost.for_answers import VOLUME_QUESTION
from llmchoice.cost.model import SPEC_BY_ID
from llmchoice.cost.words import lower_first, tokens_words
from llmchoice.io.textsafe import clean_line
from llmchoice.record.revisit import Met, Moved, Revisit, plans_now, today_pair
from llmchoice.ruleset.model import RuleSet

from .adr_revisit import cost_words
from .advice import path_label
from .common import outcome_label, pts_words, question_title
from .markdown import md
from .team_view import answer_words, names

FORMATS = ("terminal", "markdown", "json")
SPEC_LABELS = {"frontier_api": "the frontier closed API", "small_api": "the small closed API",
               "open_hosted_api": "open weights through a hosted API",
               "self_host_small": "a self-hosted small open model",
               "self_host_large": "a self-hosted large open model"}


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


CHANGE_WORDS = {"recommendation": "the recommendation", "path": "how to run it",
                "verdict": "whether there is a clear verdict",
                "between": "the plans it is undecided between"}


def _labels(rules: RuleSet, ids: object) -> str:
    shown = [outcome_label(rules, o) for o in ids if isinstance(o, str)] \
        if isinstance(ids, list) else []
    return names(tuple(shown)) if shown else ""


def _was(rules: RuleSet, rv: Revisit) -> str:
    rec, path = rv.record.weighed()
    text = outcome_label(rules, rec) if isinstance(rec, str) else _text(rec)
    if isinstance(path, str):
        text += f" ({path_label(rules, path)})"
    if rv.record.get("verdict", "certainty") == "none":
        between = _labels(rules, rv.record.get("verdict", "between"))
        text = (f"undecided between {between}" if between
                else f"no clear verdict ({text} leading)")
    return text


def _why_open(rules: RuleSet, rv: Revisit) -> str | None:
    """What still leaves an undecided verdict open: the team's unsettled questions, or
    the unsure answers that split it; None for a tie or too close a call."""
    r = rv.result
    open_q = rv.record.get("verdict", "open_questions")
    still = [question_title(rules, q) for q in open_q if isinstance(q, str)
             and q in r.unsure] if isinstance(open_q, list) else []
    if still:
        return f"{names(tuple(still))} {'is' if len(still) == 1 else 'are'} not settled"
    if r.unsure and r.open_answers is not None:  # the unsure answers split it, not the lead
        left = names(tuple(question_title(rules, q) for q in r.unsure))
        return f"it depends on the answers still unsure ({left})"
    return None


def _now(rules: RuleSet, rv: Revisit) -> str:
    r = rv.result
    text = outcome_label(rules, r.recommendation)
    why = _why_open(rules, rv) if rv.undecided else None
    if rv.same_pair:  # an undecided record, still undecided between the same two
        was = rv.record.weighed()[0]
        lean = (f"the scores now lean to {text} (they leaned to "
                f"{outcome_label(rules, str(was))})" if rv.lean_moved
                else f"the scores still lean to {text}")
        return (f"still undecided between {_labels(rules, list(rv.same_pair))}; {lean}"
                + (f", but {why}" if why else ", too close to call"))
    if not rv.undecided:
        return text + (f" ({r.path.label})" if r.path is not None else "")
    pair = today_pair(r)
    if "between" in rv.changed and len(pair) == 2:
        plans = rv.record.get("verdict", "plans")
        was = {p.get("outcome"): p.get("path") for p in plans if isinstance(p, dict)} \
            if isinstance(plans, list) else {}
        runs = "".join(f"; {outcome_label(rules, o)} would now be run as {path_label(rules, p)}"
                       for o, p in plans_now(rules, r, pair).items()
                       if o in was and isinstance(p, str) and was[o] != p)
        return (f"undecided between {_labels(rules, list(pair))}{runs}; the scores lean to "
                f"{text}" + (f", but {why}" if why else ", too close to call"))
    if why:
        return f"still undecided: {text} leads, but {why}"
    return f"no clear verdict ({text} leads, too close to call)"


def _lead_line(rules: RuleSet, rv: Revisit) -> str | None:
    """``The lead of Closed-source LLM fell from 3.2 to 1.2 points (over Hybrid of
    both).`` when the recommendation is the same and its lead moved."""
    before = rv.record.get("verdict", "lead")
    if rv.lead is None or not isinstance(before, int | float) or isinstance(before, bool) \
            or rv.record.weighed()[0] != rv.result.recommendation:
        return None
    after, runner = rv.lead
    if abs(after - float(before)) < 1e-9:
        return None
    verb = "fell" if after < before else "rose"
    return (f"The lead of {outcome_label(rules, rv.result.recommendation)} {verb} from "
            f"{float(before):g} to {pts_words(after)} (over {outcome_label(rules, runner)}).")


def _cost_moved(rv: Revisit) -> bool:
    return any(m.kind in ("costs file", "assumption") or
               (m.kind == "answer" and m.name == VOLUME_QUESTION) for m in rv.moved) or \
        any(m.kind == "cost" for m in rv.met) or "path" in rv.changed


def _cost_now(rules: RuleSet, rv: Revisit) -> str | None:
    if rv.cost is None:
        return None
    return f"Cost today, {cost_words(rules, rv.result, rv.cost)}"


def title_warning(rules: RuleSet, rv: Revisit) -> str | None:
    """When the record's heading (prose anyone may edit) says something its data does not:
    a "Use X" for another outcome, or a "Use" where the record is undecided."""
    heading = rv.record.heading
    rec = rv.record.weighed()[0]
    if heading is None or not isinstance(rec, str):
        return None
    label = outcome_label(rules, rec)
    none = rv.record.get("verdict", "certainty") == "none"
    low = heading.lower()
    named = {o for o in rules.outcome_ids if outcome_label(rules, o).lower() in low}
    if none:
        wrong = low.startswith("use ")  # an undecided record retitled as a decision
    else:
        wrong = low.startswith("undecided") or bool(named and rec not in named)
    if not wrong:
        return None
    says = f"undecided, {label} leading" if none else f"use {label}"
    return (f"Note: the record's title “{clean_line(heading)}” does not match its data "
            f"({says}); the data is what was weighed, so check who edited the title.")


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


def _said(rules: RuleSet, m: Met) -> str:
    out = outcome_label(rules, m.outcome) if isinstance(m.outcome, str) else "another"
    path = f" ({path_label(rules, m.path)})" if isinstance(m.path, str) else ""
    if m.effect == "path" and isinstance(m.path, str):
        return f"run it as {path_label(rules, m.path)}"
    if m.effect == "certainty":
        return f"leave {out} ahead but too close to call" if m.close is True \
            else f"make it a clear verdict for {out}"
    return f"make it {out}{path}" + (", too close to call" if m.close is True else "")


def _option(name: object) -> str:
    return lower_first(SPEC_LABELS.get(str(name), _text(name)))


def met_sentence(rules: RuleSet, m: Met) -> str:
    if m.kind == "lever":
        return (f"{question_title(rules, m.name)} is now {_answer(rules, m.name, m.value)}: "
                f"the record said that would {_said(rules, m)}.")
    if m.name == "volume":
        return (f"Cost: the monthly volume is now answered, {tokens_words(float(str(m.value)))}"
                "; the record said to revisit when it was known.")
    if m.name == "own_option":
        return (f"Cost: the way of running it is now priced as {_option(m.value)} "
                f"(it was {_option(m.outcome)}), so its bill changed.")
    return (f"Cost: at the answered volume the cheapest option is now {_option(m.value)} "
            f"(it was {_option(m.outcome)}).")


def lines(rules: RuleSet, rv: Revisit) -> list[str]:
    """The revisit in plain sentences, the verdict first."""
    src = clean_line(rv.record.source)
    warning = title_warning(rules, rv)
    out = [warning, ""] if warning else []
    if rv.holds:
        out += [f"The decision in {src} still holds: {_now(rules, rv)}."]
    elif rv.changed:
        what = names(tuple(CHANGE_WORDS.get(c, c) for c in rv.changed))
        out += [f"The decision in {src} has changed ({what}): it was "
                f"{_was(rules, rv)}, today it is {_now(rules, rv)}."]
    else:
        out += [f"The decision in {src} needs a fresh look: {_now(rules, rv)} is still the "
                "recommendation, but a condition the record names for revisiting it is met."]
    if rv.met:
        out += ["", "Revisit conditions now met:", *(f"- {met_sentence(rules, m)}"
                                                    for m in rv.met)]
    out += ["", "What changed since it was written:" if rv.moved else
            "Nothing it rests on changed: the same answers, rule set and cost figures."]
    out += [f"- {moved_sentence(rules, m)}" for m in rv.moved]
    lead = _lead_line(rules, rv)
    if lead:
        out += ["", lead]
    cost = _cost_now(rules, rv) if _cost_moved(rv) else None
    if cost:
        out += ["", cost]
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
                "certainty": "none" if rv.undecided else r.certainty.label,
                "scores": dict(r.scores)},
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
        "undecided": rv.undecided,
        # an undecided record still undecided between the same outcomes: those outcomes,
        # and whether the scores now lean to another of them (not a change: it holds)
        "still_undecided": list(rv.same_pair) or None, "lean_moved": rv.lean_moved,
        "lead": {"points": rv.lead[0], "over": rv.lead[1]} if rv.lead else None,
        "cost": None if rv.cost is None else {
            "monthly_tokens": rv.cost.volume,
            "own_option": rv.cost.own.id if rv.cost.own else None,
            "own_usd": rv.cost.own.monthly_usd if rv.cost.own else None,
            "cheapest": rv.cost.cheapest.id, "cheapest_usd": rv.cost.cheapest.monthly_usd},
        "title_warning": title_warning(rules, rv),
    }
