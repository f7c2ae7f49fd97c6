"""Batch scoring: many answer sets in, one result per answer set out, streaming.

The input is JSONL (one JSON object of question id -> answer per line) or CSV
(a header of question ids, then one answer set per line). It is read one line
at a time and every result is written as soon as it is known, so memory stays
flat however long the input is. See ``docs/batch.md`` for the formats.

Every line goes through the same validation as an answers file (JSONL) or
``--set`` (CSV cells, as text), and is weighed by the compiled rule set
(:mod:`llmchoice.decide.compiled`), which gives exactly the engine's result.

A bad line (not UTF-8, binary, too long, not JSON or CSV, duplicate keys,
answers that do not validate, ...) does not stop the run: it is reported
with its line number and reason, an error row takes its place in the output,
and every other line is still scored. :func:`run` returns the counts; the
command exits 2 at the end if any line was bad.

Long: :func:`run` is the hot per-line loop, kept in one function with the methods it
calls bound to local names (a call per line saved is measurable; see ``benchmarks/``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from llmchoice.answers.validate import IGNORED_KEYS, AnswerProblem
from llmchoice.batch.deciding import Deciding
from llmchoice.batch.fast import FastRow, fast_rows
from llmchoice.batch.lines import (
    EXTENSIONS,
    MAX_LINE_BYTES,
    WHITESPACE,
    BadLine,
    CsvLines,
    JsonLines,
    csv_records,
    decode_line,
    detect_kind,
    has_object,
    nested,
    read_lines,
)
from llmchoice.batch.writers import CsvWriter, JsonlWriter, Prepared, Writer
from llmchoice.decide.compiled import CompiledRuleSet, Verdict
from llmchoice.decide.rule import NoOutcomeLeft
from llmchoice.io.errors import AnswersError, InputError
from llmchoice.io.textsafe import clean_line, clip_quoted
from llmchoice.ruleset.conditions import Answer

MAX_MESSAGES = 100  # bad lines reported one by one on stderr; all of them get an error row
FORMATS = ("jsonl", "csv")
MAX_PREPARED = 16384  # most verdicts remembered with their pieces of rows (~250 bytes each)


@dataclass
class Summary:
    """How many lines went to each outcome, and the most common deciding answers
    (rendered by :func:`llmchoice.report.batch.render_summary`).

    A line's *deciding answers* are the answers behind its largest reasons: the
    fired rules that gave the winning outcome the most points (all of them on a
    tie; the mixed-needs bonus is not an answer and does not count), each shown
    as ``question=value`` (joined by ``&`` for a rule on several questions).
    ``deciding`` counts, for each answer and winner, the lines it decided.
    """

    outcomes: tuple[str, ...]
    counts: Counter[str] = field(default_factory=Counter)
    deciding: Counter[tuple[str, str]] = field(default_factory=Counter)
    bad: int = 0

    @property
    def scored(self) -> int:
        return sum(self.counts.values())


# --------------------------------------------------------------------------- the run


@dataclass
class Stats:
    lines: int = 0
    scored: int = 0
    bad: int = 0
    first_bad: list[int] = field(default_factory=list)


def run(crs: CompiledRuleSet, lines: Iterator[tuple[int, bytes | None]], kind: str,
        writer: Writer, *, display: str, use_defaults: bool = False,
        summary: Summary | None = None, on_bad: Callable[[int, str], None],
        fast: bool = True) -> Stats:
    """Score every line; write a row (or an error row) per non-blank line, in order.

    The per-line loop stays in this one function, with the methods it calls bound to
    local names: it is the batch's hot path (see ``benchmarks/``). Plain JSONL rows take
    :mod:`llmchoice.batch.fast` first (``fast=False``: never; the same bytes, slower)."""
    stats = Stats()
    json_lines: JsonLines | None = None
    csv_lines: CsvLines | None = None
    if kind == "csv":
        lines = csv_records(lines)  # a quoted cell may hold a line break
    if kind == "jsonl":
        json_lines = JsonLines(tuple(q.id for q in crs.ruleset.questions if q.type == "multi"))
    else:
        csv_lines = _csv_header(lines, crs, display)  # a bad header: no output at all
    writer.header()
    if kind != "jsonl" and csv_lines is None:
        writer.flush()
        return stats
    contributions = isinstance(writer, JsonlWriter) and writer.contributions
    what_if = isinstance(writer, JsonlWriter) and writer.what_if
    plain = not contributions and not what_if  # (a summary is counted on this path too)
    deciding = Deciding(crs, summary.counts, summary.deciding) if summary is not None else None
    count = deciding.line if deciding is not None else None
    parse_json = json_lines.parse if json_lines is not None else None
    fast_row: FastRow | None = None
    if fast and plain and parse_json is not None and not use_defaults and \
            isinstance(writer, JsonlWriter):
        fast_row = fast_rows(crs, writer, count)
    resolve = crs.answers
    verdict = crs.verdict_of_valid
    key_of = crs.verdict_key
    verdict_of_key = crs.verdict_of_key
    scenario_of = crs.scenario
    row = writer.row
    prepare = writer.prepare
    prepared: dict[int, Prepared] = {}  # verdict key -> the pieces of rows it gives
    given: dict[str, object] = {}
    for lineno, raw in lines:
        try:
            try:
                text = raw.decode("utf-8").rstrip(WHITESPACE)  # type: ignore[union-attr]
                if lineno == 1 or "\x00" in text:
                    raise ValueError
            except (AttributeError, ValueError):  # too long, not UTF-8, binary, line 1
                text = decode_line(raw, lineno)
            if not text:
                continue
            if fast_row is not None and fast_row(text, lineno):
                continue
            if parse_json is not None:
                given = parse_json(text)
                answers = resolve(given, source=display, use_defaults=use_defaults)
            else:
                assert csv_lines is not None
                answers = crs.validate({}, source=display, sets=csv_lines.parse(text),
                                       use_defaults=use_defaults).answers
            if plain:  # the common case: no lists of reasons, no what-if, no summary
                key = key_of(answers)
                pieces = prepared.get(key) if key is not None else None
                if pieces is None:
                    if key is None:
                        pieces = prepare(verdict(answers))
                    else:
                        pieces = prepare(verdict_of_key(key))
                        if len(prepared) < MAX_PREPARED:
                            prepared[key] = pieces
                row(lineno, answers, pieces, scenario_of(answers, pieces[-1])[0])
                if count is not None:
                    count(answers, pieces[-1], key is not None)
                continue
            _full_row(crs, writer, lineno, answers, summary, deciding)
        except BadLine as exc:
            _bad(stats, writer, lineno, exc.reason, on_bad)
        except AnswersError as exc:
            reason = answers_reason(exc, given if parse_json is not None else None)
            _bad(stats, writer, lineno, reason, on_bad)
        except NoOutcomeLeft as exc:
            _bad(stats, writer, lineno, exc.message, on_bad)
    writer.flush()
    stats.scored = writer.rows
    stats.lines = stats.scored + stats.bad
    if summary is not None:
        summary.bad = stats.bad
    return stats


def _csv_header(lines: Iterator[tuple[int, bytes | None]], crs: CompiledRuleSet,
                display: str) -> CsvLines | None:
    """The first non-blank line of a CSV input, its header (None for an empty input)."""
    for lineno, raw in lines:
        try:
            text = decode_line(raw, lineno)
        except BadLine as exc:
            raise InputError(f"{display}:{lineno}: the CSV header is {exc.reason}") from None
        if text:
            return CsvLines(text, crs, display, lineno)
    return None


def _bad(stats: Stats, writer: Writer, lineno: int, reason: str,
         on_bad: Callable[[int, str], None]) -> None:
    reason = clean_line(clip_quoted(reason))  # one line: no forged rows or stderr lines
    stats.bad += 1
    if len(stats.first_bad) < 10:
        stats.first_bad.append(lineno)
    writer.error(lineno, reason)
    on_bad(lineno, reason)


def _full_row(crs: CompiledRuleSet, writer: Writer, lineno: int, answers: dict[str, Answer],
              summary: Summary | None, deciding: Deciding | None) -> None:
    """A row with the reasons or what-if (JSONL), and the line counted in the summary."""
    extra: dict[str, object] = {}
    s = crs.score(answers)
    if isinstance(writer, JsonlWriter) and writer.contributions:
        beyond = crs.beyond_article
        extra["contributions"] = [
            {"rule": c.rule, "outcome": c.outcome, "points": float(c.points),
             "because": c.because, "cites": list(c.cites),
             **({"beyond_article": beyond[c.rule]} if c.rule in beyond else {})}
            for c in s.contributions]
    if isinstance(writer, JsonlWriter) and writer.what_if:
        extra["what_if"] = [
            {"question": w.question, "from": _plain(w.from_value),
             "to": _plain(w.to_value), "recommendation": w.recommendation, "tie": w.tie,
             "too_close": w.too_close, "constraint": w.constraint}
            for w in crs.what_if(answers, s.winner)]
    if summary is not None and deciding is not None:
        summary.counts[s.winner] += 1
        deciding.add_scored(s.contributions, s.winner, answers)
    writer.row(lineno, answers,
               writer.prepare(Verdict(s.scores, s.excluded, s.winner, s.margin, s.confidence)),
               crs.scenario(answers, s.winner)[0], extra)


def answers_reason(exc: AnswersError, given: dict[str, object] | None = None) -> str:
    """The problems with one line's answers on one line; missing answers named together
    (read from the validator's structured problems, not from their wording). ``given``:
    a JSON line's answers, to name a nested object as such rather than as a list."""
    for p in exc.problems:
        qid = p.question if isinstance(p, AnswerProblem) else None
        if given is not None and qid is not None and qid not in IGNORED_KEYS and \
                has_object(given.get(qid)):
            return nested(qid).reason
    problems = [p for p in exc.problems if isinstance(p, AnswerProblem)]
    missing = [p for p in problems if p.kind == "missing"]
    others = [p.message for p in exc.problems
              if not (isinstance(p, AnswerProblem) and p.kind == "missing")]
    if len(missing) > 1:
        hint = " (or use --defaults)" if any(p.has_default for p in missing) else ""
        others.insert(0, f"missing answers to {', '.join(str(p.question) for p in missing)}"
                         f"{hint}")
    elif missing:
        others.insert(0, missing[0].message)
    return "; ".join(others) or exc.message


def _plain(value: Answer | None) -> object:
    return list(value) if isinstance(value, tuple) else value


__all__ = ["EXTENSIONS", "FORMATS", "MAX_LINE_BYTES", "MAX_MESSAGES", "BadLine", "CsvLines",
           "CsvWriter", "JsonLines", "JsonlWriter", "Prepared", "Stats", "Summary", "Writer",
           "answers_reason", "decode_line", "detect_kind", "read_lines", "run"]
