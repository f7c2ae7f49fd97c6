#!/usr/bin/env python3
"""The limits of the README's "Limits and security model", measured at the limit.

    python benchmarks/limits.py            # with the Python of the project's venv
    python benchmarks/limits.py --runs 5 --bad-lines 1000000

1. ``llmchoice recommend --explain`` with the largest rule set allowed (MAX_RULES
   rules, every one firing, so weight sensitivity and robustness see them all), in
   each format, against the floor ``recommend`` with the default rule set (50 rules)
   in the same run: the wall time, its ratio to the floor, and whether it is under
   the target of 2 s.
2. ``llmchoice batch`` on 1,000,000 bad JSONL lines streamed through a pipe: peak
   memory against the same on 1,000 bad lines (the floor); target under 50 MiB.

Every command is a child process started by a small Python (this script), so its
peak memory (ru_maxrss, which counts what the child held between fork and exec) is
its own. Only the standard library is needed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BAD = b'{"budget": "nope", "x": 1}\n'


def llmchoice(python: str) -> list[str]:
    return [python, "-m", "llmchoice"]


def max_rules_file(folder: Path, python: str) -> Path:
    """The default rule set plus generated rules, all firing on budget=minimal, up to
    exactly MAX_RULES."""
    limit = int(subprocess.run(
        [python, "-c", "from llmchoice.ruleset.limits import MAX_RULES; print(MAX_RULES)"],
        capture_output=True, text=True, check=True).stdout)
    text = (ROOT / "rules" / "default.yaml").read_text(encoding="utf-8")
    section = "\n" + text.split("\nrules:\n", 1)[1].split("\ndecision:", 1)[0]
    have = section.count("\n  - id: ")
    outcomes = ("open", "closed", "hybrid")
    extra = "".join(
        f"  - id: gen-{i}\n    when: {{budget: minimal}}\n"
        f"    points: {{{outcomes[i % 3]}: {1 + i % 3}, {outcomes[(i + 1) % 3]}: 0.5}}\n"
        f"    because: Generated rule {i}.\n    cites: [open.democratized-access]\n"
        for i in range(limit - have))
    path = folder / "max-rules.yaml"
    path.write_text(text.replace("\nrules:\n", "\nrules:\n" + extra, 1), encoding="utf-8")
    check = subprocess.run([*llmchoice(python), "rules", "validate", str(path)],
                           capture_output=True, text=True, check=False)
    if check.returncode != 0 or f"{limit} rules" not in check.stdout:
        sys.exit(f"the generated rule set is not at the limit: {check.stdout}{check.stderr}")
    return path


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def bench_recommend(python: str, rules: Path, runs: int) -> bool:
    base = [*llmchoice(python), "recommend", "--defaults", "--set", "budget=minimal",
            "--explain"]
    ok = True
    print(f"recommend --explain, {rules.name} against the default rule set (median of {runs}):")
    for fmt in ("json", "markdown", "html", "terminal"):
        floor_cmd = [*base, "--format", fmt]
        cmd = [*floor_cmd, "--rules", str(rules)]
        wall(floor_cmd), wall(cmd)  # warm-up
        floors, times = [], []
        for i in range(runs):
            pair = [(floor_cmd, floors), (cmd, times)]
            for c, into in pair if i % 2 == 0 else reversed(pair):
                into.append(wall(c))
        t, f = statistics.median(times), statistics.median(floors)
        hit = t < 2.0
        ok &= hit
        print(f"  {fmt:9} {t:5.2f} s  (floor {f:4.2f} s, {t / f:4.1f}x)  target < 2 s: "
              f"{'met' if hit else 'MISSED'}")
    return ok


def peak_mib(python: str, lines: int) -> tuple[int, float, float]:
    proc = subprocess.Popen([*llmchoice(python), "batch", "-", "--format", "jsonl"],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    assert proc.stdin is not None
    start = time.perf_counter()
    chunk = BAD * 1000
    for _ in range(max(1, lines // 1000)):
        proc.stdin.write(chunk)
    proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return (os.waitstatus_to_exitcode(status), usage.ru_maxrss / scale,
            time.perf_counter() - start)


def bench_bad_lines(python: str, lines: int) -> bool:
    code0, floor, _ = peak_mib(python, 1000)
    code, peak, took = peak_mib(python, lines)
    hit = peak < 50 and code == code0 == 2
    print(f"batch on {lines:,} bad lines: peak {peak:.1f} MiB (floor, 1,000 bad lines: "
          f"{floor:.1f} MiB; +{peak - floor:.1f} MiB) in {took:.0f} s, exit {code}; "
          f"target < 50 MiB: {'met' if hit else 'MISSED'}")
    return hit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bad-lines", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        rules = max_rules_file(Path(tmp), args.python)
        ok = bench_recommend(args.python, rules, args.runs)
    ok &= bench_bad_lines(args.python, args.bad_lines)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
