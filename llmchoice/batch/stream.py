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
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Protocol, TextIO

from llmchoice.answers.validate import IGNORED_KEYS
from llmchoice.decide.compiled import CompiledRuleSet, Verdict
from llmchoice.decide.engine import MIXED_RULE_ID, NoOutcomeLeft
from llmchoice.decide.result import Contribution, Exclusion
from llmchoice.io.check import did_you_mean
from llmchoice.io.errors import AnswersError, InputError
from llmchoice.io.textsafe import clean, clean_line
from llmchoice.report.common import scenario_id
from llmchoice.ruleset.conditions import Answer

MAX_LINE_BYTES = 64 * 1024  # a longer line is a bad line (answer sets are a few hundred bytes)
MAX_MESSAGES = 100  # bad lines reported one by one on stderr; all of them get an error row
FORMATS = ("jsonl", "csv")
EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv"}
_FLUSH_ROWS = 256  # rows gathered before one write
_MAX_PIECES = 4096  # most pieces of rows remembered, already encoded
MAX_PREPARED = 16384  # most verdicts remembered with their pieces of rows (~250 bytes each)


class BadLine(Exception):  # noqa: N818 - a line to report, not an error of the run
    """One input line that cannot be scored, and why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --------------------------------------------------------------------------- reading


def read_lines(stream: IO[bytes], display: str,
               limit: int = MAX_LINE_BYTES) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) for every line, line end included; ``None`` for a line longer
    than ``limit`` bytes, of which no more than ``limit`` bytes are ever held."""
    readline = stream.readline
    lineno = 0
    while True:
        try:
            raw = readline(limit + 1)
            if not raw:
                return
            lineno += 1
            if len(raw) > limit and raw[-1:] != b"\n":
                while True:  # skip the rest of the line without keeping it
                    rest = readline(limit)
                    if not rest or rest[-1:] == b"\n":
                        break
                yield lineno, None
                continue
        except OSError as exc:
            raise InputError(f"{display}: cannot read line {lineno + 1}: "
                             f"{exc.strerror or exc}") from None
        yield lineno, raw


_WHITESPACE = " \t\r\n"


def decode_line(raw: bytes | None, lineno: int) -> str:
    """A line's text without its line end and trailing whitespace (and without a byte
    order mark on line 1), or :class:`BadLine` for a too long, binary or non-UTF-8 line.
    A blank line gives the empty string."""
    if raw is None:
        raise BadLine(f"longer than the limit of {MAX_LINE_BYTES:,} bytes for one line")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadLine(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at column "
                      f"{exc.start + 1})") from None
    if "\x00" in text:
        raise BadLine(f"binary data (a NUL byte at column {text.index(chr(0)) + 1}); "
                      "expected a line of text")
    if lineno == 1 and text.startswith("\ufeff"):
        text = text[1:]
    return text.rstrip(_WHITESPACE)


def detect_kind(name: str, first: str) -> str:
    """The input's format: from the file's extension, else from its first non-blank line
    (a JSON object or array starts with '{' or '['; anything else is read as a CSV header)."""
    for ext, kind in EXTENSIONS.items():
        if name.lower().endswith(ext):
            return kind
    return "jsonl" if first.lstrip()[:1] in ("{", "[") else "csv"


class _Constant(ValueError):
    pass


class JsonLines:
    """Parse one JSONL line as the safe readers do: duplicate keys, NaN and Infinity,
    nested objects and anything but one object are refused.

    JSON objects are first read as tuples of (key, value) pairs (the C scanner builds
    them without calling back into Python), so duplicate keys can be counted and a nested
    object is told apart from a list.
    """

    def __init__(self, multi: tuple[str, ...] = ()) -> None:
        self._multi = multi  # multi-choice questions, whose lists a nested object could mimic
        decoder = json.JSONDecoder(object_pairs_hook=tuple, parse_constant=self._constant)
        # the C scanner (set by JSONDecoder.__init__), without decode()'s regex passes
        self._scan: Callable[[str, int], tuple[object, int]] = decoder.scan_once  # type: ignore[attr-defined]

    @staticmethod
    def _constant(name: str) -> object:
        raise _Constant(name)

    def parse(self, text: str) -> dict[str, object]:
        """``text`` is one line without trailing whitespace (see :func:`decode_line`)."""
        start = len(text) - len(text.lstrip(_WHITESPACE)) if text[:1] in (" ", "\t") else 0
        try:
            pairs, end = self._scan(text, start)
        except StopIteration as exc:
            raise BadLine(f"not valid JSON: expecting a value (column {exc.value + 1})"
                          ) from None
        except _Constant as exc:
            raise BadLine(f"{exc.args[0]} is not a number JSON allows; expected a finite "
                          "number") from None
        except json.JSONDecodeError as exc:
            raise BadLine(f"not valid JSON: {exc.msg} (column {exc.colno})") from None
        except RecursionError:
            raise BadLine("not valid JSON: nested too deeply") from None
        except ValueError as exc:  # for example an integer with thousands of digits
            raise BadLine(f"not valid JSON: {exc}") from None
        if end != len(text):
            raise BadLine(f"not valid JSON: more after the end of the value (column {end + 1}); "
                          "expected one object per line")
        if type(pairs) is not tuple:
            raise BadLine("expected a JSON object of question id to answer, like "
                          f'{{"budget": "minimal"}}; found {_kind(pairs)}')
        obj: dict[str, object] = dict(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    raise BadLine(f"duplicate key {key!r}: each question may appear once")
                seen.add(key)
        for key in self._multi:
            if type(obj.get(key)) is tuple:
                raise nested(key)
        return obj


def nested(key: str) -> BadLine:
    return BadLine(f"{key}: expected an answer (text, a number, true/false or a list of "
                   "texts), found a nested object")


def has_object(value: object) -> bool:
    """True for an object read by :class:`JsonLines` (a tuple), or a list holding one."""
    if isinstance(value, tuple):
        return True
    return isinstance(value, list) and any(has_object(v) for v in value)


def _kind(value: object) -> str:
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return "a number"


class CsvLines:
    """Parse CSV lines against a header of question ids, one record per line."""

    def __init__(self, header: str, crs: CompiledRuleSet, display: str, lineno: int) -> None:
        try:
            cells = next(csv.reader([header], strict=True))
        except (csv.Error, StopIteration) as exc:
            raise InputError(f"{display}:{lineno}: the CSV header is not valid CSV ({exc})"
                             ) from None
        columns = [c.strip() for c in cells]
        ids = [q.id for q in crs.ruleset.questions]
        problems = []
        for n, col in enumerate(columns, 1):
            if not col:
                problems.append(f"column {n} has no name")
            elif col not in ids:
                problems.append(f"column {n}: unknown question {col!r}{did_you_mean(col, ids)}")
            elif columns.index(col) != n - 1:
                problems.append(f"column {n}: {col!r} appears twice")
        if problems:
            raise InputError(
                f"{display}:{lineno}: the CSV header must name one question per column "
                f"({'; '.join(problems)}); questions are: {', '.join(ids)}")
        self.columns = tuple(columns)

    def parse(self, text: str) -> dict[str, str]:
        """The non-empty cells, stripped, by question id (as ``--set ID=VALUE`` would give)."""
        try:
            cells = next(csv.reader([text], strict=True))
        except csv.Error as exc:
            raise BadLine(f"not valid CSV: {exc}") from None
        if len(cells) != len(self.columns):
            raise BadLine(f"expected {len(self.columns)} cells, one per column of the header, "
                          f"found {len(cells)}")
        return {col: cell.strip() for col, cell in zip(self.columns, cells, strict=True)
                if cell.strip()}


# --------------------------------------------------------------------------- writing

Prepared = tuple[Any, Any, str]  # a writer's pieces of rows for one verdict, and the winner


class Writer(Protocol):
    """Where rows go: :class:`JsonlWriter` or :class:`CsvWriter`."""

    rows: int

    def header(self) -> None: ...

    def prepare(self, v: Verdict) -> Prepared: ...

    def row(self, line: int, answers: dict[str, Answer], prepared: Prepared,
            scenario: str | None, extra: dict[str, object] | None = None) -> None: ...

    def error(self, line: int, reason: str) -> None: ...

    def flush(self) -> None: ...



def _json_encoder() -> Callable[[object], str]:
    """Compact, ASCII-only JSON (so any terminal or file encoding can carry it), with the
    C encoder built once rather than per row when it is available."""
    plain = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"))
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython always has it
        return plain.encode
    try:
        c_encode = make(None, plain.default, json.encoder.encode_basestring_ascii, None,
                        ":", ",", False, False, True)
    except TypeError:  # pragma: no cover - another signature: use the plain path
        return plain.encode

    def encode(obj: object) -> str:
        return "".join(c_encode(obj, 0))

    return encode


class JsonlWriter:
    """One JSON object per line: ``line`` and the JSON report's core keys, or ``error``.

    Rows are put together from pieces encoded once where possible (outcome ids,
    scenario ids, exclusions, ``"question":"value"`` pairs of choice answers); every
    piece is what the JSON encoder gives for it, so a row reads exactly as
    ``json.dumps(row, separators=(",", ":"))`` would write it.
    """

    def __init__(self, out: TextIO, crs: CompiledRuleSet, *, contributions: bool,
                 what_if: bool) -> None:
        self.out = out
        self.contributions = contributions
        self.what_if = what_if
        self.rows = 0
        self._encode = encode = _json_encoder()
        self._pending: list[str] = []
        outcomes = crs.ruleset.outcome_ids
        self._outcome = {o: encode(o) for o in outcomes}
        self._scores = ("{{" + ",".join(encode(o).replace("{", "{{").replace("}", "}}") + ":{}"
                                        for o in outcomes) + "}}").format
        self._excluded: dict[tuple[Exclusion, ...], str] = {(): "[]"}
        self._scenario: dict[str | None, str] = {None: "null"}
        for sc in crs.ruleset.scenarios:
            self._scenario[sc.id] = encode(scenario_id(sc.id))
        self._pairs: dict[tuple[str, object], str] = {
            (q.id, v): encode({q.id: v})[1:-1]
            for q in crs.ruleset.questions if q.type == "choice" for v in q.values}

    def header(self) -> None:
        pass

    def prepare(self, v: Verdict) -> Prepared:
        """The pieces of a row that depend only on the verdict, and the winner."""
        excl = self._excluded.get(v.excluded)
        if excl is None:
            excl = self._encode([{"outcome": e.outcome, "rule": e.rule, "because": e.because,
                                  "cites": list(e.cites)} for e in v.excluded])
            if len(self._excluded) < _MAX_PIECES:
                self._excluded[v.excluded] = excl
        return (f'"recommendation":{self._outcome[v.winner]},'
                f'"scores":{self._scores(*map(float.__repr__, v.scores.values()))},'
                f'"confidence":{float.__repr__(v.confidence)}', excl, v.winner)

    def row(self, line: int, answers: dict[str, Answer], prepared: Prepared,
            scenario: str | None, extra: dict[str, object] | None = None) -> None:
        text = (f'{{"line":{line},{prepared[0]},"answers":{self._answers(answers)},'
                f'"excluded":{prepared[1]},"scenario":{self._scenario[scenario]}')
        if extra:
            text += "," + self._encode(extra)[1:]
        else:
            text += "}"
        self._pending.append(text)
        self.rows += 1
        if len(self._pending) >= _FLUSH_ROWS:
            self.flush()

    def _answers(self, answers: dict[str, Answer]) -> str:
        pieces = list(map(self._pairs.get, answers.items()))
        if None in pieces:
            encode = self._encode
            for n, (key, value) in enumerate(answers.items()):
                if pieces[n] is None:
                    # only text answers are kept: 1, 1.0 and true are equal keys
                    piece = encode({key: list(value) if isinstance(value, tuple) else value}
                                   )[1:-1]
                    if type(value) is str and len(self._pairs) < _MAX_PIECES:
                        self._pairs[(key, value)] = piece
                    pieces[n] = piece
        return "{" + ",".join(pieces) + "}"  # type: ignore[arg-type]

    def error(self, line: int, reason: str) -> None:
        self._pending.append(self._encode({"line": line, "error": reason}))

    def flush(self) -> None:
        if self._pending:
            self._pending.append("")
            self.out.write("\n".join(self._pending))
            self._pending.clear()


class CsvWriter:
    """CSV: line, recommendation, confidence, one score column per outcome, excluded
    (outcome ids separated by ';'), scenario, error."""

    def __init__(self, out: TextIO, crs: CompiledRuleSet) -> None:
        self.outcomes = crs.ruleset.outcome_ids
        self._writer = csv.writer(out, lineterminator="\n")
        encoding = (getattr(out, "encoding", None) or "utf-8").lower().replace("_", "-")
        self._ascii = encoding not in ("utf-8", "utf8")
        self.rows = 0

    def header(self) -> None:
        self._writer.writerow(["line", "recommendation", "confidence",
                               *(f"score_{o}" for o in self.outcomes), "excluded", "scenario",
                               "error"])

    def prepare(self, v: Verdict) -> Prepared:
        """The cells of a row that depend only on the verdict, and the winner."""
        return ([v.winner, v.confidence, *(v.scores[o] for o in self.outcomes)],
                [";".join(e.outcome for e in v.excluded)], v.winner)

    def row(self, line: int, answers: dict[str, Answer], prepared: Prepared,
            scenario: str | None, extra: dict[str, object] | None = None) -> None:
        self._writer.writerow([line, *prepared[0], *prepared[1], scenario_id(scenario) or "",
                               ""])
        self.rows += 1

    def error(self, line: int, reason: str) -> None:
        if self._ascii:
            reason = reason.encode("ascii", "backslashreplace").decode("ascii")
        self._writer.writerow([line, "", "", *("" for _ in self.outcomes), "", "", reason])

    def flush(self) -> None:
        pass


# --------------------------------------------------------------------------- summary


@dataclass
class Summary:
    """How many lines went to each outcome, and the most common deciding answers.

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

    def render(self, source: str, *, bars: bool, top: int = 5) -> str:
        total = self.scored
        lines = [f"Summary of {clean_line(source)}: {total:,} line{'s' if total != 1 else ''} "
                 f"scored, {self.bad:,} bad"]
        width = max((len(o) for o in self.outcomes), default=6)
        count_width = max(len(f"{n:,}") for n in [total, *self.counts.values()])
        for o in self.outcomes:
            n = self.counts.get(o, 0)
            share = n / total if total else 0.0
            text = f"  {clean_line(o):<{width}}  {n:>{count_width},}  {share:>6.1%}"
            if bars:
                text += "  " + _bar(share)
            lines.append(text.rstrip())
        if self.deciding:
            lines.append("Most common deciding answers (lines where the answer was behind "
                         "the largest reason for the winner):")
            for (answer, outcome), n in sorted(self.deciding.items(),
                                               key=lambda kv: (-kv[1], kv[0]))[:top]:
                lines.append(f"  {n:>{count_width},}  {clean_line(answer)} -> "
                             f"{clean_line(outcome)}")
        return "\n".join(lines) + "\n"


def _bar(share: float, width: int = 30) -> str:
    eighths = round(share * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + ("▏▎▍▌▋▊▉"[part - 1] if part else "")


def _answer_text(value: Answer) -> str:
    if isinstance(value, tuple):
        return ",".join(value) if value else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- the run


@dataclass
class Stats:
    lines: int = 0
    scored: int = 0
    bad: int = 0
    first_bad: list[int] = field(default_factory=list)


def run(crs: CompiledRuleSet, lines: Iterator[tuple[int, bytes | None]], kind: str,
        writer: Writer, *, display: str, use_defaults: bool = False,
        summary: Summary | None = None, on_bad: Callable[[int, str], None]) -> Stats:
    """Score every line; write a row (or an error row) per non-blank line, in order."""
    stats = Stats()
    writer.header()
    json_lines: JsonLines | None = None
    csv_lines: CsvLines | None = None
    if kind == "jsonl":
        json_lines = JsonLines(tuple(q.id for q in crs.ruleset.questions if q.type == "multi"))
    else:
        csv_lines = _csv_header(lines, crs, display)
        if csv_lines is None:
            writer.flush()
            return stats
    contributions = isinstance(writer, JsonlWriter) and writer.contributions
    what_if = isinstance(writer, JsonlWriter) and writer.what_if
    plain = summary is None and not contributions and not what_if
    deciding = _deciding_questions(crs) if summary is not None else {}
    parse_json = json_lines.parse if json_lines is not None else None
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
                text = raw.decode("utf-8").rstrip(_WHITESPACE)  # type: ignore[union-attr]
                if lineno == 1 or "\x00" in text:
                    raise ValueError
            except (AttributeError, ValueError):  # too long, not UTF-8, binary, line 1
                text = decode_line(raw, lineno)
            if not text:
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
                continue
            extra: dict[str, object] = {}
            s = crs.score(answers)
            if contributions:
                extra["contributions"] = [
                    {"rule": c.rule, "outcome": c.outcome, "points": float(c.points),
                     "because": c.because, "cites": list(c.cites)}
                    for c in s.contributions]
            if what_if:
                extra["what_if"] = [
                    {"question": w.question, "from": _plain(w.from_value),
                     "to": _plain(w.to_value), "recommendation": w.recommendation}
                    for w in crs.what_if(answers, s.winner)]
            if summary is not None:
                summary.counts[s.winner] += 1
                _count_deciding(summary, deciding, s.contributions, s.winner, answers)
            row(lineno, answers,
                prepare(Verdict(s.scores, s.excluded, s.winner, s.margin, s.confidence)),
                scenario_of(answers, s.winner)[0], extra)
        except BadLine as exc:
            _bad(stats, writer, lineno, exc.reason, on_bad)
        except AnswersError as exc:
            reason = answers_reason(exc)
            if parse_json is not None:
                for qid, value in given.items():  # a nested object: say so, not "a tuple"
                    if has_object(value) and qid not in IGNORED_KEYS:
                        reason = nested(qid).reason
                        break
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
    reason = clean(reason)
    stats.bad += 1
    if len(stats.first_bad) < 10:
        stats.first_bad.append(lineno)
    writer.error(lineno, reason)
    on_bad(lineno, reason)


_MISSING_ANSWER = re.compile(
    r"^missing answer to '([^']+)'; expected .*?( \(or use --defaults\))?$")


def answers_reason(exc: AnswersError) -> str:
    """The problems with one line's answers on one line; missing answers named together."""
    missing: list[str] = []
    defaults = False
    others: list[str] = []
    for p in exc.problems:
        m = _MISSING_ANSWER.match(p.message)
        if m:
            missing.append(m.group(1))
            defaults = defaults or bool(m.group(2))
        else:
            others.append(p.message)
    if len(missing) > 1:
        hint = " (or use --defaults)" if defaults else ""
        others.insert(0, f"missing answers to {', '.join(missing)}{hint}")
    elif missing:
        others.insert(0, next(p.message for p in exc.problems
                              if _MISSING_ANSWER.match(p.message)))
    return "; ".join(others) or exc.message


def _plain(value: Answer | None) -> object:
    return list(value) if isinstance(value, tuple) else value


def _deciding_questions(crs: CompiledRuleSet) -> dict[str, tuple[str, ...]]:
    return {r.id: tuple(sorted(r.when.questions())) for r in crs.ruleset.rules}


def _count_deciding(summary: Summary, questions: dict[str, tuple[str, ...]],
                    contributions: tuple[Contribution, ...], winner: str,
                    answers: dict[str, Answer]) -> None:
    reasons = [c for c in contributions
               if c.outcome == winner and c.rule != MIXED_RULE_ID and c.points > 0]
    if not reasons:
        return
    top = max(c.points for c in reasons)
    for c in reasons:
        if c.points == top:
            parts = [f"{q}={_answer_text(answers[q])}" for q in questions.get(c.rule, ())
                     if q in answers]
            if parts:
                summary.deciding[(" & ".join(parts), winner)] += 1
