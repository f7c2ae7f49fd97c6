"""The team report as JSON (``team --format json``): everything the other formats show,
as data; its schema is ``tests/data/team-report.schema.json`` and the README describes it.

``team`` holds the merged recommendation's full report (the same object as
``recommend --format json`` gives for the merged answers). Keys may be added, never
renamed or removed. The same files and rule set always give the same bytes.
"""

from __future__ import annotations

import json

from llmchoice.answers.validate import to_plain
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import RuleSet
from llmchoice.team.analysis import Disagreement, TeamResult
from llmchoice.team.merge import MergedAnswer

from .advice import NO_VERDICT_TITLE
from .fit import shown_path
from .json_report import to_dict
from .team_plan import TeamPlan
from .team_view import MERGE_RULE, build_team_view

TEAM_REPORT_VERSION = 1


def _value(v: Answer | None) -> object:
    return list(v) if isinstance(v, tuple) else v


def _answer(m: MergedAnswer) -> dict[str, object]:
    return {"question": m.question, "value": _value(m.value), "how": m.how,
            "votes": [{"value": _value(v.value), "people": list(v.people)} for v in m.votes],
            "unsure": list(m.unsure), "rules": list(m.rules), "rules_out": list(m.rules_out)}


def _disagreement(d: Disagreement) -> dict[str, object]:
    return {"question": d.question, "kind": d.kind, "team_value": _value(d.merged.value),
            "how": d.merged.how, "changes_recommendation": d.changes_recommendation,
            "changes_path": d.changes_path, "changes_certainty": d.changes_certainty,
            "flip": d.flip,
            "answers": [{"value": _value(a.value), "people": list(a.people),
                         "recommendation": a.recommendation, "path": a.path,
                         "close": a.close, "tie": a.tied} for a in d.alternatives]}


def _plan(p: TeamPlan) -> dict[str, object]:
    """The ``plan`` key: the plan sections the other formats show, in their words."""
    return {
        "outcomes": list(p.outcomes),
        "plans": [{"heading": v.heading, "path": v.id, "label": v.label,
                   "summary": v.summary, "because": v.because,
                   "cites": [c for c, _, _ in v.cites], "beyond_article": v.beyond,
                   "notes": list(v.notes)} for v in p.plans],
        "cost": None if p.cost is None else [{"text": c.text, "path_cost": c.highlight}
                                             for c in p.cost],
        "next_steps": [{"heading": s.heading,
                        "lessons": [{"lesson": g.lesson, "title": g.title, "text": g.text,
                                     "steps": [{"id": st.id, "text": st.text}
                                               for st in g.steps]} for g in s.groups]}
                       for s in p.steps],
    }


def team_dict(rules: RuleSet, t: TeamResult) -> dict[str, object]:
    r = t.result
    view = build_team_view(rules, t)
    return {
        "team_report_version": TEAM_REPORT_VERSION,
        "recommendation": r.recommendation,
        "path": r.path.id if r.path else None,
        "certainty": t.certainty or r.certainty.label,
        # false with no clear verdict (the team record's status "undecided"): then
        # ``recommendation`` is the merged answers' lean, not the team's decision
        "decided": view.title != NO_VERDICT_TITLE,
        "between": list(t.between),
        "unsettled": [d.question for d in t.unsettled],
        "merge_rule": MERGE_RULE,
        "people": [{"name": p.person.name, "source": shown_path(p.person.source),
                    "answers": to_plain(p.person.resolved.answers),
                    "unsure": list(p.person.resolved.unsure),
                    "recommendation": p.result.recommendation,
                    "path": p.result.path.id if p.result.path else None,
                    "certainty": p.result.certainty.label,
                    "scores": dict(p.result.scores)} for p in t.people],
        "answers": [_answer(m) for m in t.merged.answers],
        "constraints": [_answer(m) for m in t.merged.answers if m.constraint],
        "disagreements": [_disagreement(d) for d in t.disagreements],
        "settle_first": [{"question": d.question, "sentence": s}
                         for d, s in zip(t.settle_first, view.settle_first, strict=True)],
        "team": to_dict(r, rules, None),
        "plan": _plan(view.plan),
        "ruleset": {"id": r.ruleset.id, "version": r.ruleset.version,
                    "sha256": r.ruleset.sha256},
    }


def render_team_json(rules: RuleSet, t: TeamResult) -> str:
    return json.dumps(team_dict(rules, t), indent=2, ensure_ascii=False) + "\n"
