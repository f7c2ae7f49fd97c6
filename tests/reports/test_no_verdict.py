"""What a reader sees when there is no clear verdict, a forced one, or a close what-if.

Run through the real command line with a small rule set of its own
(``tests/data/plans-rules.yaml``), whose answer to ``q`` picks the kind of verdict: ``tie``
(open 3, closed 3), ``close`` (open 3.5, closed 3), ``clear`` (open 10, closed 1) and
``lean`` (hybrid 8, closed 5). ``staff: no_`` rules out hybrid, ``data: prem`` forces open.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from _reports_support import cli, write_answers

from llmchoice.cost.estimate import estimate
from llmchoice.cost.words import usd_words
from llmchoice.decide.engine import evaluate
from llmchoice.report.costline import cost_view
from llmchoice.report.view import build_view
from llmchoice.ruleset.load import load_ruleset
from llmchoice.ruleset.model import RuleSet

PLANS = Path(__file__).resolve().parents[1] / "data" / "plans-rules.yaml"
FORMATS = ("terminal", "markdown", "html")


@pytest.fixture(scope="module")
def plans() -> RuleSet:
    return load_ruleset(str(PLANS))


def _flat(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


def _read(fmt: str, out: str) -> str:
    """The report as a reader reads it: no markup, wrapped lines joined."""
    if fmt == "markdown":
        out = out.replace("\\", "").replace("**", "")
    if fmt == "html":
        out = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"</?(b|span|q)\b[^>]*>", "", out)))
    return _flat(out)


def _report(workdir: Path, fmt: str, *extra: str, **answers: object) -> str:
    given = write_answers(workdir, "a", {"staff": "yes_", **answers})
    args = ["--format", fmt] + (["--explain"] if fmt != "json" else [])
    result = cli("recommend", str(given), "--rules", str(PLANS), *args, *extra)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


def _json(workdir: Path, **answers: object) -> dict[str, Any]:
    data = json.loads(_report(workdir, "json", **answers))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_tie_is_headlined_as_no_verdict_and_gives_both_plans(workdir: Path, fmt: str) -> None:
    raw = _report(workdir, fmt, q="tie")
    text = _read(fmt, raw)
    if fmt == "markdown":
        assert raw.startswith("# No clear verdict: Open or Closed\n")
    if fmt == "html":
        assert "<h1>No clear verdict: Open or Closed</h1>" not in raw
        assert '<p class="kicker">No clear verdict</p><h1>Open or Closed</h1>' in raw
        assert "<title>No clear verdict: Open or Closed</title>" in raw
    if fmt == "terminal":
        assert raw.startswith("╭─ No clear verdict")
        assert "Recommendation" not in raw.splitlines()[0]
    assert "A tie between Open and Closed (3 points each), so no verdict: both plans are " \
           "shown. The tie-break order leans to Open" in text
    assert "If Open: Open through an API: Hosted open." in text
    assert "If Closed: The vendor's API: Vendor API." in text
    assert text.index("If Open:") < text.index("If Closed:")
    # the next steps of each plan, under their own heading
    assert "Next steps if Open" in text and "Try an open model." in text
    assert "Next steps if Closed" in text and "Try the vendor." in text
    assert text.index("Try an open model.") < text.index("Next steps if Closed") \
        < text.index("Try the vendor.")


def test_a_tie_in_json_names_both_and_the_other_plan(workdir: Path) -> None:
    c = _json(workdir, q="tie")["certainty"]
    assert (c["basis"], c["label"], c["tied"], c["close"]) == \
        ("tie", "none", ["open", "closed"], [])
    assert c["alternative_path"]["id"] == "closed.api"
    assert c["unconstrained_winner"] is None and c["unconstrained_margin"] is None


@pytest.mark.parametrize("fmt", FORMATS)
def test_too_close_a_call_is_no_verdict_and_not_a_tie(workdir: Path, fmt: str) -> None:
    text = _read(fmt, _report(workdir, fmt, q="close"))
    assert "No clear verdict" in text and "Open or Closed" in text
    assert "No basis for a verdict yet: Open leads Closed by 0.5 points, less than any " \
           "single answer moves, so both plans are shown. The scores lean to Open" in text
    assert "If Closed: The vendor's API" in text
    assert "A tie" not in text


def test_too_close_in_json_is_close_not_tied(workdir: Path) -> None:
    c = _json(workdir, q="close")["certainty"]
    assert (c["basis"], c["tied"], c["close"]) == ("too_close", [], ["open", "closed"])
    assert c["alternative_path"]["id"] == "closed.api"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_clear_verdict_keeps_its_recommendation_headline_and_one_plan(
        workdir: Path, fmt: str) -> None:
    raw = _report(workdir, fmt, q="clear")
    text = _read(fmt, raw)
    assert "Recommendation" in text and "Open — Open through an API" in text
    assert "No clear verdict" not in text and "If Closed" not in text
    assert "Next steps if" not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_forced_verdict_says_forced_and_who_would_win_without_it(
        workdir: Path, fmt: str) -> None:
    raw = _report(workdir, fmt, q="lean", staff="no_", data="prem")
    text = _read(fmt, raw)
    if fmt == "markdown":
        assert raw.startswith("# Forced: Open — Open on your GPUs\n")
    assert "Forced by a constraint: Data stays home (your answer: Data location — On " \
           "premises). Without it: Closed, by 5 points" in text
    assert "forced: nothing else is allowed. Without the constraint: Closed, high" in text


def test_a_forced_verdict_in_json(workdir: Path) -> None:
    c = _json(workdir, q="lean", staff="no_", data="prem")["certainty"]
    assert (c["basis"], c["label"], c["constraints"]) == ("constraint", "forced", ["on-prem"])
    assert (c["unconstrained_winner"], c["unconstrained_margin"]) == ("closed", 5.0)
    assert c["alternative_path"] is None


def test_forced_without_it_names_the_same_outcome_with_too(workdir: Path) -> None:
    text = _read("markdown", _report(workdir, "markdown", q="clear", data="prem"))
    assert "Without it: Open too, by 9 points" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_what_if_that_ends_in_a_tie_says_so(workdir: Path, fmt: str) -> None:
    text = _read(fmt, _report(workdir, fmt, q="lean"))
    assert "If your q were “Tie” (not “Lean”), the recommendation would be Open (a tie, settled " \
           "by the tie-break order)." in text
    assert "If your q were “Clear” (not “Lean”), the recommendation would be Open." in text
    # no staff rules out the hybrid that leads: a hard requirement, not a weighing
    assert "If your staff were “No staff” (not “Staff”), the recommendation would be Closed " \
           "(a hard requirement)." in text


def test_a_what_if_in_json_says_whether_it_ties(workdir: Path) -> None:
    rows = {(w["question"], w["to"]): w["tie"] for w in _json(workdir, q="lean")["what_if"]}
    assert rows[("q", "tie")] is True and rows[("q", "clear")] is False


def test_deciding_facts_group_the_values_that_give_the_same_verdict(workdir: Path) -> None:
    text = _read("markdown", _report(workdir, "markdown", q="lean"))
    assert "Your answer to “Data location” (not answered) decides it: if it were “On " \
           "premises” or “Air-gapped”, it would be Open." in text
    forced = _read("markdown", _report(workdir, "markdown", q="lean", data="prem"))
    assert "Your answer to “Data location” (On premises) decides it: if it were “Anywhere” " \
           "or not answered, it would be Hybrid." in forced


def test_unsure_values_whose_verdict_is_tied_or_too_close_are_marked(workdir: Path) -> None:
    text = _read("markdown", _report(workdir, "markdown", q="unsure"))
    assert "Left open: Q — Open for 3 of 4 values (tie, close, clear), Hybrid for lean; too " \
           "close to call or tied for tie, close" in text
    assert "2 of them are too close to call or tied (a lead under 1 point)." in text
    oa = _json(workdir, q="unsure")["open_answers"]
    assert oa["unclear"] == 2
    assert [v["unclear"] for v in oa["questions"][0]["values"]] == [1, 1, 0, 0]


def test_the_same_verdict_everywhere_but_not_clearly_is_not_called_settled(
        workdir: Path) -> None:
    # q tie: open 3, closed 3 whatever the staff answer
    text = _read("markdown", _report(workdir, "markdown", q="tie", staff="unsure"))
    assert "Left open: Staff — Open whatever the answer; too close to call or tied for " \
           "yes_, no_" in text
    assert "Every way of answering them gives the same outcome, but none by a clear lead." \
        in text
    assert "Every way of answering them gives the same verdict." not in text


# --------------------------------------------------------------------------- clarity words

MIXED = """\
ruleset: {id: mixed, version: "1", title: Mixed, source: test}
outcomes:
  open: {label: Open, summary: o}
  closed: {label: Closed, summary: c}
  hybrid: {label: Hybrid, summary: h}
tradeoffs:
  t.one: {side: open, kind: perk, title: One, text: One.}
questions:
  - id: q
    prompt: Which?
    type: choice
    choices: [{value: both, label: Both}, {value: one, label: One}]
rules:
  - {id: both, when: {q: both}, points: {open: 10, closed: 10}, because: b, cites: [t.one]}
  - {id: one, when: {q: one}, points: {open: 10}, because: o, cites: [t.one]}
decision:
  mixed: {outcome: hybrid, between: [open, closed], weight: 1.4, min_points: 0,
          because: both, cites: [t.one]}
  tie_break: [hybrid, open, closed]
"""


def test_a_balanced_hybrid_reads_balanced_not_one_way(tmp_path: Path) -> None:
    path = tmp_path / "mixed.yaml"
    path.write_text(MIXED, encoding="utf-8")
    rs = load_ruleset(str(path))
    # open 10, closed 10: hybrid 14 leads by 4 of 0.4 x 10: clarity 1
    steady = evaluate(rs, {"q": "both"}, levers=())
    assert steady.certainty.label == "high"
    clarity = dict(build_view(steady, rs).facts)["Certainty"]
    assert clarity == "high: the needs are clearly balanced"
    # q: one gives open: a single preference change overturns it, so moderate at most
    flips = evaluate(rs, {"q": "both"})
    assert flips.certainty.label == "moderate"
    assert dict(build_view(flips, rs).facts)["Certainty"] == (
        "moderate: the needs are clearly balanced, but a single change of preference "
        "overturns it (see what would change it)")
    side = evaluate(rs, {"q": "one"}, levers=())
    assert dict(build_view(side, rs).facts)["Certainty"] == \
        "high: the answers point clearly one way"


# --------------------------------------------------------------------------- hybrid cost


def test_a_hybrid_is_priced_on_both_halves(plans: RuleSet) -> None:
    result = evaluate(plans, {"q": "lean", "staff": "yes_", "monthly_tokens": 3000})
    assert result.recommendation == "hybrid" and result.path is not None
    est = estimate(3000)
    result = dataclasses.replace(result, cost=est)
    price = {o.id: usd_words(o.monthly_usd) for o in est.options}
    lines = cost_view(result, plans)
    assert lines is not None
    first, second = lines[0], lines[1]
    assert first.highlight
    assert "Your path has two halves" in first.text
    assert f"the closed half, closed API, frontier model (GPT-5 list price), about " \
           f"{price['frontier_api']}" in first.text
    assert "the open half, open weights through a hosted API" in first.text
    assert price["open_hosted_api"] in first.text
    assert second.text.startswith("The month lies between the two, depending on how you route")
    assert price["open_hosted_api"] in second.text and price["frontier_api"] in second.text
    # a team that does not need cutting-edge models routes its closed half to the small API
    small = dataclasses.replace(result, answers={**result.answers,
                                                 "performance": "good_enough"})
    small_lines = cost_view(small, plans)
    assert small_lines is not None
    assert "the closed half, closed API, small model" in small_lines[0].text
    # an open path keeps its one line
    open_ = dataclasses.replace(evaluate(plans, {"q": "clear", "staff": "yes_",
                                                 "monthly_tokens": 3000}), cost=est)
    open_lines = cost_view(open_, plans)
    assert open_lines is not None
    assert open_lines[0].text.startswith("Your path (Open through an API) priced as open "
                                         "weights through a hosted API")


def test_with_no_clear_verdict_each_plan_is_priced(plans: RuleSet) -> None:
    est = estimate(3000)
    price = {o.id: usd_words(o.monthly_usd) for o in est.options}
    tie = dataclasses.replace(evaluate(plans, {"q": "tie", "staff": "yes_"}), cost=est)
    lines = cost_view(tie, plans)
    assert lines is not None
    assert lines[0].text.startswith("If Open, the path (Open through an API) priced as open "
                                    "weights through a hosted API")
    assert lines[1].text.startswith(f"If Closed, the path (The vendor's API) priced as closed "
                                    f"API, frontier model (GPT-5 list price): about "
                                    f"{price['frontier_api']}")
    assert "frontier model" not in lines[2].text  # not again under "For comparison"
    # a hybrid runner-up is priced as the range between its two halves
    managed = next(p for p in plans.paths if p.id == "hybrid.managed")
    assert tie.certainty.alternative is not None
    alt = dataclasses.replace(tie.certainty.alternative, id=managed.id, outcome="hybrid",
                              cost_option=managed.cost_option)
    hybrid = dataclasses.replace(tie, certainty=dataclasses.replace(
        tie.certainty, tied=("open", "hybrid"), alternative=alt))
    hybrid_lines = cost_view(hybrid, plans)
    assert hybrid_lines is not None
    assert hybrid_lines[1].text == (
        f"If Hybrid: between about {price['open_hosted_api']} and about "
        f"{price['frontier_api']} at 3,000 million tokens a month, depending on how you route "
        "between open weights through a hosted API (Llama 3.1 70B on Together) and closed "
        "API, frontier model (GPT-5 list price).")
