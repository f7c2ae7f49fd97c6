"""What an answers file may say about itself, beside the answers: who gave them and for
which rule set.

Two top-level keys are data, not answers, and no rule set may use them as question ids:

- ``respondent``: the person (or role) who gave the answers, for ``team`` reports and
  decision records: a short single-line text.
- ``rule_set``: ``{id: ..., version: ...}`` of the rule set the answers were written for.
  The quiz's ``--save``, ``template`` and the answer form write it; when the answers are
  replayed against another rule set or version, :func:`version_warning` says so (the
  answers are still checked against the rule set in use: a warning, not an error).

``$schema`` (an editor's schema link) is ignored as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from llmchoice.io.errors import AnswersError, Location, Problem
from llmchoice.io.textsafe import clean_line, is_printable_name
from llmchoice.ruleset.keys import META_KEYS, RESPONDENT, RULE_SET

__all__ = ["META_KEYS", "Meta", "read_meta", "stamp", "version_warning"]
MAX_RESPONDENT = 80  # characters: a name or a role, not a paragraph


class Meta(NamedTuple):
    """The metadata of one answers file (``None`` where it says nothing)."""

    respondent: str | None = None
    rule_set_id: str | None = None
    rule_set_version: str | None = None


def _one_line(text: str) -> bool:
    """True when ``text`` has no control character (no newline, no escape sequence)."""
    if text.isprintable():  # printable: no character of the categories C (nor Z but space)
        return True
    # lazy: only a name beyond ASCII needs the Unicode database (0.2 ms of start-up)
    import unicodedata

    return not any(unicodedata.category(c)[0] == "C" for c in text)


class _Locator:
    """Where a key of the document is, when the document can say (a YAML/JSON file)."""

    def __init__(self, locate: object, source: str) -> None:
        self._locate = locate
        self._source = source

    def at(self, *path: str) -> Location:
        locate = getattr(self._locate, "locate", None)
        if locate is None:
            return Location(self._source)
        loc: Location = locate(path)
        return loc


def read_meta(given: Mapping[str, object], *, source: str = "answers",
              locate: object = None) -> Meta:
    """The ``respondent`` and ``rule_set`` of an answers mapping, checked; raise
    :class:`AnswersError` listing every problem with them."""
    where = _Locator(locate, source)
    problems: list[Problem] = []
    respondent = given.get(RESPONDENT)
    if respondent is not None and not (
            isinstance(respondent, str) and respondent.strip()
            and len(respondent) <= MAX_RESPONDENT and _one_line(respondent)):
        problems.append(Problem(where.at(RESPONDENT), (
            f"{RESPONDENT}: expected a name of at most {MAX_RESPONDENT} printable characters "
            "on one line (for example 'respondent: Security lead')")))
        respondent = None
    rid = version = None
    raw = given.get(RULE_SET)
    if raw is not None:
        if (isinstance(raw, dict) and set(raw) <= {"id", "version"}
                and all(isinstance(raw.get(k), str) and is_printable_name(raw[k])
                        and len(raw[k]) <= MAX_RESPONDENT for k in ("id", "version"))):
            rid, version = raw["id"], raw["version"]
        else:
            problems.append(Problem(where.at(RULE_SET), (
                f"{RULE_SET}: expected the rule set's id and version, for example "
                "'rule_set: {id: default, version: 2.0.0}'")))
    if problems:
        n = len(problems)
        raise AnswersError(f"{source}: {n} problem{'s' if n != 1 else ''} with the answers",
                           tuple(problems))
    return Meta(respondent.strip() if isinstance(respondent, str) else None, rid, version)


def version_warning(meta: Meta, rule_set_id: str, rule_set_version: str, *,
                    source: str) -> str | None:
    """One line for stderr when the answers were written for another rule set or version."""
    if meta.rule_set_id is None:
        return None
    if (meta.rule_set_id, meta.rule_set_version) == (rule_set_id, rule_set_version):
        return None
    return (f"warning: {clean_line(source)} was written for rule set "
            f"{clean_line(meta.rule_set_id)} {clean_line(meta.rule_set_version or '?')}; "
            f"checked against {clean_line(rule_set_id)} {clean_line(rule_set_version)}, "
            "whose questions or weights may differ")


def stamp(rule_set_id: str, rule_set_version: str) -> dict[str, object]:
    """The ``rule_set`` entry a saved answers file carries."""
    return {RULE_SET: {"id": rule_set_id, "version": rule_set_version}}
