"""The people of a team report: one answers file each, read and checked on its own.

A person's name is the file's ``respondent:`` (answers.meta) or, without one, the file's
name without its extension (``security.yaml`` is ``security``). Two files naming the same
person, one file given twice, no file and more than :data:`MAX_PEOPLE` files are refused
with one message (exit 2): a team report that silently counted someone twice would
mislead the people reading it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from llmchoice.answers.meta import Meta, read_meta
from llmchoice.answers.validate import Resolved, read_answers, validate
from llmchoice.frozen import frozen
from llmchoice.io.errors import UsageError
from llmchoice.io.textsafe import clean_line
from llmchoice.ruleset.model import RuleSet

MAX_PEOPLE = 50  # a decision's stakeholders, not a survey (use batch for that)
MAX_NAME = 80


@frozen
class Person:
    """One person's checked answers, and where they came from."""

    name: str
    source: str
    resolved: Resolved
    meta: Meta = Meta()  # who answered, and for which rule set


def _name_from_file(name: str) -> str:
    stem = Path(name).stem if name != "-" else "stdin"
    return clean_line(stem)[:MAX_NAME] or "unnamed"


def _same_file(a: str, b: str) -> bool:
    try:
        return Path(a).samefile(b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def read_people(rs: RuleSet, files: Sequence[str], *, use_defaults: bool = False,
                ) -> tuple[Person, ...]:
    """Every file's answers, checked against ``rs`` (the first bad file's problems, all
    listed, end the command), each with its person's name."""
    if not files:
        raise UsageError("team: name at least one answers file, one per person "
                         "(for example: llmchoice team cto.yaml security.yaml finance.yaml)")
    if len(files) > MAX_PEOPLE:
        raise UsageError(f"team: {len(files)} answers files is more than the limit of "
                         f"{MAX_PEOPLE}; for many answer sets use 'llmchoice batch'")
    if sum(1 for f in files if f == "-") > 1:
        raise UsageError("team: '-' (standard input) can be given only once")
    for i, a in enumerate(files):
        for b in files[:i]:
            if a != "-" and b != "-" and _same_file(a, b):
                raise UsageError(f"team: {clean_line(a)} is given twice (as {clean_line(b)} "
                                 "too); each person's answers count once")
    people: list[Person] = []
    seen: dict[str, str] = {}
    for f in files:
        doc = read_answers(f)
        given = doc.data
        assert isinstance(given, dict)
        resolved = validate(rs, given, source=doc.source, use_defaults=use_defaults,
                            locate=doc)
        meta = read_meta(given, source=doc.source, locate=doc)
        name = meta.respondent or _name_from_file(f)
        key = name.casefold()
        if key in seen:
            raise UsageError(
                f"team: {clean_line(doc.source)} and {clean_line(seen[key])} both name "
                f"{clean_line(name)!r}; give each person's file its own 'respondent:' "
                "(or file name) so no one is counted twice")
        seen[key] = doc.source
        people.append(Person(name, doc.source, resolved, meta))
    return tuple(people)
