"""Plain-text renderings of ``rules analyze``, ``rules diff`` and ``rules test`` results.

Pure functions from data to text; the whole text passes through
:func:`llmchoice.io.textsafe.clean`, so nothing from a file reaches a terminal raw. Each
takes the ``width`` to fit: long lines wrap at spaces under a hanging indent
(:func:`llmchoice.report.fit.fit`), never inside a word or an answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

from llmchoice.answers.show import show_pairs
from llmchoice.authoring.analysis import NONE, Analysis, Diff
from llmchoice.authoring.monotonicity import Monotonicity, Move
from llmchoice.authoring.ruletest import Calibrated, Report
from llmchoice.authoring.slack import Slack
from llmchoice.authoring.space import show_state
from llmchoice.decide.engine import MIXED_RULE_ID
from llmchoice.io.textsafe import clean
from llmchoice.report.fit import KEEP, fit, local_path


def _pct(x: float) -> str:
    return f"{x:.1%}"


def _names(items: Sequence[Mapping[str, object]]) -> list[str]:
    if not items:
        return ["  none"]
    return [f"  {i['where']}: {i['rule']}" for i in items]


def _enumerated(a: Analysis) -> list[str]:
    """What was scored: the core combinations, the optional answers, the total."""
    r = a.ruleset
    out = [f"Rule set {r['id']} {r['version']} ({local_path(str(r['source']))})", "",
           "What was enumerated"]
    core = [s for s in a.space if s["required"]]
    extra = [s for s in a.space if not s["required"]]
    head = (f"  Core: every combination of the {len(core)} required questions, optional "
            "questions unanswered: ")
    if a.core_exhaustive:
        out.append(head + f"{a.core_size:,} profiles; scored {a.core_evaluated:,}, all of them.")
    else:
        out.append(head + f"{a.core_size:,} combinations, too many to score: a uniform random "
                          f"sample of {a.core_drawn:,} (seed {a.seed}), {a.core_evaluated:,} of "
                          "them distinct answer sets, scored.")
    if extra:
        desc = "; ".join(f"{s['question']} ({', '.join(cast(list[str], s['states']))})"
                         for s in extra)
        out.append(f"  Optional questions: {desc}.")
        if not a.samples:
            out.append("  Optional answers were not scored (--samples 0).")
        elif a.strata:
            every = "the" if a.strata == a.strata_total else f"{a.strata:,} random ones of the"
            pool = "all" if a.samples >= a.core_evaluated else "a random sample of"
            out.append(f"  Each of {every} {a.strata_total:,} combinations of optional answers "
                       f"(other than all unanswered) with {pool} {a.samples:,} core profiles"
                       f"{'' if pool == 'all' else f' (seed {a.seed})'}.")
    out.append(f"  In all: {a.profiles:,} profiles scored.")
    return out


def _outcomes(a: Analysis) -> list[str]:
    """The recommendations over the core profiles, then per optional answer."""
    total = sum(a.distribution.values())
    out = ["", f"Recommendations (core, {total:,} profiles)"]
    for o, n in a.distribution.items():
        out.append(f"  {o:<10} {n:>9,}  {_pct(n / total) if total else '-':>6}")

    if a.optional:
        outcomes = list(a.distribution)
        for row in a.optional:
            outcomes += [o for o in cast(dict[str, int], row["distribution"])
                         if o not in outcomes]
        label_w = max(len(f"{r['question']}={r['answer']}") for r in a.optional) + 2
        head = "  " + "answer".ljust(label_w) + "profiles".rjust(9) + "".join(
            o.rjust(9) for o in outcomes) + "  changes alone"
        out += ["", "Optional answers (over the profiles scored with each answer; the other "
                    "optional answers varied)", head]
        for row in a.optional:
            n = cast(int, row["profiles"])
            dist = cast(dict[str, int], row["distribution"])
            alone = cast(int, row["alone"])
            cells = "".join((_pct(dist.get(o, 0) / n) if n else "-").rjust(9) for o in outcomes)
            changed = _pct(cast(int, row["changed_alone"]) / alone) if alone else "-"
            label = f"{row['question']}={row['answer']}"
            out.append(f"  {label:<{label_w}}{n:>9,}{cells}  {changed:>13}")
        out.append("  (changes alone: share of profiles where giving only this optional answer, "
                   "rather than none, changes the recommendation)")
    return out


def _findings(a: Analysis) -> list[str]:
    """What never happens, what excludes everything, the ties and what decides."""
    out = ["", "Outcomes that never win", *([f"  {o}" for o in a.never_wins] or ["  none"])]
    out += ["", "Rules that never fire", *_names(a.never_fired)]
    out += ["", "Rules that never change a winner (fire, but removing them never changes the "
                "recommendation)", *_names(a.never_decisive)]
    out += ["", "Answers that exclude every outcome (a rule-set error)"]
    if a.no_outcome:
        out.append(f"  {a.no_outcome:,} profiles, for example:")
        out += [f"    {show_pairs(e.answers)}" for e in a.no_outcome_examples]
    else:
        out.append("  none")

    core_share = f" ({_pct(a.core_ties / a.core_evaluated)})" if a.core_evaluated else ""
    all_share = f" ({_pct(a.ties / a.profiles)})" if a.profiles else ""
    out += ["", f"Ties between the top two, decided by decision.tie_break: "
                f"{a.core_ties:,} of {a.core_evaluated:,} core profiles{core_share}; "
                f"{a.ties:,} of all {a.profiles:,} profiles scored{all_share}"]
    for t in a.tie_pairs:
        pair = " = ".join(cast(list[str], t["outcomes"]))
        out.append(f"  {pair:<24} {cast(int, t['profiles']):>9,}  -> {t['winner']}")
        for e in cast(list[dict[str, object]], t["examples"])[:1]:
            out.append(f"    e.g. {show_pairs(cast(dict[str, object], e['answers']))} "
                       f"({e.get('detail', '')})")

    out += ["", "Answers that most often decide (share of profiles where changing only this "
                "answer changes the recommendation)"]
    for d in a.deciding:
        note = ("  (optional; sampled)" if d.get("sampled") else
                "  (optional)" if d.get("optional") else "")
        out.append(f"  {d['question']:<24} {_pct(cast(float, d['share'])):>6}{note}")
    if not a.pivots_exhaustive:
        out.append("  (required questions: on a random sample of core profiles, "
                   "neighbours rescored)")

    if a.strongest:
        out += ["", "Single answers most tied to one outcome (core)"]
        label_w = max(len(f"{s['question']}={s['answer']}") for s in a.strongest)
        for s in a.strongest:
            label = f"{s['question']}={s['answer']}"
            out.append(f"  {label:<{label_w}} -> {s['outcome']} in "
                       f"{_pct(cast(float, s['share']))} of its profiles "
                       f"({_pct(cast(float, s['overall']))} overall)")
    return out


def _text(lines: list[str], width: int) -> str:
    return clean("\n".join(fit(lines, width)) + "\n")


def render_analysis(a: Analysis, *, width: int = 100) -> str:
    return _text([*_enumerated(a), *_outcomes(a), *_findings(a)], width)


def render_diff(d: Diff, *, width: int = 100) -> str:
    out = [f"Old: {d.old['id']} {d.old['version']} ({local_path(str(d.old['source']))})",
           f"New: {d.new['id']} {d.new['version']} ({local_path(str(d.new['source']))})", ""]
    rc = d.rule_changes
    labels = (("rules_added", "Rules added"), ("rules_removed", "Rules removed"),
              ("rules_changed", "Rules changed"), ("questions_added", "Questions added"),
              ("questions_removed", "Questions removed"),
              ("questions_changed", "Questions changed"), ("decision", "Decision"))
    any_change = False
    for key, label in labels:
        if rc.get(key):
            any_change = True
            out.append(f"{label}:")
            out += [f"  {x}" for x in rc[key]]
    if not any_change:
        out.append("No rule, question or decision changes.")
    out += ["", f"Compared {d.profiles:,} answer profiles ({d.core_profiles:,} core, "
                f"{d.sampled_profiles:,} with sampled optional answers)."]
    if not d.changed:
        out.append("No recommendation changes.")
        return _text(out, width)
    out.append(f"Recommendation changes in {d.changed:,} profiles "
               f"({_pct(d.changed / d.profiles)}):")
    for t in d.transitions:
        out.append(f"  {t['from']} -> {t['to']}: {cast(int, t['profiles']):,}")
    if d.drivers:
        out += ["", "Answers that drive the changes (share of changed profiles vs. of all):"]
        for dr in d.drivers:
            label = f"{dr['question']}={dr['answer']}"
            out.append(f"  {label:<30} {_pct(cast(float, dr['changed_share'])):>6} vs "
                       f"{_pct(cast(float, dr['overall_share'])):>6}")
    out += ["", "Examples:"]
    for e in d.examples:
        old = cast(dict[str, float], e["old_scores"])
        new = cast(dict[str, float], e["new_scores"])
        out.append(f"  {e['old']} -> {e['new']}: "
                   f"{show_pairs(cast(dict[str, object], e['answers']))}")
        out.append(f"    scores old: {_scores(old)}; new: {_scores(new)}")
    return _text(out, width)


def _scores(s: Mapping[str, float]) -> str:
    return ", ".join(f"{o}{KEEP}{v:g}" for o, v in s.items()) or NONE


def render_test_report(report: Report, *, coverage: bool, threshold: float | None,
                       verbose: bool, width: int = 100) -> str:
    out: list[str] = []
    if verbose:
        out += [f"PASSED {name}" for name in report.passed]
    for f in report.failures:
        out.append(f"FAILED {f.location}: {f.test}")
        out += [f"  {p}" for p in f.problems]
    if coverage or threshold is not None:
        out.append(_coverage_line(report))
        if coverage and report.uncovered:
            out.append("Rules no test fires:")
            out += [f"  {u.location}: {u.rule}" for u in report.uncovered]
        if threshold is not None and report.coverage < threshold:
            out.append(f"Coverage {_pct(report.coverage)} is below the threshold of "
                       f"{_pct(threshold)}")
    out += calibration_lines(report.calibration)
    out.append(f"{len(report.passed)} passed, {len(report.failures)} failed")
    return _text(out, width)


def _coverage_line(report: Report) -> str:
    """``Coverage: 24 of 24 rules and the mixed-needs bonus fired by a test (100.0%)``: the
    rules counted as ``rules validate`` counts them, the bonus (decision.mixed) named apart;
    the share is over both."""
    missed = {u.rule for u in report.uncovered}
    rules = [r for r in report.universe if r != MIXED_RULE_ID]
    covered = sum(r not in missed for r in rules)
    bonus = ""
    if MIXED_RULE_ID in report.universe:
        bonus = (" but not the mixed-needs bonus" if MIXED_RULE_ID in missed
                 else " and the mixed-needs bonus")
    return (f"Coverage: {covered} of {len(rules)} rules{bonus} fired by a test "
            f"({_pct(report.coverage)})")


def calibration_lines(rows: Sequence[Calibrated]) -> list[str]:
    """How many labelled profiles (tests with ``profile``) get an acceptable verdict and
    path, clear-cut and ambiguous apart, then each that does not, with its file:line."""
    if not rows:
        return []
    clear = [r for r in rows if r.profile == "clear"]
    ambiguous = [r for r in rows if r.profile != "clear"]

    def count(group: Sequence[Calibrated], path: bool) -> str:
        return f"{sum(r.path_ok if path else r.verdict_ok for r in group)} of {len(group)}"

    out = [f"Calibration: {count(clear, False)} clear-cut profiles agree; "
           f"{count(ambiguous, False)} ambiguous profiles within the acceptable verdicts",
           f"  Paths: {count(clear, True)} clear-cut and {count(ambiguous, True)} ambiguous "
           "profiles within the acceptable paths"]
    for r in rows:
        if not (r.verdict_ok and r.path_ok):
            out.append(f"  DISAGREES {r.location}: {r.test} ({r.profile}): got "
                       f"{r.verdict or 'no outcome'}, path {r.path or 'none'}")
    return out


_KIND_WORDS = {
    "from-falls": "the score of the outcome it moves toward fell",
    "to-rises": "the score of the outcome it moves away from rose",
    "becomes-to": "the verdict became the outcome it moves away from",
}


def _move(m: Move) -> str:
    detail = f" ({m.detail})" if m.detail else ""
    return (f"    {m.question}: {show_state(m.before)} -> {show_state(m.after)}{detail}; "
            f"with {show_pairs(m.answers)}")


def render_monotonicity(r: Monotonicity, *, width: int = 100) -> str:
    """Counts, then up to three examples per kind of violation and of constraint change."""
    if not r.questions:
        return clean("No question declares a direction (monotone:); nothing to check.\n")
    out = [f"Monotonicity: {len(r.questions)} questions declare a direction "
           f"({', '.join(r.questions)})",
           f"  {r.moves:,} one-step moves toward each question's 'from' outcome, over "
           f"{r.profiles:,} profiles",
           f"  Violations: {r.total:,}"]
    for kind, n in r.violations.items():
        out.append(f"    {kind:<11} {n:>9,}  ({_KIND_WORDS[kind]})")
        out += [_move(m) for m in r.examples[kind]]
    if r.per_question:
        out.append("  Violations per question: " + ", ".join(
            f"{q} {n:,}" for q, n in r.per_question.items()))
    out.append(f"  Constraint changes (the move adds or removes an exclusion; not judged): "
               f"{r.constraint_changes:,}")
    out += [_move(m) for m in r.constraint_examples]
    return _text(out, width)


def _num(x: float, bound: bool = False) -> str:
    """``1.4``, ``0.01``, ``-0.42``; ``*`` after an end of the search range."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return ("0" if text == "-0" else text) + ("*" if bound else "")


def render_slack(rows: Sequence[Slack], failing: int, *, width: int = 100) -> str:
    """The slack table: each weight, its shipped value, the interval and the room on each
    side; ``*`` marks an end of the search range."""
    out = ["Slack: one weight varied at a time, the interval over which every embedded test "
           "still passes (steps of 0.01)"]
    if failing:
        out.append(f"  ({failing} test(s) fail at the shipped weights and are left out)")
    name_w = max([len(r.weight) for r in rows] + [6])
    out.append(f"  {'weight':<{name_w}} {'shipped':>8} {'low':>8} {'high':>8} "
               f"{'below':>8} {'above':>8}")
    for r in rows:
        out.append(f"  {r.weight:<{name_w}} {_num(r.shipped):>8} "
                   f"{_num(r.low, r.at_low_bound):>8} {_num(r.high, r.at_high_bound):>8} "
                   f"{_num(r.shipped - r.low, r.at_low_bound):>8} "
                   f"{_num(r.high - r.shipped, r.at_high_bound):>8}")
    if any(r.at_low_bound or r.at_high_bound for r in rows):
        out.append("  * the end of the search range (points: 0 to 3 x value + 3): the tests "
                   "still pass there")
    return _text(out, width)
