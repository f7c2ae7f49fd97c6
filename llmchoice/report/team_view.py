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
from llmchoice.decide.result import Result
from llmchoice.frozen import frozen
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import RuleSet
from llmchoice.team.analysis import Alternative, Disagreement, PersonResult, TeamResult
from llmchoice.team.merge import AGREED, BINDING, MAJORITY, MEDIAN, TIE, MergedAnswer

from .advice import (
    CERTAINTY_NAMES,
    NO_VERDICT_TITLE,
    RECOMMENDATION_TITLE,
    basis_sentence,
    certainty_name,
    path_label,
    plain_basis,
    verdict_title,
)
from .common import outcome_label, pts_words, question_title
from .fit import shown_path
from .team_plan import TeamPlan, build_team_plan, team_pair

MERGE_RULE = (
    "How the answers were merged: for each question, the answer more than half of the "
    "people who answered gave (a person who answered “unsure” does not vote). Without such "
    "a majority, a question whose answers run along a scale (budget from minimal to large) "
    "takes the middle answer on it, and a number (a volume) the middle of the answers. "
    "When there is no majority and no single middle answer (2 against 2), the team has not "
    "settled the question: it counts as unsure, each side's answer is weighed, and when a "
    "side would change the verdict or leave it too close to call, the verdict is no firmer "
    "than that. A hard requirement is not outvoted: an answer that rules out an outcome or "
    "a way of running it binds everyone, and the report names who gave it.")
TEAM_TITLE = "Team recommendation"
TEAM_ANSWER = "the team's answer, binding everyone"
HOW_WORDS = {AGREED: "everyone", MAJORITY: "a majority", TIE: "not settled: unsure",
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
# how an answer given changes the verdict (team.analysis.FLIPS), in the table...
CHANGES_WORDS = {"clear": "Yes, clearly",
                 "close": "Yes, but only to a verdict too close to call",
                 "tie": "Yes, but only through the tie-break order"}
# ... and leading what each side's answer would give in "Settle these first"
FLIP_WORDS = {
    "clear": "It changes the verdict clearly: ",
    "close": "It changes the verdict, but only to one too close to call: ",
    "tie": "It changes the verdict only through a tie, which the rule set's tie-break "
           "order decides: ",
    "certainty": "It keeps the outcome but changes whether there is a clear verdict: ",
    "path": "It changes only how to run it: "}


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
    certainty: str  # the team's certainty in the one vocabulary ("no clear verdict", ...)
    people_count: int
    merge_rule: str
    constraints: tuple[str, ...]
    settle_first: tuple[str, ...]
    settle_none: str | None
    disagreements: tuple[DisagreementRow, ...]
    people: tuple[PersonRow, ...]
    answers: tuple[AnswerRow, ...]
    footer: str
    # how to run it, the cost at the team's volume, the next steps (report.team_plan)
    plan: TeamPlan


def answer_words(rules: RuleSet, qid: str, value: Answer | None) -> str:
    """An answer in a sentence: a choice's label up to its colon, quoted; else as shown."""
    q = rules.question(qid)
    if q.type == "choice" and isinstance(value, str) and value in q.values:
        return f"“{q.label_of(value).split(':', 1)[0].strip()}”"
    return show_answer(q, value)


def names(people: tuple[str, ...]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    return people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]


def _same(a: Alternative, r: Result) -> bool:
    """The answer gives the team's own result: the same outcome, path and clearness."""
    return (a.recommendation, a.path, a.close) == (
        r.recommendation, r.path.id if r.path else None, r.certainty.label == "none")


def _verdict(rules: RuleSet, a: Alternative, r: Result | None = None,
             now: str = "(as now)") -> str:
    if a.recommendation is None:
        return "no outcome at all (its hard requirements contradict the team's)"
    text = outcome_label(rules, a.recommendation)
    if a.path is not None:
        text += f" ({path_label(rules, a.path)})"
    text += (", a tie that the rule set's tie-break order decides" if a.tied else
             ", too close to call" if a.close else "")
    return text + (f" {now}" if r is not None and _same(a, r) else "")


def _now_words(t: TeamResult) -> str:
    """How an answer that gives the merged answers' result is marked: ``(as now)``, or,
    when the team has no clear verdict, where the scores lean with the open questions
    left unsure."""
    return "(where the scores lean now)" if t.certainty == "none" else "(as now)"


def _effect(rules: RuleSet, d: Disagreement, r: Result, now: str) -> tuple[str, str]:
    if not d.matters:
        return ("No: every answer given leads to the same recommendation, as clear.",
                "none")
    parts = [f"with {answer_words(rules, d.question, a.value)}: {_verdict(rules, a, r, now)}"
             for a in d.alternatives]
    if d.changes_recommendation:
        what, kind = CHANGES_WORDS.get(d.flip, "Yes"), "recommendation"
    elif d.changes_certainty:
        what, kind = "Yes, whether there is a clear verdict", "recommendation"
    else:
        what, kind = "Only how to run it", "path"
    return f"{what}: {'; '.join(parts)}.", kind


def _settle_sentence(rules: RuleSet, d: Disagreement, r: Result, now: str) -> str:
    title = question_title(rules, d.question)
    sides = "; ".join(f"{names(a.people)} {'says' if len(a.people) == 1 else 'say'} "
                      f"{answer_words(rules, d.question, a.value)}" for a in d.alternatives)
    m = d.merged
    if m.how == TIE:
        lead = f"{title}: the team has not settled it ({sides})."
    elif m.how == BINDING:
        lead = (f"{title}: {sides}; the hard requirement binds everyone, so check that it "
                "really is one.")
    elif m.how == MAJORITY:  # settled: say so, and that one side's answer alone moves it
        held = next(a for a in d.alternatives if a.value == m.value)
        lead = (f"{title}: settled by a majority ({names(held.people)} "
                f"{'says' if len(held.people) == 1 else 'say'} "
                f"{answer_words(rules, d.question, m.value)}), not split, but a different "
                "answer alone would change the verdict, so confirm it.")
    else:
        lead = f"{title}: {sides}."
    if m.how == TIE:
        shown = d.alternatives  # no answer is the team's: each side, both ways
    else:
        shown = tuple(a for a in d.alternatives if a.value != m.value)
    outcome = "; ".join(f"with {names(a.people)}'s answer it would be "
                        f"{_verdict(rules, a, r, now)}"
                        for a in shown)
    fact = (" It is a fact, not a preference: find out which is true."
            if d.kind == "fact" else "")
    how = FLIP_WORDS.get(d.flip, "")
    return f"{lead} {how}{outcome if how else outcome[0].upper() + outcome[1:]}.{fact}"


def ruled_out_words(rules: RuleSet, ids: tuple[str, ...]) -> str:
    """Outcomes, then the ways of running one: ``Closed-source LLM and Hybrid of both,
    and running Open-source LLM as Open weights through a hosted API or Open weights in a
    private endpoint``."""
    outcomes = [outcome_label(rules, o) for o in ids if o in rules.outcome_ids]
    paths: dict[str, list[str]] = {}
    for o in ids:
        if o not in rules.outcome_ids:
            try:
                owner = outcome_label(rules, rules.path(o).outcome)
            except KeyError:
                owner = ""
            paths.setdefault(owner, []).append(path_label(rules, o))
    parts = [names(tuple(outcomes))] if outcomes else []
    parts += [f"running {owner or 'it'} as " + " or ".join(labels)
              for owner, labels in paths.items()]
    return ", and ".join(parts)


def _constraint(rules: RuleSet, m: MergedAnswer) -> str:
    who = next((v.people for v in m.votes if v.value == m.value), ())
    said = f"said by {names(who)}" if who else "said by nobody"
    out = ruled_out_words(rules, m.rules_out)
    beyond = {r.id: r.beyond_article for r in rules.rules}
    judged = [b for rid in m.rules if (b := beyond.get(rid)) is not None]
    note = (f" That it rules them out is llmchoice's judgement (beyond the article: "
            f"{judged[0].source}, as of {judged[0].as_of}), not the article's."
            if judged else "")
    others = [v for v in m.votes if v.value != m.value]
    check = (" Others answered differently: check that it really is a requirement."
             if others else "")
    if others and rules.question(m.question).kind == "fact":
        check += " It is a fact, not a preference: find out which is true."
    return (f"{question_title(rules, m.question)}: {answer_words(rules, m.question, m.value)}"
            f", {said}. For everyone, it rules out {out}.{note}{check}")


def _how(m: MergedAnswer, people: int) -> str:
    """How the team's answer was reached, with the counts (``3 of 4``); for an answer only
    some gave, who gave it."""
    voters = tuple(n for v in m.votes for n in v.people)
    n = len(voters)
    given = next((len(v.people) for v in m.votes if v.value == m.value), 0)
    if m.how == AGREED:
        return f"only {names(voters)} answered" if n < people else "everyone"
    if m.how == MAJORITY:
        return f"a majority: {given} of {n}"
    if m.how == MEDIAN and m.value is not None and not isinstance(m.value, int | float):
        return (f"the middle answer on its scale: no majority ({given} of {n} gave it)")
    if m.how == TIE:
        split = "–".join(str(len(v.people)) for v in m.votes)
        return f"not settled: split {split}, no majority; counted as unsure"
    if m.how == BINDING:
        return f"a hard requirement ({given} of {n} gave it), binding everyone"
    return HOW_WORDS.get(m.how, m.how)


def _lead(rules: RuleSet, r: Result) -> str:
    """``Closed-source LLM leads Hybrid of both by 2.2 points`` (or the engine's own basis
    when the scores do not decide it)."""
    out = {e.outcome for e in r.excluded}
    runner = next((o for o in r.ranking() if o != r.recommendation and o not in out), None)
    if r.certainty.basis in ("tie", "too_close"):
        shown = ", ".join(f"{outcome_label(rules, o)} {r.scores[o]:g}" for o in r.ranking()
                          if o not in out)
        return f"the scores are too close to call too ({shown})."
    if r.certainty.basis != "scores" or runner is None:
        return plain_basis(rules, r, TEAM_ANSWER)
    gap = round(r.scores[r.recommendation] - r.scores[runner], 4)
    return (f"{outcome_label(rules, r.recommendation)} leads {outcome_label(rules, runner)} "
            f"by {pts_words(gap)}.")


def _headline(rules: RuleSet, t: TeamResult) -> tuple[str, str, str, str]:
    """(title, headline, summary, basis) for the team, no firmer than its unsettled
    questions allow."""
    r = t.result
    title, headline = verdict_title(rules, r)
    basis = basis_sentence(rules, r, None, TEAM_ANSWER)
    pair = team_pair(t, title)
    if t.between:
        title = NO_VERDICT_TITLE
    if pair:
        labels = tuple(outcome_label(rules, o) for o in pair)
        headline = labels[0] if len(labels) == 1 else \
            ", ".join(labels[:-1]) + " or " + labels[-1]
    summary = (" ".join(f"{outcome_label(rules, o)}: {rules.outcome(o).summary}" for o in pair)
               if pair else rules.outcome(r.recommendation).summary)
    open_ = t.unsettled
    if open_:
        which = names(tuple(question_title(rules, d.question) for d in open_))
        them = "them" if len(open_) > 1 else "it"
        if t.certainty == "none":
            how = "how they are settled decides" if len(open_) > 1 else \
                "how it is settled decides"
            basis = (f"No verdict yet: the team has not settled {which}, and {how} "
                     f"the verdict (see “{SETTLE_HEADING}”). Leaving {them} unsure, "
                     f"{_lead(rules, r)}")
        else:
            basis = (f"{basis} But it rests on {which}, which the team has not settled: "
                     "one side's answer leaves it too close to call (see "
                     f"“{SETTLE_HEADING}”), so its certainty is low until then.")
    return (TEAM_TITLE if title == RECOMMENDATION_TITLE else title), headline, summary, basis


def _person_row(rules: RuleSet, p: PersonResult, team_answers: dict[str, Answer]) -> PersonRow:
    title, headline = verdict_title(rules, p.result)
    verdict = f"{NO_VERDICT_TITLE}: {headline}" if title == NO_VERDICT_TITLE else headline
    return PersonRow(p.person.name, shown_path(p.person.source), verdict,
                     certainty_name(rules, p.result),
                     sum(1 for q, v in p.person.resolved.answers.items()
                         if team_answers.get(q) != v))


def build_team_view(rules: RuleSet, t: TeamResult) -> TeamView:
    r = t.result
    title, headline, summary, basis = _headline(rules, t)
    rows = []
    for d in t.disagreements:
        effect, changes = _effect(rules, d, r, _now_words(t))
        rows.append(DisagreementRow(
            question_title(rules, d.question),
            tuple(f"{answer_words(rules, d.question, a.value)}: {names(a.people)}"
                  for a in d.alternatives), effect, changes))
    team_answers = dict(t.merged.resolved.answers)
    info = r.ruleset
    return TeamView(
        title=title, headline=headline, summary=summary, basis=basis,
        certainty=CERTAINTY_NAMES.get(t.certainty or r.certainty.label, t.certainty),
        people_count=len(t.people), merge_rule=MERGE_RULE,
        constraints=tuple(_constraint(rules, m) for m in t.merged.answers if m.constraint),
        settle_first=tuple(_settle_sentence(rules, d, r, _now_words(t))
                           for d in t.settle_first),
        settle_none=None if t.settle_first else
        (NOTHING_TO_SETTLE if t.disagreements else NO_DISAGREEMENT),
        disagreements=tuple(rows),
        people=tuple(_person_row(rules, p, team_answers) for p in t.people),
        answers=tuple(AnswerRow(question_title(rules, m.question),
                                show_answer(rules.question(m.question), m.value,
                                            unanswered="unsure" if m.how in (TIE, "unsure")
                                            else "not answered"),
                                _how(m, len(t.people))) for m in t.merged.answers),
        footer=f"Rule set {info.id} {info.version} (sha256 {info.sha256[:12]}), "
               f"from {shown_path(info.source)}.",
        plan=build_team_plan(rules, t))
