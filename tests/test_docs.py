"""The README's screenshot shows what its caption says: the example it names still gives the
verdict, the scores and the way of running it that the caption states, and the screenshot
script renders that example by default. When the rule set changes the example's verdict,
this fails: regenerate ``docs/report-screenshot.png`` with ``docs/render_html_screenshot.sh``
and update the caption."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from llmchoice.cli.app import app
from llmchoice.ruleset.load import load_ruleset

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SCRIPT = ROOT / "docs" / "render_html_screenshot.sh"
SHOT = "![An HTML report](docs/report-screenshot.png)"
CAPTION = re.compile(r"^\*The HTML report of\s+\[`(?P<file>[^`]+)`\]\([^)]*\)\s+"
                     r"\(`docs/render_html_screenshot\.sh` renders it\): (?P<scores>[^;]+); "
                     r"run as (?P<path>[^.]+)\.\*$", re.DOTALL)
SCORE = re.compile(r"(?P<label>[A-Z][\w -]+?) (?P<score>\d+(?:\.\d+)?)")


def _caption() -> re.Match[str]:
    text = README.read_text(encoding="utf-8")
    assert SHOT in text
    after = text.split(SHOT, 1)[1].strip().split("\n\n", 1)[0]
    match = CAPTION.match(after)
    assert match, f"no caption under the screenshot: {after!r}"
    return match


def test_the_screenshot_example_gives_the_verdict_its_caption_states() -> None:
    caption = _caption()
    example = ROOT / caption["file"]
    assert example.is_file()
    result = CliRunner().invoke(app, ["recommend", str(example), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    rs = load_ruleset(None)
    stated = [(m["label"], float(m["score"]))
              for m in SCORE.finditer(" ".join(caption["scores"].split()))]
    # the winner first, then the others by score, as the report's chart shows them
    got = sorted(((rs.outcome(o).label, s) for o, s in report["scores"].items()),
                 key=lambda pair: (pair[0] != report["label"], -pair[1]))
    assert stated == got
    path = " ".join(caption["path"].split())
    assert path.lower() == report["path"]["label"].lower()


def test_the_screenshot_script_renders_that_example_by_default() -> None:
    script = SCRIPT.read_text(encoding="utf-8")
    default = re.search(r'answers=\$\{1:-"\$here/(?P<rel>[^"]+)"\}', script)
    assert default, "the script's default answers file"
    assert f"docs/{default['rel']}" == _caption()["file"]
