"""A one-line progress indication on standard error, for commands that count for a while.

Shown only when standard error is a terminal: a pipe, a file or a test's captured output
gets nothing, so what a script reads stays as it was. The line is rewritten in place
(carriage return, no escape sequences) at most once per percent, and wiped by
:meth:`Progress.done` before the command prints its result.
"""

from __future__ import annotations

import sys
from typing import TextIO


def _is_terminal(stream: TextIO) -> bool:
    try:
        return not stream.closed and stream.isatty()
    except (AttributeError, ValueError, OSError):  # a replaced or detached stream
        return False


class Progress:
    """``progress(done, total)``: the share done so far as ``label  42%``."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.label = label
        self.enabled = _is_terminal(self.stream)
        self.shown = ""

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        text = f"{self.label} {min(100, done * 100 // total):3d}%"
        if text != self.shown:
            self._write("\r" + text)
            self.shown = text

    def done(self) -> None:
        """Wipe the line, so the result starts at the left margin on a clean line."""
        if self.shown:
            self._write("\r" + " " * len(self.shown) + "\r")
            self.shown = ""

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # the terminal went away: counting goes on
            self.enabled = False
