"""The HTML report: one standalone file that asks no other host for anything, prints on paper,
and is chosen by --format html or an .html --output."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from _reports_support import (
    ANSWER_SETS,
    cli,
    write_answers,
)

DOCS = Path(__file__).resolve().parents[2] / "docs"
VOID = {"meta", "br", "rect", "hr", "img", "input", "link"}


class _Tags(HTMLParser):
    """Collects start tags and attributes, and checks that every element is closed."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1:]}")
        else:
            self.open.pop()


def _html(folder: Path, name: str, *extra: str) -> str:
    answers = write_answers(folder, name, ANSWER_SETS[name])
    out = cli("recommend", str(answers), "--format", "html", *extra)
    assert out.exit_code == 0, out.stderr
    return str(out.stdout)


@pytest.mark.parametrize("name", sorted(ANSWER_SETS))
def test_html_is_standalone_and_well_formed(workdir: Path, name: str) -> None:
    text = _html(workdir, name, "--explain")
    assert text.startswith("<!DOCTYPE html>\n")
    parser = _Tags()
    parser.feed(text)
    parser.close()
    assert parser.errors == [] and parser.open == []
    names = [t for t, _ in parser.tags]
    # the chart twice: wide, and for a phone (the style sheet shows one)
    assert names.count("svg") == 2 and names.count("style") == 1
    assert not {"script", "link", "img", "iframe", "object", "embed", "base"} & set(names)
    for _, attrs in parser.tags:
        for key, value in attrs.items():
            assert key not in ("src", "href", "srcset", "action", "xmlns"), (key, value)
            assert not key.startswith("on"), key
    lowered = text.lower()
    for needle in ("http:", "https:", "//fonts", "@import", "url("):
        assert needle not in lowered, needle
    assert "@media print" in text and "@page" in text
    assert "default-src 'none'" in text


def test_html_chart_draws_one_bar_per_outcome_to_scale(workdir: Path) -> None:
    text = _html(workdir, "hybrid-middle")  # scores: hybrid 1.4 x 4 = 5.6, open 4, closed 4
    chart = text[text.index("<svg"):text.index("</svg>")]
    # equal scores in the tie-break order (open before closed), each bar to scale
    assert 'aria-label="Scores: Hybrid of both 5.6, Open-source LLM 4, Closed-source LLM 4"' \
        in chart
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([0-9.]+)" '
                                                         r'height="24" fill="#(?!f0f1f4)', chart)]
    assert widths == [400.0, pytest.approx(400 * 4 / 5.6, abs=0.1),
                      pytest.approx(400 * 4 / 5.6, abs=0.1)]
    # the phone's chart: the same bars to the same scale, its labels above them
    narrow = text[text.index('<svg class="chart chart-narrow"'):]
    narrow = narrow[:narrow.index("</svg>")]
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([0-9.]+)" '
                                           r'height="16" fill="#(?!f0f1f4)', narrow)]
    assert widths == [340.0, pytest.approx(340 * 4 / 5.6, abs=0.1),
                      pytest.approx(340 * 4 / 5.6, abs=0.1)]
    assert ">Hybrid of both: 5.6</text>" in narrow


def test_ruled_out_outcome_is_grey_in_the_chart_and_said_first(workdir: Path) -> None:
    text = _html(workdir, "open-air-gapped")
    assert text.index('id="ruled-out"') < text.index("<h1>")
    # closed's 10 points (dedicated support 3, cutting edge 3, strict quality 2, specialized
    # industry 2) still show, ahead of open's 7, but it is out of the running
    assert "Closed-source LLM 10 (ruled out)" in text  # the chart's label for screen readers
    assert ">10 (ruled out)</text>" in text
    assert 'fill="#9e9e9e"' in text


def test_html_extension_picks_the_format_and_is_written_atomically(workdir: Path) -> None:
    answers = write_answers(workdir, "b", ANSWER_SETS["closed-bank"])
    out = cli("recommend", str(answers), "--output", "report.html", "--explain")
    assert out.exit_code == 0, out.stderr
    assert out.stdout == "" and "Wrote report.html" in out.stderr
    page = (workdir / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'id="explanation"' in page
    again = cli("recommend", str(answers), "--output", "report.html")
    assert again.exit_code == 2 and "--force" in again.stderr
    assert (workdir / "report.html").read_text(encoding="utf-8") == page


def test_unknown_format_lists_html(workdir: Path) -> None:
    answers = write_answers(workdir, "b", ANSWER_SETS["closed-bank"])
    out = cli("recommend", str(answers), "--format", "pdf")
    assert out.exit_code == 2
    assert "terminal, markdown, json, html" in out.stderr


def test_python_m_llmchoice_writes_html(workdir: Path) -> None:
    answers = write_answers(workdir, "b", ANSWER_SETS["closed-bank"])
    done = subprocess.run([sys.executable, "-m", "llmchoice", "recommend", str(answers),
                           "--format", "html", "--explain"], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "<h1>Closed-source LLM — A closed vendor&#x27;s API</h1>" in done.stdout


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None and shutil.which("chromium-browser") is None,
                    reason="chromium is not installed (apt-get install -y chromium)")
def test_chromium_renders_the_report_to_png(tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    done = subprocess.run(["sh", str(DOCS / "render_html_screenshot.sh"),
                           str(DOCS / "examples" / "middle-of-the-road.yaml"), str(out)],
                          capture_output=True, text=True, timeout=120, check=False,
                          env={"PATH": "/usr/bin:/bin:/usr/local/bin", "PYTHON": sys.executable,
                               "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(data[16:20], "big") == 1000  # width from --window-size
    assert len(data) > 20_000  # a real page, not a blank one
