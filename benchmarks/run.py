#!/usr/bin/env python3
"""Benchmarks of llmchoice against floors measured in the same run, as ratios.

    python benchmarks/run.py            # with the Python of the project's venv
    python benchmarks/run.py --json results.json

What is measured (targets: issue 15; see benchmarks/README.md):

1. Start-up, against the floor ``python -c "import yaml, typer, rich.console"``:
   ``recommend FILE --format json`` at most 1.0x, ``--format markdown`` and ``html``
   at most 1.1x, ``--format terminal`` at most 1.3x, ``llmchoice --help`` at most 0.9x.
2. ``llmchoice batch`` on 100,000 generated answer sets (JSONL) against a bare
   Python loop that reads the same JSONL and writes one JSON object per line: at most
   1.4x; ``batch --summary`` at most 2.0x; the peak memory (ru_maxrss) of batch on
   1,000,000 lines within 5 MiB of that on 1,000 lines.
3. ``rules analyze`` on the default rule set at most 1.0 s of CPU, ``rules diff``
   (tests/data/default_v1.yaml against the default) at most 1.5 s; the peak memory of
   ``rules analyze --exhaustive`` (839,808 profiles) within 5 MiB of the default run's
   (67,488).

Every command is a child process started by this script; its wall time is
taken with time.perf_counter and its CPU time (user + system) and peak
memory from os.wait4. The floor and the command alternate, run after run (the
order flips every round), so that a busy machine slows both alike. The verdict is
the median of the per-round CPU ratios (steadier than wall time on a shared
machine); medians of wall and CPU times are printed too. Only the standard library
is needed (hyperfine, if installed, can cross-check).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOOR_LOOP = """\
import json, sys
out = sys.stdout
for n, line in enumerate(sys.stdin, 1):
    out.write(json.dumps({"line": n, "answers": json.loads(line)}) + "\\n")
"""

ANSWERS = {
    "budget": "minimal", "transparency": "essential", "customization": "deep",
    "support": "community", "expertise": "some", "performance": "good_enough",
    "quality": "standard", "lock_in": "avoid", "domain": "research", "control": "critical",
    "time_to_market": "flexible",
}


@dataclass
class Run:
    wall: float
    cpu: float
    maxrss_kib: int
    code: int


@dataclass
class Result:
    name: str
    target: str
    ok: bool | None
    figures: dict[str, float | int | str] = field(default_factory=dict)
    note: str = ""


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # let the warm-up write .pyc, as an install does
    env.setdefault("NO_COLOR", "1")
    return env


def run_once(cmd: list[str], *, stdin: Path | None = None, env: dict[str, str]) -> Run:
    fin = stdin.open("rb") if stdin is not None else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=fin, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if stdin is not None:
            fin.close()  # type: ignore[union-attr]
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, proc.returncode)


def alternate(a: list[str], b: list[str], runs: int, env: dict[str, str], *,
              a_stdin: Path | None = None, b_stdin: Path | None = None,
              ) -> tuple[list[Run], list[Run]]:
    """Run a and b in turns (the order flips every round); one untimed warm-up each."""
    run_once(a, stdin=a_stdin, env=env)
    run_once(b, stdin=b_stdin, env=env)
    ra: list[Run] = []
    rb: list[Run] = []
    for i in range(runs):
        pair = [(a, a_stdin, ra), (b, b_stdin, rb)]
        for cmd, fin, into in pair if i % 2 == 0 else reversed(pair):
            into.append(run_once(cmd, stdin=fin, env=env))
    return ra, rb


def med(runs: list[Run], attr: str) -> float:
    return statistics.median(getattr(r, attr) for r in runs)


def llmchoice_cmd(python: str) -> list[str]:
    script = Path(python).parent / "llmchoice"
    return [str(script)] if script.exists() else [python, "-m", "llmchoice"]


def generate(path: Path, n: int, seed: int = 6) -> None:
    """n answer sets, deterministic: every required question, and the two optional ones
    half of the time (a third of those keep data on premises, which excludes closed)."""
    from llmchoice.ruleset.load import load_ruleset

    rs = load_ruleset()
    rng = random.Random(seed)
    volumes = [5, 20, 50, 120, 800, 1000, 2500]
    with path.open("w", encoding="utf-8") as fh:
        for _ in range(n):
            answers: dict[str, object] = {}
            for q in rs.questions:
                if q.type == "choice" and (q.required or rng.random() < 0.5):
                    answers[q.id] = rng.choice(q.values)
                elif q.type == "number" and rng.random() < 0.5:
                    answers[q.id] = rng.choice(volumes)
            fh.write(json.dumps(answers) + "\n")


def compare(name: str, target: float, floor: list[str], cmd: list[str], runs: int,
            env: dict[str, str], *, floor_stdin: Path | None = None,
            stdin: Path | None = None, unit: str = "ms") -> tuple[Result, list[Run]]:
    """``cmd`` against ``floor``, run in turns; the verdict is the median of the per-round
    CPU ratios."""
    rf, rc = alternate(floor, cmd, runs, env, a_stdin=floor_stdin, b_stdin=stdin)
    if any(r.code for r in rc):
        return Result(name, f"<= {target}x the floor", False,
                      note=f"the command failed (exit {rc[0].code}): {' '.join(cmd)}"), rc
    scale, digits = (1000, 1) if unit == "ms" else (1, 3)
    ratio = statistics.median(c.cpu / f.cpu for f, c in zip(rf, rc, strict=True))
    return Result(name, f"<= {target}x the floor (CPU)", ratio <= target, {
        f"floor_cpu_{unit}": round(med(rf, "cpu") * scale, digits),
        f"command_cpu_{unit}": round(med(rc, "cpu") * scale, digits),
        "ratio_cpu": round(ratio, 2),
        f"floor_wall_{unit}": round(med(rf, "wall") * scale, digits),
        f"command_wall_{unit}": round(med(rc, "wall") * scale, digits),
        "ratio_wall": round(statistics.median(c.wall / f.wall for f, c in
                                              zip(rf, rc, strict=True)), 2),
        "runs": runs,
    }), rc


STARTUP = (("recommend --format json", "json", 1.0),
           ("recommend --format markdown", "markdown", 1.1),
           ("recommend --format html", "html", 1.1),
           ("recommend --format terminal", "terminal", 1.3))


def bench_startup(py: str, cli: list[str], tmp: Path, runs: int,
                  env: dict[str, str]) -> list[Result]:
    answers = tmp / "answers.json"
    answers.write_text(json.dumps(ANSWERS), encoding="utf-8")
    floor = [py, "-c", "import yaml, typer, rich.console"]
    out = []
    for name, fmt, target in STARTUP:
        cmd = [*cli, "recommend", str(answers), "--format", fmt]
        out.append(compare(name, target, floor, cmd, runs, env)[0])
    out.append(compare("llmchoice --help", 0.9, floor, [*cli, "--help"], runs, env)[0])
    return out


def bench_batch(py: str, cli: list[str], tmp: Path, runs: int, lines: int,
                memory_lines: int, env: dict[str, str]) -> list[Result]:
    big, small = tmp / "answers-big.jsonl", tmp / "answers-small.jsonl"
    generate(big, lines)
    generate(small, 1000)
    loop = tmp / "floor_loop.py"
    loop.write_text(FLOOR_LOOP, encoding="utf-8")
    # correctness first: every line scored, one row per line
    out = tmp / "out.jsonl"
    check = subprocess.run([*cli, "batch", str(big), "--output", str(out), "--force"],
                           env=env, capture_output=True, text=True, check=False)
    rows = sum(1 for _ in out.open("rb")) if out.exists() else 0
    if check.returncode != 0 or rows != lines:
        return [Result("batch", "<= 1.4x", False,
                       note=f"batch failed: exit {check.returncode}, {rows} rows; "
                            f"{check.stderr.strip()[:200]}")]
    floor = [py, str(loop)]
    results = []
    for name, extra, target in ((f"batch, {lines:,} lines", [], 1.4),
                                (f"batch --summary, {lines:,} lines", ["--summary"], 2.0)):
        result, _ = compare(name, target, floor, [*cli, "batch", str(big), *extra], runs, env,
                            floor_stdin=big, unit="s")
        result.figures["lines_per_second"] = round(
            lines / float(result.figures.get("command_wall_s", 1) or 1))
        results.append(result)
    huge = tmp / "answers-huge.jsonl"
    generate(huge, memory_lines)
    peak_small = max(run_once([*cli, "batch", str(small)], env=env).maxrss_kib
                     for _ in range(3))
    peak_big = run_once([*cli, "batch", str(huge)], env=env).maxrss_kib
    huge.unlink()
    growth = (peak_big - peak_small) / 1024
    results.append(Result("batch peak memory",
                          f"{memory_lines:,} lines within 5 MiB of 1,000 lines", growth <= 5.0, {
                              "peak_1000_lines_mib": round(peak_small / 1024, 1),
                              f"peak_{memory_lines}_lines_mib": round(peak_big / 1024, 1),
                              "growth_mib": round(growth, 2)}))
    return results


def bench_rules(cli: list[str], runs: int, env: dict[str, str]) -> list[Result]:
    """rules analyze and rules diff: seconds of CPU (no floor: a budget), and memory."""
    old = str(ROOT / "tests" / "data" / "default_v1.yaml")
    out = []
    for name, cmd, budget in (
            ("rules analyze (default rule set)", [*cli, "rules", "analyze"], 1.0),
            ("rules diff (default_v1 -> default)", [*cli, "rules", "diff", old, "default"],
             1.5)):
        times = []
        for _ in range(runs):
            r = run_once(cmd, env=env)
            if r.code not in (0, 1):
                return [Result(name, f"<= {budget} s CPU", False,
                               note=f"failed (exit {r.code})")]
            times.append(r)
        cpu = med(times, "cpu")
        out.append(Result(name, f"<= {budget} s CPU", cpu <= budget, {
            "cpu_s": round(cpu, 2), "wall_s": round(med(times, "wall"), 2),
            "peak_mib": round(max(r.maxrss_kib for r in times) / 1024, 1), "runs": runs}))
    base = run_once([*cli, "rules", "analyze"], env=env).maxrss_kib
    exhaustive = run_once([*cli, "rules", "analyze", "--exhaustive"], env=env)
    growth = (exhaustive.maxrss_kib - base) / 1024
    out.append(Result("rules analyze memory", "--exhaustive (839,808 profiles) within 5 MiB "
                      "of the default run (67,488)", growth <= 5.0, {
                          "peak_default_mib": round(base / 1024, 1),
                          "peak_exhaustive_mib": round(exhaustive.maxrss_kib / 1024, 1),
                          "exhaustive_cpu_s": round(exhaustive.cpu, 1),
                          "growth_mib": round(growth, 2)}))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    ap.add_argument("--runs", type=int, default=31, help="rounds of each start-up (31)")
    ap.add_argument("--batch-runs", type=int, default=7, help="rounds of batch (7)")
    ap.add_argument("--rules-runs", type=int, default=5, help="runs of rules analyze/diff (5)")
    ap.add_argument("--lines", type=int, default=100_000, help="lines for batch (100,000)")
    ap.add_argument("--memory-lines", type=int, default=1_000_000,
                    help="lines for batch's memory (1,000,000)")
    ap.add_argument("--only", choices=("startup", "batch", "rules"), action="append",
                    help="run only these benchmarks (repeatable)")
    args = ap.parse_args(argv)
    only = set(args.only or ("startup", "batch", "rules"))
    py = sys.executable
    cli = llmchoice_cmd(py)
    env = child_env()
    from importlib.metadata import version

    info = {
        "python": platform.python_version(), "llmchoice": version("llmchoice"),
        "typer": version("typer"), "cpus": os.cpu_count(), "machine": platform.machine(),
        "load_before": [round(x, 2) for x in os.getloadavg()],
        "hyperfine": bool(shutil.which("hyperfine")),
    }
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="llmchoice-bench-") as name:
        tmp = Path(name)
        if "startup" in only:
            results.extend(bench_startup(py, cli, tmp, args.runs, env))
        if "batch" in only:
            results.extend(bench_batch(py, cli, tmp, args.batch_runs, args.lines,
                                       args.memory_lines, env))
        if "rules" in only:
            results.extend(bench_rules(cli, args.rules_runs, env))
    info["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print(f"llmchoice {info['llmchoice']}, Python {info['python']}, typer {info['typer']}, "
          f"{info['cpus']} CPUs ({info['machine']}), load average (1, 5, 15 min) "
          f"{info['load_before']} -> {info['load_after']}")
    for r in results:
        status = {True: "PASS", False: "FAIL", None: "SKIP"}[r.ok]
        print(f"\n[{status}] {r.name}  (target: {r.target})")
        for key, value in r.figures.items():
            print(f"    {key:<24} {value}")
        if r.note:
            print(f"    {r.note}")
    if args.json:
        Path(args.json).write_text(json.dumps({"environment": info,
                                               "results": [asdict(r) for r in results]},
                                              indent=2) + "\n", encoding="utf-8")
    return 1 if any(r.ok is False for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
