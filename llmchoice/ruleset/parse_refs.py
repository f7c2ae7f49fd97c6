"""References every section shares: trade-offs cited, outcomes and paths named, and
``beyond_article`` (on rules and path rules)."""

from __future__ import annotations

import re

from llmchoice.io import yamlio
from llmchoice.io.check import Checker, describe, did_you_mean
from llmchoice.ruleset import keys
from llmchoice.ruleset.model import BeyondArticle, Tradeoff

_AS_OF = re.compile(keys.AS_OF)


def parse_cites(chk: Checker, path: yamlio.Path_, raw: object, tradeoffs: dict[str, Tradeoff],
           what: str) -> tuple[str, ...]:
    out = []
    for i, c in enumerate(chk.seq(path, raw, f"{what} cites", nonempty=True)):
        if not isinstance(c, str) or c not in tradeoffs:
            if isinstance(c, str):
                chk.error((*path, i), f"{what} cites an unknown trade-off "
                                      f"{c!r}{did_you_mean(c, tradeoffs)}")
            else:
                chk.error((*path, i), f"{what} cites {describe(c)}; expected a trade-off id")
            continue
        out.append(c)
    return tuple(out)


def outcome_list(chk: Checker, path: yamlio.Path_, raw: object, outcomes: tuple[str, ...],
                  what: str) -> tuple[str, ...]:
    out = []
    for i, o in enumerate(chk.seq(path, raw, what, nonempty=True)):
        got = chk.one_of((*path, i), o, outcomes, what)
        if got is not None:
            out.append(got)
    return tuple(out)


def parse_beyond_article(chk: Checker, path: yamlio.Path_, raw: object,
                         what: str) -> BeyondArticle | None:
    """``{source, as_of}``; ``as_of`` is kept as text (YAML reads ``2026`` as a number)."""
    m = chk.mapping(path, raw, f"{what} beyond_article",
                    required=keys.BEYOND_ARTICLE.required, optional=keys.BEYOND_ARTICLE.optional)
    if not m:
        return None
    source = ""
    if "source" in m:  # a missing key is reported by the mapping check
        source = chk.text((*path, "source"), m["source"], f"{what} beyond_article.source")
    as_of = m.get("as_of")
    if isinstance(as_of, int) and not isinstance(as_of, bool):
        as_of = str(as_of)
    if "as_of" in m and (not isinstance(as_of, str) or not _AS_OF.fullmatch(as_of)):
        chk.error((*path, "as_of"), f"{what} beyond_article.as_of: expected a date as YYYY, "
                                    f"YYYY-MM or YYYY-MM-DD (when the source was read), found "
                                    f"{describe(m.get('as_of'))}")
        return None
    if not isinstance(as_of, str) or not source:
        return None
    return BeyondArticle(source, as_of)


def path_id(chk: Checker, path: yamlio.Path_, value: object, paths: tuple[str, ...],
            what: str) -> str | None:
    """A known path id, or a problem naming the near one."""
    if isinstance(value, str) and value in paths:
        return value
    hint = did_you_mean(value, paths) if isinstance(value, str) else ""
    known = ", ".join(paths) if paths else "none: the rule set has no paths section"
    chk.error(path, f"{what}: unknown path {describe(value)}{hint}; expected one of {known}")
    return None


def path_list(chk: Checker, path: yamlio.Path_, raw: object, paths: tuple[str, ...],
              what: str) -> tuple[str, ...]:
    out = []
    for i, item in enumerate(chk.seq(path, raw, what, nonempty=True, of="path ids")):
        got = path_id(chk, (*path, i), item, paths, what)
        if got is not None:
            out.append(got)
    return tuple(out)
