"""Shared helpers of the quiz tests: a scripted asker and the test rule set."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from llmchoice.quiz.adaptive import StopOffer
from llmchoice.quiz.flow import Action, Decision, Review, Step
from llmchoice.ruleset.load import load_ruleset
from llmchoice.ruleset.model import RuleSet

DATA = Path(__file__).parent / "data"
QUIZ_RULES = DATA / "quiz-rules.yaml"

# The default rule set's questions, in order, with one answer each.
DEFAULT_ANSWERS: dict[str, object] = {
    "budget": "minimal",
    "transparency": "essential",
    "customization": "deep",
    "support": "community",
    "expertise": "strong",
    "performance": "good_enough",
    "quality": "standard",
    "lock_in": "avoid",
    "domain": "research",
    "control": "critical",
    "time_to_market": "flexible",
}


def quiz_rules() -> RuleSet:
    return load_ruleset(QUIZ_RULES)


def default_rules() -> RuleSet:
    return load_ruleset("default")


Script = Iterable[object | Callable[[Step], object]]


class ScriptedAsker:
    """Replies from a script; records every step and review it was shown.

    A question reply is a raw value, a Nav, or a function of the Step (to read
    what was preselected). Review replies are Decisions; when they run out,
    the review is confirmed.
    """

    def __init__(self, replies: Script, reviews: Iterable[Decision] = (),
                 stops: Iterable[object] = ()) -> None:
        self.replies = list(replies)
        self.stops_left = list(stops)
        self.offers: list[StopOffer] = []
        self.reviews_left = list(reviews)
        self.steps: list[Step] = []
        self.reviews: list[Review] = []

    def question(self, step: Step) -> object:
        self.steps.append(step)
        if not self.replies:
            raise AssertionError(f"unexpected question {step.question.id!r} "
                                 f"(asked so far: {self.asked()})")
        reply = self.replies.pop(0)
        return reply(step) if callable(reply) else reply

    def review(self, review: Review) -> Decision:
        self.reviews.append(review)
        if self.reviews_left:
            return self.reviews_left.pop(0)
        return Decision(Action.CONFIRM)

    def offer_stop(self, offer: StopOffer) -> object:
        """Stop (True) unless the script of stop replies says otherwise."""
        self.offers.append(offer)
        return self.stops_left.pop(0) if self.stops_left else True

    def asked(self) -> list[str]:
        return [s.question.id for s in self.steps]

    def progress(self) -> list[str]:
        return [f"{s.number}/{s.total}" for s in self.steps]
