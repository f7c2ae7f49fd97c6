"""Mutation testing, one target at a time (see docs/testing.md).

    .venv/bin/pip install 'mutmut>=3.8,<4'
    .venv/bin/python .ci/mutation.py TARGET [--max-children N] [--workdir DIR] [--fresh]
    .venv/bin/python .ci/mutation.py --list

mutmut reads its settings from ``[tool.mutmut]`` in the pyproject.toml of the folder it
runs in and keeps its state in ``mutants/`` there, so each target gets a folder of its
own (``$TMPDIR/llmchoice-mutation/TARGET`` by default): a copy of the project with that
target's settings appended to its pyproject.toml. Only the target's module(s) are
mutated and only the target's fast test files run. The checkout itself is never written.

The script prints each mutant that survived and the score: killed / total, where total
counts every mutant of the target (a timeout counts as killed: the tests noticed).
It exits 0 whatever the score: it measures, it does not gate.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COPY = ("llmchoice", "tests", "rules", "docs", "examples", "README.md", "CHANGELOG.md",
        "pyproject.toml")


@dataclass(frozen=True)
class Target:
    files: tuple[str, ...]  # the modules to mutate
    tests: tuple[str, ...]  # the fast test files (or file::test ids) run against each mutant
    functions: tuple[str, ...] = ()  # mutant name globs; empty: every function of the files
    # (file, function) pairs decorated with @contextlib.contextmanager: mutmut skips
    # decorated functions, so the copy applies the decorator by assignment instead
    undecorate: tuple[tuple[str, str], ...] = ()


TARGETS = {
    "rule": Target(
        ("llmchoice/decide/rule.py",),
        ("tests/test_decide_rule.py", "tests/test_engine.py", "tests/test_mutation_rule.py")),
    "certainty": Target(
        ("llmchoice/decide/certainty.py",),
        ("tests/test_certainty.py", "tests/test_decide_rule.py",
         "tests/test_mutation_certainty.py")),
    "conditions": Target(
        ("llmchoice/ruleset/conditions.py",),
        ("tests/test_engine.py", "tests/test_ruleset_loader.py", "tests/test_questionnaire.py",
         "tests/test_answers.py", "tests/test_mutation_conditions.py")),
    "answers": Target(
        ("llmchoice/answers/validate.py",),
        ("tests/test_answers.py", "tests/test_batch.py", "tests/test_mutation_answers.py")),
    # the code that turns a bad line into its reason and its error row
    "batch-errors": Target(
        ("llmchoice/batch/lines.py", "llmchoice/batch/stream.py", "llmchoice/batch/writers.py"),
        ("tests/test_batch.py", "tests/test_mutation_batch_errors.py"),
        ("llmchoice.batch.lines.x_decode_line__mutmut_*",
         "llmchoice.batch.lines.x*JsonLines*parse__mutmut_*",
         "llmchoice.batch.lines.x_nested__mutmut_*",
         "llmchoice.batch.lines.x_has_object__mutmut_*",
         "llmchoice.batch.lines.x__kind__mutmut_*",
         "llmchoice.batch.lines.x*CsvLines*parse__mutmut_*",
         "llmchoice.batch.stream.x__bad__mutmut_*",
         "llmchoice.batch.stream.x_answers_reason__mutmut_*",
         "llmchoice.batch.writers.x*JsonlWriter*error__mutmut_*",
         "llmchoice.batch.writers.x*CsvWriter*error__mutmut_*")),
    # batch's fast path for plain JSONL rows (the same bytes as the full way)
    "batch-fast": Target(
        ("llmchoice/batch/fast.py", "llmchoice/batch/joint.py"),
        tuple(f"tests/test_batch_fast.py::{name}" for name in (
            "test_generated_lines_give_the_same_bytes",
            "test_hostile_lines_give_the_same_bytes_and_reasons",
            "test_a_line_with_every_outcome_excluded_is_bad_both_ways",
            "test_the_fast_path_takes_valid_lines_and_declines_the_rest",
            "test_full_tables_decline_new_answers_and_rows_stay_the_same",
            "test_a_scenario_on_a_number_gives_the_same_bytes",
            "test_answers_share_a_scenario_digit_only_when_no_scenario_tells_them_apart",
            "test_rule_sets_summed_per_answer_or_not_give_the_same_bytes",
            "test_each_thing_is_worked_out_once",
            "test_the_tables_stop_at_their_limits",
            "test_points_that_do_not_add_up_exactly_leave_every_line_to_the_full_way",
            "test_the_scenarios_answers_are_folded_up_to_a_limit",
            "test_the_default_sets_rule_on_two_questions_is_summed_with_the_rest",
            "test_rule_sets_with_rules_on_several_questions_give_the_same_bytes",
            "test_a_number_read_with_other_questions_is_a_digit_by_its_region",
            "test_true_false_answers_and_the_limit_of_the_groups_digits",
            "test_a_number_compared_with_a_non_number_leaves_the_key_to_the_evaluator"))),
    "atomic": Target(
        ("llmchoice/io/atomic.py",),
        ("tests/test_cli_recommend.py", "tests/test_mutation_atomic.py"),
        undecorate=(("llmchoice/io/atomic.py", "open_atomic"),)),
    # the one reader of numbers people type (quiz, answers files, --set, CSV, options)
    "numbers": Target(
        ("llmchoice/io/numbers.py",),
        ("tests/test_numbers.py", "tests/test_mutation_numbers.py")),
    "meta": Target(
        ("llmchoice/answers/meta.py",),
        ("tests/test_answers_meta.py", "tests/test_mutation_meta.py")),
    # how several people's answers are merged into one set
    "merge": Target(
        ("llmchoice/team/merge.py",),
        ("tests/test_team.py", "tests/test_team_review.py", "tests/test_mutation_merge.py")),
    # the random-rule-set property takes 13 s a run: only the default rule set's check
    "reach-paths": Target(
        ("llmchoice/decide/reach_paths.py",),
        ("tests/test_reach_paths.py::"
         "test_default_rule_set_reachable_paths_are_exactly_the_brute_force",
         "tests/test_mutation_reach_paths.py")),
    # whose plans a report gives (the title's pair) and every rule's exclusions it names
    "plans": Target(
        ("llmchoice/report/plans.py", "llmchoice/report/ruled_out.py"),
        ("tests/reports/test_plans_follow_title.py", "tests/test_review_coherence.py",
         "tests/reports/test_view_report.py", "tests/test_team_review.py",
         "tests/test_mutation_plans.py")),
    # what a plan rests on: its assumptions about open questions, the budget check
    "path-notes": Target(
        ("llmchoice/report/path_notes.py",),
        ("tests/test_plan_fits_answers.py", "tests/test_mutation_path_notes.py")),
    "assume": Target(
        ("llmchoice/decide/assume.py",),
        ("tests/test_plan_fits_answers.py", "tests/test_mutation_path_notes.py",
         "tests/test_plan_assumptions.py")),
    "record-costs": Target(
        ("llmchoice/record/costs.py",),
        ("tests/test_record.py", "tests/test_team_review.py",
         "tests/test_mutation_record_costs.py")),
    "layout": Target(
        ("llmchoice/report/styled.py", "llmchoice/report/boxes.py"),
        ("tests/test_terminal_layout.py",)),
}

# what mutmut's exit codes mean (mutmut.stats.status_by_exit_code, grouped)
KILLED = {1: "killed", 3: "killed", 36: "timeout", 24: "timeout", -24: "timeout",
          152: "timeout", 255: "timeout", 37: "type check"}


def _settings(target: Target) -> str:
    tests = [t for t in target.tests if (REPO / t.partition("::")[0]).is_file()]
    lines = [
        "", "[tool.mutmut]",
        'source_paths = ["llmchoice"]',
        f"only_mutate = {json.dumps(list(target.files))}",
        f"pytest_add_cli_args_test_selection = {json.dumps(tests)}",
        # the project's own -ra/strict settings stay; no cache folder in the copy
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q"]',
        'also_copy = ["rules", "docs", "examples", "README.md", "CHANGELOG.md"]',
        "use_git_change_detection = false",
    ]
    return "\n".join(lines) + "\n"


def _prepare(workdir: Path, target: Target, fresh: bool) -> None:
    if fresh and workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    for name in COPY:
        src, dst = REPO / name, workdir / name
        if src.is_dir():
            if dst.exists():
                shutil.rmtree(dst)
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(src, dst)
    with (workdir / "pyproject.toml").open("a", encoding="utf-8") as fh:
        fh.write(_settings(target))
    for file, name in target.undecorate:
        module = workdir / file
        text = module.read_text(encoding="utf-8")
        decorated = f"@contextlib.contextmanager\ndef {name}("
        if decorated not in text:
            raise SystemExit(f"{file}: no {decorated!r} to undecorate; update .ci/mutation.py")
        text = text.replace(decorated, f"def {name}(")
        module.write_text(f"{text}\n{name} = contextlib.contextmanager({name})\n",
                          encoding="utf-8")


def _results(workdir: Path, target: Target) -> tuple[Counter[str], list[str]]:
    """Each mutant's status from mutmut's .meta files, and the names of the survivors."""
    import fnmatch

    status: Counter[str] = Counter()
    survivors: list[str] = []
    for file in target.files:
        meta = workdir / "mutants" / (file + ".meta")
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        for name, code in codes.items():
            if target.functions and not any(fnmatch.fnmatch(name, g) for g in target.functions):
                continue
            kind = KILLED.get(code, "survived" if code == 0 else
                              "no tests" if code in (5, 33) else
                              "not checked" if code is None else f"exit {code}")
            status[kind] += 1
            if kind in ("survived", "no tests"):
                survivors.append(f"{kind}: {name}")
    return status, sorted(survivors)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", nargs="?", choices=sorted(TARGETS))
    parser.add_argument("--list", action="store_true", help="the targets and their tests")
    parser.add_argument("--max-children", type=int, default=1,
                        help="mutants tested at once (default 1: the machine is shared)")
    parser.add_argument("--workdir", type=Path, help="where the copy and mutmut's state go")
    parser.add_argument("--fresh", action="store_true", help="forget earlier results")
    args = parser.parse_args(argv)
    if args.list or args.target is None:
        for name, t in TARGETS.items():
            print(f"{name}: mutates {', '.join(t.files)}; tests {', '.join(t.tests)}")
        return 0
    target = TARGETS[args.target]
    workdir = args.workdir or Path(tempfile.gettempdir()) / "llmchoice-mutation" / args.target
    _prepare(workdir.resolve(), target, args.fresh)
    mutmut = Path(sys.executable).with_name("mutmut")
    command = [str(mutmut), "run", "--max-children", str(args.max_children),
               *target.functions]
    done = subprocess.run(command, cwd=workdir, env={**os.environ, "PYTHONHASHSEED": "0"},
                          check=False)
    if done.returncode != 0:
        print(f"mutmut run failed (exit {done.returncode})", file=sys.stderr)
        return done.returncode
    status, survivors = _results(workdir, target)
    total = sum(status.values())
    killed = sum(n for k, n in status.items() if k in ("killed", "timeout", "type check"))
    print("\n".join(survivors))
    print(f"{args.target}: {killed} killed / {total} mutants "
          f"({dict(sorted(status.items()))}); inspect one with: "
          f"cd {workdir} && {mutmut} show NAME")
    return 0


if __name__ == "__main__":
    sys.exit(main())
