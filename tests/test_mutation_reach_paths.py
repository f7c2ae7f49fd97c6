"""The ways to run an outcome still reachable (llmchoice.decide.reach_paths), checked
directly: for given partial answers, the exact set of paths, the exact question the path
rules need answered first, the exact split of each answer and the questions that decide,
on a small rule set written here and on the default one.

Written to kill the mutants ``.ci/mutation.py reach-paths`` found alive or reached by no
test (docs/testing.md). Each reacher is built in its test, not taken from
``path_reacher_for``'s cache, which mutmut's forked runs inherit filled.

Mutants left alive, none of which can change behaviour:

- ``x_ways__mutmut_54``, ``_57`` (``split(" ", 1)[0]`` → ``split(" ")[0]``,
  ``split(" ", 2)[0]``): the first word is the same however many splits follow.
- ``xǁPathReacherǁ_closure__mutmut_13`` (``grew = False`` → ``grew = None``): both falsy.
- ``xǁPathReacherǁ_closure__mutmut_20`` (``<=`` → ``<``): they differ only when a question's
  ``when`` reads every question found, itself included; a ``when`` may name only earlier
  questions (ruleset/parse_questions.py).
- ``xǁPathReacherǁpaths__mutmut_27`` (``possible <= set(found)`` → ``<``): prunes less, so
  only slower: below a pruned node every completion gives a path already found (the cut
  is exact), so nothing new is found and ``wins`` is asked about nothing more.
- ``xǁPathReacherǁpaths__mutmut_64``, ``_66``, ``_68`` (the sort key's default for a path
  id): every path found is a path of the rule set, and ``None`` sorts last either way.
- ``xǁPathReacherǁsplits__mutmut_10`` (``cast(Answer, v)`` → ``cast(None, v)``): ``cast``
  does nothing at run time.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pytest

from llmchoice.decide.memo import PerRuleSet
from llmchoice.decide.reach_paths import PathReach, PathReacher, TriCond, path_reacher_for, ways
from llmchoice.io import yamlio
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.load import build, load_ruleset
from llmchoice.ruleset.model import RuleSet

HEAD = """\
ruleset: {id: small, version: "1", title: Small, source: test}
outcomes:
  one: {label: One, summary: one}
  two: {label: Two, summary: two}
tradeoffs:
  t.one: {side: both, kind: consideration, title: One, text: One.}
decision: {tie_break: [one, two]}
"""

# host is read by a path rule and by the rule that excludes one.fast; big by the first path
# rule of each outcome; size by one.slow, and by two.alt only through `answered`
SMALL_TEXT = HEAD + """\
questions:
  - {id: host, prompt: Host?, type: choice, required: false,
     choices: [{value: cloud, label: Cloud}, {value: own, label: Own}, {value: edge, label: Edge}]}
  - {id: big, prompt: Big?, type: confirm, required: false}
  - {id: size, prompt: Size?, type: number, required: false, min: 0, max: 100}
rules:
  - {id: r-own, when: {host: own}, points: {one: 2}, because: B., cites: [t.one]}
  - {id: r-big, when: {big: true}, points: {two: 1}, because: B., cites: [t.one]}
  - {id: r-edge, when: {host: edge}, exclude: [one.fast], because: B., cites: [t.one]}
  - {id: r-never, when: {big: false}, exclude: [one.fast], because: B., cites: [t.one]}
paths:
  one.fast: {outcome: one, label: fast, summary: s, hosting: hosted, cost_option: frontier_api}
  one.slow: {outcome: one, label: slow, summary: s, hosting: hosted, cost_option: frontier_api}
  one.safe: {outcome: one, label: safe, summary: s, hosting: hosted, cost_option: frontier_api}
  two.api: {outcome: two, label: Two API, summary: s, hosting: hosted, cost_option: frontier_api}
  two.alt: {outcome: two, label: Two alt, summary: s, hosting: hosted, cost_option: frontier_api}
path_rules:
  - {path: one.fast, when: {big: true}, because: B., cites: [t.one]}
  - {path: one.slow, when: {size: {gte: 50}}, because: B., cites: [t.one]}
  - {path: one.safe, when: {host: cloud}, because: B., cites: [t.one]}
  - {path: two.api, when: {big: false}, because: B., cites: [t.one]}
  - {path: two.alt, when: {size: {answered: true}}, because: B., cites: [t.one]}
"""

# shade is asked only when depth is deep, depth only when kind is a: one's path reads
# shade, so it depends on all three
CHAIN_TEXT = HEAD + """\
questions:
  - {id: kind, prompt: Kind?, type: choice, required: false,
     choices: [{value: a, label: A}, {value: b, label: B}]}
  - {id: depth, prompt: Depth?, type: choice, required: false, when: {kind: a},
     choices: [{value: shallow, label: Shallow}, {value: deep, label: Deep}]}
  - {id: shade, prompt: Shade?, type: confirm, required: false, when: {depth: deep}}
  - {id: loose, prompt: Loose?, type: confirm, required: false}
  - {id: tone, prompt: Tone?, type: confirm, required: false}
rules:
  - {id: r-kind, when: {kind: a}, points: {one: 1}, because: B., cites: [t.one]}
  - {id: r-loose, when: {loose: true}, points: {two: 1}, because: B., cites: [t.one]}
  - {id: r-tone, when: {tone: true}, exclude: [two.only], because: B., cites: [t.one]}
  - {id: r-b, when: {kind: b}, exclude: [two.any], because: B., cites: [t.one]}
paths:
  one.dark: {outcome: one, label: Dark, summary: s, hosting: hosted, cost_option: frontier_api}
  one.plain: {outcome: one, label: Plain, summary: s, hosting: hosted, cost_option: frontier_api}
  two.only: {outcome: two, label: Only, summary: s, hosting: hosted, cost_option: frontier_api}
  two.any: {outcome: two, label: Any, summary: s, hosting: hosted, cost_option: frontier_api}
  two.late: {outcome: two, label: Late, summary: s, hosting: hosted, cost_option: frontier_api}
path_rules:
  - {path: one.dark, when: {shade: true}, because: B., cites: [t.one]}
  - {path: one.plain, because: B., cites: [t.one]}
  - {path: two.only, when: {any: [{kind: a}, {loose: true}]}, because: B., cites: [t.one]}
  - {path: two.any, because: B., cites: [t.one]}
  - {path: two.late, when: {loose: true}, because: B., cites: [t.one]}
"""


def rule_set(text: str, name: str = "small.yaml") -> RuleSet:
    return build(yamlio.parse(text, name), sha256="0" * 64)


SMALL = rule_set(SMALL_TEXT)
CHAIN = rule_set(CHAIN_TEXT, "chain.yaml")
DEFAULT = load_ruleset()
ALL = ("host", "big", "size")
FAST, SLOW, SAFE = "one.fast", "one.slow", "one.safe"


# built in each test, not taken from path_reacher_for's cache: mutmut forks its runs from a
# process that already filled the cache with reachers built by the unmutated code
@pytest.fixture
def small() -> PathReacher:
    return PathReacher(SMALL)


@pytest.fixture
def chain() -> PathReacher:
    return PathReacher(CHAIN)


# ------------------------------------------------------------------ paths

@pytest.mark.parametrize(("known", "open_", "expected"), [
    ({}, ALL, (FAST, SLOW, SAFE, None)),
    ({"big": True}, ("host", "size"), (FAST, SLOW, None)),
    ({"big": True, "host": "own"}, ("size",), (FAST,)),
    ({"host": "cloud"}, ("big", "size"), (FAST, SLOW, SAFE)),
    ({"host": "edge"}, ("big", "size"), (SLOW, None)),
    ({"host": "edge", "size": 10}, ("big",), (None,)),
    ({"host": "edge", "size": 50}, ("big",), (SLOW,)),
    ({"host": "edge", "size": 49}, (), (None,)),
    ({"big": False, "size": 80}, ("host",), (SLOW,)),
    ({"big": False}, ("host", "size"), (SLOW, SAFE, None)),
])
def test_paths_are_exactly_those_some_completion_gives(
        small: PathReacher, known: dict[str, Answer], open_: tuple[str, ...],
        expected: tuple[str | None, ...]) -> None:
    assert small.paths(known, open_, "one") == expected


def test_a_known_answer_to_an_open_question_counts_as_open(small: PathReacher) -> None:
    # host is open, so its known value does not settle anything
    assert small.paths({"host": "own", "big": True}, ("host", "size"), "one") == (
        FAST, SLOW, None)
    assert small.paths({"host": "own", "big": True}, ("size",), "one") == (FAST,)


def test_an_open_question_the_path_does_not_read_changes_nothing(small: PathReacher) -> None:
    assert small.paths({"big": False}, ("host",), "two") == ("two.api",)
    assert small.paths({}, ("host", "big"), "two") == ("two.api", None)
    assert small.reads("two") == frozenset({"big", "size"})
    assert small.reads("one") == frozenset(ALL)


def test_answered_on_an_open_question_is_undecided(small: PathReacher) -> None:
    assert small.paths({"big": True}, ("size",), "two") == ("two.alt", None)
    assert small.paths({"big": True}, (), "two") == (None,)
    assert small.paths({"big": True, "size": 3}, (), "two") == ("two.alt",)
    assert small.paths({}, ("big", "size"), "two") == ("two.api", "two.alt", None)


def test_limit_stops_at_that_many_paths_in_path_order(small: PathReacher) -> None:
    every = small.paths({}, ALL, "one")
    for n in (1, 2, 3):
        got = small.paths({}, ALL, "one", limit=n)
        assert len(got) == n
        assert set(got) <= set(every)
        assert list(got) == sorted(got, key=lambda p: every.index(p))
    assert small.paths({}, ALL, "one", limit=4) == every
    assert small.paths({}, ALL, "one", limit=9) == every


def test_wins_is_asked_with_the_raw_answers_and_the_questions_still_open(
        small: PathReacher) -> None:
    calls: list[tuple[dict[str, Answer], list[str]]] = []

    def wins(answers: Mapping[str, Answer], open_: Collection[str]) -> bool:
        calls.append((dict(answers), list(open_)))
        return True

    assert small.paths({"big": True, "host": "own"}, ("size",), "one", wins=wins) == (FAST,)
    # the walk settles before size is tried: size is still open, the known answers as given
    assert calls == [({"big": True, "host": "own"}, ["size"])]


def test_wins_drops_the_paths_where_the_outcome_cannot_win(small: PathReacher) -> None:
    def not_big(answers: Mapping[str, Answer], open_: Collection[str]) -> bool:
        return answers.get("big") is not True

    assert small.paths({}, ALL, "one", wins=not_big) == (SLOW, SAFE, None)
    assert small.paths({"host": "cloud"}, ("big", "size"), "one", wins=not_big) == (SLOW, SAFE)

    def never(answers: Mapping[str, Answer], open_: Collection[str]) -> bool:
        return False

    assert small.paths({}, ALL, "one", wins=never) == ()


def test_a_path_the_wins_callback_refused_once_can_be_found_later(small: PathReacher) -> None:
    # host cloud (tried first) loses, host own wins: FAST is found on the second branch
    def own(answers: Mapping[str, Answer], open_: Collection[str]) -> bool:
        return answers.get("host") == "own"

    assert small.paths({"big": True}, ("host",), "one", wins=own) == (FAST,)


# ------------------------------------------------------------------ first_undecided

@pytest.mark.parametrize(("known", "open_", "outcome", "expected"), [
    ({}, ALL, "one", "host"),  # the first rule reads big, its excluder host: question order
    ({"host": "own"}, ("big", "size"), "one", "big"),
    ({"host": "edge"}, ("big", "size"), "one", "size"),
    ({"host": "own", "big": True}, ("size",), "one", None),
    ({"host": "own", "big": False}, ("size",), "one", "size"),
    ({"host": "own", "big": False, "size": 2}, (), "one", None),
    ({"big": False, "size": 2}, ("host",), "one", "host"),
    ({}, ("host", "big"), "two", "big"),
    ({}, ("host",), "two", None),
    ({"big": True}, ("host", "size"), "two", "size"),
    ({"host": "own", "big": True}, ("host", "size"), "one", "host"),
])
def test_first_undecided_names_the_question_the_walk_needs_first(
        small: PathReacher, known: dict[str, Answer], open_: tuple[str, ...], outcome: str,
        expected: str | None) -> None:
    assert small.first_undecided(known, open_, outcome) == expected


# ------------------------------------------------------------------ splits and reach

def test_splits_give_each_answer_its_paths(small: PathReacher) -> None:
    assert small.splits({}, ALL, "one", "host") == (
        ("cloud", (FAST, SLOW, SAFE)), ("own", (FAST, SLOW, None)),
        ("edge", (SLOW, None)), (None, (FAST, SLOW, None)))
    assert small.splits({"host": "edge"}, ("big", "size"), "one", "size") == (
        (49, (None,)), (50, (SLOW,)), (51, (SLOW,)), (None, (None,)))


def test_splits_drop_the_known_answer_to_the_question_split_on(small: PathReacher) -> None:
    assert small.splits({"host": "cloud", "big": False}, ("host", "size"), "one", "host") == (
        ("cloud", (SLOW, SAFE)), ("own", (SLOW, None)), ("edge", (SLOW, None)),
        (None, (SLOW, None)))


def test_splits_pass_wins_on(small: PathReacher) -> None:
    def small_only(answers: Mapping[str, Answer], open_: Collection[str]) -> bool:
        return answers.get("size", 0) < 50  # type: ignore[operator]

    assert small.splits({"host": "edge"}, ("big", "size"), "one", "size",
                        wins=small_only) == (
        (49, (None,)), (50, ()), (51, ()), (None, (None,)))


def test_reach_names_the_questions_that_rule_a_path_out(small: PathReacher) -> None:
    assert small.reach({}, ALL, "one") == PathReach("one", (FAST, SLOW, SAFE, None),
                                                    ("host", "big", "size"))
    # with host at the edge, big never matters: fast is excluded whatever it says
    assert small.reach({"host": "edge"}, ("big", "size"), "one") == PathReach(
        "one", (SLOW, None), ("size",))
    # open questions outside the path's reads are not named
    assert small.reach({}, ("host", "big"), "two") == PathReach("two", ("two.api", None),
                                                                ("big",))


def test_reach_of_a_settled_or_unreachable_outcome_names_nothing(small: PathReacher) -> None:
    settled = small.reach({"host": "own", "big": True}, ("size",), "one")
    assert settled == PathReach("one", (FAST,))
    assert settled.settled
    none = small.reach({}, ALL, "one", wins=lambda a, o: False)
    assert none == PathReach("one", ())
    assert not none.settled
    assert not small.reach({}, ALL, "one").settled


def test_reach_ignores_answers_under_which_the_outcome_cannot_win(small: PathReacher) -> None:
    # size decides only where big is true; where the outcome cannot win with big true, the
    # big-true splits are empty and size rules nothing out that is left
    def not_big(answers: Mapping[str, Answer], open_: Collection[str]) -> bool:
        return answers.get("big") is not True

    got = small.reach({"host": "cloud"}, ("big", "size"), "one", wins=not_big)
    assert got == PathReach("one", (SLOW, SAFE), ("size",))
    got = small.reach({"host": "edge"}, ("big", "size"), "one", wins=not_big)
    assert got == PathReach("one", (SLOW, None), ("size",))


# ------------------------------------------------------------------ questions asked only when

def test_a_question_asked_only_when_is_followed_through_its_when(chain: PathReacher) -> None:
    assert chain.reads("one") == frozenset({"kind", "depth", "shade"})
    assert chain.reads("two") == frozenset({"kind", "loose", "tone"})
    open_ = ("kind", "depth", "shade", "loose")
    assert chain.paths({}, open_, "one") == ("one.dark", "one.plain")
    assert chain.paths({"kind": "b", "depth": "deep", "shade": True}, (), "one") == (
        "one.plain",)
    assert chain.paths({"kind": "a", "depth": "deep", "shade": True}, (), "one") == (
        "one.dark",)
    assert chain.paths({"depth": "deep", "shade": True}, ("kind",), "one") == (
        "one.dark", "one.plain")
    assert chain.paths({"kind": "a", "shade": True}, ("depth",), "one") == (
        "one.dark", "one.plain")
    assert chain.paths({"kind": "a", "depth": "shallow"}, ("shade",), "one") == ("one.plain",)
    assert chain.paths({}, open_, "two") == ("two.only", "two.any", None)  # tone not open
    assert chain.paths({}, (*open_, "tone"), "two") == ("two.only", "two.any", "two.late", None)
    assert chain.reach({"depth": "deep", "shade": True}, ("kind",), "one") == PathReach(
        "one", ("one.dark", "one.plain"), ("kind",))


def test_tricond_states() -> None:
    c = TriCond(SMALL.path_rules[4].when)  # type: ignore[arg-type]
    assert c.reads == frozenset({"size"}) and c.answered == frozenset({"size"})
    assert c.state({}, ["size"]) is None
    assert c.state({}, []) is False
    assert c.state({"size": 1}, []) is True
    d = TriCond(SMALL.path_rules[1].when)  # type: ignore[arg-type]
    assert d.answered == frozenset()
    assert d.state({}, ["size"]) is None
    assert d.state({}, ["host"]) is False  # unanswered and not open: false for sure
    assert d.state({"size": 50}, ["host"]) is True
    assert d.state({"size": 49}, []) is False


# ------------------------------------------------------------------ the default rule set

def test_default_rule_set_paths() -> None:
    pr = PathReacher(DEFAULT)
    assert pr.paths({"data": "on_premises"}, ("expertise", "performance"), "open") == (
        "open.self-hosted",)
    assert pr.paths({"data": "unrestricted", "expertise": "none"},
                    ("monthly_tokens", "performance"), "open") == ("open.hosted-api",)
    assert pr.paths({"data": "regulated", "expertise": "none"}, (), "open") == (
        "open.private-endpoint",)
    assert pr.reach({}, ("data",), "closed") == PathReach(
        "closed", ("closed.private-deployment", "closed.vendor-api"), ("data",))
    assert pr.splits({}, ("data",), "closed", "data") == (
        ("on_premises", ("closed.vendor-api",)), ("regulated", ("closed.private-deployment",)),
        ("unrestricted", ("closed.vendor-api",)), (None, ("closed.vendor-api",)))
    assert pr.first_undecided({}, [q.id for q in DEFAULT.questions], "open") == "performance"
    assert pr.first_undecided({"data": "unrestricted"}, ("expertise", "monthly_tokens"),
                              "open") == "expertise"
    assert pr.first_undecided({"data": "on_premises"}, ("expertise",), "open") is None


# ------------------------------------------------------------------ the cache

def test_path_reacher_for_keeps_one_per_rule_set_and_the_last_eight() -> None:
    """The cache (decide.memo.PerRuleSet, as path_reacher_for is built): one reacher per
    rule set, the last eight kept, the oldest dropped first."""
    cache = PerRuleSet(PathReacher)
    sets = [rule_set(CHAIN_TEXT, f"c{n}.yaml") for n in range(9)]
    first = cache(sets[0])
    assert first.ruleset is sets[0]
    assert cache(sets[0]) is first
    kept = [cache(rs) for rs in sets[1:8]]
    assert len(cache._found) == 8  # noqa: SLF001 - what is kept
    assert cache(sets[0]) is first  # still among the last eight
    last = cache(sets[8])
    assert len(cache._found) == 8  # noqa: SLF001
    assert cache(sets[8]) is last
    assert cache(sets[1]) is kept[0]
    assert cache(sets[0]) is not first  # the oldest went
    assert isinstance(path_reacher_for, PerRuleSet)
    assert path_reacher_for(SMALL) is path_reacher_for(SMALL)


def test_path_reacher_for_a_new_rule_set_at_a_reused_id() -> None:
    cache = PerRuleSet(PathReacher)
    stale = PathReacher(CHAIN)
    cache._found[id(SMALL)] = (CHAIN, stale)  # noqa: SLF001 - a reused id
    got = cache(SMALL)
    assert got is not stale and got.ruleset is SMALL
    assert cache(SMALL) is got


# ------------------------------------------------------------------ ways

@pytest.mark.parametrize(("labels", "expected"), [
    (["Open weights, self-hosted", "Open weights through a hosted API"],
     ["self-hosted", "through a hosted API"]),
    (["Run it yourselves, in the cloud", "Run it hosted, in the cloud"],
     ["yourselves", "hosted"]),
    (["Open weights, self-hosted"], ["open weights, self-hosted"]),
    (["Closed API", "GPU cluster"], ["closed API", "GPU cluster"]),
    (["API from a vendor", "API of our own"], ["from a vendor", "of our own"]),
    (["Open, hosted", "open self"], ["hosted", "self"]),
    (["A b", "A b"], ["b", "b"]),
    (["x y z", "x z"], ["y z", "z"]),
    (["Same end", "Other end"], ["same", "other"]),
    (["one; two", "one three:"], ["two", "three"]),
    (["iPhone app", "McKinsey way", "Ab"], ["iPhone app", "McKinsey way", "ab"]),
    ([""], [""]),
    ([], []),
])
def test_ways_strip_shared_words_and_lower_the_first(labels: list[str],
                                                      expected: list[str]) -> None:
    assert ways(labels) == expected


@pytest.mark.parametrize(("known", "open_", "expected"), [
    # only holds for sure (loose), but tone may still exclude it: tone, not kind
    ({"loose": True}, ("kind", "tone"), "tone"),
    # only is excluded; any (no condition) holds but kind may still exclude it
    ({"tone": True}, ("kind", "loose"), "kind"),
    # only is excluded, any holds and kind (not open, not answered) cannot exclude it
    ({"tone": True}, ("loose",), None),
    ({"tone": False, "kind": "b"}, ("loose",), "loose"),
])
def test_first_undecided_with_a_path_rule_without_condition(
        chain: PathReacher, known: dict[str, Answer], open_: tuple[str, ...],
        expected: str | None) -> None:
    assert chain.first_undecided(known, open_, "two") == expected


def test_paths_past_a_path_rule_without_condition(chain: PathReacher) -> None:
    assert chain.paths({"tone": True}, ("kind", "loose"), "two") == (
        "two.any", "two.late", None)
    assert chain.paths({"tone": True}, ("loose",), "two") == ("two.any",)
    assert chain.paths({"loose": True}, ("kind", "tone"), "two") == (
        "two.only", "two.any", "two.late")


def test_a_path_undecided_by_one_excluder_stays_open_whatever_the_next_says(
        small: PathReacher) -> None:
    # r-edge (host open) may exclude one.fast though r-never (big is true) cannot
    assert small.paths({"big": True}, ("host",), "one") == (FAST, None)


@pytest.mark.parametrize(("labels", "expected"), [
    (["Fast way", ""], ["fast way", ""]),
    (["x p y", "x q p y"], ["p", "q p"]),
    (["Straße a", "Strasse b"], ["straße a", "strasse b"]),
    (["X one", "XX two"], ["x one", "XX two"]),
    (["Run X", "Run Y"], ["x", "y"]),
    (["Ab CD ef"], ["ab CD ef"]),
    (["AB test"], ["AB test"]),
])
def test_ways_edge_cases(labels: list[str], expected: list[str]) -> None:
    assert ways(labels) == expected
