"""Writing batch rows: JSONL or CSV, one row (or error row) per scored line."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from typing import Any, Protocol, TextIO

from llmchoice.decide.compiled import CompiledRuleSet, Verdict
from llmchoice.decide.result import Exclusion
from llmchoice.ruleset.conditions import Answer

_FLUSH_ROWS = 256  # rows gathered before one write
_MAX_PIECES = 4096  # most pieces of rows remembered, already encoded


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
                 what_if: bool, line_buffered: bool = False) -> None:
        self.out = out
        self._line_buffered = line_buffered  # each row reaches the reader at once
        self._flush_rows = 1 if line_buffered else _FLUSH_ROWS
        self.contributions = contributions
        self.what_if = what_if
        self.rows = 0
        self.encoder = self._encode = encode = _json_encoder()
        self._pending: list[str] = []
        outcomes = crs.ruleset.outcome_ids
        self._outcome = {o: encode(o) for o in outcomes}
        self._scores = ("{{" + ",".join(encode(o).replace("{", "{{").replace("}", "}}") + ":{}"
                                        for o in outcomes) + "}}").format
        self._excluded: dict[tuple[Exclusion, ...], str] = {(): "[]"}
        self._scenario: dict[str | None, str] = {None: "null"}
        for sc in crs.ruleset.scenarios:
            self._scenario[sc.id] = encode(sc.id)  # the rule set's id: future.…
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
        if len(self._pending) >= self._flush_rows:
            self.flush()

    def scenario_piece(self, scenario: str | None) -> str:
        """A scenario id (or None) as a row writes it."""
        return self._scenario[scenario]

    def add_row(self, text: str) -> None:
        """A row already put together (see :mod:`llmchoice.batch.fast`), without its line end."""
        self._pending.append(text)
        self.rows += 1
        if len(self._pending) >= self._flush_rows:
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
        if self._line_buffered or len(self._pending) >= _FLUSH_ROWS:  # rows: memory flat
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self._pending.append("")
            self.out.write("\n".join(self._pending))
            self._pending.clear()
            if self._line_buffered:
                self.out.flush()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula (``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return, as OWASP lists them) gets a leading ``'``."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


class CsvWriter:
    """CSV: line, recommendation, confidence, one score column per outcome, excluded
    (outcome ids separated by ';'), scenario, error."""

    def __init__(self, out: TextIO, crs: CompiledRuleSet, *, line_buffered: bool = False
                 ) -> None:
        self.outcomes = crs.ruleset.outcome_ids
        self._out = out
        self._line_buffered = line_buffered  # each row reaches the reader at once
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
        self._writer.writerow([line, *prepared[0], *prepared[1], scenario or "", ""])
        self.rows += 1
        if self._line_buffered:
            self._out.flush()

    def error(self, line: int, reason: str) -> None:
        if self._ascii:
            reason = reason.encode("ascii", "backslashreplace").decode("ascii")
        self._writer.writerow([line, "", "", *("" for _ in self.outcomes), "", "",
                               spreadsheet_safe(reason)])
        if self._line_buffered:
            self._out.flush()

    def flush(self) -> None:
        if self._line_buffered:
            self._out.flush()
