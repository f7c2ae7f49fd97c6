"""The documented Python API (docs/api.md): load a rule set, check answers, evaluate them,
explain and render the report, estimate the cost.

Everything a program needs is here, with the same checks and the same results as the
command line (``recommend`` calls the same functions). Names outside this module may
change between versions; these follow the changelog.

>>> from llmchoice import api
>>> rules = api.load_rules()                      # the shipped default rule set
>>> result = api.recommend(rules, {"budget": "minimal"}, defaults=True)
>>> result.recommendation
'open'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from llmchoice.answers.validate import Resolved, read_answers, validate
from llmchoice.cost.estimate import Estimate, estimate
from llmchoice.cost.for_answers import with_cost
from llmchoice.decide.engine import evaluate as _evaluate
from llmchoice.decide.explain import Explanation
from llmchoice.decide.explain import explain as _explain
from llmchoice.decide.result import Result
from llmchoice.io.errors import AnswersError, InputError, LLMChoiceError, RuleSetError, UsageError
from llmchoice.report import FORMATS
from llmchoice.report import render as _render
from llmchoice.ruleset.load import load_ruleset
from llmchoice.ruleset.model import RuleSet

__all__ = [
    "FORMATS", "AnswersError", "Estimate", "Explanation", "InputError", "LLMChoiceError",
    "Resolved", "Result", "RuleSet", "RuleSetError", "UsageError", "check_answers",
    "cost", "evaluate", "explain", "load_rules", "read_answers_file", "recommend", "report",
]


def load_rules(path: str | Path | None = None) -> RuleSet:
    """The rule set in ``path`` (YAML or JSON, an overlay too), checked as
    ``llmchoice rules validate`` checks it; ``None`` or ``"default"``: the shipped one.
    Raises :class:`RuleSetError` (or :class:`InputError`) listing every problem."""
    return load_ruleset("default" if path is None else path)


def read_answers_file(path: str | Path) -> dict[str, object]:
    """The answers in a YAML or JSON file, as read (check them with :func:`check_answers`).
    Raises :class:`InputError` or :class:`AnswersError`."""
    data = read_answers(path).data
    assert isinstance(data, dict)  # read_answers refuses anything but a mapping
    return dict(data)


def check_answers(rules: RuleSet, answers: Mapping[str, object], *,
                  defaults: bool = False) -> Resolved:
    """Answers checked against the rule set's questions, as ``recommend`` checks them:
    text is read as the command line reads ``--set`` values only where a value is text.
    ``defaults=True`` fills unanswered questions with their defaults (``--defaults``).
    Raises :class:`AnswersError` listing every problem (``exc.problems``)."""
    return validate(rules, answers, source="answers", use_defaults=defaults)


def evaluate(rules: RuleSet, answers: Resolved) -> Result:
    """The recommendation for checked answers, with the cost estimate when they give
    ``monthly_tokens``: the same :class:`Result` ``recommend`` reports."""
    result = _evaluate(rules, answers.answers, not_applicable=answers.not_applicable,
                       unsure=answers.unsure, defaulted=answers.defaulted)
    return with_cost(result, rules)


def recommend(rules: RuleSet, answers: Mapping[str, object], *,
              defaults: bool = False) -> Result:
    """:func:`check_answers` then :func:`evaluate`, in one call."""
    return evaluate(rules, check_answers(rules, answers, defaults=defaults))


def explain(rules: RuleSet, result: Result) -> Explanation:
    """What the report explains beyond the scores: the fired rules with their places,
    near misses, weight sensitivity, robustness, the scenario and next steps."""
    return _explain(rules, result)


def report(rules: RuleSet, result: Result, fmt: str = "markdown", *,
           explain: bool = False, width: int = 100) -> str:
    """The report as ``recommend --format FMT`` prints it (``terminal`` without colour,
    ``width`` columns wide); ``explain=True`` adds the full trace (``--explain``). JSON
    always carries the explanation. ``fmt`` is one of :data:`FORMATS`."""
    return _render(result, rules, fmt, width=width, color=False,
                   explanation=_explain(rules, result), explain=explain)


def cost(monthly_tokens: float, *, model_class: str = "large",
         overrides: Mapping[str, float] | None = None) -> Estimate:
    """``llmchoice cost``: a month of closed APIs against self-hosting at this volume
    (millions of tokens a month), with the shipped assumptions and ``overrides``
    (``{"gpu.hourly_usd": 2.69}``). Raises :class:`UsageError` on a bad value."""
    return estimate(monthly_tokens, model_class=model_class, overrides=overrides)
