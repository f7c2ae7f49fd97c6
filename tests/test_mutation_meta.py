"""An answers file's metadata, checked directly: the exact problems (text, file, line and
column), the 80-character bounds, what nothing given reads as, the warning line and the
``rule_set`` entry saved files carry.

Written to kill the mutants ``.ci/mutation.py meta`` found alive (docs/testing.md).

Equivalent mutant left alive: ``x_read_meta__mutmut_28`` (``respondent = None`` →
``respondent = ""`` after a bad respondent): a problem was just added, so ``read_meta``
raises before ``respondent`` is read again.
"""

from __future__ import annotations

import pytest

from llmchoice.answers.meta import MAX_RESPONDENT, Meta, read_meta, stamp, version_warning
from llmchoice.io import yamlio
from llmchoice.io.errors import AnswersError, Location, Problem

RESPONDENT_PROBLEM = ("respondent: expected a name of at most 80 printable characters on one "
                      "line (for example 'respondent: Security lead')")
RULE_SET_PROBLEM = ("rule_set: expected the rule set's id and version, for example "
                    "'rule_set: {id: default, version: 2.0.0}'")


def _problems(text: str, source: str = "a.yaml") -> AnswersError:
    doc = yamlio.parse(text, source)
    assert isinstance(doc.data, dict)
    with pytest.raises(AnswersError) as info:
        read_meta(doc.data, source=doc.source, locate=doc)
    return info.value


def test_each_problem_is_worded_and_placed_at_its_key() -> None:
    err = _problems("budget: low\nrespondent: 7\nrule_set: default\n")
    assert str(err) == "a.yaml: 2 problems with the answers"
    assert err.problems == (Problem(Location("a.yaml", 2, 13), RESPONDENT_PROBLEM),
                            Problem(Location("a.yaml", 3, 11), RULE_SET_PROBLEM))


def test_one_problem_is_counted_in_the_singular() -> None:
    err = _problems('respondent: "a\\nb"\n', source="team/ana.yaml")
    assert str(err) == "team/ana.yaml: 1 problem with the answers"
    assert err.problems == (Problem(Location("team/ana.yaml", 1, 13), RESPONDENT_PROBLEM),)
    err = _problems("rule_set: {id: default}\n")
    assert str(err) == "a.yaml: 1 problem with the answers"
    assert err.problems == (Problem(Location("a.yaml", 1, 11), RULE_SET_PROBLEM),)


def test_without_a_document_the_problem_is_at_the_source() -> None:
    with pytest.raises(AnswersError) as info:
        read_meta({"respondent": 7, "rule_set": 1})
    assert str(info.value) == "answers: 2 problems with the answers"
    assert [p.location for p in info.value.problems] == [Location("answers")] * 2
    with pytest.raises(AnswersError) as info:
        read_meta({"respondent": ""}, source="<stdin>", locate=object())  # nothing to locate
    assert info.value.problems == (Problem(Location("<stdin>"), RESPONDENT_PROBLEM),)


def test_names_up_to_80_characters_are_taken() -> None:
    assert MAX_RESPONDENT == 80
    name, rid, version = "r" * 80, "i" * 80, "v" * 80
    assert read_meta({"respondent": name, "rule_set": {"id": rid, "version": version}}) == \
        Meta(name, rid, version)
    for bad in ({"rule_set": {"id": "i" * 81, "version": "1"}},
                {"rule_set": {"id": "d", "version": "v" * 81}}):
        with pytest.raises(AnswersError):
            read_meta(bad)


def test_nothing_said_reads_as_none_and_a_name_is_trimmed() -> None:
    assert read_meta({}) == Meta(None, None, None)
    assert read_meta({"budget": "low"}) == Meta()
    assert read_meta({"respondent": "  Security lead "}) == Meta("Security lead", None, None)


def test_the_warning_line_word_for_word() -> None:
    assert version_warning(Meta(None, "default", "1.0.0"), "default", "2.0.0",
                           source="a.yaml") == (
        "warning: a.yaml was written for rule set default 1.0.0; checked against default "
        "2.0.0, whose questions or weights may differ")
    # another rule set with no version given: the version reads "?"
    assert version_warning(Meta(None, "mine", None), "default", "2.0.0", source="b.yaml") == (
        "warning: b.yaml was written for rule set mine ?; checked against default 2.0.0, "
        "whose questions or weights may differ")


def test_the_saved_entry_is_read_back_as_the_same_rule_set() -> None:
    entry = stamp("default", "2.0.0")
    assert entry == {"rule_set": {"id": "default", "version": "2.0.0"}}
    assert read_meta(entry) == Meta(None, "default", "2.0.0")


def test_a_name_with_spaces_that_are_not_printable_is_still_one_line() -> None:
    """Only control characters (Unicode category C) break a name: a no-break space or
    a thin space (category Zs, not "printable" to Python, so past the fast path) is kept,
    a tab or a right-to-left override is not."""
    for name in ("Ana\u00a0Lima", "\u2009CISO\u2009", "Jo\u00a0\u202fK"):
        assert read_meta({"respondent": name}).respondent == name.strip()
    for name in ("Ana\tLima", "Ana\u202eLima", "\u00a0\x1b"):
        with pytest.raises(AnswersError):
            read_meta({"respondent": name})
