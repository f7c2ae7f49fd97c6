"""The answer form page as text: every question, escaping, the embedded JSON, the CSP, and
the ``form`` command (browser tests: tests/test_form_browser.py)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from llmchoice.cli.app import app
from llmchoice.report.form import condition_json, form_data, render_form, split_prompt
from llmchoice.ruleset.load import load_ruleset
from llmchoice.ruleset.model import RuleSet
from tests.formkit import FORM_RULES, PAYLOAD, hostile_rules

DOCS = Path(__file__).resolve().parent.parent / "docs"


class _Page(HTMLParser):
    """The elements a test looks at: every tag with its attributes, and each script's text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.legends: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            (self.scripts if tag == "script" else self.styles).append("")
            self._in = tag
        if tag == "legend":
            self.legends.append("")
            self._in = "legend"

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in == "style":
            self.styles[-1] += data
        elif self._in == "legend":
            self.legends[-1] += data


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _inputs(page: _Page, qid: str) -> list[dict[str, str | None]]:
    return [a for t, a in page.tags if t == "input" and (a.get("id") or "").startswith(f"q-{qid}-")]


def test_every_question_and_choice_is_on_the_page_with_its_default(rs: RuleSet) -> None:
    """An optional question starts at its default; a required one starts with nothing
    chosen (a skimmed question must not become a vote), its default shown as a hint."""
    page = _parse(render_form(rs))
    fieldsets = [a["id"] for t, a in page.tags if t == "fieldset" and "data-question" in a]
    assert fieldsets == [f"q-{q.id}" for q in rs.questions]
    for q, legend in zip(rs.questions, page.legends, strict=False):
        assert split_prompt(q.prompt)[0] in legend
        assert q.title in legend
        inputs = _inputs(page, q.id)
        if q.type == "number":
            (text,) = [a for a in inputs if a["type"] == "text"]
            preset = None if q.required else q.default
            assert text["value"] == ("" if preset is None else str(preset))
        else:
            values = [a["value"] for a in inputs if a["type"] == "radio"]
            assert values == [*q.values, "unsure"]
            checked = [a["value"] for a in inputs if "checked" in a]
            if q.required:
                assert checked == []
            else:
                assert checked == ([] if q.default is None else [q.default])
        assert any(a["id"] == f"q-{q.id}-unsure" for a in inputs), "Not sure on every question"


def test_optional_and_conditional_questions_say_so_and_multi_has_checkboxes() -> None:
    rs = load_ruleset(str(FORM_RULES))
    html = render_form(rs)
    page = _parse(html)
    legends = dict(zip([q.id for q in rs.questions], page.legends[:len(rs.questions)], strict=True))
    assert "(optional)" in legends["team"] and "(optional)" not in legends["budget"]
    assert "Asked because of an earlier answer: <code>hosting is yes</code>" in html
    needs = _inputs(page, "needs")
    assert [a["type"] for a in needs] == ["checkbox"] * 4  # three choices and Not sure
    gpus = [a for a in _inputs(page, "gpus") if a["type"] == "text"][0]
    assert gpus["inputmode"] == "decimal"
    assert "Allowed: a number &gt;= 0 and &lt;= 1000 (GPUs)" in html


def test_the_embedded_json_is_the_form_data_and_carries_every_condition() -> None:
    rs = load_ruleset(str(FORM_RULES))
    page = _parse(render_form(rs))
    data = json.loads(page.scripts[0])
    assert data == json.loads(json.dumps(form_data(rs)))
    assert data["rule_set"] == {"id": "form-test", "version": "0.3.0"}
    by_id = {q["id"]: q for q in data["questions"]}
    assert [q["id"] for q in data["questions"]] == [q.id for q in rs.questions]
    assert by_id["gpus"]["when"] == {"op": "eq", "q": "hosting", "v": True}
    assert by_id["heavy"]["when"] == {"op": "any", "items": [
        {"op": "gte", "q": "gpus", "v": 8.0},
        {"op": "contains_all", "q": "needs", "v": ["chat", "code"]}]}
    assert by_id["region"]["when"] == {"op": "not", "item": {
        "op": "in", "q": "team", "v": ["small"]}}
    assert by_id["few_gpus"]["when"]["op"] == "all"
    assert by_id["gpus"]["min"] == 0 and by_id["gpus"]["max"] == 1000
    assert by_id["gpus"]["allowed"] == "a number >= 0 and <= 1000 (GPUs)"
    assert by_id["budget"]["when"] is None


def test_condition_json_keeps_every_operator() -> None:
    rs = load_ruleset(str(FORM_RULES))
    ops: set[str] = set()

    def walk(node: dict[str, object]) -> None:
        ops.add(str(node["op"]))
        for item in node.get("items", []):  # type: ignore[attr-defined]
            walk(item)
        if "item" in node:
            walk(node["item"])  # type: ignore[arg-type]

    for q in rs.questions:
        if q.when is not None:
            walk(condition_json(q.when))
    assert ops == {"eq", "in", "not_in", "lt", "lte", "gt", "gte", "contains_any",
                   "contains_all", "answered", "all", "any", "not"}


def test_hostile_rule_set_text_stays_text(tmp_path: Path) -> None:
    rs = load_ruleset(str(hostile_rules(tmp_path)))
    html = render_form(rs)
    page = _parse(html)
    assert html.count("<script") == 2 and html.count("</script>") == 2
    assert [t for t, _ in page.tags].count("img") == 0
    assert "<!--" not in html and "\x1b" not in html
    assert "&lt;/script&gt;&lt;script&gt;window.pwned=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;window.pwned=2&quot;&gt;" in html
    assert "\\x1b[31mred" in html  # the escape shown, not interpreted
    data_text = page.scripts[0]
    assert not set(data_text) & set("<>&")
    data = json.loads(data_text)
    assert PAYLOAD.replace("\x1b", "") in data["questions"][0]["name"]  # a title: no escape
    assert data["rule_set"] is None  # its version is not one an answers file may carry
    assert data["yaml_head"].count("\n") == 2  # the header stays two comment lines
    assert all(line.startswith("#") for line in data["yaml_head"].splitlines())


def test_only_its_own_script_and_style_may_run_and_nothing_is_loaded(rs: RuleSet) -> None:
    html = render_form(rs)
    page = _parse(html)
    (csp,) = [a["content"] for t, a in page.tags
              if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp is not None

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert f"script-src {digest(page.scripts[1])};" in csp
    assert f"style-src {digest(page.styles[0])};" in csp
    assert csp.startswith("default-src 'none';") and "unsafe" not in csp
    assert "form-action 'none'" in csp and "img-src data:" in csp
    assert not re.search(r"https?://", html)
    assert not [a for t, a in page.tags if a.get("src") or (a.get("href") or "#")[0] != "#"]


def test_split_prompt_takes_the_first_sentence_as_the_question() -> None:
    assert split_prompt("How big is it? Count the people.\n Also the robots.") == (
        "How big is it?", "Count the people. Also the robots.")
    assert split_prompt("Which GPUs?") == ("Which GPUs?", "")
    assert split_prompt("e.g. this") == ("e.g. this", "")


def test_form_command_prints_the_page_or_writes_it_atomically(tmp_path: Path) -> None:
    runner = CliRunner()
    printed = runner.invoke(app, ["form", "--rules", str(FORM_RULES)])
    assert printed.exit_code == 0, printed.output
    assert printed.stdout.startswith("<!doctype html>")
    assert printed.stdout == render_form(load_ruleset(str(FORM_RULES)))
    target = tmp_path / "form.html"
    wrote = runner.invoke(app, ["form", "--output", str(target)])
    assert wrote.exit_code == 0 and wrote.stdout == ""
    assert f"Wrote {target}" in wrote.stderr
    assert target.read_text(encoding="utf-8") == render_form(load_ruleset(None))
    target.write_text("keep me", encoding="utf-8")
    again = runner.invoke(app, ["form", "-o", str(target)])
    assert again.exit_code == 2 and "--force" in again.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
    forced = runner.invoke(app, ["form", "-o", str(target), "--force", "-r", str(FORM_RULES)])
    assert forced.exit_code == 0 and "form-test" in target.read_text(encoding="utf-8")
    assert not [p.name for p in tmp_path.iterdir() if p.name != "form.html"]  # no temp left


def test_form_command_refuses_bad_input_in_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["form", "--rules", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2 and missing.stdout == ""
    assert len(missing.stderr.strip().splitlines()) == 1 and "Traceback" not in missing.stderr
    folder = runner.invoke(app, ["form", "--output", str(tmp_path) + "/"])
    assert folder.exit_code == 2 and "names a folder" in folder.stderr
    helped = runner.invoke(app, ["form", "--help"])
    assert helped.exit_code == 0 and "Download" in helped.stdout and "--output" in helped.stdout
    assert "form" in runner.invoke(app, ["--help"]).stdout


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None and shutil.which("chromium-browser") is None,
                    reason="chromium is not installed (apt-get install -y chromium)")
def test_the_docs_script_renders_the_form_390_px_wide(tmp_path: Path) -> None:
    out = tmp_path / "form.png"
    done = subprocess.run(["sh", str(DOCS / "render_form_screenshot.sh"), str(FORM_RULES),
                           str(out)], capture_output=True, text=True, timeout=120, check=False,
                          env={"PATH": "/usr/bin:/bin:/usr/local/bin", "PYTHON": sys.executable,
                               "HOME": str(tmp_path), "HEIGHT": "1200"})
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (390, 1200)
    assert len(data) > 20_000  # a real page, not a blank one


def test_required_questions_start_empty_with_the_usual_answer_as_a_hint(rs: RuleSet) -> None:
    page = render_form(rs)
    checked = {a.get("id") for t, a in _parse(page).tags if t == "input" and "checked" in a}
    required = [q for q in rs.questions if q.required and q.default is not None]
    assert required, "the default rule set has required questions with defaults"
    for q in required:
        assert not any(i and i.startswith(f"q-{q.id}-") for i in checked), q.id
    budget = rs.question("control")
    usual = budget.label_of(budget.default).split(":", 1)[0].strip()
    assert f"Usual answer: {usual}. Nothing is chosen for you" in page


def test_defaults_of_every_type_are_preselected(tmp_path: Path) -> None:
    """Optional questions start at their defaults (a required one would not: see above)."""
    rules = FORM_RULES.read_text(encoding="utf-8")
    rules = rules.replace("    required: false\n    choices:\n      - {value: chat",
                          "    required: false\n    default: [chat, vision]\n    choices:\n"
                          "      - {value: chat")
    rules = rules.replace("    min: -5\n", "    min: -5\n    default: 0.5\n")
    path = tmp_path / "defaults.yaml"
    path.write_text(rules, encoding="utf-8")
    page = _parse(render_form(load_ruleset(str(path))))
    checked = {a.get("id") for t, a in page.tags if t == "input" and "checked" in a}
    assert {"q-needs-c0", "q-needs-c2"} <= checked  # chat, vision
    assert "q-needs-c1" not in checked
    # hosting is required: its default (No) is a hint, not a choice made for the reader
    assert not {"q-hosting-c0", "q-hosting-c1"} & checked
    assert "Usual answer: No. Nothing is chosen for you" in render_form(load_ruleset(str(path)))
    (margin,) = [a for a in _inputs(page, "margin") if a["type"] == "text"]
    assert margin["value"] == "0.5"
