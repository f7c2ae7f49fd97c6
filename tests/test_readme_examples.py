"""The README's usage examples work as written (issue 13, item 15): every ``llmchoice``
command in its shell blocks is run from a folder holding the shipped ``examples/``, in
order (``template > answers.yaml`` comes before ``recommend answers.yaml``), and every
file an example names is one the repository ships or an earlier example wrote."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
COMMENT = re.compile(r"\s+#\s.*$")
# rules diff exits 1 when some profile changes, as `diff` does: the overlay changes some
INTERACTIVE = ("llmchoice quiz",)  # needs a terminal: checked for its files only


def _commands() -> list[str]:
    out = []
    for block in re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL):
        for line in block.splitlines():
            line = COMMENT.sub("", line).strip()
            if re.match(r"^(llmchoice |cat \S+ \| llmchoice )", line):
                out.append(line)
    return out


def test_the_readme_says_where_the_command_is() -> None:
    assert "The install puts the `llmchoice` command in `.venv/bin`" in README
    assert "source .venv/bin/activate" in README


def test_every_file_an_example_reads_is_shipped() -> None:
    written: set[str] = set()
    for cmd in _commands():
        words = shlex.split(cmd)
        for i, w in enumerate(words):
            if words[i - 1] in (">", "--output", "--save") or not re.search(
                    r"\.(ya?ml|json|jsonl|csv)$", w):
                continue
            shipped = (REPO / w).is_file() or ("*" in w and any(REPO.glob(w)))
            assert w in written or shipped, f"{cmd}: {w} is not shipped"
        written.update(words[i + 1] for i, w in enumerate(words[:-1])
                       if w in (">", "--output", "--save"))
    assert any("examples/answers/" in c for c in _commands())


def test_every_readme_example_runs(tmp_path: Path) -> None:
    (tmp_path / "examples").symlink_to(REPO / "examples")
    env = {**os.environ, "NO_COLOR": "1", "PY": sys.executable}
    env.pop("LLMCHOICE_RULES", None)
    ran = 0
    for cmd in _commands():
        if cmd.startswith(INTERACTIVE):
            continue
        script = f'llmchoice() {{ "$PY" -m llmchoice "$@"; }}\n{cmd}\n'
        proc = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=300)
        expected = 1 if cmd.startswith("llmchoice rules diff") else 0
        assert proc.returncode == expected, f"{cmd}\n{proc.stderr}"
        assert "Traceback" not in proc.stderr
        ran += 1
    assert ran >= 18
    assert (tmp_path / "report.md").read_text(encoding="utf-8").startswith("# Recommendation")
    assert (tmp_path / "results.csv").read_text(encoding="utf-8").count("\n") == 4
