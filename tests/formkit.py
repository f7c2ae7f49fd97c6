"""Helpers for the answer form's tests: a hostile rule set, and driving the page in Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from llmchoice.report.form import render_form
from llmchoice.ruleset.load import load_ruleset

DATA = Path(__file__).parent / "data"
FORM_RULES = DATA / "form-rules.yaml"
QUIZ_RULES = DATA / "quiz-rules.yaml"

# Text that would run script or load an image if it reached the page as markup, an HTML
# comment opener, and a terminal escape.
PAYLOAD = ("</script><script>window.pwned=1</script>"
           '<img src=x onerror="window.pwned=2"> <!-- & \x1b[31mred')


def hostile_rules(folder: Path) -> Path:
    """tests/data/form-rules.yaml with the payload in every text the form shows (without
    its escape character where the loader allows no control character)."""
    data = yaml.safe_load(FORM_RULES.read_text(encoding="utf-8"))
    # names, labels and titles refuse control characters (the loader says so); prose keeps them
    name = PAYLOAD.replace("\x1b", "")
    data["ruleset"]["title"] = name
    data["ruleset"]["version"] = "1.0 " + name  # not a version an answers file may carry
    for q in data["questions"]:
        q["title"] = name
        q["prompt"] = f"{PAYLOAD}? And {PAYLOAD}"
        q["help"] = PAYLOAD + " " + "x" * 120  # one long word: must wrap, not scroll
        if q["type"] == "number":
            q["unit"] = name
        for c in q.get("choices", []):
            c["label"] = name
            c["help"] = PAYLOAD
    path = folder / "hostile-rules.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def write_form(folder: Path, rules: Path | str | None = None, name: str = "form.html") -> Path:
    """The form for ``rules`` (the default rule set when None), written under ``folder``."""
    page = folder / name
    page.write_text(render_form(load_ruleset(str(rules) if rules else None)), encoding="utf-8")
    return page


# Sets the page's inputs to an answers mapping ({id: value}; "unsure"; a missing id clears
# the question) as a person would leave them, then lets the page react (a change event).
_FILL = """
const answers = arguments[0];
const data = window.llmchoiceForm.data;
for (const q of data.questions) {
  const box = document.getElementById("q-" + q.id);
  const has = Object.prototype.hasOwnProperty.call(answers, q.id);
  const v = has ? answers[q.id] : undefined;
  box.querySelectorAll("input").forEach(i => { i.checked = false; i.disabled = false; });
  if (q.type === "number") {
    const input = document.getElementById("q-" + q.id + "-input");
    input.value = has && v !== "unsure" ? String(v) : "";
  }
  if (v === "unsure") {
    document.getElementById("q-" + q.id + "-unsure").checked = true;
  } else if (has && q.type === "multi") {
    q.values.forEach((c, i) => {
      document.getElementById("q-" + q.id + "-c" + i).checked = v.includes(c); });
  } else if (has && q.type === "confirm") {
    document.getElementById("q-" + q.id + "-c" + (v ? 0 : 1)).checked = true;
  } else if (has && q.type === "choice") {
    document.getElementById("q-" + q.id + "-c" + q.values.indexOf(v)).checked = true;
  }
}
document.getElementById("answers-form").dispatchEvent(new Event("change"));
"""

VISIBLE = """return window.llmchoiceForm.data.questions.map(q => q.id)
  .filter(id => !document.getElementById("q-" + id).hidden);"""

# Every Blob the page hands to a download link, kept to be read back.
CAPTURE = """
window.__saved = [];
const make = URL.createObjectURL.bind(URL);
URL.createObjectURL = b => { window.__saved.push(b); return make(b); };
"""
SAVED = """const done = arguments[arguments.length - 1];
Promise.all(window.__saved.map(b => b.text())).then(done);"""


def fill(browser: Any, answers: dict[str, object]) -> None:
    browser.execute_script(_FILL, answers)


def visible(browser: Any) -> list[str]:
    shown: list[str] = browser.execute_script(VISIBLE)
    return shown


def preview(browser: Any) -> str:
    text: str = browser.execute_script("return document.getElementById('file-preview').value")
    return text


def saved(browser: Any) -> list[str]:
    texts: list[str] = browser.execute_async_script(SAVED)
    return texts
