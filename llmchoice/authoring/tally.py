"""What ``rules analyze`` counts while it scores profiles, one profile at a time.

:class:`Tally` reads, for each profile, the winner, the scores, the rules that
fired, their contributions, the exclusions and the margin. With the default
scorer (:func:`llmchoice.decide.compiled.score`) and an exact rule set it does not
score each profile in full: the compiled rule set's :meth:`verdict_key
<llmchoice.decide.compiled.CompiledRuleSet.verdict_key>` (the packed sums and
exclusions) determines the verdict, so what follows from it (the winner's code,
a tie, the mixed bonus) is worked out once per key and remembered. The rules
that fired are needed only while some rule has not yet fired, or not yet
changed a winner: those few rules' conditions are then evaluated on the
profile (the engine's own condition code), and "the winner without rule r"
is the one decision rule on the key less rule r's own packed points. Any other
scorer, or a rule set whose sums are not exact, is scored in full per profile
as the engine does. Both ways give the same counts and the same examples
(``tests/test_rules_analyze.py`` checks it on random rule sets).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from llmchoice.answers.validate import to_plain
from llmchoice.authoring.pivots import NO_OUTCOME
from llmchoice.authoring.space import NONE, Scorer
from llmchoice.decide.compiled import CompiledRuleSet, compiled_for, score
from llmchoice.decide.engine import Scored
from llmchoice.decide.rule import MIXED_RULE_ID, NoOutcomeLeft, decide
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import Decision, Rule, RuleSet

EXAMPLES = 3
MAX_KEYS = 1 << 17  # most verdict keys remembered (a rule set has far fewer)


@dataclass
class Example:
    answers: dict[str, Answer]
    detail: str = ""

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"answers": to_plain(self.answers)}
        if self.detail:
            out["detail"] = self.detail
        return out


def winner_without(rs: RuleSet, s: Scored, rid: str, by_id: Mapping[str, Rule] | None = None,
                   no_mixed: Decision | None = None) -> str | None:
    """The winner had rule ``rid`` (or the mixed bonus) not fired, everything else equal:
    the one decision rule on the other fired rules' points, in the engine's order.
    (``by_id`` and ``no_mixed``, the decision without the bonus, are the rule set's own;
    a caller that asks often passes them.)"""
    if by_id is None:
        by_id = {r.id: r for r in rs.rules}
    if no_mixed is None:
        no_mixed = dataclasses.replace(rs.decision, mixed=None)
    excluded: set[str] = set()
    for fired in s.fired:
        if fired != rid:
            excluded.update(by_id[fired].exclude)
    sums = dict.fromkeys(rs.outcome_ids, 0.0)
    for c in s.contributions:
        if c.rule != rid and c.rule != MIXED_RULE_ID:
            sums[c.outcome] += c.points
    v = decide(sums, excluded, no_mixed if rid == MIXED_RULE_ID else rs.decision,
               rs.outcome_ids)
    return None if v is None else v.winner


# What a verdict key gives: the winner's code, the tied outcomes (or None), whether the
# mixed bonus was given, and the detail of an example (the scores, or why no outcome).
_KeyInfo = tuple[int, tuple[str, ...] | None, bool, str]


class Tally:
    """Everything counted while profiles are scored, for one rule set."""

    def __init__(self, rs: RuleSet, scorer: Scorer) -> None:
        self.rs = rs
        self.scorer = scorer
        self.codes = {o: i for i, o in enumerate(rs.outcome_ids)}
        self.code_wins = [0] * len(rs.outcome_ids)
        self.unfired = {r.id for r in rs.rules}
        self.undecided = {r.id for r in rs.rules}
        if rs.decision.mixed is not None:
            self.undecided.add(MIXED_RULE_ID)
            self.unfired.add(MIXED_RULE_ID)
        self.decisive_example: dict[str, Example] = {}
        self.ties: Counter[tuple[str, ...]] = Counter()
        self.tie_examples: dict[tuple[str, ...], list[Example]] = {}
        self.no_outcome = 0
        self.no_outcome_examples: list[Example] = []
        self.profiles = 0
        self.by_id = {r.id: r for r in rs.rules}
        self.no_mixed = dataclasses.replace(rs.decision, mixed=None)
        # the fast way: the compiled rule set's verdict keys, when it has them
        self.compiled: CompiledRuleSet | None = compiled_for(rs) if scorer is score else None
        self.keys: dict[int, _KeyInfo] = {}
        self.rule_keys = {r.id: self.compiled.rule_key(i) for i, r in enumerate(rs.rules)} \
            if self.compiled is not None else {}
        self.winners: dict[tuple[int, bool], int] = {}  # winner codes without a rule

    @property
    def wins(self) -> Counter[str]:
        return Counter({o: self.code_wins[i] for i, o in enumerate(self.rs.outcome_ids)})

    def score(self, answers: dict[str, Answer]) -> int:
        """Count one profile; its winner's code (``NO_OUTCOME`` when every outcome is out)."""
        key = self.compiled.verdict_key(answers) if self.compiled is not None else None
        if key is None:
            return self._score_in_full(answers)
        self.profiles += 1
        info = self.keys.get(key)
        if info is None:
            info = self._key_info(key)
            if len(self.keys) < MAX_KEYS:
                self.keys[key] = info
        code, tie, mixed_fired, detail = info
        if self.unfired or self.undecided:
            self._pending(answers, key, code, mixed_fired)
        if code == NO_OUTCOME:
            self.no_outcome += 1
            if len(self.no_outcome_examples) < EXAMPLES:
                self.no_outcome_examples.append(Example(answers, detail))
            return code
        self.code_wins[code] += 1
        if tie is not None:
            self._tie(tie, answers, detail)
        return code

    def _key_info(self, key: int) -> _KeyInfo:
        assert self.compiled is not None
        try:
            v, bonus = self.compiled.decided_of_key(key)
        except NoOutcomeLeft as exc:
            return NO_OUTCOME, None, False, exc.message
        return (self.codes[v.winner], self._tied(v.scores, v.excluded, v.winner, v.margin),
                bonus is not None, self._scores_text(v.scores))

    def _pending(self, answers: dict[str, Answer], key: int, code: int,
                 mixed_fired: bool) -> None:
        """The rules that have not fired yet, or not changed a winner yet, on one profile."""
        for rid in [r for r in self.undecided if r != MIXED_RULE_ID]:
            if self.by_id[rid].when.evaluate(answers) is not True:
                continue
            self.unfired.discard(rid)
            if code != NO_OUTCOME:
                self._decisive(rid, answers, code, self._code_without(key, rid))
        if mixed_fired:
            self.unfired.discard(MIXED_RULE_ID)
            if MIXED_RULE_ID in self.undecided:
                self._decisive(MIXED_RULE_ID, answers, code,
                               self._code_without(key, MIXED_RULE_ID))

    def _code_without(self, key: int, rid: str) -> int:
        """The winner's code had ``rid`` not fired: the decision rule on the key less the
        rule's packed points (without the bonus: the same key, decided without it)."""
        mixed = rid == MIXED_RULE_ID
        other = key if mixed else key - self.rule_keys[rid]
        found = self.winners.get((other, mixed))
        if found is None:
            assert self.compiled is not None
            sums, excluded = self.compiled.sums_of_key(other)
            v = decide(sums, {e.outcome for e in excluded},
                       self.no_mixed if mixed else self.rs.decision, self.rs.outcome_ids)
            found = NO_OUTCOME if v is None else self.codes[v.winner]
            if len(self.winners) < MAX_KEYS:
                self.winners[(other, mixed)] = found
        return found

    def _decisive(self, rid: str, answers: dict[str, Answer], code: int, other: int) -> None:
        if other != code:
            self.undecided.discard(rid)
            outcomes = self.rs.outcome_ids
            self.decisive_example[rid] = Example(
                answers, f"{outcomes[code]} with it, "
                         f"{NONE if other == NO_OUTCOME else outcomes[other]} without it")

    def _tied(self, scores: Mapping[str, float], excluded: object, winner: str,
              margin: float) -> tuple[str, ...] | None:
        """The outcomes tied at the top (in tie-break order), or None for no tie."""
        if margin != 0:
            return None
        out = {e.outcome for e in excluded}  # type: ignore[attr-defined]
        top = scores[winner]
        tied = tuple(o for o in self.rs.decision.tie_break
                     if o not in out and scores[o] == top)
        return tied if len(tied) > 1 else None

    def _scores_text(self, scores: Mapping[str, float]) -> str:
        return ", ".join(f"{o} {scores[o]:g}" for o in self.rs.outcome_ids)

    def _tie(self, key: tuple[str, ...], answers: dict[str, Answer], detail: str) -> None:
        self.ties[key] += 1
        examples = self.tie_examples.setdefault(key, [])
        if len(examples) < EXAMPLES:
            examples.append(Example(answers, detail))

    def _score_in_full(self, answers: dict[str, Answer]) -> int:
        """One profile scored in full by the scorer (any scorer, any rule set)."""
        self.profiles += 1
        try:
            s = self.scorer(self.rs, answers)
        except NoOutcomeLeft as exc:
            self.no_outcome += 1
            if len(self.no_outcome_examples) < EXAMPLES:
                self.no_outcome_examples.append(Example(answers, exc.message))
            if self.unfired:  # the rules did fire; the engine raised before saying so
                self.unfired.difference_update(
                    r.id for r in self.rs.rules if r.when.evaluate(answers) is True)
            return NO_OUTCOME
        code = self.codes[s.winner]
        self.code_wins[code] += 1
        mixed_fired = any(c.rule == MIXED_RULE_ID for c in s.contributions)
        if self.unfired:
            self.unfired.difference_update(s.fired)
            if mixed_fired:
                self.unfired.discard(MIXED_RULE_ID)
        if self.undecided:
            candidates = [r for r in s.fired if r in self.undecided]
            if mixed_fired and MIXED_RULE_ID in self.undecided:
                candidates.append(MIXED_RULE_ID)
            for rid in candidates:
                other = winner_without(self.rs, s, rid, self.by_id, self.no_mixed)
                self._decisive(rid, answers, code,
                               NO_OUTCOME if other is None else self.codes[other])
        tie = self._tied(s.scores, s.excluded, s.winner, s.margin)
        if tie is not None:
            self._tie(tie, answers, self._scores_text(s.scores))
        return code


def coder(rs: RuleSet, scorer: Scorer) -> Callable[[dict[str, Answer]], int]:
    """The winner's code for one profile, without counting it (the pivots of a sampled
    core): through the compiled verdict when the scorer is the default one."""
    codes = {o: i for i, o in enumerate(rs.outcome_ids)}
    compiled = compiled_for(rs) if scorer is score else None

    def code(answers: dict[str, Answer]) -> int:
        try:
            if compiled is not None:
                return codes[compiled.verdict(answers).winner]
            return codes[scorer(rs, answers).winner]
        except NoOutcomeLeft:
            return NO_OUTCOME

    return code
