"""A ``.json`` file must be strict JSON: the YAML reader would take a trailing comma, a
comment or single quotes silently, and a file that says JSON should work with every
other JSON tool too.

:func:`check_json` runs after the YAML reader has read the text within its limits (so
the nesting is already known to be shallow) and only decides whether it is also JSON.
"""

from __future__ import annotations

import json

from llmchoice.io.errors import InputError

_HINT = "a .json file must be strict JSON (name it .yaml to write YAML)"


def is_json_name(name: str) -> bool:
    """Whether a file name says JSON (``-``, standard input, says nothing)."""
    return name.lower().endswith(".json")


def check_json(text: str, source: str) -> None:
    """Raise one :class:`InputError` at ``source:line:column`` unless ``text`` is JSON."""

    def refuse(constant: str) -> object:
        raise ValueError(f"{constant} is not a number JSON allows")

    try:
        json.loads(text, parse_constant=refuse)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}:{exc.lineno}:{exc.colno}: not valid JSON: "
                         f"{_why(text, exc)}; {_HINT}") from None
    except ValueError as exc:
        raise InputError(f"{source}: not valid JSON: {exc}; {_HINT}") from None
    except RecursionError:  # pragma: no cover - the YAML reader's depth limit comes first
        raise InputError(f"{source}: not valid JSON: nested too deeply") from None


def _why(text: str, exc: json.JSONDecodeError) -> str:
    """The decoder's message, named for what a person wrote."""
    before = text[:exc.pos].rstrip()
    here = text[exc.pos:exc.pos + 1]
    if before.endswith(",") and here in "}]":
        return "a trailing comma before the closing " + ("brace" if here == "}" else "bracket")
    if here == "'":
        return "single quotes; JSON strings take double quotes"
    if here in ("#", "/"):
        return "a comment; JSON has none"
    return exc.msg[0].lower() + exc.msg[1:]
