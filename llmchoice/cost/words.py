"""Figures in plain words for the estimate's reading: '4,100 million tokens a month'."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only a type: the words need not import the cost model
    from llmchoice.cost.sensitivity import Sensitivity


def about(x: float) -> str:
    """Two significant figures with thousands separators: 4,083.9 -> '4,100', 0.953 -> '0.95'."""
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    digits = math.floor(math.log10(abs(x)))
    r = round(x, 1 - digits)
    decimals = max(0, 1 - digits)
    text = f"{r:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def tokens_words(millions: float) -> str:
    """'4,100 million tokens a month (about 4.1 billion)'."""
    text = f"{about(millions)} million tokens a month"
    if millions >= 1000:
        text += f" (about {about(millions / 1000)} billion)"
    return text


def usd_words(usd: float) -> str:
    return f"{about(usd)} USD a month"


def lower_first(text: str) -> str:
    """'The small API' -> 'the small API'; an acronym ('API ...') stays as it is."""
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def swing_words(s: Sensitivity) -> str:
    """How the break-even moves across one assumption's range, in words."""
    span = f"{_plain(s.low)} to {_plain(s.high)}" + (f" {s.unit}" if s.unit else "")
    lo, hi = s.break_even_at_low, s.break_even_at_high
    if lo is None or hi is None:
        never, at, value = (s.low, s.high, hi) if lo is None else (s.high, s.low, lo)
        assert value is not None
        return (f"{s.name}: at {_plain(never)} self-hosting never becomes cheaper, at "
                f"{_plain(at)} the break-even is about {about(value)} million tokens a month "
                f"(range {span})")
    return (f"{s.name}: from about {about(lo)} to {about(hi)} million tokens a month "
            f"across {span}")


def _plain(x: float) -> str:
    return f"{x:,.6g}" if not float(x).is_integer() else f"{int(x):,}"
