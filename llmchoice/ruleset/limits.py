"""The size limits of a rule set, each with its number (documented in the README's
"Limits and security model").

They keep every command fast and every figure finite: ``recommend`` weighs every
rule and checks how far each fired rule's points could move (weight sensitivity), and
``rules analyze``/``diff`` walk the answer space (see
:mod:`llmchoice.authoring.limits` for its size limit).
"""

from __future__ import annotations

from llmchoice.io.check import MAX_MAGNITUDE, Bounds

MAX_RULES = 500  # rules in one rule set (with its bases merged)
MAX_CHOICES = 100  # choices of one choice or multi-choice question
MAX_QUESTIONS = 200  # questions in one rule set
MAX_POINTS = 1_000_000.0  # points a rule gives one outcome, either way
MIN_POINTS = 0.000001  # points other than 0 are at least this large (scores keep 6 decimals)
POINTS = Bounds(-MAX_POINTS, MAX_POINTS)

__all__ = ["MAX_CHOICES", "MAX_MAGNITUDE", "MAX_POINTS", "MAX_QUESTIONS", "MAX_RULES",
           "MIN_POINTS", "POINTS"]
