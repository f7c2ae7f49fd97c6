"""The rule set's optional next_steps section is validated like the rest: every problem at once,
each with file:line:column and what was expected."""

from __future__ import annotations

from pathlib import Path

from _reports_support import (
    ANSWER_SETS,
    cli,
    write_answers,
)

from llmchoice.ruleset.load import default_rules_path, load_ruleset

BAD_STEPS = """
next_steps:
  - id: ok-step
    cites: [lesson.skill-up]
    text: Fine.
  - id: no-lesson
    cites: [closed.vendor-lock-in]
    text: Cites no lesson.
  - id: typo
    cites: [lesson.skil-up]
    text: Misspelt lesson.
  - id: bad-when
    cites: [lesson.stay-flexible]
    when: {budgte: minimal}
    text: Unknown question.
  - id: bad-outcome
    cites: [lesson.embrace-ethics]
    recommendation: [opne]
    text: Unknown outcome.
  - id: ok-step
    cites: [lesson.adapt-to-change]
    text: Duplicate id.
    colour: red
"""


def _with_steps(folder: Path, steps: str) -> Path:
    text = default_rules_path().read_text(encoding="utf-8")
    head = text[:text.index("\nnext_steps:")]
    path = folder / "steps.yaml"
    path.write_text(head + "\n" + steps, encoding="utf-8")
    return path


def _line_of(path: Path, needle: str, nth: int = 1) -> int:
    """The line of the nth occurrence of ``needle`` in the next_steps section."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(next(x for x in lines if x.startswith("next_steps:")))
    hits = [i for i, line in enumerate(lines, 1) if i > start and needle in line]
    return hits[nth - 1]


def test_every_next_step_problem_is_reported_with_its_place(workdir: Path) -> None:
    rules = _with_steps(workdir, BAD_STEPS)
    answers = write_answers(workdir, "m", ANSWER_SETS["hybrid-middle"])
    out = cli("recommend", str(answers), "--rules", str(rules), "--format", "json")
    assert out.exit_code == 2
    assert out.stdout == ""
    err = out.stderr
    assert "6 problems in the rule set" in err
    name = str(rules)
    assert (f"{name}:{_line_of(rules, 'cites: [closed.vendor-lock-in]')}:12: next step "
            "'no-lesson' cites: expected at least one trade-off of kind lesson") in err
    assert (f"{name}:{_line_of(rules, 'lesson.skil-up')}:13: next step 'typo' cites an unknown "
            "trade-off 'lesson.skil-up' (did you mean 'lesson.skill-up'?)") in err
    assert (f"{name}:{_line_of(rules, 'budgte')}:12: next step 'bad-when' when: unknown "
            "question 'budgte' (did you mean 'budget'?)") in err
    assert (f"{name}:{_line_of(rules, '[opne]')}:22: next step 'bad-outcome' recommendation: "
            "expected one of open, closed, hybrid, found the text 'opne' (did you mean 'open'?)"
            ) in err
    assert f"{name}:{_line_of(rules, 'id: ok-step', 2)}:9: next step 'ok-step': duplicate" in err
    assert f"{name}:{_line_of(rules, 'colour')}:5: next_steps[5]: unknown key 'colour'" in err
    assert "Traceback" not in err


def test_next_steps_are_optional(workdir: Path) -> None:
    rules = _with_steps(workdir, "")
    rs = load_ruleset(rules)
    assert rs.next_steps == ()
    answers = write_answers(workdir, "m", ANSWER_SETS["hybrid-middle"])
    out = cli("recommend", str(answers), "--rules", str(rules), "--format", "markdown")
    assert out.exit_code == 0, out.stderr
    assert "## Next steps" not in out.stdout


def test_next_steps_must_be_a_list(workdir: Path) -> None:
    rules = _with_steps(workdir, "next_steps: {learn: this}\n")
    out = cli("recommend", "--defaults", "--rules", str(rules))
    assert out.exit_code == 2
    line = len(rules.read_text(encoding="utf-8").splitlines())
    assert f"{rules}:{line}:13: next_steps: expected a list, " \
           "found a mapping" in out.stderr
