"""Styled text for a terminal without rich: display width, word wrap and ANSI styles.

The terminal report is laid out here and in :mod:`llmchoice.report.boxes` instead of with
rich's tables and panels: importing rich's console, table and panel and laying a report
out with them took about 60 ms, more than half of ``recommend``'s start-up (see
benchmarks/README.md). The wrapping follows rich's (``rich._wrap.divide_line``), so the
report reads as it did.

A renderer writes *marked* text: plain text with styles put around parts of it by
:func:`style` (``style("bold", label)``). The marks are control characters (U+0001 to
U+0003) that :func:`llmchoice.io.textsafe.clean_line` turns into visible escapes, so text
from a rule set or an answers file, cleaned as it must be before it is shown, can never
open or close a style; nor is any other part of it read as markup (``[bold]`` in data is
shown as written). Styles become ANSI SGR codes only when the report is in colour.
"""

from __future__ import annotations

import re
import unicodedata

_OPEN, _SEP, _CLOSE = "\x01", "\x02", "\x03"
_MARK = re.compile("\x01([^\x02\x01\x03]*)\x02|\x03")
_WORD = re.compile(r"\s*\S+\s*")
_RENDERED = re.compile(r"(\x1b\[[0-9;]*m)|.", re.DOTALL)
ELLIPSIS = "…"
# SGR codes in the order rich writes them (attributes, then the colour)
_SGR = {"bold": "1", "dim": "2", "italic": "3", "underline": "4", "red": "31",
        "green": "32", "yellow": "33", "blue": "34", "magenta": "35", "cyan": "36"}
_ORDER = tuple(_SGR)
_WIDTHS: dict[str, int] = {}
_ZERO = frozenset(("Mn", "Mc", "Me", "Cc", "Zl", "Zp"))


def style(name: str, text: str) -> str:
    """``text`` marked to show in ``name``: words of :data:`_SGR`, e.g. ``"bold green"``.
    Marks nest; an unknown word is ignored."""
    return f"{_OPEN}{name}{_SEP}{text}{_CLOSE}"


def sgr(name: str) -> str:
    """The ANSI escape that starts ``name`` (``""`` for no known style)."""
    words = set(name.split())
    codes = [_SGR[w] for w in _ORDER if w in words]
    return f"\x1b[{';'.join(codes)}m" if codes else ""


def char_width(ch: str) -> int:
    """Columns one character takes, as rich counts them: 0 for combining marks (spacing
    ones too), Hangul vowel and final jamo, emoji skin tones, format, control and line
    separator characters (not the soft hyphen); 2 for East Asian wide and full-width
    characters (CJK, most emoji); else 1 (unassigned code points too)."""
    w = _WIDTHS.get(ch)
    if w is None:
        cat = unicodedata.category(ch)
        if cat in _ZERO or (cat == "Cf" and ch != "\xad") or "\u1160" <= ch <= "\u11ff" \
                or "\ud7b0" <= ch <= "\ud7ff" or "\U0001f3fb" <= ch <= "\U0001f3ff":
            w = 0
        elif cat != "Cn" and unicodedata.east_asian_width(ch) in "WF":
            w = 2
        else:
            w = 1
        _WIDTHS[ch] = w
    return w


def cell_len(text: str) -> int:
    """Columns ``text`` takes on a terminal."""
    if text.isascii():
        return len(text)
    return sum(map(char_width, text))


def chop(text: str, width: int) -> list[str]:
    """``text`` cut into pieces of at most ``width`` columns (a wider character alone)."""
    pieces: list[str] = []
    start = used = 0
    for i, ch in enumerate(text):
        w = char_width(ch)
        if used + w > width and i > start:
            pieces.append(text[start:i])
            start, used = i, 0
        used += w
    pieces.append(text[start:])
    return pieces


def breaks(text: str, width: int, fold: bool = True) -> list[int]:
    """Where one line of ``text`` (no newline) is broken to fit ``width`` columns: before a
    word that does not fit, and, when ``fold``, inside a word longer than a whole line (as
    rich does; without ``fold`` such a word has a line of its own, to be cut)."""
    out: list[int] = []
    used = 0
    for m in _WORD.finditer(text):
        start, word = m.start(), m.group(0)
        length = cell_len(word.rstrip())
        if width - used >= length:
            used += cell_len(word)
        elif length > width and fold:
            pieces = chop(word, width)
            for piece in pieces[:-1]:
                if start:
                    out.append(start)
                start += len(piece)
            if start:
                out.append(start)
            used = cell_len(pieces[-1])
        elif length > width or (used and start):
            if start:
                out.append(start)
            used = cell_len(word)
    return out


class Text:
    """Plain text with styled spans ``(start, end, style)``; one line or several."""

    __slots__ = ("plain", "spans")

    def __init__(self, plain: str, spans: tuple[tuple[int, int, str], ...] = ()) -> None:
        self.plain = plain
        self.spans = spans

    @classmethod
    def parse(cls, marked: str, color: bool) -> Text:
        """The text of ``marked``, with its styles only when ``color``."""
        if _OPEN not in marked and _CLOSE not in marked:
            return cls(marked)
        if not color:
            return cls(_MARK.sub("", marked))
        parts: list[str] = []
        spans: list[tuple[int, int, str]] = []
        stack: list[str] = []
        pos = last = 0
        for m in _MARK.finditer(marked):
            chunk = marked[last:m.start()]
            if chunk:
                if stack:
                    spans.append((pos, pos + len(chunk), " ".join(stack)))
                parts.append(chunk)
                pos += len(chunk)
            last = m.end()
            if m.group(1) is not None:
                stack.append(m.group(1))
            elif stack:
                stack.pop()
        tail = marked[last:]
        if tail and stack:
            spans.append((pos, pos + len(tail), " ".join(stack)))
        parts.append(tail)
        return cls("".join(parts), tuple(spans))

    def slice(self, start: int, end: int) -> Text:
        spans = tuple((max(a, start) - start, min(b, end) - start, s)
                      for a, b, s in self.spans if a < end and b > start)
        return Text(self.plain[start:end], spans)

    def lines(self) -> list[Text]:
        """The text split at its newlines (an empty text is one empty line)."""
        if "\n" not in self.plain:
            return [self]
        out, start = [], 0
        for piece in self.plain.split("\n"):
            out.append(self.slice(start, start + len(piece)))
            start += len(piece) + 1
        return out

    def wrap(self, width: int, fold: bool = True) -> list[Text]:
        """The text's lines, each wrapped to ``width`` columns, trailing spaces dropped. A
        word longer than a line is folded onto the next, or with ``fold=False`` (as rich's
        table cells do) cut, ending in "…"."""
        width = max(width, 1)
        out = []
        for line in self.lines():
            plain = line.plain
            if cell_len(plain) <= width:
                out.append(line.rstrip())
                continue
            cuts = [0, *breaks(plain, width, fold), len(plain)]
            out.extend(line.slice(a, b).rstrip().crop(width)
                       for a, b in zip(cuts, cuts[1:], strict=False))
        return out

    def rstrip(self) -> Text:
        end = len(self.plain.rstrip())
        return self if end == len(self.plain) else self.slice(0, end)

    def crop(self, width: int, ellipsis: bool = True) -> Text:
        """At most ``width`` columns; a longer text ends in "…" when ``ellipsis``."""
        if cell_len(self.plain) <= width:
            return self
        room, used, end = width - (1 if ellipsis else 0), 0, 0
        for ch in self.plain:
            w = char_width(ch)
            if used + w > room:
                break
            used, end = used + w, end + 1
        cut = self.slice(0, end)  # a wide character that would not fit leaves a space
        tail = " " * (room - used) + (ELLIPSIS if ellipsis and width > 0 else "")
        return Text(cut.plain + tail, cut.spans)

    def lines_width(self) -> int:
        """Columns of the widest line (what the text needs unwrapped)."""
        return max(cell_len(line) for line in self.plain.split("\n"))

    def render(self) -> str:
        """The text with ANSI styles around its spans (none when it has no spans)."""
        if not self.spans:
            return self.plain
        out, pos = [], 0
        for a, b, s in self.spans:
            out.append(self.plain[pos:a])
            code = sgr(s)
            out.append(f"{code}{self.plain[a:b]}\x1b[0m" if code else self.plain[a:b])
            pos = b
        out.append(self.plain[pos:])
        return "".join(out)


def crop_rendered(line: str, width: int) -> str:
    """A rendered line (ANSI styles and all) cut to ``width`` columns, its styles closed."""
    out, used, styled = [], 0, False
    for m in _RENDERED.finditer(line):
        if m.group(1):
            out.append(m.group(1))
            styled = m.group(1) != "\x1b[0m"
            continue
        w = char_width(m.group(0))
        if used + w > width:
            break
        out.append(m.group(0))
        used += w
    return "".join(out) + ("\x1b[0m" if styled else "")


def pad(line: Text, width: int, justify: str = "left") -> str:
    """``line`` rendered and filled with spaces to ``width`` columns, on the right (or on
    the left for ``justify="right"``)."""
    fill = " " * max(0, width - cell_len(line.plain))
    return fill + line.render() if justify == "right" else line.render() + fill


__all__ = ["ELLIPSIS", "Text", "breaks", "cell_len", "char_width", "chop", "crop_rendered",
           "pad", "sgr", "style"]
