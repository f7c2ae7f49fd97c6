"""The one field checker: collects every problem with its ``file:line:column``.

Rule sets, answers files and cost assumptions are all hand-checked with it, so
they describe a found value and suggest a near id the same way.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from typing import cast

from llmchoice.io import yamlio
from llmchoice.io.errors import Problem

ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when a close match exists, else the empty string."""
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {matches[0]!r}?)" if matches else ""


def describe(value: object) -> str:
    """How a found value reads in an error message."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int) and value.bit_length() > 128:
        return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
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
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class Checker:
    """Collects problems with their positions while the rule set is built."""

    def __init__(self, doc: yamlio.Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def error(self, path: yamlio.Path_, message: str, *, key: bool = False) -> None:
        self.problems.append(Problem(self.doc.locate(path, key=key), message))

    def line(self, path: yamlio.Path_) -> int | None:
        return self.doc.line_of(path)

    def mapping(self, path: yamlio.Path_, value: object, what: str, *,
                required: Iterable[str] = (), optional: Iterable[str] = ()) -> dict[str, object]:
        if not isinstance(value, dict):
            self.error(path, f"{what}: expected a mapping, found {describe(value)}")
            return {}
        req = list(required)
        allowed = set(req) | set(optional)
        for key in value:
            if allowed and key not in allowed:
                self.error((*path, key),
                           f"{what}: unknown key {key!r}{did_you_mean(key, allowed)}; "
                           f"expected one of {', '.join(sorted(allowed))}", key=True)
        for key in req:
            if key not in value:
                self.error(path, f"{what}: missing key {key!r}")
        return cast(dict[str, object], value)

    def text(self, path: yamlio.Path_, value: object, what: str, *,
             allow_empty: bool = False) -> str:
        if isinstance(value, bool) or value is None or isinstance(value, list | dict):
            self.error(path, f"{what}: expected text, found {describe(value)}")
            return ""
        text = str(value)
        if not allow_empty and not text.strip():
            self.error(path, f"{what}: expected text, found an empty string")
        return text

    def ident(self, path: yamlio.Path_, value: object, what: str) -> str:
        if not isinstance(value, str) or not ID.match(value):
            self.error(path, f"{what}: expected an id of lower-case letters, digits, '-', '_' "
                             f"or '.', found {describe(value)}")
            return str(value)
        return value

    def number(self, path: yamlio.Path_, value: object, what: str) -> float:
        if not is_number(value):
            self.error(path, f"{what}: expected a finite number, found {describe(value)}")
            return 0.0
        return float(cast(float, value))

    def boolean(self, path: yamlio.Path_, value: object, what: str) -> bool:
        if not isinstance(value, bool):
            self.error(path, f"{what}: expected true or false, found {describe(value)}")
            return False
        return value

    def seq(self, path: yamlio.Path_, value: object, what: str, *,
            nonempty: bool = False) -> list[object]:
        if not isinstance(value, list):
            self.error(path, f"{what}: expected a list, found {describe(value)}")
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
