"""How a verdict stands, worded once for every report: the points each outcome is shown
with (a ruled-out one's too), and whether the verdict is only provisional (``--partial``:
unanswered questions could still give another outcome). Nothing here scores: the scores
come from :func:`llmchoice.decide.rule.decide`, what stays reachable from
:mod:`llmchoice.decide.partial`."""

from __future__ import annotations

from llmchoice.decide.engine import MIXED_RULE_ID
from llmchoice.decide.result import Result
from llmchoice.decide.rule import decide
from llmchoice.frozen import frozen
from llmchoice.ruleset.model import RuleSet

from .common import outcome_label

PROVISIONAL_TITLE = "Leaning"


def earned_scores(result: Result, rules: RuleSet) -> dict[str, float]:
    """Each outcome's points as the report shows them: an allowed outcome's score; a
    ruled-out outcome's points as if it were allowed (a hybrid's mixed-needs bonus
    included), so that "ruled out" never reads as "earned nothing". With a forcing
    constraint these are the scores the basis names ("Without it: …")."""
    out = {e.outcome for e in result.excluded}
    scores = dict(result.scores)
    if not out:
        return scores
    free: dict[str, float] = dict(result.certainty.unconstrained_scores)
    if not free:
        sums = dict(scores)  # less the mixed bonus, when one was given
        for x in result.contributions:
            if x.rule == MIXED_RULE_ID:
                sums[x.outcome] -= x.points
        v = decide(sums, (), rules.decision, rules.outcome_ids)
        free = dict(v.scores) if v is not None else {}
    return {o: free.get(o, s) if o in out else s for o, s in scores.items()}


@frozen
class Provisional:
    """A verdict the unanswered questions could still change: how many of the rule set's
    questions are unanswered, and the other outcomes their answers could give."""

    unanswered: int
    questions: int
    others: tuple[str, ...]

    @property
    def answered(self) -> int:
        return self.questions - self.unanswered


def provisional(rules: RuleSet, result: Result) -> Provisional | None:
    """The verdict is provisional when the open questions (``--partial``, or questions the
    quiz did not ask) leave another outcome reachable; None otherwise."""
    reach = result.reach
    if reach is None or len(reach.reachable) < 2:
        return None
    unanswered = sum(1 for q in rules.questions if result.answers.get(q.id) is None)
    others = tuple(o for o in reach.reachable if o != result.recommendation)
    return Provisional(unanswered, len(rules.questions), others)


def _names(rules: RuleSet, outcomes: tuple[str, ...]) -> str:
    names = [outcome_label(rules, o) for o in outcomes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def provisional_headline(p: Provisional, head: str) -> str:
    """``Closed-source LLM — A closed vendor's API (10 of 13 questions unanswered)``."""
    return f"{head} ({p.unanswered} of {p.questions} questions unanswered)"


def provisional_basis(p: Provisional, basis: str) -> str:
    """The basis, said to rest on the answers given so far."""
    return f"Provisional, on the {p.answered} answers given so far. {basis}"


def provisional_clarity(rules: RuleSet, p: Provisional) -> str:
    """The certainty in words: provisional, never high."""
    return (f"provisional: {p.unanswered} of {p.questions} questions are unanswered, and "
            f"answers to them could still make it {_names(rules, p.others)}")


def skipped_sentence(rules_skipped: int, questions: list[str]) -> str:
    """``3 rules were not weighed because these questions are unanswered: Data location,
    Monthly tokens.``: one sentence for every rule skipped (the trace lists them)."""
    them = "rule was" if rules_skipped == 1 else "rules were"
    these = "this question is" if len(questions) == 1 else "these questions are"
    return (f"{rules_skipped} {them} not weighed because {these} unanswered: "
            f"{', '.join(questions)}.")


def of_lean(robust: str, lean: str) -> str:
    """Robustness words said of a lean, not a verdict: "Fairly robust (of the scores' lean
    to Hybrid of both, not a verdict): most small changes ..."."""
    head, _, rest = robust.partition(": ")
    return f"{head} (of the scores' lean to {lean}, not a verdict): {rest}"


def robustness_words(rules: RuleSet, share: float, others: tuple[tuple[str, float], ...],
                     ) -> str:
    """The robustness in plain words (the counts and ranges stay in the trace and JSON)."""
    rival = outcome_label(rules, others[0][0]) if others else "another outcome"
    if share >= 0.95:
        return "Robust: small changes to the rules' weights do not change it."
    if share >= 0.75:
        return (f"Fairly robust: most small changes to the rules' weights keep it; "
                f"some pick {rival}.")
    if share >= 0.5:
        return (f"Fragile: many small changes to the rules' weights pick {rival} "
                "instead, so treat that as a real option.")
    return (f"Very fragile: most small changes to the rules' weights pick {rival}; "
            "these answers sit on a boundary.")


__all__ = ["PROVISIONAL_TITLE", "Provisional", "earned_scores", "of_lean", "provisional",
           "provisional_basis", "provisional_clarity", "provisional_headline",
           "robustness_words", "skipped_sentence"]
