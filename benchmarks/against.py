"""One start-up, this checkout against an earlier commit, in the same run.

The floor (``python -c "import yaml, typer, rich.console"``), the earlier commit's
``llmchoice recommend FILE --format FMT`` and this checkout's take turns (the order
rotates every round, one untimed warm-up each), so both ratios come from the same load.
The earlier code is a copy of its ``llmchoice/`` and ``rules/`` (``git archive``) put first
on ``PYTHONPATH``; each version has its own rule-set cache, since the cache is checked
against the parser's files and two versions sharing one would re-parse on every run.

    .venv/bin/python benchmarks/against.py 21b4f75 --format terminal --runs 21
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from run import ANSWERS, child_env, run_once

ROOT = Path(__file__).resolve().parent.parent


def _rounds(versions: list[tuple[str, list[str], dict[str, str]]], runs: int
            ) -> dict[str, list[float]] | None:
    """CPU seconds of each version, round after round (None if one fails)."""
    for _, c, e in versions:  # the warm-up writes the .pyc files and fills the cache
        run_once(c, env=e)
    cpu: dict[str, list[float]] = {name: [] for name, _, _ in versions}
    for i in range(runs):
        order = versions[i % 3:] + versions[:i % 3]
        for name, c, e in order if i % 2 == 0 else reversed(order):
            r = run_once(c, env=e)
            if r.code:
                print(f"{name} failed (exit {r.code}): {' '.join(c)}", file=sys.stderr)
                return None
            cpu[name].append(r.cpu)
    return cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("base", help="the earlier commit (anything git names)")
    ap.add_argument("--format", default="terminal", help="the report format (terminal)")
    ap.add_argument("--runs", type=int, default=21, help="rounds (21)")
    args = ap.parse_args(argv)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.base, "llmchoice",
                              "rules"], capture_output=True, check=True).stdout
    here = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="llmchoice-against-") as name:
        tmp = Path(name)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp / "base", filter="data")
        os.chdir(tmp)  # `python -m` puts the working folder first: not the checkout
        answers = tmp / "answers.json"
        answers.write_text(json.dumps(ANSWERS), encoding="utf-8")
        env = child_env()
        cmd = [sys.executable, "-m", "llmchoice", "recommend", str(answers), "--format",
               args.format]
        cpu = _rounds([("floor", [sys.executable, "-c", "import yaml, typer, rich.console"],
                        env),
                       ("base", cmd, {**env, "PYTHONPATH": str(tmp / "base"),
                                      "LLMCHOICE_CACHE_DIR": str(tmp / "cache-base")}),
                       ("this", cmd, {**env, "LLMCHOICE_CACHE_DIR": str(tmp / "cache-this")})],
                      args.runs)
        os.chdir(here)
    if cpu is None:
        return 2
    print(f"recommend --format {args.format}, {args.runs} rounds, {args.base} against this "
          "checkout:")
    for version in ("base", "this"):
        ratio = statistics.median(b / f for f, b in zip(cpu["floor"], cpu[version],
                                                          strict=True))
        print(f"  {version:5} {statistics.median(cpu[version]) * 1000:6.1f} ms CPU, floor "
              f"{statistics.median(cpu['floor']) * 1000:.1f} ms: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
