"""The one reader of numbers typed by people: quiz, answers files, ``--set``, CSV cells
and every numeric command-line option.

What it accepts (docs/numbers.md says the same for users):

- an optional sign, digits, an optional decimal part after a point, an optional exponent:
  ``500``, ``-3``, ``0.25``, ``.5``, ``1e6``, ``2.5E-3``;
- thousands separators only where they cannot be misread: one kind per number, a comma,
  a space (also a no-break or narrow no-break space) or an underscore, each between
  groups of exactly three digits before the decimal point: ``1,000``, ``1 000 000``,
  ``1_000.5``;
- a trailing percent sign only where a share is asked (``90%`` is 0.9), or where the
  unit itself is percent (``90%`` is 90).

What it refuses, each with a hint: ``1,5`` and ``12,50`` (a decimal comma: write
``1.5``), ``1.000.000`` and ``1.000,5`` (a point is always the decimal point),
``4__0``, ``1_00`` and ``1,000 000`` (separators only between groups of three, one kind),
``inf`` and ``nan``, and a percent sign where no share is asked.

The core and the CLI both use it: :func:`parse_number` raises :class:`NumberError`
(a ``ValueError``) with a reason; :func:`option_number` words it as a command-line
problem (:class:`UsageError`).
"""

from __future__ import annotations

import math
import re
import sys

from llmchoice.io.errors import UsageError
from llmchoice.io.lazyre import lazy
from llmchoice.io.textsafe import clean

SHARE = 0.01  # ``percent=SHARE``: a share from 0 to 1, so 90% is 0.9
PERCENT = 1.0  # ``percent=PERCENT``: the unit is percent, so 90% is 90
SEPARATORS = (",", " ", "\u00a0", "\u202f", "_")
_FLOAT_MAX = int(sys.float_info.max)
_SHAPE = lazy(r"^(?P<mant>[0-9.,_ \u00a0\u202f]+)(?:[eE](?P<exp>[+-]?[0-9]+))?$")
_NOT_FINITE = lazy(r"^(?:\.?inf(?:inity)?|\.?nan)$", re.IGNORECASE)
_GROUPS = "separators go only between groups of three digits, one kind per number " \
          "(1,000 or 1 000 or 1_000)"


class NumberError(ValueError):
    """Text that is not a number this tool accepts. ``reason`` says why, in words that
    follow "expected …, found …" (empty when the text is simply not a number); a reason
    that starts with "expected" says all there is to say and replaces that sentence."""

    def __init__(self, text: str, reason: str = "") -> None:
        super().__init__(f"{text!r} is not a number" + (f": {reason}" if reason else ""))
        self.text = text
        self.reason = reason


def percent_scale(unit: str | None) -> float | None:
    """How a percent sign reads for a question with this unit: :data:`SHARE` when the unit
    says it is a share, :data:`PERCENT` when it is in percent, else ``None`` (refused)."""
    low = (unit or "").lower()
    if "share" in low or "fraction" in low:
        return SHARE
    if "percent" in low or "%" in low:
        return PERCENT
    return None


def parse_number(text: str, *, percent: float | None = None,
                 integer: bool = False) -> int | float:
    """``text`` as a number: an ``int`` when it is whole and written without a point,
    an exponent or a percent sign, else a ``float``. Raises :class:`NumberError`."""
    s = text.strip()
    if not s:
        raise NumberError(text, "the text is empty")
    scale = None
    if s.endswith("%"):
        if percent is None:
            raise NumberError(text, "a percent sign is only for shares; write the number "
                                    "alone")
        scale, s = percent, s[:-1].rstrip()
    sign = -1 if s[:1] == "-" else 1
    s = s[1:] if s[:1] in "+-" else s
    shape = _SHAPE().match(s)
    if shape is None:
        if _NOT_FINITE().match(s):
            found = "NaN (not a number)" if s.lower().lstrip(".") == "nan" else \
                "minus infinity" if sign < 0 else "infinity"
            raise NumberError(text, f"expected a finite number, found {found}")
        raise NumberError(text)
    mantissa, exponent = shape["mant"], shape["exp"]
    whole, point, fraction = mantissa.partition(".")
    if "." in fraction:
        raise NumberError(text, "a point is the decimal point; group thousands with commas "
                                "or spaces (1,000,000)")
    if any(c in fraction for c in SEPARATORS):
        raise NumberError(text, "a point is the decimal point, so separators go only before "
                                "it (1,000.5)")
    digits = _ungroup(text, whole)
    if not digits and not fraction:
        raise NumberError(text)
    value: int | float
    if point or exponent is not None or scale is not None:
        value = float(f"{digits or '0'}.{fraction or '0'}e{exponent or 0}")
    else:
        value = int(digits)
        if value > _FLOAT_MAX:
            raise NumberError(text, f"expected a finite number, found a {len(digits)}-digit "
                                    "number")
    value = sign * value * (scale if scale is not None else 1)
    if not math.isfinite(value):
        raise NumberError(text, "expected a finite number, found "
                                f"{'minus ' if value < 0 else ''}infinity (too large)")
    if integer:
        if not float(value).is_integer():
            raise NumberError(text, "expected a whole number")
        value = int(value)
    return value


def _ungroup(text: str, whole: str) -> str:
    """The digits of the part before the point, its thousands separators checked."""
    used = [c for c in SEPARATORS if c in whole]
    if not used:
        return whole
    groups = whole.split(used[0])
    if len(used) == 1 and 1 <= len(groups[0]) <= 3 and all(g.isdigit() for g in groups) \
            and all(len(g) == 3 for g in groups[1:]):
        return "".join(groups)
    if used == [","] and len(groups) == 2 and "." not in text \
            and all(g.isdigit() for g in groups) and len(groups[1]) < 3:
        head, tail = groups
        raise NumberError(text, f"a comma before {len(tail)} digit"
                                f"{'s' if len(tail) != 1 else ''} reads as a decimal comma; "
                                f"write {head}.{tail} (a point for decimals), or group "
                                "thousands in threes (1,500)")
    raise NumberError(text, _GROUPS)


def option_number(flag: str, text: str, *, percent: float | None = None,
                  integer: bool = False, expected: str | None = None) -> int | float:
    """A numeric command-line option's value, or one :class:`UsageError` in the tool's
    words: ``--monthly-tokens '1,5': expected a number; a comma …``."""
    try:
        return parse_number(text, percent=percent, integer=integer)
    except NumberError as exc:
        if exc.reason.startswith("expected") and expected is None:
            raise UsageError(f"{flag} {clean(text)!r}: {exc.reason}") from None
        if exc.reason.startswith("expected"):  # say what the option expects, then what it got
            found = exc.reason.partition(", found ")[2]
            raise UsageError(f"{flag} {clean(text)!r}: expected {expected}"
                             + (f", found {found}" if found else "")) from None
        kind = "a whole number" if integer else "a number"
        if percent == SHARE:
            kind = "a share from 0 to 1 (0.5) or a percentage (50%)"
        kind = expected or kind
        raise UsageError(f"{flag} {clean(text)!r}: expected {kind}"
                         + (f"; {exc.reason}" if exc.reason else "")) from None
