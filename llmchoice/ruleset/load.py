"""Finding, reading and loading a rule set, resolving the rule sets it extends.

:func:`load_ruleset` reads the file, follows ``extends`` (each base is loaded
and validated on its own first, so its errors name its own file; the overlay is
then merged onto it by :mod:`llmchoice.ruleset.overlay`), and builds the result
with :func:`llmchoice.ruleset.parse.build`, which checks every field and cross
reference.
"""

from __future__ import annotations

import os
from pathlib import Path

try:  # the C module without OpenSSL: importing hashlib costs every start-up 2-3 ms
    from _sha256 import sha256 as _sha256  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - another Python (3.12 calls it _sha2)
    from hashlib import sha256 as _sha256

from llmchoice.io import doccache, yamlio
from llmchoice.io.check import describe
from llmchoice.io.errors import InputError, Location, Problem, RuleSetError
from llmchoice.io.shipped import shipped_file
from llmchoice.io.textsafe import clean
from llmchoice.ruleset.model import RuleSet
from llmchoice.ruleset.parse import build

__all__ = ["DEFAULT_RULES_ENV", "MAX_DEPTH", "RuleSet", "build", "default_rules_path",
           "load_ruleset", "read_ruleset", "resolve_rules_path"]

DEFAULT_RULES_ENV = "LLMCHOICE_RULES"
EXTENDS_PATH_ENV = "LLMCHOICE_EXTENDS_PATH"  # more folders ``extends:`` may read from
MAX_DEPTH = 8  # rule sets extending rule sets


def default_rules_path() -> Path:
    """The shipped ``default.yaml``."""
    return shipped_file("default.yaml")


def resolve_rules_path(rules: str | Path | None) -> Path:
    """``--rules`` if given, else ``$LLMCHOICE_RULES``, else the shipped default.

    An empty ``--rules ''`` is refused (it is usually an unset shell variable); an empty
    ``$LLMCHOICE_RULES`` counts as unset.
    """
    if rules is not None and not str(rules).strip():
        raise RuleSetError("--rules: the name is empty; name a rule-set file, or 'default'")
    chosen = str(rules) if rules is not None else os.environ.get(DEFAULT_RULES_ENV, "")
    if chosen in ("", "default"):
        return default_rules_path()
    return Path(chosen)


def load_ruleset(rules: str | Path | None = None) -> RuleSet:
    """Load and validate a rule set (``None``: the environment's or the shipped default)."""
    doc, sha256 = read_ruleset(resolve_rules_path(rules))
    return build(doc, sha256=sha256)


def read_ruleset(path: Path) -> tuple[yamlio.Document, str]:
    """The document of the rule set at ``path`` with every base it extends merged in.

    The SHA-256 covers the file and every base (a change in any changes it).
    """
    text, display = yamlio.read_source(path, what="rule set", regular_only=True)
    return _resolve(text, display, path, ())


def _resolve(text: str, display: str, path: Path,
             chain: tuple[str, ...]) -> tuple[yamlio.Document, str]:
    sha256 = _sha256(text.encode("utf-8")).hexdigest()
    doc = doccache.parse(text, display, sha256)  # the parsed YAML, cached by its SHA-256
    if not isinstance(doc.data, dict) or "extends" not in doc.data:
        return doc, sha256
    base_path = _base_path(doc, path, chain)
    here = doc.locate(("extends",))
    try:
        base_text, base_display = yamlio.read_source(base_path, what="rule set",
                                                     regular_only=True)
        base_doc = yamlio.parse(base_text, base_display)
    except InputError as exc:
        raise _not_valid(doc, here, f"extends: {exc.message}") from None
    if not isinstance(base_doc.data, dict) or not isinstance(base_doc.data.get("ruleset"),
                                                             dict):
        # a file that is not a rule set: say so, and show nothing of what it holds
        raise _not_valid(doc, here, f"extends: {base_display} is not a rule set (it has no "
                                    "'ruleset:' mapping at the top); nothing of it is shown")
    base, base_sha = _resolve(base_text, base_display, base_path,
                              (*chain, os.path.realpath(path)))
    build(base, sha256=base_sha)  # the base must stand on its own; its errors name its file
    # lazy: only a rule set that extends another needs the overlay merge
    from llmchoice.ruleset.overlay import merge

    merged = merge(base, doc)
    combined = _sha256(f"{sha256}\n{base_sha}".encode()).hexdigest()
    return merged, combined


def _not_valid(doc: yamlio.Document, here: Location, message: str) -> RuleSetError:
    return RuleSetError(f"{doc.source}: not a valid overlay", (Problem(here, message),))


def extends_folders(path: Path) -> list[str]:
    """The folders an overlay at ``path`` may extend rule sets from: its own (with every
    folder under it), and those listed in $LLMCHOICE_EXTENDS_PATH (separated like PATH)."""
    folders = [os.path.realpath(path.parent if str(path.parent) else ".")]
    for extra in os.environ.get(EXTENDS_PATH_ENV, "").split(os.pathsep):
        if extra.strip() and "\x00" not in extra:
            folders.append(os.path.realpath(extra.strip()))
    return folders


def _inside(target: str, folder: str) -> bool:
    try:
        return os.path.commonpath([target, folder]) == folder
    except ValueError:  # different drives
        return False


def _base_path(doc: yamlio.Document, path: Path, chain: tuple[str, ...]) -> Path:
    """The file ``extends`` names, refusing a circle, a chain over :data:`MAX_DEPTH`, and a
    file outside the folders of :func:`extends_folders` (after following symbolic links)."""
    assert isinstance(doc.data, dict)
    ext = doc.data["extends"]
    here = doc.locate(("extends",))
    if not isinstance(ext, str) or not ext.strip():
        raise _not_valid(doc, here, f"extends: expected 'default' or the path of a rule set "
                                    f"file, found {describe(ext)}")
    value = ext.strip()
    if "\x00" in value:
        raise _not_valid(doc, here, "extends: a file name cannot hold a NUL byte")
    base_path = default_rules_path() if value == "default" else Path(value)
    if not base_path.is_absolute():
        base_path = path.parent / base_path
    real = os.path.realpath(base_path)
    if value != "default":
        folders = extends_folders(path)
        if not any(_inside(real, f) for f in folders):
            raise _not_valid(doc, here, (
                f"extends: {clean(value)} is outside the overlay's folder "
                f"{clean(folders[0])}; a rule set may extend 'default' or a rule set in its own "
                f"folder (or below it), or in a folder listed in ${EXTENDS_PATH_ENV}"))
    seen = (*chain, os.path.realpath(path))
    if real in seen:
        names = " -> ".join([*seen, real])
        raise _not_valid(doc, here, f"extends: the rule sets extend each other in a circle "
                                    f"({names})")
    if len(seen) >= MAX_DEPTH:
        raise _not_valid(doc, here, f"extends: more than {MAX_DEPTH} rule sets deep")
    return base_path
