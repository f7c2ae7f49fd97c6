"""The answer form in a real headless Chromium: filled in as a person would, saved, and the
saved file read by ``recommend``; conditions, number checks, narrow screens, keyboard, print.

Skipped with a message when Chromium, chromedriver or selenium is missing (tests/browser.py).
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from llmchoice.answers.validate import applicable, coerce, validate
from llmchoice.cli.app import app
from llmchoice.io import yamlio
from llmchoice.ruleset.load import load_ruleset
from tests.browser import HOW_TO_INSTALL, browser, set_viewport
from tests.formkit import (
    CAPTURE,
    FORM_RULES,
    QUIZ_RULES,
    fill,
    hostile_rules,
    preview,
    saved,
    visible,
    write_form,
)

try:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
except ImportError:  # pragma: no cover - selenium comes with the test extra
    pytest.skip(f"selenium is not installed: {HOW_TO_INSTALL}", allow_module_level=True)

__all__ = ["browser"]
pytestmark = pytest.mark.slow

# One answer for every question of the default rule set, none of them its default;
# time_to_market "Not sure", and a volume typed as people type it.
EVERY = {"budget": "minimal", "transparency": "essential", "customization": "deep",
         "support": "self", "expertise": "strong", "performance": "cutting_edge",
         "quality": "strict", "lock_in": "avoid", "domain": "research", "control": "critical",
         "time_to_market": "unsure", "data": "regulated", "monthly_tokens": "2,500"}


def _open(driver: Any, page: Path, width: int = 900) -> None:
    set_viewport(driver, width)
    driver.get(page.as_uri())
    driver.execute_script(CAPTURE)


def _by_id(driver: Any, element_id: str) -> Any:
    return driver.find_element(By.ID, element_id)


def _click_answer(driver: Any, qid: str, value: str, values: tuple[str, ...]) -> None:
    suffix = "unsure" if value == "unsure" else f"c{values.index(value)}"
    _by_id(driver, f"q-{qid}-{suffix}").click()


def _type(driver: Any, element_id: str, text: str) -> None:
    field = _by_id(driver, element_id)
    field.clear()
    field.send_keys(text, Keys.TAB)


def _report(*args: str) -> dict[str, Any]:
    done = CliRunner().invoke(app, ["recommend", "--format", "json", *args])
    assert done.exit_code == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def test_every_question_filled_in_and_saved_gives_the_same_report(browser: Any,
                                                                  tmp_path: Path) -> None:
    rs = load_ruleset(None)
    _open(browser, write_form(tmp_path))
    browser.execute_cdp_cmd("Browser.setDownloadBehavior",
                            {"behavior": "allow", "downloadPath": str(tmp_path)})
    _type(browser, "respondent", "Security lead")
    for q in rs.questions:
        if q.type == "number":
            _type(browser, f"q-{q.id}-input", EVERY[q.id])
        else:
            _click_answer(browser, q.id, EVERY[q.id], q.values)
    assert visible(browser) == [q.id for q in rs.questions]
    _by_id(browser, "download").click()
    _by_id(browser, "q-budget-c0").click()  # the JSON radio comes next; budget unchanged
    browser.find_element(By.CSS_SELECTOR, "input[name=file-format][value=json]").click()
    _by_id(browser, "download").click()
    yaml_text, json_text = saved(browser)
    assert preview(browser) == json_text
    on_disk = tmp_path / "answers-security-lead.yaml"
    for _ in range(50):
        if on_disk.exists() and (tmp_path / "answers-security-lead.json").exists():
            break
        time.sleep(0.1)
    assert on_disk.read_text(encoding="utf-8") == yaml_text  # the real download
    expected = {"rule_set": {"id": rs.meta.id, "version": rs.meta.version},
                "respondent": "Security lead",
                **{k: (2500 if k == "monthly_tokens" else v) for k, v in EVERY.items()}}
    assert yamlio.parse(yaml_text, "form.yaml").data == expected
    assert list(json.loads(json_text).items()) == list(expected.items())
    direct = _report(*[f"--set={k}={v}" for k, v in EVERY.items()])
    for name, text in (("a.yaml", yaml_text), ("a.json", json_text)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert _report(str(path)) == direct
    assert direct["answers"]["monthly_tokens"] == 2500


def test_a_when_question_appears_and_disappears(browser: Any, tmp_path: Path) -> None:
    _open(browser, write_form(tmp_path, QUIZ_RULES))
    assert visible(browser) == ["hosting", "needs", "budget"]
    _by_id(browser, "q-hosting-c0").click()  # Yes
    assert visible(browser) == ["hosting", "gpus", "needs", "budget"]
    _type(browser, "q-gpus-input", "4")
    assert visible(browser) == ["hosting", "gpus", "gpu_kind", "needs", "budget"]
    _by_id(browser, "q-gpu_kind-c1").click()
    _by_id(browser, "q-budget-c0").click()
    assert "gpu_kind: big" in preview(browser) and "gpus: 4" in preview(browser)
    _type(browser, "q-gpus-input", "0")
    assert visible(browser) == ["hosting", "gpus", "needs", "budget"]
    assert "gpu_kind" not in preview(browser)
    _by_id(browser, "q-hosting-c1").click()  # No: gpus goes, and gpu_kind with it
    assert visible(browser) == ["hosting", "needs", "budget"]
    assert not _by_id(browser, "q-gpus").is_displayed()
    text = preview(browser)
    assert "gpus" not in text and "hosting: false" in text
    _by_id(browser, "q-hosting-c0").click()  # back again, with the number kept
    assert _by_id(browser, "q-gpus-input").get_attribute("value") == "0"
    _by_id(browser, "q-needs-unsure").click()  # Not sure sets the boxes aside
    assert not _by_id(browser, "q-needs-c0").is_enabled()
    assert "needs: unsure" in preview(browser)


def test_a_number_out_of_range_is_shown_at_the_field_and_not_saved(browser: Any,
                                                                   tmp_path: Path) -> None:
    q = load_ruleset(str(QUIZ_RULES)).question("gpus")
    _open(browser, write_form(tmp_path, QUIZ_RULES))
    _by_id(browser, "q-hosting-c0").click()
    _by_id(browser, "q-budget-c1").click()
    _type(browser, "q-gpus-input", "5000")
    field, error = _by_id(browser, "q-gpus-input"), _by_id(browser, "q-gpus-error")
    message = coerce(q, "5000", from_text=True)[1]
    assert message == "5000 is out of range; expected a number >= 0 and <= 1000 (GPUs)"
    assert error.text == message  # the CLI's words; the sign before it is CSS
    assert error.is_displayed()
    assert field.get_attribute("aria-invalid") == "true"
    assert "q-gpus-error" in field.get_attribute("aria-describedby").split()
    _by_id(browser, "download").click()
    assert saved(browser) == [] and preview(browser) == ""
    summary = _by_id(browser, "error-summary")
    assert summary.is_displayed()
    assert browser.switch_to.active_element == summary
    link = summary.find_element(By.TAG_NAME, "a")
    assert link.get_attribute("href").endswith("#q-gpus") and "out of range" in link.text
    _type(browser, "q-gpus-input", "12")
    assert field.get_attribute("aria-invalid") == "false" and not error.is_displayed()
    _by_id(browser, "q-gpu_kind-c0").click()  # asked now that there are GPUs
    _by_id(browser, "download").click()
    (text,) = saved(browser)
    assert yamlio.parse(text, "a.yaml").data["gpus"] == 12
    assert not summary.is_displayed()


def test_a_required_question_left_blank_is_named_before_saving(browser: Any,
                                                               tmp_path: Path) -> None:
    _open(browser, write_form(tmp_path, QUIZ_RULES))
    assert _by_id(browser, "q-budget-error").text == ""  # not before a save is tried
    _by_id(browser, "download").click()
    assert saved(browser) == []
    assert _by_id(browser, "q-budget-error").text == "Choose an answer, or 'Not sure'."
    assert _by_id(browser, "q-budget").find_element(By.CLASS_NAME, "num").text == "3."
    # a required question with a default is not answered for the reader either: its
    # default (No) is only a hint, and leaving it untouched is named as a problem
    assert "Usual answer: No" in _by_id(browser, "q-hosting").text
    assert _by_id(browser, "q-hosting-error").text == "Choose an answer, or 'Not sure'."
    _by_id(browser, "q-budget-unsure").click()
    _by_id(browser, "download").click()
    assert saved(browser) == []  # hosting is still untouched
    _by_id(browser, "q-hosting-c1").click()
    _by_id(browser, "download").click()
    (text,) = saved(browser)
    assert yamlio.parse(text, "a.yaml").data == {
        "rule_set": {"id": "quiz-test", "version": "0.1.0"}, "hosting": False, "needs": [],
        "budget": "unsure"}


NUMBERS = ["5", " 1,000 ", "1_0", "2.5", "-3", "1e3", "abc", "1e400", "inf", "NaN", "0x10",
           "12 GPUs", "5000", "1000.0001", ".", "-0", "99999999999999999999",
           # the one number reader's rules (llmchoice/io/numbers.py)
           "1,5", "12,50", "4__0", "1_00", "1.000.000", "1,000 000", "1 000", "1,000.5",
           "1.5,0", "50%", "-inf", ".nan", "1e-400", "+7", "  ", "9" * 400]


def test_numbers_are_checked_with_the_command_lines_words(browser: Any, tmp_path: Path) -> None:
    rs = load_ruleset(str(FORM_RULES))
    _open(browser, write_form(tmp_path, FORM_RULES))
    for qid in ("gpus", "margin"):
        q = rs.question(qid)
        for raw in NUMBERS:
            value, problem = coerce(q, raw, from_text=True)
            got = browser.execute_script(
                "const f = window.llmchoiceForm; const q = f.data.questions.find("
                "x => x.id === arguments[0]); return f.coerceNumber(q, arguments[1]);", qid, raw)
            assert got.get("problem", "") == problem, raw
            if not problem:
                assert got["value"] == value, raw
    for value in (0.5, 5, 1234567, 0.0001, 0.00001234, 123456.7, 1e20, -2.5e-7, 999999.9):
        assert browser.execute_script("return window.llmchoiceForm.pyG(arguments[0])",
                                      value) == f"{value:g}"


def _random_answers(rng: random.Random, rs: Any) -> dict[str, object]:
    given: dict[str, object] = {}
    for q in rs.questions:
        pick = rng.random()
        if pick < 0.15:
            given[q.id] = "unsure"
        elif pick < 0.3 and q.type != "multi":
            continue  # unanswered (a multi question in the page always has a list)
        elif q.type == "confirm":
            given[q.id] = rng.random() < 0.5
        elif q.type == "choice":
            given[q.id] = rng.choice(q.values)
        elif q.type == "multi":
            given[q.id] = [v for v in q.values if rng.random() < 0.5]
        else:
            given[q.id] = rng.choice([v for v in (-5, -1, 0, 0.5, 1, 2, 3, 4, 5, 7, 8, 9, 400)
                                      if q.minimum <= v <= q.maximum])
    return given


def test_the_page_shows_exactly_the_questions_python_applies(browser: Any,
                                                             tmp_path: Path) -> None:
    """For random answer sets, the questions the page shows are those that
    answers.validate.applicable() lets apply, and a saved file validates to the same
    answers as the set itself."""
    rs = load_ruleset(str(FORM_RULES))
    _open(browser, write_form(tmp_path, FORM_RULES))
    rng = random.Random(16)
    files = 0
    for case in range(48):
        given = _random_answers(rng, rs)
        fill(browser, given)
        resolved = validate(rs, given, require_all=False)
        expected = [q.id for q in rs.questions if applicable(q, resolved.answers)]
        assert visible(browser) == expected, (case, given)
        text = preview(browser)
        if text:
            files += 1
            again = validate(rs, yamlio.parse(text, "a.yaml").data)
            assert (again.answers, again.unsure) == (resolved.answers, resolved.unsure), given
    assert files >= 10  # enough cases had every shown required question answered


@pytest.mark.parametrize("width", [390, 320])
def test_phone_width_nothing_scrolls_sideways(browser: Any, tmp_path: Path, width: int) -> None:
    for rules in (None, hostile_rules(tmp_path)):
        _open(browser, write_form(tmp_path, rules, name="narrow.html"), width=width)
        _by_id(browser, "download").click()  # errors and the summary shown too
        assert browser.execute_script("return window.innerWidth") == width
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width


def test_clear_leaves_an_optional_question_unanswered(browser: Any, tmp_path: Path) -> None:
    _open(browser, write_form(tmp_path, FORM_RULES))
    _by_id(browser, "q-budget-c0").click()
    _by_id(browser, "q-hosting-c1").click()  # required: nothing is chosen for the reader
    _by_id(browser, "q-team-c2").click()  # Large
    assert "team: large" in preview(browser) and "asked_team" in visible(browser)
    browser.find_element(By.CSS_SELECTOR, "#q-team button.clear").click()
    assert "team" not in yamlio.parse(preview(browser), "a.yaml").data
    assert "asked_team" not in visible(browser)  # team is no longer answered
    assert not _by_id(browser, "q-team-c2").is_selected()


def test_hostile_text_runs_nothing_and_the_page_loads_nothing(browser: Any,
                                                              tmp_path: Path) -> None:
    for rules in (None, hostile_rules(tmp_path)):
        _open(browser, write_form(tmp_path, rules, name="safe.html"))
        _by_id(browser, "download").click()
        assert browser.execute_script("return window.pwned === undefined")
        assert browser.execute_script(
            "return performance.getEntriesByType('resource').length") == 0
    legend = browser.find_element(By.CSS_SELECTOR, "#q-hosting legend").text
    assert "</script><script>window.pwned=1</script>" in legend


def test_keyboard_alone_reaches_and_answers_questions(browser: Any, tmp_path: Path) -> None:
    _open(browser, write_form(tmp_path, QUIZ_RULES))
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("id") == "respondent"
    browser.switch_to.active_element.send_keys("Ana", Keys.TAB)
    focused = browser.switch_to.active_element
    # a required question starts with nothing chosen: Tab reaches its first choice
    assert focused.get_attribute("id") == "q-hosting-c0"
    assert not focused.is_selected()
    outline = browser.execute_script(
        "return getComputedStyle(arguments[0].closest('label')).outlineStyle", focused)
    assert outline != "none"  # a visible focus ring
    focused.send_keys(Keys.SPACE)  # Yes
    assert "gpus" in visible(browser)
    assert "respondent: Ana" not in preview(browser)  # budget is still unanswered
    browser.switch_to.active_element.send_keys(Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("id") == "q-gpus-input"


def test_print_layout_has_no_buttons(browser: Any, tmp_path: Path) -> None:
    _open(browser, write_form(tmp_path))
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not _by_id(browser, "download").is_displayed()
        assert _by_id(browser, "q-budget").is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = browser.execute_cdp_cmd("Page.printToPDF", {})
    assert len(pdf["data"]) > 1000


@pytest.mark.parametrize("raw", ["Ana\tB", "x" * 81])
def test_a_bad_respondent_name_is_refused_at_the_field(browser: Any, tmp_path: Path,
                                                       raw: str) -> None:
    _open(browser, write_form(tmp_path, QUIZ_RULES))
    _by_id(browser, "q-budget-c0").click()
    browser.execute_script("const r = document.getElementById('respondent'); r.value = "
                           "arguments[0]; r.dispatchEvent(new Event('change', {bubbles: true}))",
                           raw)
    assert "at most 80 printable characters" in _by_id(browser, "respondent-error").text
    assert preview(browser) == ""
