"""A cache of parsed YAML documents (rule sets), as JSON, checked against the text.

Parsing the shipped rule set's 84 KB of YAML takes about 12 ms and importing PyYAML
8-13 ms more, at every start; reading the same document from JSON takes about 3 ms.
So :func:`parse` keeps each parsed document in a file named by the SHA-256 of the
YAML text and of the parser (:func:`_parser_key`, so that two installs of different
versions, or two checkouts, sharing a cache keep a file each instead of rewriting one in
turns), in ``$LLMCHOICE_CACHE_DIR``, else ``$XDG_CACHE_HOME/llmchoice``, else
``~/.cache/llmchoice`` (an empty ``LLMCHOICE_CACHE_DIR`` turns the cache off). A cached
document is used only if

* the file is JSON (never pickle) of the expected shape, and
* it names the SHA-256 of the very text being read, and the same parser: the
  llmchoice version, this format's number and the size and time of the parser's
  modules (so an edited parser in a checkout does not reuse old documents);

anything else (a missing, torn, stale or foreign file) is parsed from the YAML again
and the file rewritten, atomically (a temporary file renamed over it). Writing one also
deletes the files of the same text by other parsers not written for :data:`STALE_DAYS`
days (an upgrade leaves none behind for long). A cache that
cannot be written (a read-only home) is silently skipped: the command only runs
slower. The document read is the same data with the same positions as the parser's
(``tests/test_doccache.py``); the rule set is then validated from it as always.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path
from typing import Any

try:  # the C module without OpenSSL, as the rule set's loader (hashlib costs 2-3 ms)
    from _sha256 import sha256 as _sha256  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - another Python (3.12 calls it _sha2)
    from hashlib import sha256 as _sha256

from llmchoice import __version__
from llmchoice.io import jsonevents, yamlio, yamlscalars

FORMAT = 1
CACHE_ENV = "LLMCHOICE_CACHE_DIR"
MAX_CACHED = 16 * 1024 * 1024  # characters of JSON; a bigger document is not cached
STALE_DAYS = 7  # another parser's file of the same text unwritten this long is deleted


def cache_dir() -> Path | None:
    """Where parsed documents are kept; None when the cache is turned off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "llmchoice"


def _parser_key() -> str:
    """Which parser made a document: the version, the format, and its modules' files."""
    parts = [__version__, str(FORMAT)]
    for module in (yamlio, yamlscalars, jsonevents):
        info = Path(str(module.__file__)).stat()
        parts.append(f"{info.st_size}:{info.st_mtime_ns}")
    return "/".join(parts)


def cache_path(folder: Path, sha256: str, key: str) -> Path:
    """The file of the text whose SHA-256 is ``sha256``, parsed by the parser ``key``."""
    return folder / f"{sha256}-{_sha256(key.encode()).hexdigest()[:16]}.json"


def parse(text: str, source: str, sha256: str) -> yamlio.Document:
    """The document of ``text`` (whose SHA-256 is ``sha256``), from the cache if it holds
    this text's, else parsed (and then cached)."""
    folder = cache_dir()
    if folder is None:
        return yamlio.parse(text, source)
    try:
        key = _parser_key()
    except OSError:  # pragma: no cover - the modules' files are gone
        return yamlio.parse(text, source)
    path = cache_path(folder, sha256, key)
    try:
        doc = _from_json(path.read_text(encoding="utf-8"), source, sha256, key)
    except (OSError, ValueError):
        doc = None
    if doc is None:
        doc = yamlio.parse(text, source)
        _store(path, doc, sha256, key)
    return doc


def _from_json(raw: str, source: str, sha256: str, key: str) -> yamlio.Document | None:
    """The cached document if ``raw`` is one for this text and parser, else None."""
    try:
        found = json.loads(raw)
        if not (isinstance(found, dict) and found.get("format") == FORMAT
                and found.get("sha256") == sha256 and found.get("parser") == key):
            return None
        return yamlio.Document(data=found["data"], source=source,
                               marks=_marks(found["marks"]),
                               key_marks=_marks(found["key_marks"]))
    except (ValueError, TypeError, KeyError):
        return None


def _marks(packed: Any) -> dict[yamlio.Path_, tuple[int, int]]:
    """Positions from ``[paths, [line, column, line, column, ...]]``."""
    paths, numbers = packed
    if not (isinstance(paths, list) and isinstance(numbers, list)
            and len(numbers) == 2 * len(paths)):
        raise ValueError("not a table of positions")
    marks = dict(zip(map(tuple, paths), zip(numbers[::2], numbers[1::2], strict=True),
                     strict=True))
    for line, column in marks.values():
        if type(line) is not int or type(column) is not int:
            raise ValueError("not a position")
    return marks


def _pack(marks: dict[yamlio.Path_, tuple[int, int]]) -> list[list[Any]]:
    return [[list(p) for p in marks], [n for pos in marks.values() for n in pos]]


def _store(path: Path, doc: yamlio.Document, sha256: str, key: str) -> None:
    """Write the cache file atomically; give up quietly if it cannot be written."""
    try:
        text = json.dumps({"format": FORMAT, "sha256": sha256, "parser": key,
                           "data": doc.data, "marks": _pack(doc.marks),
                           "key_marks": _pack(doc.key_marks)},
                          ensure_ascii=False, separators=(",", ":"))
    except (ValueError, TypeError):  # a number too long for JSON's int limit
        return
    if len(text) > MAX_CACHED:
        return
    # lazy: only commands that write files need it
    import tempfile

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        Path(tmp).replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        return
    _prune(path, sha256)


def _prune(kept: Path, sha256: str) -> None:
    """Delete the files of the same text by other parsers (or in the format before the
    parser was in the name) not written for :data:`STALE_DAYS` days."""
    oldest = time.time() - STALE_DAYS * 86400
    with contextlib.suppress(OSError):
        for other in kept.parent.iterdir():
            if other.name.startswith(sha256) and other.suffix == ".json" and other != kept:
                with contextlib.suppress(OSError):
                    if other.stat().st_mtime < oldest:
                        other.unlink()
