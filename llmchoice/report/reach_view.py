"""What a report says about questions left open, worded once for every format: the
questions the adaptive quiz did not ask, the outcomes still reachable (``--partial``) and
what it would take for another outcome to win (``--target``). Nothing here scores:
:mod:`llmchoice.decide.partial` did."""

from __future__ import annotations

from typing import TYPE_CHECKING

from llmchoice.answers.show import show_value
from llmchoice.decide.result import Result
from llmchoice.ruleset.model import RuleSet

from .common import outcome_label, pts_words, question_title
from .still_open import Section

if TYPE_CHECKING:  # the reach's modules are imported only when a report has a reach
    from llmchoice.decide.reach import Reach
    from llmchoice.decide.reach_paths import PathReach, Paths
    from llmchoice.decide.reach_steps import StepReach
    from llmchoice.decide.target import TargetPlan



def _either(rules: RuleSet, outcomes: tuple[str, ...] | list[str], word: str = "or") -> str:
    names = [outcome_label(rules, o) for o in outcomes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {word} " + names[-1]


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _titles(rules: RuleSet, qids: tuple[str, ...]) -> str:
    return ", ".join(question_title(rules, q) for q in qids)


def _path_label(rules: RuleSet, path: str | None) -> str:
    return "no way to run it declared" if path is None else rules.path(path).label


def _ways(rules: RuleSet, paths: Paths) -> str:
    """The ways still open, in one phrase ("self-hosted, through a hosted API or in a
    private endpoint")."""
    # lazy: only reports with open questions or a target need the reach (about 3 ms)
    from llmchoice.decide.reach_paths import ways

    labels = [rules.path(p).label for p in paths if p is not None]
    names = ways(labels) + (["no way at all"] if None in paths else [])
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _how(rules: RuleSet, pr: PathReach) -> str:
    """How ``pr.outcome`` may be run, and which open questions would settle it."""
    if pr.settled:
        return _path_label(rules, pr.paths[0]) + "."
    titles = [question_title(rules, q) for q in pr.deciding]
    by = f", depending on {_and(titles)}" if titles else ""
    return f"{_ways(rules, pr.paths)}{by}."


def _advice(rules: RuleSet, steps: StepReach) -> str:
    """Which advice the open questions may still change, in one phrase: "the next steps
    under Skill Up and Adapt to Change, depending on In-house expertise and Time to
    market"."""
    every = [set(s) for s in steps.sets]
    moving: set[str] = set()
    if every:
        moving = every[0].union(*every[1:]) - every[0].intersection(*every[1:])
    lessons: list[str] = []
    for ns in rules.next_steps:
        if ns.id not in moving:
            continue
        lesson = next((c for c in ns.cites if c in rules.tradeoffs
                       and rules.tradeoffs[c].kind == "lesson"), None)
        title = rules.tradeoffs[lesson].title if lesson is not None else ""
        if title and title not in lessons:
            lessons.append(title)
    under = f" under {_and(lessons)}" if lessons else ""
    titles = [question_title(rules, q) for q in steps.deciding]
    by = f", depending on {_and(titles)}" if titles else ""
    return f"the next steps{under}{by}"


def not_asked_lines(rules: RuleSet, result: Result) -> tuple[str, ...]:
    """Whether the questions the quiz did not ask could change the verdict now: the
    outcome, the way to run it or the advice (the next steps)."""
    reach = result.reach
    titles = _titles(rules, result.not_asked)
    them = "them" if len(result.not_asked) > 1 else "it"
    they = "they were" if len(result.not_asked) > 1 else "it was"
    rec = result.recommendation
    ways_now = reach.paths_of(rec) if reach is not None else None
    if reach is not None and reach.reachable == (rec,) and (ways_now is None or
                                                            ways_now.settled):
        if reach.steps is not None and not reach.steps.settled:
            return (f"Not asked: {titles}. With this rule set no answer to {them} changes "
                    f"the recommendation or how to run it, but an answer could change the "
                    f"advice: {_advice(rules, reach.steps)}. This report gives the advice "
                    f"as if {they} unanswered, so answer {them} to be sure.",)
        return (f"Not needed: {titles}. With this rule set no answer to {them} changes the "
                f"recommendation, how to run it or the advice, so the quiz stopped before "
                f"{them}.",)
    if reach is not None and reach.reachable == (rec,) and ways_now is not None:
        now = _path_label(rules, result.path.id if result.path is not None else None)
        return (f"Not asked: {titles}. With this rule set no answer to {them} changes the "
                f"recommendation, but an answer could change how to run it: "
                f"{_how(rules, ways_now)} This report runs it as {now}, as if {they} "
                f"unanswered, so answer {them} to be sure.",)
    others = [o for o in (reach.reachable if reach else ()) if o != rec]
    return (f"Not asked: {titles}. With this rule set an answer to {them} could change the "
            f"recommendation (to {_either(rules, others)}); it is made as if unanswered, so "
            f"answer {them} to be sure.",)


def reach_lines(rules: RuleSet, reach: Reach) -> tuple[str, ...]:
    """The outcomes still reachable, what each deciding open question's answers leave, and
    how each reachable outcome may be run."""
    if not reach.open:
        return ("Every question is answered: nothing is left open.",)
    gone = [o for o in rules.outcome_ids if o not in reach.reachable]
    n = f"{len(reach.open)} open question{'s' if len(reach.open) != 1 else ''}"
    if len(reach.reachable) == 1:
        only = reach.reachable[0]
        pr = reach.paths_of(only)
        if pr is None or pr.settled:
            run = f" ({_path_label(rules, pr.paths[0])})" if pr is not None else ""
            lines = [f"Settled: {outcome_label(rules, only)}{run}, whatever the answers to "
                     f"the {n}."]
            if reach.steps is not None and not reach.steps.settled:
                lines.append(f"The advice is not settled: {_advice(rules, reach.steps)}.")
        else:
            lines = [f"Settled: {outcome_label(rules, only)}, whatever the answers to the {n}; "
                     f"how to run it is not.",
                     f"How to run it: {_how(rules, pr)}"]
    else:
        out = f" ({_either(rules, gone)} cannot win, whatever the open answers)" if gone else ""
        lines = [f"Still possible: {_either(rules, reach.reachable, 'and')}{out}."]
        lines += [f"If {outcome_label(rules, pr.outcome)} wins: {_how(rules, pr)}"
                  for pr in reach.paths]
    for q in reach.deciding():
        parts = [f"{show_value(v)}: {_either(rules, won) if won else 'no outcome'}"
                 for v, won in q.outcomes if v is not None]
        lines.append(f"{question_title(rules, q.question)} — {'; '.join(parts)}")
    settle = [question_title(rules, q.question) for q in reach.questions if q.settling()]
    if settle and len(reach.reachable) > 1:
        lines.append(f"An answer to any of these can settle it: {', '.join(settle)}.")
    return tuple(lines)


def target_lines(rules: RuleSet, plan: TargetPlan) -> tuple[str, ...]:
    label = outcome_label(rules, plan.outcome)
    if plan.outcome == plan.current:
        return (f"{label} already wins: nothing to change.",)
    if plan.possible:
        n = len(plan.changes)
        changes = "; ".join(f"{question_title(rules, c.question)}: {show_value(c.from_value)} "
                            f"→ {show_value(c.to_value)}" for c in plan.changes)
        then = (f"{label} would then be the only outcome left: the new answers rule out "
                "every other (a hard requirement, not a lead of points)" if plan.forced else
                f"{label} would then lead by {pts_words(plan.margin)}")
        return (f"At least {n} change{'s' if n != 1 else ''} of your answers: {changes}.",
                f"{then}; no fewer changes do it.")
    lines = [f"No change of your preferences makes {label} win."]
    for b in plan.blockers:
        read = ", ".join(f"{question_title(rules, q)}: {show_value(v)}" for q, v in b.answers)
        also = "" if b.fixed else " (you could change this answer, but that alone is not enough)"
        lines.append(f"{b.rule} ({read}) rules it out{also}: {b.because}")
    if not any(b.fixed for b in plan.blockers):
        facts = ", ".join(f"{question_title(rules, q)}: {show_value(v)}" for q, v in plan.facts)
        lines.append("Whatever the preferences, it never has the most points"
                     + (f" with your facts ({facts})." if facts else "."))
    return tuple(lines)


def still_open(rules: RuleSet, result: Result) -> tuple[Section, ...]:
    """The sections, in order; empty when nothing was left open or targeted."""
    out: list[Section] = []
    if result.not_asked:
        out.append(("not-asked", "Questions the quiz did not ask",
                    not_asked_lines(rules, result)))
    if result.reach is not None and set(result.reach.open) - set(result.not_asked):
        out.append(("still-possible", "What the open questions leave possible",
                    reach_lines(rules, result.reach)))
    if result.target is not None:
        out.append(("target", f"What it would take for "
                              f"{outcome_label(rules, result.target.outcome)} to win",
                    target_lines(rules, result.target)))
    return tuple(out)


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def json_fields(result: Result) -> dict[str, object]:
    """The JSON report's optional keys: ``not_asked``, ``reach`` and ``target``, each only
    when there is something to say (reports without them are unchanged)."""
    out: dict[str, object] = {}
    if result.not_asked:
        out["not_asked"] = list(result.not_asked)
    r = result.reach
    if r is not None:
        reach: dict[str, object] = {
            "open": list(r.open), "reachable": list(r.reachable),
            "questions": [{"question": q.question, "decides": bool(q.moves(r.reachable)),
                           "answers": [{"value": _plain(v), "reachable": list(won)}
                                       for v, won in q.outcomes]}
                          for q in r.questions]}
        if r.paths:
            reach["paths"] = [{"outcome": p.outcome, "paths": list(p.paths),
                               "deciding": list(p.deciding)} for p in r.paths]
        if r.steps is not None:
            reach["next_steps"] = {"outcome": r.steps.outcome, "path": r.steps.path,
                                   "settled": r.steps.settled,
                                   "deciding": list(r.steps.deciding)}
        out["reach"] = reach
    t = result.target
    if t is not None:
        out["target"] = {
            "outcome": t.outcome, "current": t.current, "possible": t.possible,
            "changes": [{"question": c.question, "from": _plain(c.from_value),
                         "to": _plain(c.to_value)} for c in t.changes],
            "margin": t.margin, "forced": t.forced,
            "blockers": [{"rule": b.rule, "because": b.because,
                          "answers": {q: _plain(v) for q, v in b.answers}}
                         for b in t.blockers]}
    return out


__all__ = ["Section", "json_fields", "still_open"]
