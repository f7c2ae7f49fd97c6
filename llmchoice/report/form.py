"""The answer form: one standalone HTML page that a person fills in and saves as an answers file.

``llmchoice form`` writes it for people without a terminal. The page is built from the
rule set's questions (titles, help, labelled choices, defaults, optional questions,
``when`` conditions, number limits, and "Not sure", the answer ``unsure`` every question
accepts) and saves exactly the file ``recommend`` and ``team`` read, with the rule set's
id and version and, when given, the respondent's name. It does no scoring.

It asks nothing of any other host: CSS and script are inline, and a Content-Security-Policy
lets only these two blocks (by their sha256) and ``data:`` images run or load, so nothing
can be fetched or sent. Every text from the rule set is data: cleaned of control characters
and HTML-escaped in the markup, and in the embedded JSON every ``<``, ``>`` and ``&`` is a
``\\u`` escape, so no text can close the ``<script>`` element that carries it.

The questions' logic lives in the JSON (:func:`form_data`): each ``when`` as a small tree
(:func:`condition_json`) that the page's evaluator (:mod:`llmchoice.report.form_script`)
reads as :mod:`llmchoice.ruleset.conditions` does.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html import escape

from llmchoice import __version__
from llmchoice.answers.meta import MAX_RESPONDENT, read_meta, stamp
from llmchoice.answers.validate import UNSURE, allowed_text
from llmchoice.io.errors import AnswersError
from llmchoice.io.numbers import percent_scale
from llmchoice.io.textsafe import clean_line
from llmchoice.ruleset.conditions import All, Any, Condition, Not, Test
from llmchoice.ruleset.keys import RULE_SET
from llmchoice.ruleset.model import Question, RuleSet

from .form_script import SCRIPT
from .form_style import CSS

NOT_SURE = "Not sure"
_SENTENCE = re.compile(r"(.{8,}?[?!.])\s+(?=\S)(.*)", re.S)


def h(text: str) -> str:
    """Data for HTML: control characters shown as escapes, then HTML-escaped."""
    return escape(clean_line(text), quote=True)


def condition_json(cond: Condition) -> dict[str, object]:
    """A ``when`` condition as plain data for the page's evaluator: ``{op: all|any, items}``,
    ``{op: not, item}`` or a test ``{op, q, v}`` (lists for tuples)."""
    if isinstance(cond, Test):
        value = list(cond.value) if isinstance(cond.value, tuple | list) else cond.value
        return {"op": cond.op, "q": cond.question, "v": value}
    if isinstance(cond, Not):
        return {"op": "not", "item": condition_json(cond.item)}
    if isinstance(cond, All | Any):
        return {"op": "all" if isinstance(cond, All) else "any",
                "items": [condition_json(c) for c in cond.items]}
    raise TypeError(f"not a condition: {cond!r}")  # pragma: no cover - the union is closed


def split_prompt(prompt: str) -> tuple[str, str]:
    """(the question, the rest): the prompt's first sentence for the legend, and the
    explanation that follows it (empty when the prompt is one sentence)."""
    text = " ".join(clean_line(prompt).split())
    found = _SENTENCE.match(text)
    if found is None:
        return text, ""
    return found.group(1), found.group(2)


def short_name(q: Question) -> str:
    """How the error summary names a question: its title, else its question."""
    return clean_line(q.title) if q.title else split_prompt(q.prompt)[0]


def _stamp(rs: RuleSet) -> dict[str, object] | None:
    """The ``rule_set`` entry, when its id and version are ones an answers file may carry."""
    entry = stamp(rs.meta.id, rs.meta.version)
    try:
        read_meta(entry)
    except AnswersError:
        return None
    return entry


def form_data(rs: RuleSet) -> dict[str, object]:
    """What the page's script needs, as plain data (it takes no text from the markup)."""
    entry = _stamp(rs)
    questions = []
    for q in rs.questions:
        questions.append({
            "id": q.id, "type": q.type, "required": q.required, "values": list(q.values),
            "min": q.minimum, "max": q.maximum, "allowed": allowed_text(q),
            "percent": percent_scale(q.unit) if q.type == "number" else None,
            "when": condition_json(q.when) if q.when is not None else None,
            "name": short_name(q),
            "missing": (f"Enter a number, or tick '{NOT_SURE}'." if q.type == "number" else
                        f"Choose an answer, or '{NOT_SURE}'."),
        })
    head = (f"# Answers from the llmchoice answer form (rule set {clean_line(rs.meta.id)} "
            f"{clean_line(rs.meta.version)}).\n"
            "# Replay them with: llmchoice recommend THIS-FILE\n")
    return {"rule_set": entry[RULE_SET] if entry else None, "unsure": UNSURE,
            "max_respondent": MAX_RESPONDENT, "yaml_head": head, "questions": questions}


def script_json(data: object) -> str:
    """JSON safe inside ``<script>``: ASCII only, and ``<``, ``>``, ``&`` as ``\\u`` escapes,
    so no text in it can end the element or open a comment."""
    text = json.dumps(data, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def csp_hash(text: str) -> str:
    """The CSP source that allows exactly this inline block."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _number_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value)


def _choice(q: Question, i: int, kind: str, value: str, label: str, help_: str,
            checked: bool) -> str:
    name = f' name="{h(q.id)}"' if kind == "radio" else ""
    extra = f'<span class="choice-help">{h(help_)}</span>' if help_ else ""
    return (f'<label class="choice"><input type="{kind}" id="q-{h(q.id)}-c{i}"{name} '
            f'value="{h(value)}"{" checked" if checked else ""}>'
            f'<span class="choice-text"><span>{h(label)}</span>{extra}</span></label>')


def _unsure(q: Question, kind: str) -> str:
    """The "Not sure" option: a radio of the group, or a box that sets the others aside."""
    if kind == "radio":
        attrs = f'type="radio" name="{h(q.id)}" value="{UNSURE}"'
    else:
        attrs = 'type="checkbox" class="unsure-box"'
    return (f'<label class="choice unsure"><input {attrs} id="q-{h(q.id)}-unsure">'
            f'<span class="choice-text"><span>{NOT_SURE}</span><span class="choice-help">'
            f"saved as <code>{UNSURE}</code></span></span></label>")


def _preset(q: Question) -> object:
    """What starts selected: an optional question's default; nothing for a required one
    (its default is shown as a hint), so an answer someone skimmed past is never saved as
    their vote: the form reports it as missing when they save."""
    return None if q.required else q.default


def usual_hint(q: Question) -> str:
    """``Usual answer: Moderate.`` for a required question with a default, else ''."""
    if not q.required or q.default is None:
        return ""
    if q.type == "choice":
        shown = q.label_of(q.default).split(":", 1)[0].strip()
    elif q.type == "confirm":
        shown = "Yes" if q.default is True else "No"
    elif isinstance(q.default, tuple):
        shown = ", ".join(q.label_of(v).split(":", 1)[0].strip() for v in q.default) or "none"
    else:
        shown = _number_text(q.default)
    return f"Usual answer: {clean_line(shown)}. Nothing is chosen for you; pick it if it fits."


def _controls(q: Question) -> str:
    """The inputs of one question: an optional question's default selected, a required
    one's nothing."""
    qid = h(q.id)
    preset = _preset(q)
    if q.type == "number":
        value = "" if preset is None else _number_text(preset)
        unit = f' <span class="unit">({h(q.unit)})</span>' if q.unit else ""
        mode = "decimal" if q.minimum is not None and q.minimum >= 0 else "text"
        return (f'<div class="number"><label for="q-{qid}-input">Your answer{unit}</label>'
                f'<input type="text" inputmode="{mode}" id="q-{qid}-input" name="{qid}" '
                f'value="{h(value)}" autocomplete="off" spellcheck="false" '
                f'aria-describedby="q-{qid}-allowed q-{qid}-error">'
                f'<p class="allowed" id="q-{qid}-allowed">Allowed: {h(allowed_text(q))}. '
                "Spaces, commas and underscores between digits are ignored.</p></div>"
                f'<div class="choices">{_unsure(q, "checkbox")}</div>')
    if q.type == "confirm":
        options = [("true", "Yes", True), ("false", "No", False)]
        items = [_choice(q, i, "radio", v, label, "", preset is not None and preset is b)
                 for i, (v, label, b) in enumerate(options)]
        return f'<div class="choices">{"".join(items)}{_unsure(q, "radio")}</div>'
    kind = "checkbox" if q.type == "multi" else "radio"
    picked = set(preset) if isinstance(preset, tuple) else {preset}
    items = [_choice(q, i, kind, c.value, c.label, c.help, c.value in picked)
             for i, c in enumerate(q.choices)]
    note = ('<p class="allowed">Tick every one that applies; none ticked is saved as an '
            "empty list (none of these).</p>" if q.type == "multi" else "")
    return f'{note}<div class="choices">{"".join(items)}{_unsure(q, kind)}</div>'


def _question(q: Question, number: int) -> str:
    qid = h(q.id)
    asked, rest = split_prompt(q.prompt)
    number_text = f'<span class="num">{number}.</span> '
    head = (f'<span class="qtitle">{number_text}{h(q.title)}</span>' if q.title
            else number_text)
    optional = ' <span class="optional">(optional)</span>' if not q.required else ""
    about = " ".join(t for t in (rest, clean_line(q.help)) if t)
    usual = usual_hint(q)
    if usual:
        about = f"{about} {usual}".strip()
    when = (f'<p class="when">Asked because of an earlier answer: '
            f'<code>{h(q.when.describe())}</code>.</p>' if q.when is not None else "")
    clear = ('<button type="button" class="clear">Clear this answer</button>'
             if not q.required and q.type != "number" else "")
    return (f'<fieldset class="question" id="q-{qid}" data-question="{qid}" '
            f'aria-describedby="q-{qid}-about q-{qid}-error">\n'
            f"<legend>{head}"
            f'<span class="asked">{h(asked)}</span>{optional}</legend>\n'
            f'<p class="about" id="q-{qid}-about">{h(about)}</p>{when}\n'
            f"{_controls(q)}{clear}\n"
            f'<p class="error" id="q-{qid}-error" aria-live="polite"></p>\n</fieldset>\n')


_INTRO = """\
<p>Answer the questions below, then press <b>Download</b> at the end to save your answers as
a file. Send the file to whoever runs <code>llmchoice</code>, or run
<code>llmchoice recommend FILE</code> yourself. This page has no server: nothing you enter
leaves it until you download the file.</p>
<p>Not sure about a question? Choose <b>Not sure</b>; the report will say which answers it
could not use. Questions marked <i>(optional)</i> may be left blank. Some questions appear
only after certain answers.</p>
<noscript><p class="warning">This page needs JavaScript to show the questions that depend
on other answers and to save the file. Without it, print the page, or ask for an answers
file to edit (<code>llmchoice template</code>).</p></noscript>
"""

_SAVE = """\
<section class="save" aria-labelledby="save-heading">
<h2 id="save-heading">Save your answers</h2>
<div id="error-summary" class="error-summary" tabindex="-1" role="alert" hidden>
<h3>Some answers need attention</h3><ul></ul></div>
<fieldset class="format"><legend>File format</legend>
<label class="choice"><input type="radio" name="file-format" value="yaml" checked>
<span class="choice-text"><span>YAML</span><span class="choice-help">easy to read and
edit</span></span></label>
<label class="choice"><input type="radio" name="file-format" value="json">
<span class="choice-text"><span>JSON</span><span class="choice-help">for programs</span>
</span></label></fieldset>
<button type="button" id="download" class="primary">Download</button>
<p id="save-status" role="status"></p>
<label for="file-preview">The file that Download saves</label>
<textarea id="file-preview" readonly rows="14" spellcheck="false" wrap="off"></textarea>
</section>
"""

_WHO = f"""\
<div class="who">
<label for="respondent">Your name or role <span class="optional">(optional)</span></label>
<p class="about" id="respondent-about">Saved in the file as <code>respondent</code>, so a
team report can say who answered what. At most {MAX_RESPONDENT} characters.</p>
<input type="text" id="respondent" name="respondent" autocomplete="name"
aria-describedby="respondent-about respondent-error">
<p class="error" id="respondent-error" aria-live="polite"></p>
</div>
"""


def render_form(rs: RuleSet) -> str:
    """The whole page for ``rs``."""
    script = SCRIPT
    policy = (f"default-src 'none'; script-src {csp_hash(script)}; style-src {csp_hash(CSS)}; "
              "img-src data:; base-uri 'none'; form-action 'none'")
    title = h(rs.meta.title)
    body = "".join(_question(q, i) for i, q in enumerate(rs.questions, 1))
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>Answer form: {title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        f'<header>\n<p class="kicker">llmchoice answer form</p>\n<h1>{title}</h1>\n'
        f'<p class="muted">Rule set <code>{h(rs.meta.id)}</code> version '
        f"<code>{h(rs.meta.version)}</code>, {len(rs.questions)} questions.</p>\n"
        f"{_INTRO}</header>\n"
        f'<form id="answers-form" novalidate>\n{_WHO}{body}{_SAVE}</form>\n'
        f"<footer>Made by llmchoice {h(__version__)}. The page only collects answers: "
        "<code>llmchoice recommend</code> weighs them.</footer>\n</main>\n"
        f'<script type="application/json" id="form-data">{script_json(form_data(rs))}'
        f"</script>\n<script>{script}</script>\n</body>\n</html>\n"
    )
