"""The report view decides what every format says, and in what order."""

from __future__ import annotations

import html

from _reports_support import ANSWER_SETS

from llmchoice.cost.for_answers import with_cost
from llmchoice.decide.engine import evaluate
from llmchoice.decide.explain import explain
from llmchoice.report import render
from llmchoice.report.view import build_view
from llmchoice.ruleset.load import load_ruleset

RS = load_ruleset("default")


def _view(name: str, **extra: object):  # type: ignore[no-untyped-def]
    result = with_cost(evaluate(RS, {**ANSWER_SETS[name], **extra}), RS)  # type: ignore[arg-type]
    ex = explain(RS, result)
    return result, ex, build_view(result, RS, ex)


def test_the_view_orders_facts_scores_and_reasons() -> None:
    result, ex, v = _view("hybrid-middle")
    # the certainty's basis first, then clarity and robustness
    # unanswered facts decide it too: the answer is named a preference, the facts apart
    assert [name for name, _ in v.facts] == ["Basis", "Certainty", "Robustness", "Scenario",
                                             "Decisive preference", "Deciding facts"]
    assert v.facts[0][1].startswith("Decided by the scores: Hybrid of both leads")
    # the mixed bonus is not a reason: a hybrid's "why" says how the needs pull both ways
    assert v.why.rows == () and v.why.note is not None
    assert v.why.note.startswith("Your needs pull both ways (Open-source LLM ")
    assert [r.outcome for r in v.scores] == result.ranking()
    assert [r.points for r in v.why.rows] == sorted((r.points for r in v.why.rows),
                                                    reverse=True)
    assert v.against is not None and v.against.heading.startswith("What it combines")
    # the explanation's decisive answer leads the what-ifs
    assert ex.decisive is not None and v.what_if.sentences[0] == ex.decisive.sentence


def test_ruled_out_outcomes_come_last_and_say_why() -> None:
    _, _, v = _view("open-air-gapped")
    # outcome exclusions first (every rule's: transparency essential and data on premises
    # both rule out closed and hybrid), then the ways of running it that a rule ruled out
    assert [(r.kind, r.outcome, r.rule) for r in v.ruled_out] == [
        ("outcome", "closed", "transparency-essential"),
        ("outcome", "hybrid", "transparency-essential"),
        ("outcome", "closed", "data-on-premises"), ("outcome", "hybrid", "data-on-premises"),
        ("path", "open.hosted-api", "data-on-premises"),
        ("path", "open.private-endpoint", "data-on-premises")]
    assert v.ruled_out[4].label == "Open weights through a hosted API"
    assert v.ruled_out[4].beyond is not None and "as of 2026-12" in v.ruled_out[4].beyond
    assert v.scores[-1].ruled_out and v.scores[-1].outcome == "hybrid"
    assert v.scores[0].winner and v.label == "Open-source LLM"


def test_every_format_says_the_views_sentences() -> None:
    result, ex, v = _view("closed-bank", monthly_tokens=40)
    texts = {fmt: render(result, RS, fmt, explanation=ex, width=400)
             for fmt in ("terminal", "markdown", "html")}
    texts["html"] = html.unescape(texts["html"])
    texts["markdown"] = texts["markdown"].replace("\\", "")
    assert v.cost is not None and v.scenario is not None
    for fmt, text in texts.items():
        for sentence in (*v.what_if.sentences[:5], v.cost[0].text, v.scenario.title,
                         v.headline, v.certainty.basis):
            assert sentence in text, (fmt, sentence)
    # unanswered optional questions: said once, where the trace is not shown
    assert v.not_decided and "Data location" in v.not_decided_summary
    assert not build_view(result, RS, ex, explain=True).not_decided
