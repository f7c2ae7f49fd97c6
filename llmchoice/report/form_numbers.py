"""The answer form's number reader: :func:`llmchoice.io.numbers.parse_number` in
JavaScript, rule for rule, so the page refuses what the command line refuses, in the same
words (tests/test_form_browser.py compares the two on the same texts)."""

from __future__ import annotations

NUMBER_READER = r"""
  // The reader of llmchoice/io/numbers.py parse_number, rule for rule: thousands
  // separators (one kind) only between groups of three, a decimal comma refused with a
  // hint, a percent sign only where a share (or percent) is asked.
  var SEPS = [",", " ", "\u00a0", "\u202f", "_"];
  var GROUPS = "separators go only between groups of three digits, one kind per number " +
    "(1,000 or 1 000 or 1_000)";
  function refused(reason) { return { reason: reason }; }
  function isDigits(g) { return /^[0-9]+$/.test(g); }

  function ungroup(text, whole) {
    var used = SEPS.filter(function (c) { return whole.indexOf(c) >= 0; });
    if (!used.length) { return { digits: whole }; }
    var groups = whole.split(used[0]);
    if (used.length === 1 && groups[0].length >= 1 && groups[0].length <= 3 &&
        groups.every(isDigits) &&
        groups.slice(1).every(function (g) { return g.length === 3; })) {
      return { digits: groups.join("") };
    }
    if (used.length === 1 && used[0] === "," && groups.length === 2 &&
        text.indexOf(".") < 0 && groups.every(isDigits) && groups[1].length < 3) {
      var tail = groups[1];
      return refused("a comma before " + tail.length + " digit" +
        (tail.length !== 1 ? "s" : "") + " reads as a decimal comma; write " + groups[0] +
        "." + tail + " (a point for decimals), or group thousands in threes (1,500)");
    }
    return refused(GROUPS);
  }

  function parseNumber(text, percent) {
    var s = text.trim(), scale = null;
    if (!s) { return refused("the text is empty"); }
    if (s.slice(-1) === "%") {
      if (percent === null || percent === undefined) {
        return refused("a percent sign is only for shares; write the number alone");
      }
      scale = percent;
      s = s.slice(0, -1).trim();
    }
    var sign = s.charAt(0) === "-" ? -1 : 1;
    if (s.charAt(0) === "+" || s.charAt(0) === "-") { s = s.slice(1); }
    var shape = /^([0-9.,_ \u00a0\u202f]+)(?:[eE]([+-]?[0-9]+))?$/.exec(s);
    if (!shape) {
      if (/^(?:\.?inf(?:inity)?|\.?nan)$/i.test(s)) {
        var found = s.toLowerCase().replace(/^\./, "") === "nan" ? "NaN (not a number)" :
          sign < 0 ? "minus infinity" : "infinity";
        return refused("expected a finite number, found " + found);
      }
      return refused("");
    }
    var mant = shape[1], exp = shape[2], dot = mant.indexOf(".");
    var whole = dot < 0 ? mant : mant.slice(0, dot), fraction = dot < 0 ? "" : mant.slice(dot + 1);
    if (fraction.indexOf(".") >= 0) {
      return refused("a point is the decimal point; group thousands with commas or spaces " +
        "(1,000,000)");
    }
    if (SEPS.some(function (c) { return fraction.indexOf(c) >= 0; })) {
      return refused("a point is the decimal point, so separators go only before it (1,000.5)");
    }
    var got = ungroup(text, whole);
    if (got.reason !== undefined) { return got; }
    var digits = got.digits, value;
    if (!digits && !fraction) { return refused(""); }
    if (dot >= 0 || exp !== undefined || scale !== null) {
      value = parseFloat((digits || "0") + "." + (fraction || "0") + "e" + (exp || 0));
    } else {
      value = Number(digits);
      if (!isFinite(value)) {
        return refused("expected a finite number, found a " + digits.length + "-digit number");
      }
    }
    value = sign * value * (scale !== null ? scale : 1);
    if (!isFinite(value)) {
      return refused("expected a finite number, found " + (value < 0 ? "minus " : "") +
        "infinity (too large)");
    }
    return { value: value };
  }

"""
