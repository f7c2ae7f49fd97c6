"""The deciding answers that ``batch --summary`` counts, from tables worked out once.

A line's deciding answers are the answers behind its largest reasons: the fired rules
that gave the winning outcome the most points (all of them on a tie; the mixed-needs
bonus is not an answer and does not count), each shown as ``question=value`` (joined by
``&`` for a rule on several questions). :meth:`Deciding.add_scored` reads them off a
full score's contributions.

:meth:`Deciding.add` gives the same counts without a full score. The compiled rule
set groups its rules so that no two groups read the same question
(:meth:`~llmchoice.decide.compiled.CompiledRuleSet.valid_groups`); what a group's rules
give each outcome depends only on the answers to its own questions. So, once per group
and per combination of its answers, the largest points each outcome gets from the group
and the deciding answers behind them are worked out with the engine's condition code;
a line then looks its answers up and keeps the largest, as the full count does. Groups
too large to table (a number question, rules on many questions) are evaluated per line,
remembered by the answers to their questions.
``tests/test_batch_summary.py`` checks both ways agree on random rule sets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import product

from llmchoice.answers.show import show_pairs
from llmchoice.decide.compiled import CompiledRuleSet
from llmchoice.decide.result import Contribution
from llmchoice.decide.rule import MIXED_RULE_ID
from llmchoice.decide.tables import MISSING, Block
from llmchoice.ruleset.conditions import Answer

# The largest points a group of rules gives one outcome, and the deciding answers of the
# rules that give them (one per rule; a rule whose questions are all unanswered has none).
Entry = tuple[float, tuple[str, ...]]
MAX_NUMBERS = 4096  # most answers to a group's questions remembered with what they give


class Deciding:
    """Counts each line's winner into ``wins`` and its deciding answers, by winner, into
    ``counts``."""

    def __init__(self, crs: CompiledRuleSet, wins: Counter[str],
                 counts: Counter[tuple[str, str]]) -> None:
        self.crs = crs
        self.wins = wins
        self.counts = counts
        self.questions = {r.id: tuple(sorted(r.when.questions())) for r in crs.ruleset.rules}
        outcomes = crs.ruleset.outcome_ids
        self.index = {o: n for n, o in enumerate(outcomes)}
        groups = crs.valid_groups()
        self.fast = groups is not None
        self.pairs: list[dict[tuple[str, object], Entry]] = [{} for _ in outcomes]
        self.missing: list[list[tuple[str, Entry]]] = [[] for _ in outcomes]
        self.joint: list[tuple[tuple[str, ...], list[dict[object, Entry]]]] = []
        for qs, rules, domains in groups or ():
            if len(qs) == 1:
                q = qs[0]
                for value in domains[0]:
                    for o, entry in self._entries(rules, {q: value}):  # type: ignore[dict-item]
                        self.pairs[o][(q, value)] = entry
                for o, entry in self._entries(rules, {}):
                    self.missing[o].append((q, entry))
                continue
            tables: list[dict[object, Entry]] = [{} for _ in outcomes]
            for combo in product(*[(*d, MISSING) for d in domains]):
                answers: dict[str, Answer] = {
                    q: v for q, v in zip(qs, combo, strict=True)  # type: ignore[misc]
                    if v is not MISSING}
                for o, entry in self._entries(rules, answers):
                    tables[o][combo] = entry
            self.joint.append((qs, tables))
        self.others = crs.other_groups() if self.fast else ()
        self.number: dict[object, list[list[Entry]]] = {}

    def _label(self, rule: str, answers: Mapping[str, Answer]) -> str:
        return " & ".join(show_pairs({q: answers[q]}) for q in self.questions.get(rule, ())
                          if q in answers)

    def _entries(self, rules: tuple[int, ...],
                 answers: dict[str, Answer]) -> Iterable[tuple[int, Entry]]:
        """Per outcome, what these rules give it for these answers (when anything)."""
        contributions = self.crs.contributions_of(rules, answers)
        for outcome, o in self.index.items():
            reasons = [c for c in contributions
                       if c.outcome == outcome and c.rule != MIXED_RULE_ID and c.points > 0]
            if reasons:
                top = max(c.points for c in reasons)
                yield o, (top, tuple(label for c in reasons if c.points == top
                                     if (label := self._label(c.rule, answers))))

    def add_scored(self, contributions: Iterable[Contribution], winner: str,
                   answers: Mapping[str, Answer]) -> None:
        """Count one line from a full score's contributions."""
        reasons = [c for c in contributions
                   if c.outcome == winner and c.rule != MIXED_RULE_ID and c.points > 0]
        if not reasons:
            return
        top = max(c.points for c in reasons)
        for c in reasons:
            if c.points == top and (label := self._label(c.rule, answers)):
                self.counts[(label, winner)] += 1

    def line(self, answers: dict[str, Answer], winner: str, keyed: bool) -> None:
        """Count one line: its winner, and its deciding answers from the tables when its
        answers have a verdict key (``keyed``), else from a full score."""
        self.wins[winner] += 1
        if keyed:
            self.add(answers, winner)
        else:
            self.add_scored(self.crs.score(answers).contributions, winner, answers)

    def add(self, answers: dict[str, Answer], winner: str) -> None:
        """Count the deciding answers of one line of validated answers (as
        ``CompiledRuleSet.answers`` returns them) whose winner is known, from the tables."""
        if not self.fast:
            self.add_scored(self.crs.score(answers).contributions, winner, answers)
            return
        o = self.index[winner]
        found = list(filter(None, map(self.pairs[o].get, answers.items())))
        for q, entry in self.missing[o]:
            if q not in answers:
                found.append(entry)
        for qs, tables in self.joint:
            joint = tables[o].get(tuple([answers.get(q, MISSING) for q in qs]))
            if joint is not None:
                found.append(joint)
        for n, block in enumerate(self.others):
            found.extend(self._other(n, block, answers)[o])
        if not found:
            return
        best = max(found)[0]
        counts = self.counts
        for points, names in found:
            if points == best:
                for name in names:
                    counts[(name, winner)] += 1

    def _other(self, n: int, block: Block, answers: dict[str, Answer]) -> list[list[Entry]]:
        """Per outcome, what a group evaluated per line gives it: remembered by the answers
        to the group's questions (a batch has few combinations of them; at most
        ``MAX_NUMBERS`` are kept), else worked out."""
        key: object = (n, tuple([(type(x), x) for x in map(answers.get, block.reads)]))
        try:
            found = self.number.get(key)
        except TypeError:  # an answer that cannot be remembered (a list)
            key, found = None, None
        if found is not None:
            return found
        entries: list[list[Entry]] = [[] for _ in self.index]
        for c in self.crs.other_segment(block, answers)[1]:
            if c.rule != MIXED_RULE_ID and c.points > 0:
                label = self._label(c.rule, answers)
                entries[self.index[c.outcome]].append((c.points, (label,) if label else ()))
        if key is not None and len(self.number) < MAX_NUMBERS:
            self.number[key] = entries
        return entries
