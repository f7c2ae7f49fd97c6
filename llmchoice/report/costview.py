"""The cost section of a recommendation report, worded for the chosen path.

The estimate (:mod:`llmchoice.cost.estimate`) prices every option at the answered
volume. A report reads it for the path it recommends: the path's own option first and
highlighted, the others only for comparison, and no sentence that recommends another way
of running it. When the answers rule out every hosted way of running it (data that may
not leave your infrastructure), no API is priced at all: only self-hosting is shown,
with one sentence why. A rule set without paths keeps the estimate's own reading.
"""

from __future__ import annotations

from dataclasses import dataclass

from llmchoice.cost.estimate import ApiOption, Estimate, Option, SelfHostOption
from llmchoice.cost.words import about, lower_first, tokens_words, usd_words
from llmchoice.decide.result import Result
from llmchoice.ruleset.model import RuleSet

COST_HEADING = "Cost at your volume"


@dataclass(frozen=True, slots=True)
class CostLine:
    text: str
    highlight: bool = False  # the line of the path's own cost option


def _price(o: Option) -> str:
    text = f"about {usd_words(o.monthly_usd)}"
    if isinstance(o, SelfHostOption):
        text += f" ({o.gpus} GPU{'s' if o.gpus != 1 else ''})"
    return text


def hosted_ruled_out(result: Result, rules: RuleSet) -> tuple[str, ...]:
    """The rules that rule out every hosted path, or () when some hosted path is allowed
    (or the rule set has none)."""
    hosted = [p for p in rules.paths if p.hosting == "hosted"]
    if not hosted:
        return ()
    by_path = {e.outcome: e.rule for e in result.excluded_paths}
    by_outcome = {e.outcome: e.rule for e in result.excluded}
    rules_used: list[str] = []
    for p in hosted:
        rule = by_path.get(p.id) or by_outcome.get(p.outcome)
        if rule is None:
            return ()
        rules_used.append(rule)
    return tuple(dict.fromkeys(rules_used))


def _footer(est: Estimate) -> CostLine:
    return CostLine(f"Every figure, source and date: llmchoice cost --monthly-tokens "
                    f"{est.monthly_tokens:g}. An estimate with its assumptions in view, "
                    "never a quote.")


def cost_view(result: Result, rules: RuleSet) -> tuple[CostLine, ...] | None:
    """The cost lines of the report, or None when the answers give no volume."""
    est = result.cost
    if est is None:
        return None
    path = result.path
    if path is None:
        return (*(CostLine(line) for line in est.reading), _footer(est))
    blocked = hosted_ruled_out(result, rules)
    shown = [o for o in est.options if not (blocked and isinstance(o, ApiOption))]
    own = next((o for o in shown if o.id == path.cost_option), None)
    lines: list[CostLine] = []
    volume = f"at {about(est.monthly_tokens)} million tokens a month"
    if own is not None:
        lines.append(CostLine(f"Your path, {lower_first(own.label)}: {_price(own)} {volume}.",
                              highlight=True))
    others = [o for o in shown if o is not own]
    if others:
        lines.append(CostLine("For comparison: " + "; ".join(
            f"{lower_first(o.label)}, {_price(o)}" for o in others) + "."))
    if blocked:
        lines.append(CostLine(f"No API is priced: your answers rule out every hosted way of "
                              f"running it ({', '.join(blocked)})."))
    else:
        be = est.break_even.monthly_tokens
        host = f"self-hosting the {est.model_class} open model"
        lines.append(CostLine(
            f"On price alone, {host} breaks even with the frontier closed API at about "
            f"{tokens_words(be)}." if be is not None else
            f"On price alone, {host} never breaks even with the frontier closed API."))
    if own is not None and min(shown, key=lambda o: o.monthly_usd) is not own:
        lines.append(CostLine("The path is chosen for the reasons under “How to run it”, "
                              "not for price."))
    lines.append(_footer(est))
    return tuple(lines)
