"""Make text from rule sets and answers files safe to show.

Everything that comes from a file is data. Before it reaches a terminal, control
characters (ANSI escapes, carriage returns, bells, bidi overrides) are shown as
visible escapes instead of being interpreted.
"""

from __future__ import annotations

import re

from llmchoice.io.lazyre import lazy

# C0 and C1 controls except newline and tab, DEL, and the Unicode bidi/format
# characters that can reorder what a reader sees (Trojan Source).
_UNSAFE = lazy(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)


def _escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def clean(text: str) -> str:
    """Return ``text`` with control and bidi characters replaced by visible escapes."""
    if text.isprintable():  # every unsafe character is a control (Cc) or format (Cf) one
        return text
    return _UNSAFE().sub(_escape, text)


def clean_line(text: str) -> str:
    """Like :func:`clean`, and newlines and tabs become spaces: for one-line cells."""
    return clean(text.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))


MAX_ECHO = 60  # characters of a quoted key or value echoed in a message, then "…"
# a quote that opens after a non-word character and closes before one: a repr, not the
# apostrophe of "the rule set's"
_LONG_QUOTED = lazy(f"(?<!\\w)(?:'([^'\n]{{{MAX_ECHO}}})[^'\n]+'"
                          f"|\"([^\"\n]{{{MAX_ECHO}}})[^\"\n]+\")(?!\\w)")


def _clip_match(match: re.Match[str]) -> str:
    quote = match.group(0)[0]
    return f"{quote}{match.group(1) or match.group(2)}…{quote}"


def clip(text: str, limit: int = MAX_ECHO) -> str:
    """``text`` cut to ``limit`` characters, with "…" when it was longer."""
    return text if len(text) <= limit else text[:limit] + "…"


def clip_quoted(message: str) -> str:
    """``message`` with every quoted key or value (``'...'``, as ``repr`` writes them)
    longer than :data:`MAX_ECHO` characters cut there, with "…": a one-megabyte key is
    named, not echoed."""
    if len(message) <= MAX_ECHO + 2:
        return message
    return _LONG_QUOTED().sub(_clip_match, message)


def is_printable_name(text: str) -> bool:
    """True for an identifier-like string safe to echo as is."""
    if text.isascii():  # ASCII letters and digits are the ASCII categories L and N
        return all(c.isalnum() or c in "-_." for c in text)
    # lazy: only a name beyond ASCII needs the Unicode database (0.2 ms of start-up)
    import unicodedata

    return all(unicodedata.category(c)[0] in "LN" or c in "-_." for c in text)
