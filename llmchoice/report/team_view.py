"""What a team report says, and in what order: one view for the terminal, Markdown and HTML.

The team's recommendation (the merged answers, with the merge rule stated), the hard
requirements someone gave that bind everyone, the disagreements to settle first in plain
words, every disagreement with who answered what and whether it alone changes the
recommendation, each person's own recommendation, the team's answers and the rule set.
Questions go by their titles and answers by their labels, never by ids. Texts are data:
each renderer escapes them.
"""

from __future__ import annotations

from llmchoice.answers.show import show_answer
from llmchoice.frozen import frozen
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import RuleSet
from llmchoice.team.analysis import Alternative, Disagreement, TeamResult
from llmchoice.team.merge import AGREED, BINDING, MAJORITY, MEDIAN, TIE, MergedAnswer

from .advice import basis_sentence, path_label, verdict_title
from .common import outcome_label, question_title

MERGE_RULE = (
    "How the answers were merged: for each question, the answer most people gave; a person "
    "who answered “unsure” does not vote. A tie means the team has not decided that "
    "question, so it counts as unsure and the report shows what each side's answer gives. "
    "A number (a volume) takes the middle of the answers. A hard requirement is not "
    "outvoted: an answer that rules out an outcome or a way of running it binds everyone, "
    "and the report names who gave it.")
HOW_WORDS = {AGREED: "everyone who answered", MAJORITY: "most people", TIE: "a tie: unsure",
             MEDIAN: "the middle of the answers", BINDING: "a hard requirement, binding",
             "unsure": "everyone unsure", "unanswered": "not answered"}
SETTLE_HEADING = "Settle these first"
DISAGREE_HEADING = "Where people disagree"
CONSTRAINTS_HEADING = "Hard requirements that bind everyone"
PEOPLE_HEADING = "Each person's own recommendation"
ANSWERS_HEADING = "The team's answers"
NOTHING_TO_SETTLE = ("None of the disagreements changes the recommendation or how to run it "
                     "on its own: the team can go ahead and settle them along the way.")
NO_DISAGREEMENT = "Everyone gave the same answers."


@frozen
class DisagreementRow:
    question: str  # the title
    answers: tuple[str, ...]  # "“Minimal”: Finance", one per answer given, most people first
    effect: str  # whether it alone changes the recommendation, in words
    changes: str  # "recommendation", "path" or "none"


@frozen
class PersonRow:
    name: str
    source: str
    verdict: str  # "Open-source LLM — Open weights through a hosted API"
    certainty: str
    differs: int  # answers that differ from the team's


@frozen
class AnswerRow:
    question: str
    answer: str
    how: str


@frozen
class TeamView:
    title: str  # "Team recommendation", "No clear verdict" or "Forced"
    headline: str
    summary: str
    basis: str
    people_count: int
    merge_rule: str
    constraints: tuple[str, ...]
    settle_first: tuple[str, ...]
    settle_none: str | None
    disagreements: tuple[DisagreementRow, ...]
    people: tuple[PersonRow, ...]
    answers: tuple[AnswerRow, ...]
    footer: str


def answer_words(rules: RuleSet, qid: str, value: Answer | None) -> str:
    """An answer in a sentence: a choice's label up to its colon, quoted; else as shown."""
    q = rules.question(qid)
    if q.type == "choice" and isinstance(value, str) and value in q.values:
        return f"“{q.label_of(value).split(':', 1)[0].strip()}”"
    return show_answer(q, value)


def names(people: tuple[str, ...]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    return people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]


def _verdict(rules: RuleSet, a: Alternative) -> str:
    if a.recommendation is None:
        return "no outcome at all (its hard requirements contradict the team's)"
    text = outcome_label(rules, a.recommendation)
    if a.path is not None:
        text += f" ({path_label(rules, a.path)})"
    return text + (", too close to call" if a.close else "")


def _effect(rules: RuleSet, d: Disagreement) -> tuple[str, str]:
    if not d.matters:
        return "No: every answer given leads to the same recommendation.", "none"
    parts = [f"with {answer_words(rules, d.question, a.value)}: {_verdict(rules, a)}"
             for a in d.alternatives]
    what = "Yes" if d.changes_recommendation else "Only how to run it"
    return f"{what}: {'; '.join(parts)}.", "recommendation" if d.changes_recommendation \
        else "path"


def _settle_sentence(rules: RuleSet, d: Disagreement, team_label: str) -> str:
    title = question_title(rules, d.question)
    sides = "; ".join(f"{names(a.people)} {'says' if len(a.people) == 1 else 'say'} "
                      f"{answer_words(rules, d.question, a.value)}" for a in d.alternatives)
    m = d.merged
    if m.how == TIE:
        lead = f"{title}: the team is split ({sides})."
    elif m.how == BINDING:
        lead = (f"{title}: {sides}; the hard requirement binds everyone, so check that it "
                "really is one.")
    else:
        lead = f"{title}: {sides}."
    others = [a for a in d.alternatives if a.value != m.value]
    outcome = "; ".join(f"with {names(a.people)}'s answer it would be {_verdict(rules, a)}"
                        for a in others)
    fact = (" It is a fact, not a preference: find out which is true."
            if d.kind == "fact" else "")
    return f"{lead} The team's answers give {team_label}; {outcome}.{fact}"


def _constraint(rules: RuleSet, m: MergedAnswer) -> str:
    who = next((v.people for v in m.votes if v.value == m.value), ())
    out = ", ".join(outcome_label(rules, o) if o in rules.outcome_ids else path_label(rules, o)
                    for o in m.rules_out)
    said = f"said by {names(who)}" if who else "said by nobody"
    return (f"{question_title(rules, m.question)}: {answer_words(rules, m.question, m.value)}"
            f", {said}. It rules out {out} for everyone.")


def _how(m: MergedAnswer, people: int) -> str:
    """How the team's answer was reached; for an answer only some gave, who gave it."""
    voters = tuple(n for v in m.votes for n in v.people)
    if m.how == AGREED and len(voters) < people:
        return f"only {names(voters)} answered"
    return HOW_WORDS.get(m.how, m.how)


def build_team_view(rules: RuleSet, t: TeamResult) -> TeamView:
    r = t.result
    title, headline = verdict_title(rules, r)
    title = "Team recommendation" if title == "Recommendation" else title
    team_label = outcome_label(rules, r.recommendation)
    if r.path is not None:
        team_label += f" ({r.path.label})"
    rows = []
    for d in t.disagreements:
        effect, changes = _effect(rules, d)
        rows.append(DisagreementRow(
            question_title(rules, d.question),
            tuple(f"{answer_words(rules, d.question, a.value)}: {names(a.people)}"
                  for a in d.alternatives), effect, changes))
    team_answers = t.merged.resolved.answers
    people = tuple(PersonRow(
        p.person.name, p.person.source,
        outcome_label(rules, p.result.recommendation)
        + (f" — {p.result.path.label}" if p.result.path else ""),
        p.result.certainty.label,
        sum(1 for q, v in p.person.resolved.answers.items() if team_answers.get(q) != v))
        for p in t.people)
    info = r.ruleset
    return TeamView(
        title=title, headline=headline, summary=rules.outcome(r.recommendation).summary,
        basis=basis_sentence(rules, r, None), people_count=len(t.people),
        merge_rule=MERGE_RULE,
        constraints=tuple(_constraint(rules, m) for m in t.merged.answers if m.constraint),
        settle_first=tuple(_settle_sentence(rules, d, team_label) for d in t.settle_first),
        settle_none=None if t.settle_first else
        (NOTHING_TO_SETTLE if t.disagreements else NO_DISAGREEMENT),
        disagreements=tuple(rows), people=people,
        answers=tuple(AnswerRow(question_title(rules, m.question),
                                show_answer(rules.question(m.question), m.value,
                                            unanswered="unsure" if m.how in (TIE, "unsure")
                                            else "not answered"),
                                _how(m, len(t.people))) for m in t.merged.answers),
        footer=f"Rule set {info.id} {info.version} (sha256 {info.sha256[:12]}), "
               f"from {info.source}.")
