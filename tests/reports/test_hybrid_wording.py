"""Wording that must not contradict itself: the no-ML-staff reason beside an on-premises
constraint, a fine-tuning step for a team that changes nothing (the CTO review, round 2)."""

from __future__ import annotations

from pathlib import Path

from _reports_support import cli, write_answers

# /tmp/cto4/onprem-bank.yaml of the review: no ML staff, data on premises, no customization
ONPREM_BANK: dict[str, object] = {
    "budget": "minimal", "transparency": "preferred", "customization": "none",
    "support": "dedicated", "expertise": "none", "performance": "good_enough",
    "quality": "strict", "lock_in": "tolerate", "domain": "specialized_industry",
    "control": "moderate", "time_to_market": "normal", "data": "on_premises",
    "monthly_tokens": 50}


def _flat(answers: Path, fmt: str) -> str:
    return " ".join(cli("recommend", str(answers), "-f", fmt).stdout.split())


def test_no_ml_staff_does_not_advise_a_hosted_model_when_data_stays_on_premises(
        workdir: Path) -> None:
    answers = write_answers(workdir, "bank", ONPREM_BANK)
    for fmt in ("terminal", "markdown", "html"):
        flat = _flat(answers, fmt)
        assert "every hosted model is ruled out" in flat, fmt
        assert "run one hosted model" not in flat, fmt
        assert "open weights on your own servers once you have the skills" in flat, fmt


def test_a_team_that_changes_nothing_is_not_told_to_fine_tune(workdir: Path) -> None:
    bank = write_answers(workdir, "bank", ONPREM_BANK)
    deep = write_answers(workdir, "deep", dict(ONPREM_BANK, customization="deep",
                                                expertise="strong"))
    for fmt in ("terminal", "markdown"):
        as_is = _flat(bank, fmt)
        assert "LoRA" not in as_is and "fine-tune" not in as_is, fmt
        assert "run one small model as it is behind an inference server" in as_is, fmt
        assert "adapt it with a LoRA fine-tune" in _flat(deep, fmt), fmt


# examples/answers/startup.yaml with the review's flags: open wins, hybrid -5 (budget-one-stack)
def test_points_taken_from_a_losing_outcome_are_a_reason_row_with_their_source(
        workdir: Path) -> None:
    startup = Path(__file__).parent.parent.parent / "examples" / "answers" / "startup.yaml"
    for fmt in ("terminal", "markdown", "html"):
        flat = " ".join(cli("recommend", str(startup), "-f", fmt).stdout.split())
        at = flat.find("Against Hybrid of both: A hybrid pays")
        assert at > 0, fmt
        # once, among the points taken from the others, not also as a reason for the winner
        assert flat.count("Against Hybrid of both: A hybrid pays") == 1, fmt
        assert flat.find("points taken from the others") < at, fmt
        assert "beyond the article: Budget judgement of this rule set" in flat[at:at + 1200], fmt
        assert "+-" not in flat, fmt
    md = cli("recommend", str(startup), "-f", "markdown").stdout
    assert "| -5 | Against Hybrid of both:" in md


def test_the_explain_trace_marks_rules_beyond_the_article(workdir: Path) -> None:
    startup = Path(__file__).parent.parent.parent / "examples" / "answers" / "startup.yaml"
    for fmt in ("terminal", "markdown", "html"):
        flat = " ".join(cli("recommend", str(startup), "--explain", "-f", fmt).stdout.split())
        trace = flat[flat.find("Rules that fired"):]
        at = trace.find("budget-one-stack")
        assert at >= 0, fmt
        assert "beyond the article: Budget judgement" in trace[at:at + 1500], fmt
