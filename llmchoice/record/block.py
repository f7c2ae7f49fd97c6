"""The machine-readable part of a decision record: what ``revisit`` re-checks.

A record written by ``--format adr`` opens with YAML front matter (MADR's ``status``,
``date`` and ``decision-makers``) whose ``llmchoice:`` entry holds the decision as data:
the answers and who gave them, the rule set's id, version and sha256, the verdict (the
outcome, its path, the scores, the certainty), the cost assumptions used (each value with
the date it was read), the break-even volume, and the what-if levers. ``digest`` is the
sha256 of that entry's other keys (canonical JSON), so a hand edit of the data is caught
(people may edit the prose, the status and the date freely).

A record comes from anywhere: it is read with :mod:`llmchoice.io.yamlio` (bounded size,
depth and node count; safe tags only) and every field is checked before use; any problem
is one :class:`~llmchoice.io.errors.InputError` (exit 2).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping

from llmchoice.answers.validate import to_plain
from llmchoice.cost.assumptions import Assumptions
from llmchoice.cost.estimate import Estimate, estimate
from llmchoice.decide.result import ChosenPath, Result
from llmchoice.frozen import frozen
from llmchoice.io import yamlio
from llmchoice.io.check import describe
from llmchoice.io.errors import InputError
from llmchoice.io.textsafe import clean_line
from llmchoice.record.costs import cost_condition
from llmchoice.record.levers import Lever, levers
from llmchoice.ruleset.model import RuleSet

RECORD_VERSION = 1
KEY = "llmchoice"
MAX_RECORD_BYTES = 512 * 1024
LIMITS = yamlio.Limits(max_bytes=MAX_RECORD_BYTES, max_depth=12, max_nodes=20_000)
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(\r?\n|\Z)", re.S)
_SHA = re.compile(r"^[0-9a-f]{64}$")
NOMINAL_VOLUME = 1.0  # millions: the break-even does not depend on the volume priced


def cost_estimate(result: Result, assumptions: Assumptions) -> Estimate:
    """The result's own estimate, or one at a nominal volume for the break-even alone."""
    if result.cost is not None:
        return result.cost
    return estimate(NOMINAL_VOLUME, assumptions=assumptions)


def digest(data: Mapping[str, object]) -> str:
    body = {k: v for k, v in data.items() if k != "digest"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def undecided(result: Result) -> bool:
    """No clear verdict: a tie, too close a call, defaults alone, or unsure answers whose
    possible answers split the verdict (as every report's title says)."""
    if result.certainty.label == "none":
        return True
    oa = result.open_answers
    return oa is not None and sum(1 for _, share in oa.shares if share > 0) > 1


def lead_of(result: Result) -> tuple[float, str] | None:
    """The winner's lead in points over the best allowed other outcome, and that outcome."""
    out = {e.outcome for e in result.excluded}
    runner = next((o for o in result.ranking()
                   if o != result.recommendation and o not in out), None)
    if runner is None:
        return None
    return round(result.scores[result.recommendation] - result.scores[runner], 4), runner


def _cost(rs: RuleSet, result: Result, est: Estimate,
          plans: tuple[tuple[str, ChosenPath | None], ...] = ()) -> dict[str, object]:
    """The cost data: ``own_option`` prices the scores' lean (the recommendation's path);
    an undecided record prices each plan it names under ``plans`` as well."""
    meta = est.assumptions.meta
    volume = result.cost.monthly_tokens if result.cost is not None else None
    data: dict[str, object] = {
        "file": {"id": meta.id, "version": meta.version, "sha256": meta.sha256},
        "monthly_tokens": volume,
        "break_even_monthly_tokens": (None if est.break_even.monthly_tokens is None
                                      else round(est.break_even.monthly_tokens, 3)),
    }
    if volume is not None:
        c = cost_condition(rs, result, est.assumptions, volume)
        data.update({
            "own_option": c.own.id if c.own else None,
            "own_usd": round(c.own.monthly_usd, 2) if c.own else None,
            "cheapest": c.cheapest.id, "cheapest_usd": round(c.cheapest.monthly_usd, 2),
            "next_cheapest_at": None if c.next_at is None else round(c.next_at, 3),
            "next_cheapest": c.next_cheapest.id if c.next_cheapest else None})
        if plans:
            own = [next((o for o in c.options if p is not None and o.id == p.cost_option),
                        None) for _, p in plans]
            data["plans"] = [{"outcome": o, "path": p.id if p else None,
                              "own_option": x.id if x else None,
                              "own_usd": round(x.monthly_usd, 2) if x else None}
                             for (o, p), x in zip(plans, own, strict=True)]
    data["assumptions"] = {a.id: {"value": a.value, "as_of": a.as_of}
                           for a in est.assumptions.entries}
    return data


def _lever(lv: Lever) -> dict[str, object]:
    out: dict[str, object] = {
        "question": lv.question, "to": list(lv.to_value)
        if isinstance(lv.to_value, tuple) else lv.to_value,
        "recommendation": lv.recommendation, "path": lv.path, "close": lv.close,
        "effect": lv.effect}
    if lv.at_least is not None or lv.below is not None:  # a number's range ("to" in it)
        out["at_least"], out["below"] = lv.at_least, lv.below
    return out


def _verdict_of(result: Result, plans: tuple[tuple[str, ChosenPath | None], ...]
                ) -> dict[str, object]:
    """``recommendation`` and ``path``; an undecided record (``plans``: the outcomes it
    names, each with its path id) recommends nothing: both are null, the scores' leaning
    is under ``leaning`` and each named outcome's plan under ``plans``."""
    path = result.path.id if result.path else None
    if not plans:
        return {"recommendation": result.recommendation, "path": path}
    return {"recommendation": None, "path": None,
            "leaning": {"outcome": result.recommendation, "path": path},
            "plans": [{"outcome": o, "path": p.id if p else None} for o, p in plans]}


def record_data(rs: RuleSet, result: Result, est: Estimate, *, title: str, date: str,
                respondents: tuple[str, ...], certainty: str | None = None,
                between: tuple[str, ...] = (),
                open_questions: tuple[str, ...] = (),
                plans: tuple[tuple[str, ChosenPath | None], ...] = ()
                ) -> dict[str, object]:
    """The ``llmchoice:`` entry of the front matter, with its digest. ``certainty``: the
    label the record shows (a team's, no firmer than its unsettled questions allow; by
    default the result's, ``none`` whenever there is no clear verdict); ``between``: the
    outcomes an undecided record names; ``open_questions``: the questions a team left
    unsettled; ``plans``: an undecided record's plan (outcome, path) for each outcome
    it names: then it recommends nothing (``_verdict_of``), and its cost prices each."""
    info = result.ruleset
    shown = certainty or ("none" if undecided(result) else result.certainty.label)
    lead = lead_of(result)
    data: dict[str, object] = {
        "record_version": RECORD_VERSION,
        "date": date,
        "respondents": list(respondents),
        "ruleset": {"id": info.id, "version": info.version, "sha256": info.sha256},
        "answers": to_plain(result.answers),
        "unsure": list(result.unsure),
        "verdict": {**_verdict_of(result, plans), "title": title,
                    "certainty": shown,
                    "scores": {k: float(v) for k, v in result.scores.items()},
                    "lead": lead[0] if lead else None,
                    "runner_up": lead[1] if lead else None,
                    "between": list(between), "open_questions": list(open_questions)},
        "cost": _cost(rs, result, est, plans),
        "revisit_when": [_lever(lv) for lv in levers(rs, result)],
    }
    data["digest"] = digest(data)
    return data


# --------------------------------------------------------------------------- reading


@frozen
class Record:
    """A checked record: its ``llmchoice:`` data (as written) and where it came from."""

    source: str
    data: dict[str, object]
    heading: str | None = None  # the Markdown's first "# " heading, as written (prose)

    def weighed(self) -> tuple[object, object]:
        """(outcome, path id) the record's verdict was weighed to: its recommendation and
        path, or an undecided record's leaning (what revisit compares with today's)."""
        if self.get("verdict", "recommendation") is None:
            return self.get("verdict", "leaning", "outcome"), \
                self.get("verdict", "leaning", "path")
        return self.get("verdict", "recommendation"), self.get("verdict", "path")

    def get(self, *path: str) -> object:
        node: object = self.data
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        return node


def _need(src: str, ok: bool, what: str, found: object) -> None:
    if not ok:
        raise InputError(f"{src}: the decision record's {what}, found {describe(found)}; "
                         "write the record again with 'llmchoice recommend ... --format adr'")


def _check(src: str, data: dict[str, object]) -> None:
    _need(src, data.get("record_version") == RECORD_VERSION,
          f"record_version should be {RECORD_VERSION}", data.get("record_version"))
    given = data.get("digest")
    _need(src, isinstance(given, str) and bool(_SHA.match(given)),
          "digest should be a sha256", given)
    if digest(data) != given:
        raise InputError(
            f"{src}: the decision record's data was changed after it was written (its "
            "digest does not match), so it cannot be trusted for a revisit; to weigh other "
            "answers use --set or --answers, or write a new record with --format adr")
    for key, kind in (("ruleset", dict), ("answers", dict), ("verdict", dict),
                      ("cost", dict), ("unsure", list), ("respondents", list),
                      ("revisit_when", list)):
        _need(src, isinstance(data.get(key), kind), f"{key} should be a "
              f"{'mapping' if kind is dict else 'list'}", data.get(key))
    rs = data["ruleset"]
    assert isinstance(rs, dict)
    _need(src, all(isinstance(rs.get(k), str) for k in ("id", "version", "sha256")),
          "ruleset should have id, version and sha256", rs)
    verdict = data["verdict"]
    assert isinstance(verdict, dict)
    leaning = verdict.get("leaning")
    _need(src, isinstance(verdict.get("recommendation"), str) or (
        verdict.get("recommendation") is None and isinstance(leaning, dict)
        and isinstance(leaning.get("outcome"), str)),
        "verdict should name its recommendation (or, undecided, its leaning)",
        verdict.get("recommendation"))
    cost = data["cost"]
    assert isinstance(cost, dict)
    figures = cost.get("assumptions")
    _need(src, isinstance(figures, dict) and all(
        isinstance(v, dict) and isinstance(v.get("value"), int | float)
        and not isinstance(v.get("value"), bool) for v in figures.values()),
        "cost assumptions should each have a numeric value", figures)


def read_record(name: str) -> Record:
    """Read and check a decision record (a Markdown file with the front matter above)."""
    text, src = yamlio.read_source(name, what="decision record", max_bytes=MAX_RECORD_BYTES)
    found = _FRONT.match(text)
    if found is None:
        raise InputError(f"{src}: not a decision record written by llmchoice: it does not "
                         "open with a '---' front matter block (write one with "
                         "'llmchoice recommend answers.yaml --format adr --output "
                         "decision.md')")
    doc = yamlio.parse(found.group(1), src, LIMITS)
    top = doc.data
    if not isinstance(top, dict) or not isinstance(top.get(KEY), dict):
        raise InputError(f"{src}: the front matter has no '{KEY}:' entry with the decision's "
                         "data; was this record written by 'llmchoice ... --format adr'?")
    data = top[KEY]
    assert isinstance(data, dict)
    _check(src, data)
    body = text[found.end():]
    heading = next((line[2:].strip() for line in body.splitlines()
                    if line.startswith("# ")), None)
    return Record(clean_line(src), data, clean_line(heading) if heading else None)
