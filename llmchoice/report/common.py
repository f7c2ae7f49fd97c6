"""What every report says, worded once: labels, confidence in words, what-if sentences."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import PurePath

from llmchoice.decide.engine import MIXED_RULE_ID
from llmchoice.decide.explain import Explanation, Step, WeightFlip, decisive_sentence
from llmchoice.decide.result import Contribution, Result, WhatIf
from llmchoice.decide.words import num, num_toward
from llmchoice.frozen import frozen
from llmchoice.ruleset.model import BeyondArticle, RuleSet


def outcome_label(rules: RuleSet, outcome: str) -> str:
    try:
        return rules.outcome(outcome).label
    except KeyError:
        return outcome


def question_title(rules: RuleSet, qid: str) -> str:
    """A question's short name (``Data location``), or its id in words."""
    if rules.has_question(qid):
        q = rules.question(qid)
        if q.title:
            return q.title
    return qid.replace("_", " ").capitalize()


def pts_words(x: float) -> str:
    """``1 point``, ``2.5 points``."""
    return f"{x:g} point{'' if x == 1 else 's'}"


TIE_NOTE = " (a tie, settled by the tie-break order)"
TOO_CLOSE_NOTE = " (too close to call)"
HARD_NOTE = " (a hard requirement)"


def what_if_notes(w: WhatIf) -> str:
    """What a what-if's new verdict is besides a weighing: a hard requirement (the new
    answer rules the current verdict out), an exact tie, or a lead too close to call."""
    notes = HARD_NOTE if w.constraint else ""
    if w.tie:
        notes += TIE_NOTE
    elif w.too_close:
        notes += TOO_CLOSE_NOTE
    return notes


def marked(sentence: str, notes: str) -> str:
    """``sentence`` with ``notes`` before its final full stop."""
    if not notes:
        return sentence
    return sentence[:-1] + notes + "." if sentence.endswith(".") else sentence + notes


def what_if_sentence(rules: RuleSet, w: WhatIf) -> str:
    """'If your budget were large (not minimal), the recommendation would be Closed-source LLM.'
    A change that rules the current verdict out adds '(a hard requirement)'; a new verdict
    that is an exact tie adds '(a tie, settled by the tie-break order)', one whose lead is
    under ``decision.min_lead`` '(too close to call)'."""
    return marked(decisive_sentence(rules, w.question, w.from_value, w.to_value,
                                    w.recommendation), what_if_notes(w))


def cite_titles(rules: RuleSet, cites: tuple[str, ...]) -> list[str]:
    out = []
    for c in cites:
        t = rules.tradeoffs.get(c)
        out.append(f"{t.title} ({c})" if t else c)
    return out


@frozen
class Sides:
    """Contributions split into those for the winner and those for the other outcomes.

    ``combines`` is true when the winner won by the mixed-needs bonus: the other
    outcomes' points are then what it combines, not what speaks against it.
    """

    for_winner: tuple[Contribution, ...]
    against: tuple[Contribution, ...]
    combines: bool = False
    # Rules that give the same points to several outcomes (a middle answer that fits
    # both sides): shown once, apart, since they argue for no single outcome.
    shared: tuple[Contribution, ...] = ()

    SHARED_HEADING = "Fits either: needs that fit both sides (the same points to each)"

    @property
    def others_heading(self) -> str:
        if self.combines:
            return "What it combines: the needs on each side"
        if any(c.points < 0 for c in self.against):  # a rule took points from another
            return "What speaks against it, and the points taken from the others"
        return "What speaks against it"


def what_ifs_decisive_first(result: Result, ex: Explanation | None) -> list[WhatIf]:
    """The what-if changes with the explanation's most decisive answer first (the engine
    orders by margin; the decisive answer prefers answers the user actually gave)."""
    found = list(result.what_if)
    if ex is not None and ex.decisive is not None:
        for i, w in enumerate(found):
            if (w.question, w.to_value) == (ex.decisive.question, ex.decisive.to_value):
                return [found[i], *found[:i], *found[i + 1:]]
    return found


def sides(result: Result) -> Sides:
    win = result.recommendation
    by_rule: dict[str, list[Contribution]] = {}
    for c in result.contributions:
        by_rule.setdefault(c.rule, []).append(c)
    shared_ids = {rule for rule, cs in by_rule.items()
                  if len(cs) > 1 and len({c.points for c in cs}) == 1}
    shared = tuple(cs[0] for rule, cs in by_rule.items() if rule in shared_ids)
    own = [c for c in result.contributions if c.rule not in shared_ids]
    pro = tuple(sorted((c for c in own if c.outcome == win), key=lambda c: -c.points))
    combines = any(c.rule == MIXED_RULE_ID for c in pro)
    # points taken from another outcome (a negative rule) are shown too, never hidden
    others = [c for c in own if c.outcome != win and c.points != 0]
    if combines:  # grouped by side, strongest first within each
        con = tuple(sorted(others, key=lambda c: (c.outcome, -c.points)))
    else:
        con = tuple(sorted(others, key=lambda c: -c.points))
    return Sides(pro, con, combines, shared)


def scenario_id(scenario: str | None) -> str | None:
    """``future.hybrid-approach`` -> ``hybrid-approach`` (the JSON report's form)."""
    if scenario is None:
        return None
    return scenario.split(".", 1)[1] if "." in scenario else scenario


# --------------------------------------------------------------------------- the explanation
# Everything below words an Explanation (llmchoice.decide.explain); nothing here scores.

NO_FLIP = ("No single rule's points, changed by up to 100% (from zero to double), "
           "would change the recommendation.")
NO_WHAT_IF = "No single change of answer changes the recommendation."
NO_NEAR_MISS = ("None: no rule of two or more conditions failed on only one of them (a "
                "one-condition rule is one changed answer away: see the what-if changes).")


def cite_names(rules: RuleSet, cites: tuple[str, ...]) -> list[str]:
    """Trade-off titles only, for the terminal (ids stay in JSON and Markdown)."""
    return [rules.tradeoffs[c].title if c in rules.tradeoffs else c for c in cites]


def weight_sentence(expl: Explanation) -> str:
    flip = expl.smallest_flip
    return flip.sentence if flip is not None else NO_FLIP


def where(expl: Explanation, line: int | None) -> str:
    """``default.yaml:123``: the rule set's file name and the rule's line."""
    name = PurePath(expl.source).name or expl.source
    return f"{name} (decision)" if line is None else f"{name}:{line}"


def points_text(rules: RuleSet, points: tuple[tuple[str, float], ...],
                exclude: tuple[str, ...] = ()) -> str:
    """``Open-source LLM +3, Hybrid of both +1; rules out Closed-source LLM``."""
    parts = [f"{outcome_label(rules, o)} {p:+g}" for o, p in points]
    text = ", ".join(parts)
    if exclude:
        out = "rules out " + ", ".join(outcome_label(rules, o) for o in exclude)
        text = f"{text}; {out}" if text else out
    return text


def would_do(rules: RuleSet, points: tuple[tuple[str, float], ...],
             exclude: tuple[str, ...] = ()) -> str:
    """What a rule that did not fire would do, as a clause: ``it would give Open-source
    LLM +3 and rule out Closed-source LLM``, ``it would rule out Closed-source LLM``."""
    given = ", ".join(f"{outcome_label(rules, o)} {p:+g}" for o, p in points)
    names = [outcome_label(rules, o) for o in exclude]
    out = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 2 else names)
    if given and out:
        return f"it would give {given} and rule out {out}"
    if out:
        return f"it would rule out {out}"
    return f"it would give {given or 'no points'}"


def scenario_why(expl: Explanation) -> str:
    """Why the scenario was picked: the rule set's sentence and the condition that chose it."""
    sc = expl.scenario
    if sc is None:
        return ""
    return f"{sc.because} (Chosen because {sc.condition}.)" if sc.condition else sc.because


@frozen
class LessonSteps:
    lesson: str
    title: str
    text: str
    steps: tuple[Step, ...]


def steps_by_lesson(rules: RuleSet, expl: Explanation) -> list[LessonSteps]:
    """Next steps grouped under the article's lessons, in the article's order."""
    return group_by_lesson(rules, expl.next_steps)


def group_by_lesson(rules: RuleSet, next_steps: Iterable[Step]) -> list[LessonSteps]:
    """Steps (already in the article's order of lessons) grouped under their lesson."""
    groups: dict[str, list[Step]] = {}
    for s in next_steps:
        groups.setdefault(s.lesson, []).append(s)
    out = []
    for lesson, steps in groups.items():
        t = rules.tradeoffs.get(lesson)
        out.append(LessonSteps(lesson, t.title if t else lesson, t.text if t else "",
                               tuple(steps)))
    return out


def flip_at(flip: WeightFlip) -> str:
    """Where a weight flip happens: ``3.25``, or ``> 3`` when the points must pass 3."""
    if not flip.beyond:
        return num_toward(flip.threshold, flip.change > 0)  # as the sentence words it
    if abs(flip.threshold - flip.points) < 0.005:  # as the sentence words it: any change
        return "any more" if flip.change > 0 else "any less"
    up = flip.change > 0
    if abs(round(flip.threshold, 2) - flip.threshold) < 1e-9:  # on the grid: exact
        return f"{'>' if up else '<'} {num(flip.threshold)}"
    return f"{'>=' if up else '<='} {num(flip.to)}"


def signed_relative(flip: WeightFlip) -> str:
    """The relative change with its direction: ``+50%``, ``-33%``."""
    if flip.relative == 0:
        return "any"
    return f"{'+' if flip.change > 0 else '-'}{flip.relative:.0%}"


def beyond_text(b: BeyondArticle | None) -> str | None:
    """``beyond the article: <source>, as of <date>``, or None."""
    return None if b is None else f"beyond the article: {b.source}, as of {b.as_of}"


def rule_beyond(rules: RuleSet, rule_id: str) -> str | None:
    """:func:`beyond_text` of a rule of ``rules`` (None for the article's own, or no rule)."""
    return beyond_text(next((r.beyond_article for r in rules.rules if r.id == rule_id), None))


def penalties(rules: RuleSet, result: Result, pro_con: Sides) -> tuple[Contribution, ...]:
    """Points taken from an outcome that did not win (``budget-one-stack``: hybrid -5): a
    reason for the winner over it, worded "Against <outcome>: ..." so that no fired rule's
    points are left without a reason row."""
    shared = {c.rule for c in pro_con.shared}
    return tuple(dataclasses.replace(c, because=f"Against {outcome_label(rules, c.outcome)}: "
                                                 f"{c.because}")
                 for c in result.contributions
                 if c.outcome != result.recommendation and c.points < 0 and
                 c.rule not in shared and c.rule != MIXED_RULE_ID)


def scenario_title(rules: RuleSet, result: Result, title: str) -> str:
    """The scenario's ``title`` with the chosen scenario rule's ``label`` after it, when it has
    one (the article's Hybrid Approach, for an open verdict: "open base + your own layers")."""
    label = next((sc.label for sc in rules.scenarios if sc.id == result.scenario and
                  sc.because == result.scenario_because), None)
    return f"{title} ({label})" if label else title
