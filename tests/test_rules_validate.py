"""`llmchoice rules validate`: errors with file:line:column on stderr (exit 2), warnings on
stdout (exit 0)."""

from __future__ import annotations

from pathlib import Path

from ._ruletools import DEFAULT, SMALL, pos, run, write


def test_default_rule_set_is_valid_without_warnings() -> None:
    result = run("rules", "validate")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.strip().endswith(
        "valid rule set llmchoice-default 2.0.0\n  13 questions, 25 rules and the mixed-needs "
        "bonus, 22 trade-offs, 60 tests; 0 warnings")
    assert "warning:" not in result.stdout


def test_small_rule_set_is_valid(tmp_path: Path) -> None:
    path = write(tmp_path, "small.yaml", SMALL)
    result = run("rules", "validate", path)
    assert result.exit_code == 0, result.stderr
    # colour is asked but no rule uses it, and hybrid (1 point at most, next to closed's 2)
    # can never win: the two expected warnings.
    assert f"{path}:{pos(path, '- id: colour', 'id')}: warning: question 'colour'" in result.stdout
    assert (f"{path}:{pos(path, 'hybrid: {label', 'hybrid')}: warning: outcome 'hybrid' never "
            "wins for any possible answers [never-wins]") in result.stdout
    assert result.stdout.strip().endswith("2 warnings")


BROKEN = """
ruleset: {id: broken, version: 1.0.0, title: Broken, source: tests}
outcomes:
  open: {label: Open, summary: o}
  closed: {label: Closed, summary: c}
tradeoffs:
  t.cost: {side: open, kind: perk, title: Cost, text: cheap}
questions:
  - id: budget
    prompt: Budget?
    type: choice
    choices: [{value: low, label: Low}, {value: high, label: High}]
rules:
  - id: cheap
    when: {budgt: low}
    points: {open: 2}
    because: Low budget.
    cites: [t.cots]
  - id: rich
    when: {budget: hihg}
    points: {closed: 2}
    because: High budget.
    cites: [t.cost]
decision:
  tie_break: [open, closed]
tests:
  - name: bad expectations
    answers: {budget: low}
    expect: {recommendation: open, excluded: [clsed], min_confidence: 1.5}
"""


def test_every_error_is_listed_with_file_line_column_and_did_you_mean(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", BROKEN)
    result = run("rules", "validate", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    err = result.stderr
    assert f"{path}: 5 problems in the rule set" in err
    assert (f"{path}:{pos(path, 'budgt: low', 'budgt')}: rule 'cheap' when: unknown question "
            "'budgt' (did you mean 'budget'?)") in err
    assert (f"{path}:{pos(path, 't.cots')}: rule 'cheap' cites an unknown trade-off "
            "'t.cots' (did you mean 't.cost'?)") in err
    assert (f"{path}:{pos(path, 'budget: hihg', 'hihg')}: rule 'rich' when: 'budget' value: "
            "expected one of low, high, found the text 'hihg' (did you mean 'high'?)") in err
    assert (f"{path}:{pos(path, 'clsed')}: test 'bad expectations' expect.excluded: expected one "
            "of open, closed, found the text 'clsed' (did you mean 'closed'?)") in err
    assert (f"{path}:{pos(path, 'min_confidence: 1.5', '1.5')}: test 'bad expectations' "
            "expect.min_confidence: expected a number at least 0 and at most 1, found 1.5") in err
    assert "Traceback" not in err


WARNINGS = """
ruleset: {id: warn, version: 1.0.0, title: Warn, source: tests}
outcomes:
  open: {label: Open, summary: o}
  closed: {label: Closed, summary: c}
  hybrid: {label: Hybrid, summary: h}
tradeoffs:
  t.cost: {side: open, kind: perk, title: Cost, text: cheap}
  t.lonely: {side: closed, kind: advantage, title: Lonely, text: nobody cites this}
questions:
  - id: budget
    prompt: Budget?
    type: choice
    choices: [{value: low, label: Low}, {value: high, label: High}]
  - id: colour
    prompt: Colour?
    type: choice
    choices: [{value: red, label: Red}, {value: blue, label: Blue}]
  - id: shade
    prompt: Shade?
    type: choice
    required: false
    when: {all: [{budget: low}, {budget: high}]}
    choices: [{value: dark, label: Dark}]
rules:
  - id: cheap
    when: {budget: low}
    points: {open: 2}
    because: Low budget.
    cites: [t.cost]
  - id: rich
    when: {budget: high}
    points: {closed: 2}
    because: High budget.
    cites: [t.cost]
  - id: impossible
    when: {all: [{budget: low}, {not: {budget: {in: [low]}}}]}
    points: {hybrid: 9}
    because: Never.
    cites: [t.cost]
  - id: shady
    when: {shade: dark}
    points: {open: 0}
    because: Nothing.
    cites: [t.cost]
decision:
  tie_break: [open, closed, hybrid]
tests:
  - name: twice
    answers: {budget: low, colour: red}
    expect: {recommendation: open}
  - name: twice
    answers: {budget: high, colour: red}
    expect: {recommendation: closed}
"""


def test_warnings_go_to_stdout_with_positions_and_exit_0(tmp_path: Path) -> None:
    path = write(tmp_path, "warn.yaml", WARNINGS)
    result = run("rules", "validate", path)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    expected = {
        f"{path}:{pos(path, 'hybrid: {label', 'hybrid')}: warning: outcome 'hybrid' never wins "
        "for any possible answers [never-wins]",
        f"{path}:{pos(path, 't.lonely')}: warning: trade-off 't.lonely': no rule cites it, so no "
        "report explains a reason with it [uncited-tradeoff]",
        f"{path}:{pos(path, '- id: colour', 'id')}: warning: question 'colour': no rule's "
        "condition uses it, so its answer never changes a recommendation [unused-question]",
        f"{path}:{pos(path, 'when: {all: [{budget: low}, {budget: high}]}', '{all')}: warning: "
        "question 'shade' is never asked: its when (budget is low and budget is high) is false "
        "for every possible answer [never-asked]",
        f"{path}:{pos(path, 'when: {all: [{budget: low}, {not', '{all')}: warning: rule "
        "'impossible' can never fire: its condition (budget is low and not budget is one of "
        "[low]) is false for every possible answer [never-fires]",
        f"{path}:{pos(path, '- id: shady', 'id')}: warning: rule 'shady' gives no points and "
        "excludes nothing [no-effect]",
        f"{path}:{pos(path, '- name: twice', 'twice', nth=2)}: warning: test name 'twice' is used "
        "twice; failures would be hard to tell apart [duplicate-test]",
    }
    assert expected <= set(lines)
    # shade is used by a rule, so it is not "unused"; it is "never asked".
    assert "question 'shade': no rule" not in result.stdout
    assert lines[-1].endswith("; 8 warnings")  # the 7 above and 'shady can never fire'
    assert run("rules", "validate", path, "--strict").exit_code == 1


CONTRADICTION = """
ruleset: {id: contra, version: 1.0.0, title: Contra, source: tests}
outcomes:
  open: {label: Open, summary: o}
  closed: {label: Closed, summary: c}
tradeoffs:
  t.cost: {side: open, kind: perk, title: Cost, text: cheap}
questions:
  - id: budget
    prompt: Budget?
    type: choice
    choices: [{value: low, label: Low}, {value: high, label: High}]
  - id: data
    prompt: Data?
    type: choice
    required: false
    choices: [{value: home, label: Home}, {value: cloud, label: Cloud}]
rules:
  - id: cheap
    when: {budget: low}
    points: {open: 2}
    because: Low budget.
    cites: [t.cost]
  - id: stay-home
    when: {data: home}
    exclude: [closed]
    because: Home.
    cites: [t.cost]
  - id: no-open-when-rich
    when: {all: [{budget: high}, {data: {in: [home, cloud]}}]}
    exclude: [open]
    because: Rich.
    cites: [t.cost]
decision:
  tie_break: [open, closed]
"""


def test_answers_that_exclude_every_outcome_are_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "contra.yaml", CONTRADICTION)
    result = run("rules", "validate", path)
    assert result.exit_code == 2
    assert (f"{path}:{pos(path, 'exclude: [open]', '[open]')}: the answers budget=high, "
            "data=home exclude every outcome (rules stay-home, no-open-when-rich); no "
            "recommendation is possible for them") in result.stderr
    # recommend on exactly those answers fails cleanly too, never with a traceback
    rec = run("recommend", "--rules", path, "--set", "budget=high", "--set", "data=home",
              "--format", "json")
    assert rec.exit_code == 2
    assert "every outcome is excluded" in rec.stderr
    assert "Traceback" not in rec.stderr


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "syntax.yaml", "ruleset: {id: x\nrules: [\n")
    result = run("rules", "validate", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:")
    assert "not valid YAML/JSON" in result.stderr


def test_rule_set_from_environment_and_conflicting_arguments(tmp_path: Path) -> None:
    path = write(tmp_path, "small.yaml", SMALL)
    result = run("rules", "validate", env={"LLMCHOICE_RULES": str(path)})
    assert result.exit_code == 0
    assert "valid rule set small 1.0.0" in result.stdout
    clash = run("rules", "validate", path, "--rules", DEFAULT)
    assert clash.exit_code == 2
    assert "two rule sets given" in clash.stderr
    missing = run("rules", "validate", tmp_path / "nope.yaml")
    assert missing.exit_code == 2
    assert missing.stderr.strip() == f"{tmp_path / 'nope.yaml'}: no such file (rule set)"


PATHS = """
ruleset: {id: paths, version: 1.0.0, title: Paths, source: tests}
outcomes:
  open: {label: Open, summary: o}
  closed: {label: Closed, summary: c}
  hybrid: {label: Hybrid, summary: h}
tradeoffs:
  t.a: {side: open, kind: perk, title: A, text: a}
  t.b: {side: closed, kind: advantage, title: B, text: b}
  lesson.l: {side: both, kind: lesson, title: L, text: l}
questions:
  - id: data
    prompt: Data?
    type: choice
    choices: [{value: home, label: "It must stay at home"}, {value: any, label: Anywhere}]
  - id: care
    prompt: Care?
    type: choice
    choices: [{value: audit, label: "We MUST audit it"}, {value: meh, label: "Mustard"}]
rules:
  - {id: home, when: {data: home}, exclude: [closed, open.api], points: {open: 1},
     because: h, cites: [t.a]}
  - {id: any, when: {data: any}, points: {closed: 4}, because: a, cites: [t.b]}
  - {id: audit, when: {care: audit}, points: {open: 3}, because: c, cites: [t.a]}
  - {id: meh, when: {care: meh}, points: {hybrid: 5}, because: m, cites: [t.b, lesson.l]}
decision:
  tie_break: [hybrid, open, closed]
paths:
  open.api: {outcome: open, label: A, summary: a, hosting: hosted, cost_option: x}
  open.own: {outcome: open, label: O, summary: o, hosting: self, cost_option: y}
  closed.api: {outcome: closed, label: C, summary: c, hosting: hosted, cost_option: z}
  closed.never: {outcome: closed, label: N, summary: n, hosting: hosted, cost_option: z}
  hybrid.both: {outcome: hybrid, label: B, summary: b, hosting: hosted, cost_option: x}
path_rules:
  - {path: open.api, when: {data: home}, because: a, cites: [t.a]}
  - {path: open.own, because: o, cites: [t.a]}
  - {path: closed.api, because: c, cites: [t.b]}
  - {path: closed.never, because: n, cites: [t.b]}
  - {path: hybrid.both, when: {care: meh}, because: b, cites: [t.b]}
next_steps:
  - {id: wrong-pair, recommendation: [open], paths: [open.own, closed.api], cites: [lesson.l],
     text: Do it.}
  - {id: fine, recommendation: [open, closed], paths: [closed.api], cites: [lesson.l],
     text: Do it.}
"""


def test_musts_and_paths_are_checked(tmp_path: Path) -> None:
    path = write(tmp_path, "paths.yaml", PATHS)
    result = run("rules", "validate", path)
    assert result.exit_code == 0, result.stderr
    found = [line for line in result.stdout.splitlines() if ": warning: " in line]
    codes = [line.rsplit("[", 1)[1].rstrip("]") for line in found]
    assert sorted(codes) == ["must-not-enforced", "next-step-path-outcome", "no-fallback-path",
                             "path-always-excluded", "path-never-chosen", "path-never-chosen"]
    by_code = dict(zip(codes, found, strict=True))
    assert by_code["must-not-enforced"] == (
        f"{path}:{pos(path, 'We MUST audit', '{value: audit')}: warning: question 'care': the "
        "choice 'audit' says 'must' (We MUST audit it), but no rule that excludes something "
        "fires on it alone, so other answers can outweigh it; add an exclude, or word it as a "
        "preference [must-not-enforced]")
    assert "'It must stay at home'" not in result.stdout  # enforced by the rule home
    assert by_code["no-fallback-path"].startswith(f"{path}:{pos(path, 'hybrid: {label')}: ")
    assert "outcome 'hybrid' has no path rule without 'when'" in by_code["no-fallback-path"]
    assert by_code["path-always-excluded"] == (
        f"{path}:{pos(path, '- {path: open.api', '{path')}: warning: path_rules[0] (open.api) "
        "can never choose its path: wherever its condition holds, a rule excludes open.api "
        "or its outcome [path-always-excluded]")
    never = [line for line in found if "path-never-chosen" in line]
    assert [line.split(": warning: ")[1] for line in never] == [
        "path 'open.api' is never chosen for any answers [path-never-chosen]",
        "path 'closed.never' is never chosen for any answers [path-never-chosen]"]
    assert by_code["next-step-path-outcome"] == (
        f"{path}:{pos(path, 'paths: [open.own, closed.api]', '[open.own')}: warning: next step "
        "'wrong-pair' names path 'closed.api', a path of 'closed', which its recommendation "
        "filter (open) leaves out; the step never applies to it [next-step-path-outcome]")


def test_a_rule_set_that_heeds_the_path_warnings_has_none(tmp_path: Path) -> None:
    fixed = (PATHS.replace("We MUST audit it", "We want to audit it")
             .replace("  - {path: open.api, when: {data: home}, because: a, cites: [t.a]}\n", "")
             .replace("  - {path: closed.never, because: n, cites: [t.b]}\n",
                      "  - {path: hybrid.both, because: b, cites: [t.b]}\n")
             .replace("open.api: {outcome: open, label: A, summary: a, hosting: hosted, "
                      "cost_option: x}\n  ", "")
             .replace("closed.never: {outcome: closed, label: N, summary: n, hosting: hosted, "
                      "cost_option: z}\n  ", "")
             .replace("exclude: [closed, open.api]", "exclude: [closed]")
             .replace("paths: [open.own, closed.api]", "paths: [open.own]"))
    path = write(tmp_path, "fixed.yaml", fixed)
    result = run("rules", "validate", path, "--strict")
    assert result.exit_code == 0, result.stdout
    assert ": warning:" not in result.stdout
    assert result.stdout.endswith("0 tests; 0 warnings\n")
