"""The JSON report (its contract: README.md, "The JSON report"): keys are only added.

Version 2 (``report_version: 2``) adds ``path``, ``certainty``, ``unsure``,
``open_answers``, ``deciding_facts``, ``excluded_paths`` and, on contributions, path
exclusions and fired rules whose rule goes beyond the article, ``beyond_article``;
``confidence`` keeps its name and is now the certainty's clarity. Later additions to
version 2: ``certainty.close``, ``unconstrained_winner``, ``unconstrained_margin`` and
``alternative_path``; ``open_answers.unclear`` (overall and per value); ``what_if[].tie``;
``what_if[].too_close`` and ``what_if[].constraint``; the certainty basis ``defaults``;
``earned`` (each outcome's points as the text reports show them: a ruled-out outcome's
too, where ``scores`` gives it 0) and ``headline`` (the title, the outcomes it names and
the plan given for each: with no clear verdict, the same two the text reports name),
each plan's ``path_assumptions``, and ``decided`` (false when the report gives no clear
verdict: ``recommendation`` is then the scores' lean, not a recommendation).

The same answers and rule set always give the same bytes: keys are emitted in a
fixed order, lists in evaluation order, and nothing depends on time or locale.
"""

from __future__ import annotations

import json
from pathlib import PurePath

from llmchoice.answers.validate import to_plain
from llmchoice.decide.explain import PLAUSIBLE_CHANGE, RESOLUTION, Cited, Explanation
from llmchoice.decide.result import (
    Certainty,
    ChosenPath,
    DecidingFact,
    Exclusion,
    PathAssumption,
    Result,
    UnsureAnalysis,
)
from llmchoice.ruleset.model import BeyondArticle, RuleSet

from .advice import NO_VERDICT_TITLE, verdict_title
from .common import outcome_label, scenario_id, steps_by_lesson
from .path_notes import json_fields as plan_fields
from .plans import alternative_assumptions, framed, plan_pair
from .standing import earned_scores, provisional
from .still_open import json_fields


def _value(v: object) -> object:
    return list(v) if isinstance(v, tuple) else v


def _cites(cites: tuple[Cited, ...]) -> list[dict[str, str]]:
    return [{"id": c.id, "title": c.title, "text": c.text} for c in cites]


def _points(points: tuple[tuple[str, float], ...]) -> dict[str, float]:
    return {o: float(p) for o, p in points}


REPORT_VERSION = 2


def _beyond(b: BeyondArticle | None) -> dict[str, str] | None:
    return None if b is None else {"source": b.source, "as_of": b.as_of}


def _path(p: ChosenPath | None) -> dict[str, object] | None:
    if p is None:
        return None
    return {"id": p.id, "outcome": p.outcome, "label": p.label, "summary": p.summary,
            "hosting": p.hosting, "cost_option": p.cost_option, "because": p.because,
            "cites": list(p.cites), "beyond_article": _beyond(p.beyond_article)}


def _certainty(c: Certainty) -> dict[str, object]:
    return {"basis": c.basis, "clarity": c.clarity, "label": c.label,
            "constraints": list(c.constraints), "tied": list(c.tied),
            "unconstrained_clarity": c.unconstrained_clarity,
            "close": list(c.close), "unconstrained_winner": c.unconstrained_winner,
            "unconstrained_margin": c.unconstrained_margin,
            "alternative_path": _path(c.alternative)}


def _assumptions(rows: tuple[PathAssumption, ...]) -> list[dict[str, object]]:
    """A plan's ``path_assumptions`` (the same shape as the top-level key)."""
    return [{"question": a.question, "unsure": a.unsure, "holds": [_value(v) for v in a.holds],
             "changes": [{"value": _value(v), "recommendation": o, "path": p or None}
                         for v, o, p in a.changes]}
            for a in rows]


def _headline(rules: RuleSet, result: Result) -> dict[str, object]:
    """What every text report says first: its title, the outcomes it names (two with no
    clear verdict, in the title's order) and the plan it gives for each (report.plans),
    with what that plan assumes of the questions left open (with no clear verdict, each
    plan's own: an answer that would exclude it or run it another way)."""
    title = verdict_title(rules, result)[0]
    pair = plan_pair(result)
    plan = framed(rules, result, pair)
    outcomes = pair or (result.recommendation,)
    paths = (plan.path, plan.certainty.alternative) if pair else (result.path,)
    assumed = ((plan.path_assumptions, alternative_assumptions(rules, plan)) if pair
               else (result.path_assumptions,))
    return {"title": title, "outcomes": list(outcomes),
            "plans": [{"outcome": o, "path": _path(p), "path_assumptions": _assumptions(a)}
                      for o, p, a in zip(outcomes, paths, assumed, strict=True)]}


def _provisional(rules: RuleSet, result: Result) -> dict[str, object]:
    """``provisional`` when the unanswered questions could still give another outcome
    (``--partial``; the text reports then say "Leaning"): a reader of the JSON must not
    take ``certainty.label`` for the last word."""
    p = provisional(rules, result)
    if p is None:
        return {}
    return {"provisional": {"unanswered": p.unanswered, "questions": p.questions,
                            "others": list(p.others)}}


def _open_answers(oa: UnsureAnalysis | None) -> dict[str, object] | None:
    if oa is None:
        return None
    return {
        "completions": oa.completions, "sampled": oa.sampled,
        "contradictory": oa.contradictory, "shares": dict(oa.shares),
        "questions": [
            {"question": q.question,
             "values": [{"value": _value(v.value), "counts": dict(v.counts),
                         "unclear": v.unclear}
                        for v in q.values]}
            for q in oa.questions],
        "settle_first": oa.settle_first,
        "unclear": oa.unclear,
    }


def _facts(facts: tuple[DecidingFact, ...]) -> list[dict[str, object]]:
    return [{"question": f.question, "value": _value(f.value),
             "changes": [{"to": _value(v), "recommendation": rec} for v, rec in f.changes]}
            for f in facts]


def _exclusions(rows: tuple[Exclusion, ...], beyond: dict[str, BeyondArticle],
                key: str) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for e in rows:
        row: dict[str, object] = {key: e.outcome, "rule": e.rule, "because": e.because,
                                  "cites": list(e.cites)}
        if e.rule in beyond:
            row["beyond_article"] = _beyond(beyond[e.rule])
        out.append(row)
    return out


def explanation_dict(expl: Explanation, rules: RuleSet) -> dict[str, object]:
    """The ``explanation`` key: everything ``--explain`` shows, always present in JSON."""
    r = expl.robustness
    sc = expl.scenario
    beyond = {r.id: r.beyond_article for r in rules.rules if r.beyond_article is not None}
    flips = [
        {"rule": f.rule, "line": f.line, "outcome": f.outcome, "points": f.points,
         "threshold": f.threshold, "beyond": f.beyond, "to": f.to, "change": f.change,
         "relative": f.relative, "recommendation": f.recommendation, "sentence": f.sentence}
        for f in expl.weight_flips
    ]
    d = expl.decisive
    return {
        # The file's name, not its path: the same rule set gives the same bytes anywhere.
        "file": PurePath(expl.source).name or expl.source,
        "fired": [
            {"rule": f.rule, "line": f.line, "when": f.when, "points": _points(f.points),
             "exclude": list(f.exclude), "because": f.because, "cites": _cites(f.cites),
             **({"beyond_article": _beyond(beyond[f.rule])} if f.rule in beyond else {})}
            for f in expl.fired
        ],
        "skipped": [
            {"rule": s.rule, "line": s.line, "missing": list(s.missing),
             "points": _points(s.points), "exclude": list(s.exclude), "because": s.because}
            for s in expl.skipped
        ],
        "near_misses": [
            {"rule": n.rule, "line": n.line, "failed": n.failed, "question": n.question,
             "answer": _value(n.answer), "points": _points(n.points),
             "exclude": list(n.exclude), "because": n.because}
            for n in expl.near_misses
        ],
        "decisive": None if d is None else {
            "question": d.question, "from": _value(d.from_value), "to": _value(d.to_value),
            "recommendation": d.recommendation, "margin": d.margin, "sentence": d.sentence},
        "weight_sensitivity": {
            "plausible_change": PLAUSIBLE_CHANGE,
            "resolution": RESOLUTION,
            "smallest": flips[0] if flips else None,
            "flips": flips,
        },
        "robustness": {
            "share": r.share, "kept": r.kept, "samples": r.samples, "seed": r.seed,
            "perturbation": r.perturbation, "weight_perturbation": r.weight_perturbation,
            "others": dict(r.others), "reading": r.reading},
        "scenario": None if sc is None else {
            "id": sc.id, "title": sc.title, "text": sc.text, "because": sc.because,
            "condition": sc.condition, "line": sc.line},
        "next_steps": [
            {"lesson": g.lesson, "title": g.title, "text": g.text,
             "steps": [{"id": s.id, "text": s.text, "cites": _cites(s.cites), "line": s.line}
                       for s in g.steps]}
            for g in steps_by_lesson(rules, expl)
        ],
    }


def decided(rules: RuleSet, result: Result) -> bool:
    """The report gives a verdict: false when its title says "No clear verdict" (a
    decision record's status is then ``undecided``); ``recommendation`` is then only
    where the scores lean."""
    return verdict_title(rules, result)[0] != NO_VERDICT_TITLE


def to_dict(result: Result, rules: RuleSet,
            explanation: Explanation | None = None) -> dict[str, object]:
    beyond = {r.id: r.beyond_article for r in rules.rules if r.beyond_article is not None}
    contributions: list[dict[str, object]] = []
    for c in result.contributions:
        row: dict[str, object] = {"rule": c.rule, "outcome": c.outcome,
                                  "points": float(c.points), "because": c.because,
                                  "cites": list(c.cites)}
        if c.rule in beyond:
            row["beyond_article"] = _beyond(beyond[c.rule])
        contributions.append(row)
    out: dict[str, object] = {
        "report_version": REPORT_VERSION,
        "recommendation": result.recommendation,
        "label": outcome_label(rules, result.recommendation),
        "scores": dict(result.scores),
        "earned": earned_scores(result, rules),
        "confidence": result.confidence,
        "answers": to_plain(result.answers),
        "contributions": contributions,
        "what_if": [
            {"question": w.question, "from": _value(w.from_value), "to": _value(w.to_value),
             "recommendation": w.recommendation, "tie": w.tie, "too_close": w.too_close,
             "constraint": w.constraint}
            for w in result.what_if
        ],
        # as in batch rows: the v1 keys only (the rule's beyond_article is in the trace)
        "excluded": _exclusions(result.excluded, {}, "outcome"),
        "skipped": [{"rule": s.rule, "missing": list(s.missing)} for s in result.skipped],
        "not_applicable": list(result.not_applicable),
        "scenario": scenario_id(result.scenario),
        "scenario_because": result.scenario_because,
        "ruleset": {"id": result.ruleset.id, "version": result.ruleset.version,
                    "sha256": result.ruleset.sha256},
        "path": _path(result.path),
        "excluded_paths": _exclusions(result.excluded_paths, beyond, "path"),
        "certainty": _certainty(result.certainty),
        "unsure": list(result.unsure),
        "open_answers": _open_answers(result.open_answers),
        "deciding_facts": _facts(result.deciding_facts),
        "headline": _headline(rules, result),
        "decided": decided(rules, result),
        **json_fields(result),  # not_asked, reach, target: only when there are some
        **plan_fields(rules, result),  # path_assumptions, budget: only when there are some
        **_provisional(rules, result),
    }
    if explanation is not None:
        out["explanation"] = explanation_dict(explanation, rules)
    if result.cost is not None:
        # lazy: only reports with a volume need the cost model
        from llmchoice.cost.estimate import to_json

        out["cost"] = to_json(result.cost)
    return out


def render_json(result: Result, rules: RuleSet, explanation: Explanation | None = None) -> str:
    return json.dumps(to_dict(result, rules, explanation), indent=2, ensure_ascii=False) + "\n"
