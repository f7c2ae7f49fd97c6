"""Hostile environments: a full disk, a closed pipe, stop signals, an --output that is an
input. Each ends in one clear line and exit 2 (128 + n on a signal, quiet on a closed
pipe), with nothing left behind. Real processes: these are about file descriptors and
signals, which CliRunner does not have.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import MIDDLE, to_yaml

FULL = Path("/dev/full")
# A small rule set for the commands that walk the whole answer space (rules diff, rules
# analyze): what these tests check is how the output is written, not what is counted, and
# the default set's 52,488 profiles cost 0.5 s a run.
SMALL = str(Path(__file__).resolve().parent / "data" / "quiz-rules.yaml")
needs_full = pytest.mark.skipif(not FULL.exists(), reason="no /dev/full")

# Every command that prints to standard output, with the arguments it needs.
PRINTING = [
    ["recommend", "--defaults"],
    ["recommend", "--defaults", "--format", "json"],
    ["recommend", "--defaults", "--format", "html"],
    ["questions"],
    ["questions", "--format", "json"],
    ["template"],
    ["cost", "--monthly-tokens", "100"],
    ["rules", "show"],
    ["rules", "validate"],
    ["rules", "test"],
    ["rules", "schema"],
    ["schema", "answers"],
    ["rules", "diff", SMALL, SMALL],
    ["batch", "{jsonl}"],
    ["--help"],
    ["recommend", "--help"],
    ["--version"],
]


def _id(args: list[str]) -> str:
    return " ".join(Path(a).name if a == SMALL else a for a in args)


def _env() -> dict[str, str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("LLMCHOICE_RULES", None)
    return env


def _cmd(args: list[str], jsonl: Path) -> list[str]:
    return [sys.executable, "-m", "llmchoice",
            *(str(jsonl) if a == "{jsonl}" else a for a in args)]


@pytest.fixture
def jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(MIDDLE) + "\n")
    return path


@needs_full
@pytest.mark.parametrize("args", PRINTING, ids=_id)
def test_a_full_disk_on_stdout_is_one_line_and_exit_2(args: list[str], jsonl: Path) -> None:
    with FULL.open("w") as full:
        done = subprocess.run(_cmd(args, jsonl), stdout=full, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, env=_env(), timeout=120, check=False)
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert err.strip().splitlines()[-1] == (
        "llmchoice: cannot write to standard output (No space left on device); the output "
        "is incomplete")
    assert "Traceback" not in err and "internal error" not in err


@pytest.mark.parametrize("args", PRINTING, ids=_id)
def test_a_closed_pipe_ends_quietly(args: list[str], jsonl: Path) -> None:
    """`llmchoice ... | head -1`, with the reader already gone: no message, exit 0."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(_cmd(args, jsonl), stdout=write, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, env=_env(), timeout=120, check=False)
    finally:
        os.close(write)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""


def test_rules_show_into_head_exits_0() -> None:
    done = subprocess.run(f'"{sys.executable}" -m llmchoice rules show | head -1', shell=True,
                          capture_output=True, env=_env(), timeout=60, check=False,
                          executable="/bin/bash" if Path("/bin/bash").exists() else None)
    assert done.stdout.count(b"\n") == 1 and done.stderr == b""
    pipestatus = subprocess.run(
        ["bash", "-c", f'"{sys.executable}" -m llmchoice rules show | head -1 >/dev/null; '
                       'echo "${PIPESTATUS[0]}"'],
        capture_output=True, env=_env(), timeout=60, check=False)
    assert pipestatus.stdout.strip() == b"0", pipestatus.stderr


@needs_full
@pytest.mark.parametrize("args", [["recommend", "{bad}"], ["rules", "analyze", SMALL],
                                  ["batch", "{bad}"]], ids=_id)
def test_a_full_disk_on_stderr_is_exit_2_not_1(args: list[str], tmp_path: Path,
                                              jsonl: Path) -> None:
    bad = tmp_path / ("bad.jsonl" if args[0] == "batch" else "bad.yaml")
    bad.write_text('{"budget": "nope"}\n' if args[0] == "batch" else "budget: nope\n")
    cmd = [str(bad) if a == "{bad}" else a for a in _cmd(args, jsonl)]
    with FULL.open("w") as full:
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=full,
                              stdin=subprocess.DEVNULL, env=_env(), timeout=300, check=False)
    assert done.returncode == 2


def _stoppable() -> None:
    """In the child: the stop signals as a terminal user has them (a background parent
    may pass SIGINT and SIGQUIT on ignored, and llmchoice keeps what its parent ignores)."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(sig, signal.SIG_DFL)


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGHUP", "SIGQUIT", "SIGINT"])
def test_a_stop_signal_removes_the_temp_file(sig: str, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(_cmd(["batch", "-", "--output", str(out)], tmp_path),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=_env(), preexec_fn=_stoppable)
    assert proc.stdin is not None
    proc.stdin.write((json.dumps({**MIDDLE}) + "\n").encode() * 500)
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".out.jsonl.") for p in tmp_path.iterdir()):
        if time.monotonic() > deadline:  # pragma: no cover - a very slow machine
            proc.kill()
            pytest.fail("batch never opened its temporary output file")
        time.sleep(0.05)
    signum = getattr(signal, sig)
    proc.send_signal(signum)
    try:  # standard input stays open: only the signal can end the run
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:  # pragma: no cover - the signal was lost
        proc.kill()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum, err
    assert err.decode().strip() == ("Aborted" if sig == "SIGINT" else f"Aborted ({sig})")
    assert list(tmp_path.iterdir()) == []


def test_an_ignored_signal_stays_ignored(tmp_path: Path) -> None:
    """nohup ignores SIGHUP: the run goes on and finishes."""
    out = tmp_path / "out.jsonl"

    def ignore_hup() -> None:
        _stoppable()
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    proc = subprocess.Popen(_cmd(["batch", "-", "--output", str(out)], tmp_path),
                            stdin=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(),
                            preexec_fn=ignore_hup)
    assert proc.stdin is not None
    proc.stdin.write((json.dumps(MIDDLE) + "\n").encode() * 50)
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".out.jsonl.") for p in tmp_path.iterdir()):
        if time.monotonic() > deadline:  # pragma: no cover - a very slow machine
            proc.kill()
            pytest.fail("batch never opened its temporary output file")
        time.sleep(0.05)
    proc.send_signal(signal.SIGHUP)
    time.sleep(0.2)
    _, err = proc.communicate(timeout=60)  # closes stdin: the run ends by itself
    assert proc.returncode == 0, err
    assert len(out.read_text().splitlines()) == 50


@pytest.mark.parametrize("case", ["batch", "batch hard link", "recommend answers",
                                  "recommend --rules", "template --rules", "cost"])
def test_output_naming_an_input_is_refused_even_with_force(case: str, tmp_path: Path,
                                                           jsonl: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(to_yaml(MIDDLE))
    rules = tmp_path / "r.yaml"
    rules.write_bytes(Path(__file__).resolve().parent.parent.joinpath(
        "rules", "default.yaml").read_bytes())
    costs = tmp_path / "c.yaml"
    costs.write_text("assumptions: {gpu.hourly_usd: 2}\n")
    link = tmp_path / "link.jsonl"
    os.link(jsonl, link)
    target, args = {
        "batch": (jsonl, ["batch", str(jsonl)]),
        "batch hard link": (link, ["batch", str(jsonl)]),
        "recommend answers": (answers, ["recommend", str(answers)]),
        "recommend --rules": (rules, ["recommend", "--defaults", "--rules", str(rules)]),
        "template --rules": (rules, ["template", "--rules", str(rules)]),
        "cost": (costs, ["cost", "-n", "10", "--assumptions", str(costs)]),
    }[case]
    before = target.read_bytes()
    # named another way: ./relative, from the folder
    done = subprocess.run([*_cmd(args, jsonl), "--output", f"./{target.name}", "--force"],
                          capture_output=True, text=True, env=_env(), cwd=tmp_path,
                          timeout=60, check=False)
    assert done.returncode == 2, done.stderr
    assert "is the input" in done.stderr and "not even with --force" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert target.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
