"""``Settle these first`` ranks the disagreements by how strongly each changes the verdict.

The examples' team (examples/team): Support is settled 3 to 1, but the CTO's answer alone
gives Open-source LLM by a clear lead; Budget is settled 3 to 1, and Finance's answer
gives Open-source LLM only through a tie (5 to 5, the tie-break order decides); Lock-in
and Control and ethics are not settled, and one side's answer gives Hybrid of both too
close to call. A clear change comes first, and each item says how it changes the verdict.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from llmchoice.cli.app import app
from llmchoice.ruleset.load import load_ruleset
from llmchoice.team.analysis import (
    FLIPS,
    SETTLE_FIRST,
    Alternative,
    Disagreement,
    _pressing,
    analyse,
)
from llmchoice.team.merge import MAJORITY, TIE, MergedAnswer, Vote
from llmchoice.team.people import read_people

from .conftest import REPO

EXAMPLES = sorted(str(p) for p in (REPO / "examples" / "team").glob("*.yaml"))


def test_a_clear_change_comes_before_a_tie_break_and_is_never_dropped(
        runner: CliRunner) -> None:
    result = runner.invoke(app, ["team", *EXAMPLES, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    first = [s["question"] for s in data["settle_first"]]
    assert first == ["support", "lock_in", "control"]
    flips = {d["question"]: d["flip"] for d in data["disagreements"]}
    assert (flips["support"], flips["lock_in"], flips["budget"]) == ("clear", "close", "tie")
    budget = next(d for d in data["disagreements"] if d["question"] == "budget")
    assert [a["tie"] for a in budget["answers"]] == [False, True]


def test_each_item_says_how_it_changes_the_verdict(runner: CliRunner) -> None:
    out = runner.invoke(app, ["team", *EXAMPLES, "--format", "markdown"]).stdout
    settle = out.split("## Settle these first", 1)[1].split("\n## ", 1)[0]
    assert settle.index("1. Support:") < settle.index("2. Lock-in:")
    assert "It changes the verdict clearly: with CTO's answer it would be Open-source " \
        "LLM" in settle
    assert settle.count("It changes the verdict, but only to one too close to call") == 2
    table = out.split("## Where people disagree", 1)[1].split("\n## ", 1)[0]
    budget = next(line for line in table.splitlines() if line.startswith("| Budget"))
    assert "Yes, but only through the tie-break order" in budget
    assert "a tie that the rule set's tie-break order decides" in budget
    support = next(line for line in table.splitlines() if line.startswith("| Support"))
    assert "Yes, clearly:" in support


def test_the_ranking_holds_for_every_answer_file_order(tmp_path: Path) -> None:
    """Strength first, whatever order the files come in; the unsettled questions that
    change the verdict are always asked about, even past SETTLE_FIRST."""
    rules = load_ruleset(None)
    for files in (EXAMPLES, EXAMPLES[::-1]):
        t = analyse(rules, read_people(rules, files))
        ranks = [FLIPS.index(d.flip) for d in t.settle_first]
        assert ranks == sorted(ranks)
        assert len(t.settle_first) >= SETTLE_FIRST
        assert set(t.unsettled) <= set(t.settle_first)
        left = [d for d in t.disagreements if d.matters and d not in t.settle_first]
        assert all(FLIPS.index(d.flip) >= ranks[-1] for d in left)


def _d(qid: str, flip: str, how: str) -> Disagreement:
    """A disagreement of two sides, 3 against 1 (a majority) or 2 against 2 (a tie)."""
    votes = (Vote("a", ("P", "Q", "R")), Vote("b", ("S",))) if how == MAJORITY else \
        (Vote("a", ("P", "Q")), Vote("b", ("R", "S")))
    merged = MergedAnswer(qid, "a" if how == MAJORITY else None, how, votes)
    other = "closed" if flip in ("clear", "close", "tie") else "open"
    alts = (Alternative("a", votes[0].people, "open", None),
            Alternative("b", votes[1].people, other, None, flip in ("close", "tie", "certainty"),
                        flip == "tie"))
    return Disagreement(qid, "preference", merged, alts,
                        changes_recommendation=other != "open",
                        changes_path=flip == "path", changes_certainty=flip == "certainty",
                        flip=flip)


def test_strength_first_then_unsettled_and_no_unsettled_question_is_left_out() -> None:
    rules = load_ruleset(None)
    ids = [q.id for q in rules.questions]
    ds = [_d(ids[0], "tie", MAJORITY), _d(ids[1], "path", MAJORITY),
          _d(ids[2], "clear", MAJORITY), _d(ids[3], "close", TIE),
          _d(ids[4], "clear", MAJORITY), _d(ids[5], "clear", MAJORITY),
          _d(ids[6], "certainty", TIE), _d(ids[7], "close", MAJORITY)]
    got = [d.question for d in _pressing(rules, ds)]
    # three clear changes first (question order between equals); then, past the three,
    # the unsettled questions that change the verdict, strongest first; never the
    # tie-break, the path or the outvoted close call
    assert got == [ids[2], ids[4], ids[5], ids[3], ids[6]]
    ds = [_d(ids[0], "tie", MAJORITY), _d(ids[1], "close", MAJORITY),
          _d(ids[2], "close", TIE), _d(ids[3], "clear", MAJORITY)]
    assert [d.question for d in _pressing(rules, ds)] == [ids[3], ids[2], ids[1]]
