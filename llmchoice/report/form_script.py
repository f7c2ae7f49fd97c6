"""The answer form's script: static JavaScript, the same for every rule set.

It reads the rule set's questions from the page's ``<script type="application/json">``
block (built by :func:`llmchoice.report.form.form_data`) and never from the HTML, and it
only ever writes text with ``textContent``/``value``, never as markup. What it does:

- shows a question only when its ``when`` holds for the answers above it, evaluated as
  :mod:`llmchoice.ruleset.conditions` does (three-valued: an unanswered, "not sure" or
  hidden question makes a test unknown, and unknown hides the question), in question
  order as :func:`llmchoice.answers.validate.validate` does;
- checks a number as :func:`llmchoice.answers.validate.coerce` checks text (the reader
  of :mod:`llmchoice.io.numbers`, ported in :mod:`.form_numbers`; finite; within the
  question's limits), with the same message;
- writes the answers file (YAML or JSON, the rule set's id and version and the
  respondent first, then the answers in question order, ``unsure`` for "Not sure") into
  the preview, and the Download button saves exactly that text.

It does no scoring: the file goes to ``llmchoice recommend`` or ``team``.
"""

from __future__ import annotations

from .form_numbers import NUMBER_READER

SCRIPT = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("form-data").textContent);
  var UNSURE = data.unsure;
  var form = document.getElementById("answers-form");
  var touched = {};
  var attempted = false;
  var last = null;

  function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }

  // ---- conditions, as llmchoice/ruleset/conditions.py evaluates them
  function test(c, answers) {
    if (c.op === "answered") { return has(answers, c.q) === c.v; }
    if (!has(answers, c.q)) { return null; }
    var have = answers[c.q], want = c.v;
    switch (c.op) {
      case "eq":
        if (Array.isArray(have)) {
          return have.every(function (v) { return want.indexOf(v) >= 0; }) &&
            want.every(function (v) { return have.indexOf(v) >= 0; });
        }
        return have === want;
      case "in": return want.indexOf(have) >= 0;
      case "not_in": return want.indexOf(have) < 0;
      case "contains_any": return want.some(function (v) { return have.indexOf(v) >= 0; });
      case "contains_all": return want.every(function (v) { return have.indexOf(v) >= 0; });
      case "lt": return have < want;
      case "lte": return have <= want;
      case "gt": return have > want;
      case "gte": return have >= want;
    }
    throw new Error("unknown operator " + c.op);
  }

  function evaluate(c, answers) {
    var unknown = false, i, got;
    if (c.op === "all" || c.op === "any") {
      var stop = c.op === "all" ? false : true;
      for (i = 0; i < c.items.length; i++) {
        got = evaluate(c.items[i], answers);
        if (got === stop) { return stop; }
        if (got === null) { unknown = true; }
      }
      return unknown ? null : !stop;
    }
    if (c.op === "not") {
      got = evaluate(c.item, answers);
      return got === null ? null : !got;
    }
    return test(c, answers);
  }

  // ---- numbers, as llmchoice/answers/validate.py coerce() reads text
  function pyG(v) {  // Python's format(v, "g")
    if (v === 0) { return "0"; }
    var parts = v.toExponential(5).split("e"), exp = Number(parts[1]), s;
    if (exp < -4 || exp >= 6) {
      var m = parts[0].replace(/\.?0+$/, "");
      return m + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
    s = v.toFixed(Math.max(0, 5 - exp));
    return s.indexOf(".") >= 0 ? s.replace(/\.?0+$/, "") : s;
  }

  function pyRepr(text) {
    var quote = text.indexOf("'") >= 0 && text.indexOf('"') < 0 ? '"' : "'";
    var body = text.replace(/\\/g, "\\\\");
    if (quote === "'") { body = body.replace(/'/g, "\\'"); }
    return quote + body + quote;
  }

  function describeText(text) {
    var chars = Array.from(text);
    var short = chars.length <= 40 ? text : chars.slice(0, 37).join("") + "...";
    return "the text " + pyRepr(short);
  }

""" + NUMBER_READER + r"""
  function coerceNumber(q, raw) {  // llmchoice/answers/validate.py coerce(), for text
    var got = parseNumber(raw, q.percent);
    if (got.reason !== undefined) {
      if (got.reason.indexOf("expected") === 0) { return { problem: got.reason }; }
      return { problem: "expected " + q.allowed + ", found " + describeText(raw) +
        (got.reason ? "; " + got.reason : "") };
    }
    var v = got.value === 0 ? 0 : got.value;  // no -0
    if ((q.min !== null && v < q.min) || (q.max !== null && v > q.max)) {
      return { problem: pyG(v) + " is out of range; expected " + q.allowed };
    }
    return { value: v };
  }

  // ---- reading the page
  function field(q, suffix) { return document.getElementById("q-" + q.id + suffix); }

  function read(q) {
    var box = field(q, "");
    if (q.type === "number") {
      if (field(q, "-unsure").checked) { return { kind: "unsure" }; }
      var raw = field(q, "-input").value;
      if (!raw.trim()) { return { kind: "none" }; }
      var got = coerceNumber(q, raw);
      return got.problem ? { kind: "invalid", problem: got.problem } :
        { kind: "value", value: got.value };
    }
    if (q.type === "multi") {
      if (field(q, "-unsure").checked) { return { kind: "unsure" }; }
      var picked = q.values.filter(function (v, i) { return field(q, "-c" + i).checked; });
      return { kind: "value", value: picked };
    }
    var on = box.querySelector("input[type=radio]:checked");
    if (!on) { return { kind: "none" }; }
    if (on.value === UNSURE) { return { kind: "unsure" }; }
    if (q.type === "confirm") { return { kind: "value", value: on.value === "true" }; }
    return { kind: "value", value: on.value };
  }

  function readRespondent() {
    var raw = document.getElementById("respondent").value, name = raw.trim();
    if (!name) { return { value: null }; }
    if (Array.from(raw).length > data.max_respondent || /\p{C}/u.test(raw)) {
      return { problem: "expected a name of at most " + data.max_respondent +
        " printable characters on one line" };
    }
    return { value: name };
  }

  // Every question in order: shown when its condition holds for the answers above it.
  function collect() {
    var eff = {}, answers = [], problems = [], shown = [];
    data.questions.forEach(function (q) {
      var box = field(q, "");
      var visible = q.when === null || evaluate(q.when, eff) === true;
      box.hidden = !visible;
      if (!visible) { return; }
      shown.push(q.id);
      var num = box.querySelector(".num");
      if (num) { num.textContent = shown.length + "."; }  // numbered as shown, no gaps
      var st = read(q);
      if (st.kind === "value") { eff[q.id] = st.value; answers.push([q.id, st.value]); }
      else if (st.kind === "unsure") { answers.push([q.id, UNSURE]); }
      else if (st.kind === "invalid") { problems.push([q, st.problem]); }
      else if (q.required) { problems.push([q, q.missing]); }
    });
    return { answers: answers, problems: problems, shown: shown };
  }

  // ---- writing the file
  var PLAIN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
  var RESERVED = /^(null|true|false|~)$/i;

  function numberText(v) {
    if (Number.isInteger(v) && Math.abs(v) < 9007199254740992) { return String(v); }
    var s = String(v);
    return /[.e]/.test(s) ? s : v.toExponential();
  }

  function yamlScalar(v) {
    if (typeof v === "boolean") { return v ? "true" : "false"; }
    if (typeof v === "number") { return numberText(v); }
    return PLAIN.test(v) && !RESERVED.test(v) ? v : JSON.stringify(v);
  }

  function jsonScalar(v) { return typeof v === "number" ? numberText(v) : JSON.stringify(v); }

  function fileText(fmt, respondent, answers) {
    var rows = [];
    if (data.rule_set) { rows.push(["rule_set", data.rule_set]); }
    if (respondent !== null) { rows.push(["respondent", respondent]); }
    rows = rows.concat(answers);
    if (fmt === "json") {
      var out = rows.map(function (row) {
        var v = row[1], text;
        if (Array.isArray(v)) {
          text = v.length ? "[\n" + v.map(function (x) { return "    " + jsonScalar(x); })
            .join(",\n") + "\n  ]" : "[]";
        } else if (v !== null && typeof v === "object") {
          text = "{\n    \"id\": " + JSON.stringify(v.id) + ",\n    \"version\": " +
            JSON.stringify(v.version) + "\n  }";
        } else { text = jsonScalar(v); }
        return "  " + JSON.stringify(row[0]) + ": " + text;
      });
      return "{\n" + out.join(",\n") + "\n}\n";
    }
    return data.yaml_head + rows.map(function (row) {
      var v = row[1];
      if (Array.isArray(v)) {
        return yamlScalar(row[0]) + ": [" + v.map(yamlScalar).join(", ") + "]";
      }
      if (v !== null && typeof v === "object") {
        return row[0] + ":\n  id: " + yamlScalar(v.id) + "\n  version: " +
          yamlScalar(String(v.version));
      }
      return yamlScalar(row[0]) + ": " + yamlScalar(v);
    }).join("\n") + "\n";
  }

  function fileName(fmt, respondent) {
    var slug = (respondent || "").toLowerCase().replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "");
    return (slug ? "answers-" + slug : "answers") + "." + (fmt === "json" ? "json" : "yaml");
  }

  // ---- showing problems
  function showProblem(id, control, text) {
    var el = document.getElementById(id + "-error");
    if (el.textContent !== text) { el.textContent = text; }
    if (control) { control.setAttribute("aria-invalid", text ? "true" : "false"); }
  }

  function update() {
    var got = collect();
    var who = readRespondent();
    var bad = {};
    got.problems.forEach(function (p) { bad[p[0].id] = p[1]; });
    data.questions.forEach(function (q) {
      var say = bad[q.id] && (attempted || touched[q.id]) ? bad[q.id] : "";
      showProblem("q-" + q.id, q.type === "number" ? field(q, "-input") : null, say);
    });
    showProblem("respondent", document.getElementById("respondent"),
      who.problem && (attempted || touched.respondent) ? who.problem : "");
    var all = got.problems.map(function (p) { return ["q-" + p[0].id, p[0].name, p[1]]; });
    if (who.problem) { all.unshift(["respondent", "Your name or role", who.problem]); }
    var fmt = form.querySelector("input[name=file-format]:checked").value;
    var name = fileName(fmt, who.value);
    var preview = document.getElementById("file-preview");
    var status = document.getElementById("save-status");
    var button = document.getElementById("download");
    button.textContent = "Download " + name;
    last = all.length ? null :
      { text: fileText(fmt, who.value, got.answers), name: name, fmt: fmt };
    preview.value = last ? last.text : "";
    status.textContent = last ? "Ready: " + got.answers.length + " answers in " + name + "." :
      all.length + (all.length === 1 ? " answer needs" : " answers need") +
      " attention before the file can be saved.";
    summarise(attempted ? all : []);
    form.setAttribute("data-shown", got.shown.join(" "));
    return last;
  }

  function summarise(all) {
    var box = document.getElementById("error-summary");
    var list = box.querySelector("ul");
    list.textContent = "";
    all.forEach(function (p) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = "#" + p[0];
      a.textContent = p[1] + ": " + p[2];
      li.appendChild(a);
      list.appendChild(li);
    });
    box.hidden = all.length === 0;
  }

  function save() {
    attempted = true;
    var ready = update();
    if (!ready) {
      document.getElementById("error-summary").focus();
      return;
    }
    var blob = new Blob([ready.text], { type: ready.fmt === "json" ?
      "application/json" : "application/yaml" });
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = ready.name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    document.getElementById("save-status").textContent = "Saved " + ready.name +
      " (see your downloads). Send it on, or run: llmchoice recommend " + ready.name;
  }

  function mark(event) {
    var box = event.target.closest("[data-question]");
    if (box) { touched[box.getAttribute("data-question")] = true; }
    if (event.target.id === "respondent") { touched.respondent = true; }
  }

  function syncUnsure(event) {
    var t = event.target;
    if (!t.classList || !t.classList.contains("unsure-box")) { return; }
    var box = t.closest("[data-question]");
    box.querySelectorAll("input:not(.unsure-box)").forEach(function (other) {
      other.disabled = t.checked;
    });
  }

  form.addEventListener("change", function (e) { mark(e); syncUnsure(e); update(); });
  form.addEventListener("input", function (e) {
    if (e.target.type === "text" && e.target.getAttribute("aria-invalid") === "true") { mark(e); }
    update();
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); attempted = true; update(); });
  form.querySelectorAll("button.clear").forEach(function (b) {
    b.addEventListener("click", function () {
      var box = b.closest("[data-question]");
      box.querySelectorAll("input").forEach(function (i) {
        i.checked = false; i.disabled = false; if (i.type === "text") { i.value = ""; }
      });
      update();
    });
  });
  document.getElementById("download").addEventListener("click", save);
  form.querySelectorAll(".unsure-box").forEach(function (u) { syncUnsure({ target: u }); });
  document.documentElement.classList.add("js");
  update();
  window.llmchoiceForm = { evaluate: evaluate, coerceNumber: coerceNumber, pyG: pyG,
    update: update, data: data };
})();
"""
