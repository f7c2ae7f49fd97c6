"""Plain text laid out for a width: long lines wrap at spaces under a hanging indent, and a
path is shown so that a shared report does not reveal where its reader keeps files."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from pathlib import Path

from llmchoice.io.shipped import shipped_file

# A diagnostic that starts with its place (``FAILED rules/x.yaml:12:5: name``) stays on one
# line, as compilers print them, so that editors and grep can follow it.
LOCATED = re.compile(r"^\s*(?:[A-Z]+ )?\S+:\d+:\d+: ")
HANG = 4  # a wrapped line's continuation starts this far right of the line's own indent
KEEP = "\u00a0"  # a space that never breaks ("hybrid 12.6"); printed as a plain space


def fit(lines: Iterable[str], width: int) -> list[str]:
    """Each line wrapped to ``width`` at spaces, never inside a word (an answer such as
    ``time_to_market=urgent`` or a path stays whole even when longer than the width);
    continuation lines hang ``HANG`` columns right of the line's indent. A line that starts
    with a ``file:line:column`` place stays whole (see ``LOCATED``)."""
    out: list[str] = []
    for line in lines:
        if len(line) <= width or LOCATED.match(line):
            out.append(line.replace(KEEP, " "))
            continue
        body = line.lstrip(" ")
        indent = " " * (len(line) - len(body))
        hang = " " * min(len(indent) + HANG, max(width // 3, 0))
        out += [part.replace(KEEP, " ") for part in textwrap.wrap(
            body, width=width, initial_indent=indent, subsequent_indent=hang,
            break_long_words=False, break_on_hyphens=False)]
    return out


def fit_text(text: str, width: int) -> str:
    """:func:`fit` over the lines of ``text``, keeping its final newline."""
    end = "\n" if text.endswith("\n") else ""
    return "\n".join(fit(text.removesuffix("\n").split("\n"), width)) + end


def local_path(source: str, *, cwd: Path | None = None) -> str:
    """A rule set's file for its author's own terminal (``rules analyze``, ``rules diff``):
    relative to the current folder when under it, else as it is."""
    path = Path(source)
    if not source or not path.is_absolute():
        return source
    try:
        return path.resolve().relative_to((cwd or Path.cwd()).resolve()).as_posix()
    except (ValueError, OSError):
        return source


def shown_path(source: str, *, cwd: Path | None = None) -> str:
    """How a report names the file a rule set came from: ``llmchoice's shipped
    rules/default.yaml`` for a file that ships with llmchoice, a path relative to the
    current folder for a file under it, else the file's name alone (its id, version and
    sha256 say which file it was).
    Never an absolute path: a report is shared, and the reader's folders are theirs."""
    if not source or source.startswith("<"):
        return source
    path = Path(source)
    try:
        if path.resolve() == shipped_file(path.name).resolve():
            return f"llmchoice's shipped rules/{path.name}"
    except OSError:
        pass
    if not path.is_absolute():
        return source
    here = (cwd or Path.cwd()).resolve()
    try:
        return path.resolve().relative_to(here).as_posix()
    except (ValueError, OSError):
        return path.name


__all__ = ["HANG", "KEEP", "LOCATED", "fit", "fit_text", "local_path", "shown_path"]
