"""The one field checker: collects every problem with its ``file:line:column``.

Rule sets (and their overlays), answers files and cost assumptions are all
hand-checked with it, so they describe a found value, word a range and suggest
a near id the same way.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from typing import cast

from llmchoice.frozen import frozen
from llmchoice.io import yamlio
from llmchoice.io.errors import LLMChoiceError, Problem
from llmchoice.io.lazyre import lazy

ID = re.compile(r"[a-z0-9][a-z0-9_.-]*")  # whole text only (fullmatch: no final newline)
HUGE_BITS = 128  # an integer longer than this is described by its length, not its digits
# Every number in a rule set or an assumptions file is finite and at most this large, so
# no sum, product or bonus the tools compute can overflow (points have their own, smaller
# bound: see ruleset/limits.py).
MAX_MAGNITUDE = 1e12
# Control characters can only come from escapes in double-quoted YAML ("\x1b", "\n"):
# names, labels and titles (one line each, shown in lists, tables and CSV) refuse them,
# and tabs, newlines and bidi controls too; prose (because, help, text) is shown with
# them escaped by every renderer (io/textsafe.py).
_CONTROL_NAME = lazy("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069"
                     "\ufeff]")


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when a close match exists, else the empty string."""
    if len(word) > 100:  # nothing that long is a misspelt id (and difflib would be slow)
        return ""
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {matches[0]!r}?)" if matches else ""


def number_text(value: float) -> str:
    """A number as a person reads it: ``1,000,000``, ``0.25``, ``NaN (not a number)``."""
    if isinstance(value, float) and math.isnan(value):
        return "NaN (not a number)"
    if isinstance(value, float) and math.isinf(value):
        return "infinity" if value > 0 else "minus infinity"
    if isinstance(value, int) and value.bit_length() > HUGE_BITS:
        return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
    if isinstance(value, int) or float(value).is_integer() and abs(value) < 1e16:
        return f"{int(value):,}"
    return f"{value:,.10g}"


def describe(value: object) -> str:
    """How a found value reads in an error message."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int) and value.bit_length() > HUGE_BITS:
        return number_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return number_text(value)
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {short!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def is_number(value: object) -> bool:
    """A real, finite number (not true/false; an integer too long for a float is not finite)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, int):
        return value.bit_length() <= 1023  # float() of a longer one overflows
    return math.isfinite(value)


@frozen
class Bounds:
    """The range a number must lie in, worded the same way in every file."""

    minimum: float
    maximum: float
    min_inclusive: bool = True
    integer: bool = False

    def text(self) -> str:
        low = "at least" if self.min_inclusive else "more than"
        whole = "a whole number" if self.integer else "a number"
        return f"{whole} {low} {number_text(self.minimum)} and at most {number_text(self.maximum)}"

    def problem(self, value: object) -> str | None:
        """Why ``value`` is not a number within these bounds, or ``None`` when it is."""
        if not is_number(value):
            found = describe(value)
        else:
            x = cast(float, value)
            too_low = x < self.minimum if self.min_inclusive else x <= self.minimum
            whole = not self.integer or float(x).is_integer()
            if not too_low and x <= self.maximum and whole:
                return None
            found = number_text(x)
        return f"expected {self.text()}, found {found}"


MAGNITUDE = Bounds(-MAX_MAGNITUDE, MAX_MAGNITUDE)


class Checker:
    """Collects problems with their positions while a document is checked."""

    def __init__(self, doc: yamlio.Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def error(self, path: yamlio.Path_, message: str, *, key: bool = False) -> None:
        self.problems.append(Problem(self.doc.locate(path, key=key), message))

    def line(self, path: yamlio.Path_) -> int | None:
        return self.doc.line_of(path)

    def mapping(self, path: yamlio.Path_, value: object, what: str, *,
                required: Iterable[str] = (), optional: Iterable[str] = (),
                open_keys: bool = False) -> dict[str, object]:
        """``value`` if it is a mapping; unknown keys (unless ``open_keys``) and missing
        required keys are problems. With no keys named at all, any key is accepted."""
        if not isinstance(value, dict):
            self.error(path, f"{what}: expected a mapping, found {describe(value)}")
            return {}
        req = list(required)
        allowed = set(req) | set(optional)
        if allowed and not open_keys:
            for key in value:
                if key not in allowed:
                    self.error((*path, key),
                               f"{what}: unknown key {key!r}{did_you_mean(str(key), allowed)}; "
                               f"expected one of {', '.join(sorted(allowed))}", key=True)
        for key in req:
            if key not in value:
                self.error(path, f"{what}: missing key {key!r}")
        return cast(dict[str, object], value)

    def text(self, path: yamlio.Path_, value: object, what: str, *,
             allow_empty: bool = False, strict: bool = False,
             max_len: int | None = None, name: bool = False) -> str:
        """Text; a number is taken as its text unless ``strict``. A ``name`` (a title, a
        label) is one line without control characters (tab, newline, ESC, bidi controls)."""
        bad = isinstance(value, bool) or value is None or isinstance(value, list | dict)
        if bad or (strict and not isinstance(value, str)):
            self.error(path, f"{what}: expected text, found {describe(value)}")
            return ""
        text = str(value)
        # a printable text has no control (Cc) or format (Cf) character: no search needed
        found = _CONTROL_NAME().search(text) if name and not text.isprintable() else None
        if found is not None:
            kind = "a line break or tab" if found.group() in "\n\t" else "a control character"
            self.error(path, f"{what}: {kind} (U+{ord(found.group()):04X}) is not allowed in a "
                             "name, label or title; write one line of plain text")
            return text
        if not allow_empty and not text.strip():
            self.error(path, f"{what}: expected text, found an empty string")
        elif max_len is not None and len(text) > max_len:
            self.error(path, f"{what}: {len(text):,} characters is over the limit of "
                             f"{max_len}; keep it to a sentence or two")
        return text

    def ident(self, path: yamlio.Path_, value: object, what: str) -> str:
        if not isinstance(value, str) or not ID.fullmatch(value):
            self.error(path, f"{what}: expected an id of lower-case letters, digits, '-', '_' "
                             f"or '.', found {describe(value)}")
            return str(value)
        return value

    def number(self, path: yamlio.Path_, value: object, what: str, *,
               bounds: Bounds | None = None) -> float:
        """A finite number within ``bounds`` (by default at most :data:`MAX_MAGNITUDE`
        either way); 0.0 after a problem."""
        if bounds is None and not is_number(value):
            self.error(path, f"{what}: expected a finite number, found {describe(value)}")
            return 0.0
        problem = (bounds or MAGNITUDE).problem(value)
        if problem is not None:
            self.error(path, f"{what}: {problem}")
            return 0.0
        return float(cast(float, value))

    def boolean(self, path: yamlio.Path_, value: object, what: str) -> bool:
        if not isinstance(value, bool):
            self.error(path, f"{what}: expected true or false, found {describe(value)}")
            return False
        return value

    def seq(self, path: yamlio.Path_, value: object, what: str, *,
            nonempty: bool = False, of: str = "") -> list[object]:
        """A list (``of`` names its items in the message: ``a list of rule ids``)."""
        if not isinstance(value, list):
            kind = f"a list of {of}" if of else "a list"
            self.error(path, f"{what}: expected {kind}, found {describe(value)}")
            return []
        if nonempty and not value:
            self.error(path, f"{what}: expected at least one item, found an empty list")
        return value

    def one_of(self, path: yamlio.Path_, value: object, options: Iterable[str],
               what: str) -> str | None:
        opts = list(options)
        if not isinstance(value, str) or value not in opts:
            hint = did_you_mean(value, opts) if isinstance(value, str) else ""
            self.error(path, f"{what}: expected one of {', '.join(opts)}, "
                             f"found {describe(value)}{hint}")
            return None
        return value

    def raise_if_any(self, error: type[LLMChoiceError], summary: str) -> None:
        """Raise ``error(f"{source}: N problem(s) in {summary}", problems)`` if any were found."""
        if self.problems:
            n = len(self.problems)
            raise error(f"{self.doc.source}: {n} problem{'s' if n != 1 else ''} in {summary}",
                        tuple(self.problems))
