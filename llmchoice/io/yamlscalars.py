"""Scalars by the YAML 1.2 core schema, and the only tags these files may carry.

Part of :mod:`llmchoice.io.yamlio`: ``no``, ``on`` and ``yes`` stay text (not YAML 1.1
booleans), so every JSON document reads the same as with ``json``; a tag other than the
standard ones is refused, and nothing is ever constructed from a tag.
"""

from __future__ import annotations

import math
from typing import Any

from llmchoice.io.errors import InputError
from llmchoice.io.lazyre import lazy

_STD = "tag:yaml.org,2002:"
ALLOWED_TAGS = {
    "!": "str",
    _STD + "str": "str",
    _STD + "int": "int",
    _STD + "float": "float",
    _STD + "bool": "bool",
    _STD + "null": "null",
    _STD + "map": "map",
    _STD + "seq": "seq",
}

_NULL = lazy(r"^(?:~|null|Null|NULL|)$")
_BOOL_TRUE = lazy(r"^(?:true|True|TRUE)$")
_BOOL_FALSE = lazy(r"^(?:false|False|FALSE)$")
_INT = lazy(r"^[-+]?[0-9]+$")
_INT_OCT = lazy(r"^0o[0-7]+$")
_INT_HEX = lazy(r"^0x[0-9a-fA-F]+$")
_FLOAT = lazy(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_FLOAT_INF = lazy(r"^[-+]?\.(?:inf|Inf|INF)$")
_FLOAT_NAN = lazy(r"^\.(?:nan|NaN|NAN)$")


def error_at(source: str, mark: Any, message: str) -> InputError:
    """An input error at ``source:line:column`` of a parser mark (or at ``source``)."""
    if mark is None:
        return InputError(f"{source}: {message}")
    return InputError(f"{source}:{mark.line + 1}:{mark.column + 1}: {message}")


def resolve_scalar(event: Any, source: str) -> object:
    """A scalar event's value: by its standard tag if it has one, else by the core schema
    when it is plain (a quoted scalar stays text)."""
    value: str = event.value
    tag = event.tag
    plain = event.implicit[0] and tag is None
    if tag is not None:
        kind = ALLOWED_TAGS.get(tag)
        if kind is None or kind in ("map", "seq"):
            raise error_at(source, event.start_mark,
                           f"the tag {tag!s} is not allowed here; these files hold plain data only "
                           "(text, numbers, true/false, lists and mappings)")
        if kind == "str":
            return value
        resolved = resolve_plain(value, event, source)
        expected = {"int": int, "float": float, "bool": bool, "null": type(None)}[kind]
        if kind == "float" and type(resolved) is int:
            return float(resolved)
        if type(resolved) is not expected:
            raise error_at(source, event.start_mark, f"{value!r} is not a valid {kind}")
        return resolved
    if not plain:
        return value
    return resolve_plain(value, event, source)


def resolve_plain(value: str, event: Any, source: str) -> object:
    """Null, a boolean, an integer, a float or else the text itself (YAML 1.2 core)."""
    if _NULL().match(value):
        return None
    if _BOOL_TRUE().match(value):
        return True
    if _BOOL_FALSE().match(value):
        return False
    try:
        if _INT().match(value):
            return int(value)
        if _INT_OCT().match(value):
            return int(value[2:], 8)
        if _INT_HEX().match(value):
            return int(value[2:], 16)
    except ValueError:
        raise error_at(source, event.start_mark, "this number has too many digits") from None
    if _FLOAT().match(value):
        return float(value)
    if _FLOAT_INF().match(value):
        return -math.inf if value.startswith("-") else math.inf
    if _FLOAT_NAN().match(value):
        return math.nan
    return value
