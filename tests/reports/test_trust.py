"""What a reader sees after the second CTO review ("advice a CTO can trust").

Five things, each read the way a reader reads it, in every format:

1. the cost line of the path names the path and what it is priced as, and a private path
   says it is priced at the public list price;
2. answers that all come from ``--defaults`` give no verdict;
3. a change that adds a hard requirement (a must) does not cap ``high``, is marked
   "(a hard requirement)", and is not the decisive answer when a weighing exists;
4. a what-if whose new lead is under ``decision.min_lead`` says "(too close to call)";
5. unsure answers whose completions disagree give no verdict in the headline.

Most tests use the small rule sets in ``tests/data/`` (``musts-rules.yaml``: need strong
gives closed 16, must yes rules closed out and gives open 10, pref x gives open 18, pref
z open 16.5; ``plans-rules.yaml``). Those that use the shipped rule set compute what to
expect from it at test time, so they hold while its weights change.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from _reports_support import cli, write_answers, write_rules
from jsonschema import Draft202012Validator

from llmchoice.answers.validate import validate
from llmchoice.authoring.coherence_view import check_cost_view
from llmchoice.cost.estimate import estimate
from llmchoice.cost.for_answers import with_cost
from llmchoice.cost.words import lower_first
from llmchoice.decide.engine import evaluate
from llmchoice.report.advice import DEFAULTS_SENTENCE
from llmchoice.report.costview import LIST_PRICE_NOTE
from llmchoice.report.view import build_view
from llmchoice.ruleset.load import load_ruleset

DATA = Path(__file__).resolve().parents[1] / "data"
MUSTS = DATA / "musts-rules.yaml"
PLANS = DATA / "plans-rules.yaml"
SCHEMA = Draft202012Validator(json.loads((DATA / "report-v2.schema.json").read_text("utf-8")))
FORMATS = ("terminal", "markdown", "html")
HARD = "(a hard requirement)"
TOO_CLOSE = "(too close to call)"


def _read(fmt: str, out: str) -> str:
    """The report as a reader reads it: no markup, box borders gone, wrapped lines joined."""
    if fmt == "markdown":
        out = out.replace("\\", "").replace("**", "")
    if fmt == "html":
        out = html.unescape(re.sub(r"<[^>]+>", " ",
                                   re.sub(r"</?(b|span|code|q|i)\b[^>]*>", "", out)))
    return " ".join(out.replace("│", " ").split())


def _run(*args: str) -> str:
    result = cli("recommend", *args)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


def _reports(*args: str) -> dict[str, Any]:
    """Every format of one report (the readable ones with --explain), as a reader reads
    it; ``json`` parsed and checked against the report schema."""
    out: dict[str, Any] = {fmt: _read(fmt, _run(*args, "--format", fmt, "--explain"))
                           for fmt in FORMATS}
    data = json.loads(_run(*args, "--format", "json"))
    assert list(SCHEMA.iter_errors(data)) == []
    out["json"] = data
    return out


def _json(*args: str) -> dict[str, Any]:
    data = json.loads(_run(*args, "--format", "json"))
    assert list(SCHEMA.iter_errors(data)) == []
    assert isinstance(data, dict)
    return data


def _musts(workdir: Path, **answers: str) -> list[str]:
    return [str(write_answers(workdir, "m", answers)), "--rules", str(MUSTS)]


# --------------------------------------------------------------------------- 1. cost line


def _private_plans(workdir: Path) -> Path:
    """plans-rules.yaml with an open private endpoint, chosen when data may go anywhere."""
    data = yaml.safe_load(PLANS.read_text(encoding="utf-8"))
    data["paths"]["open.private-endpoint"] = {
        "outcome": "open", "label": "Open in a private endpoint", "summary": "Private.",
        "hosting": "hosted", "cost_option": "open_hosted_api"}
    data["path_rules"].insert(0, {"path": "open.private-endpoint", "when": {"data": "any"},
                                  "because": "Contracted hosting.", "cites": ["t.one"]})
    return write_rules(workdir, "private.yaml", data)


def _option_label(option_id: str, volume: float) -> str:
    return lower_first(next(o.label for o in estimate(volume).options if o.id == option_id))


@pytest.mark.parametrize(("data", "path_label", "private"), [
    ("any", "Open in a private endpoint", True),
    ("none", "Open through an API", False),
])
def test_the_cost_line_names_the_path_and_what_prices_it(
        workdir: Path, data: str, path_label: str, private: bool) -> None:
    rules = _private_plans(workdir)
    answers = {"q": "clear", "staff": "yes_", "monthly_tokens": 3000}
    if data != "none":
        answers["data"] = data
    given = write_answers(workdir, "a", answers)
    option = _option_label("open_hosted_api", 3000)
    reports = _reports(str(given), "--rules", str(rules))
    for fmt in FORMATS:
        text = reports[fmt]
        assert f"Your path ({path_label}) priced as {option}: about" in text, fmt
        assert "Your path, open weights" not in text, fmt
        assert text.count(LIST_PRICE_NOTE) == (1 if private else 0), fmt


def test_the_list_price_sentence_is_one_sentence_and_the_coherence_check_passes(
        workdir: Path) -> None:
    assert LIST_PRICE_NOTE.count(". ") == 0 and LIST_PRICE_NOTE.endswith(".")
    rules = load_ruleset(str(_private_plans(workdir)))
    resolved = validate(rules, {"q": "clear", "staff": "yes_", "data": "any",
                                "monthly_tokens": 3000})
    result = with_cost(evaluate(rules, resolved.answers), rules)
    assert result.path is not None and result.path.id == "open.private-endpoint"
    view = build_view(result, rules)
    assert view.cost is not None
    highlighted = [c.text for c in view.cost if c.highlight]
    assert len(highlighted) == 1 and highlighted[0].startswith(
        "Your path (Open in a private endpoint) priced as")
    assert check_cost_view(rules, result, view) == []


def test_a_path_named_like_its_price_line_is_not_named_twice(workdir: Path) -> None:
    # the shipped rule set: whatever path a team with no private needs gets, its line names
    # it once when the price line carries its name, and with "priced as" otherwise
    given = write_answers(workdir, "a", {"monthly_tokens": 20})
    data = _json(str(given), "--rules", "default.yaml", "--defaults")
    path = data["path"]
    option = _option_label(path["cost_option"], 20)
    text = _read("markdown", _run(str(given), "--rules", "default.yaml", "--defaults",
                                  "--format", "markdown"))
    if option.lower().startswith(path["label"].lower()):
        expected = f"{option}: about"
    else:
        expected = f"({path['label']}) priced as {option}: about"
    assert expected in text
    assert (LIST_PRICE_NOTE in text) == ("private" in f"{path['id']} {path['label']}".lower())


# --------------------------------------------------------------------------- 2. defaults


def test_defaults_alone_give_no_verdict_in_every_format(workdir: Path) -> None:
    reports = _reports("--rules", str(MUSTS), "--defaults")
    c = reports["json"]["certainty"]
    # need strong gives closed 16; open and hybrid 0, the tie-break order puts hybrid next
    assert (c["basis"], c["label"], c["close"]) == ("defaults", "none", ["closed", "hybrid"])
    for fmt in FORMATS:
        text = reports[fmt]
        assert "No clear verdict" in text and "Closed or Hybrid" in text, fmt
        assert "Recommendation" not in text.split("Basis")[0], fmt
        assert DEFAULTS_SENTENCE in text, fmt
        assert "The defaults lean to Closed, by 16 points over Hybrid" in text, fmt
        assert "Decided by the scores" not in text, fmt


def test_the_shipped_defaults_alone_give_no_verdict(workdir: Path) -> None:
    data = _json("--rules", "default.yaml", "--defaults")
    c = data["certainty"]
    assert (c["basis"], c["label"]) == ("defaults", "none")
    assert c["close"] or c["tied"]
    assert (c["close"] or c["tied"])[0] == data["recommendation"]
    text = _read("terminal", _run("--rules", "default.yaml", "--defaults", "--format",
                                  "terminal"))
    assert "╭─ No clear verdict" in text and "╭─ Recommendation" not in text
    assert DEFAULTS_SENTENCE in text


@pytest.mark.parametrize("how", ["a file", "--set"])
def test_some_answers_given_keep_the_usual_basis(workdir: Path, how: str) -> None:
    # pref x given, the rest filled by --defaults: open 18 leads closed 16 by 2, decided
    args = (_musts(workdir, pref="x") if how == "a file"
            else ["--rules", str(MUSTS), "--set", "pref=x"])
    data = _json(*args, "--defaults")
    assert data["certainty"]["basis"] == "scores"
    assert data["recommendation"] == "open"


def test_every_answer_given_at_its_default_value_is_an_answer(workdir: Path) -> None:
    # the same values as --defaults fills, given in a file: a verdict, as a quiz would give
    data = _json(*_musts(workdir, need="strong", must="no", pref="y"))
    assert data["certainty"]["basis"] == "scores"
    assert data["certainty"]["label"] == "moderate"  # pref x overturns it


def test_resolved_lists_the_answers_filled_from_defaults() -> None:
    rules = load_ruleset(str(MUSTS))
    resolved = validate(rules, {"need": "huge"}, sets={"pref": "x"}, use_defaults=True)
    assert resolved.answers == {"need": "huge", "must": "no", "pref": "x"}
    assert resolved.defaulted == ("must",)
    assert validate(rules, {"need": "huge", "must": "no", "pref": "y"}).defaulted == ()
    unsure = validate(rules, {"pref": "unsure"}, use_defaults=True)
    assert unsure.defaulted == ("need", "must") and unsure.unsure == ("pref",)
    # an unsure answer is an answer: not "defaults alone"
    result = evaluate(rules, unsure.answers, unsure=unsure.unsure,
                      defaulted=unsure.defaulted)
    assert result.certainty.basis != "defaults"


# --------------------------------------------------------------------------- 3. musts


def test_a_must_that_alone_overturns_the_verdict_does_not_cap_high(workdir: Path) -> None:
    # closed 30 to 0: only must=yes (which rules closed out) changes it
    reports = _reports(*_musts(workdir, need="huge", must="no", pref="y"))
    data = reports["json"]
    assert data["certainty"]["label"] == "high"
    assert [(w["question"], w["to"], w["constraint"]) for w in data["what_if"]] == \
        [("must", "yes", True)]
    sentence = ("If your must were “We must” (not “No need”), the recommendation would be "
                f"Open {HARD}.")
    for fmt in FORMATS:
        text = reports[fmt]
        assert "high: the answers point clearly one way" in text, fmt
        assert "single change of preference overturns it" not in text, fmt
        assert text.count(sentence) >= 1, fmt


def test_a_weighing_still_caps_high_and_is_the_decisive_answer(workdir: Path) -> None:
    # closed 16: must=yes gives open by 10 (a hard requirement, first by margin), pref=x
    # open by 2 (a weighing), pref=z open by 0.5 (too close)
    reports = _reports(*_musts(workdir, need="strong", must="no", pref="y"))
    data = reports["json"]
    assert data["certainty"]["label"] == "moderate"
    rows = [(w["question"], w["to"], w["constraint"]) for w in data["what_if"]]
    assert rows[0] == ("must", "yes", True)  # the engine's order: the biggest lead first
    decisive = data["explanation"]["decisive"]
    assert (decisive["question"], decisive["to"]) == ("pref", "x")
    for fmt in FORMATS:
        text = reports[fmt]
        assert "a single change of preference overturns it" in text, fmt
        said = text.split("What would change it")[1]
        assert said.index("If your pref were “X” (not “Y”)") < \
            said.index("If your must were “We must”")
        assert ("If your must were “We must” (not “No need”), the recommendation would be "
                f"Open {HARD}.") \
            in said, fmt
        assert "If your pref were “X” (not “Y”), the recommendation would be Open." in said, fmt


# --------------------------------------------------------------------------- 4. too close


def test_a_what_if_with_a_lead_under_min_lead_is_too_close_to_call(workdir: Path) -> None:
    reports = _reports(*_musts(workdir, need="strong", must="no", pref="y"))
    rows = {(w["question"], w["to"]): w for w in reports["json"]["what_if"]}
    assert rows[("pref", "z")]["too_close"] is True  # open 16.5 against closed 16
    assert rows[("pref", "x")]["too_close"] is False  # by 2
    assert rows[("must", "yes")]["too_close"] is False  # by 10
    assert not any(w["tie"] for w in rows.values())
    for fmt in FORMATS:
        assert f"If your pref were “Z” (not “Y”), the recommendation would be Open {TOO_CLOSE}." \
            in reports[fmt], fmt
        assert f"If your pref were “X” (not “Y”), the recommendation would be Open {TOO_CLOSE}" \
            not in reports[fmt], fmt


def test_a_tie_is_a_tie_not_too_close(workdir: Path) -> None:
    # plans-rules: from lean (hybrid 8), q=tie gives an exact tie, q=close open by 0.5
    given = write_answers(workdir, "p", {"q": "lean", "staff": "yes_"})
    rows = {(w["question"], w["to"]): w for w in
            _json(str(given), "--rules", str(PLANS))["what_if"]}
    assert (rows[("q", "tie")]["tie"], rows[("q", "tie")]["too_close"]) == (True, False)
    assert (rows[("q", "close")]["tie"], rows[("q", "close")]["too_close"]) == (False, True)
    text = _read("markdown", _run(str(given), "--rules", str(PLANS), "--format", "markdown"))
    assert f"If your q were “Close” (not “Lean”), the recommendation would be Open {TOO_CLOSE}." \
        in text


# --------------------------------------------------------------------------- 5. unsure


def test_unsure_answers_that_split_the_verdict_give_no_verdict(workdir: Path) -> None:
    # need strong, pref unsure: x gives open, y closed, z open (by 0.5): open in 2 of 3
    reports = _reports(*_musts(workdir, need="strong", must="no", pref="unsure"))
    data = reports["json"]
    assert data["recommendation"] == "closed"  # pref left out: closed 16
    assert data["open_answers"]["shares"] == {"open": 0.6667, "closed": 0.3333, "hybrid": 0.0}
    for fmt in FORMATS:
        text = reports[fmt]
        assert "No clear verdict" in text and "Open or Closed" in text, fmt
        assert "Recommendation: Closed" not in text and "Recommendation Closed" not in text
        assert ("No verdict yet: it depends on your unsure answers (over the ways of "
                "answering them: Open 67%, Closed 33%); settle Pref first. Leaving it out, "
                "Closed leads Open by 16 points, and the scores, reasons and what-ifs below "
                "are written for it.") in text, fmt
    # the plans are for the outcomes the title names, in its order
    assert [p["outcome"] for p in data["headline"]["plans"]] == ["open", "closed"]
    assert data["headline"]["outcomes"] == ["open", "closed"]


def test_unsure_answers_that_agree_keep_the_verdict(workdir: Path) -> None:
    # need huge, pref unsure: closed 30 whatever pref is
    reports = _reports(*_musts(workdir, need="huge", must="no", pref="unsure"))
    assert reports["json"]["open_answers"]["shares"]["closed"] == 1.0
    for fmt in FORMATS:
        text = reports[fmt]
        assert "No clear verdict" not in text, fmt
        assert "depends on your unsure answers" not in text, fmt
        assert "Decided by the scores: Closed leads" in text, fmt
