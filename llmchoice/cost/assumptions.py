"""The cost estimate's assumptions: what each one is, its bounds, and the file that holds them.

``rules/costs.yaml`` ships with the package (like ``rules/default.yaml``) and gives
every default with its value, unit, ``source`` and ``as_of``. A user's file has
the same shape and overrides only the entries it names (a bare number is
enough). Both are read with :mod:`llmchoice.io.yamlio` (safe, with positions) and
checked here; every problem is reported at once as ``file:line:column``.

The bounds below are sanity limits, not opinions: they refuse what cannot be
meant (a negative price, a utilisation of 3, a GPU at a million dollars an hour)
so that a typo never turns into a confident estimate.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from llmchoice.io import yamlio
from llmchoice.io.errors import InputError, Problem, UsageError
from llmchoice.io.shipped import shipped_file

MODEL_CLASSES = ("small", "large")
OPTION_IDS = ("frontier_api", "small_api", "open_hosted_api", "self_host_small", "self_host_large")

MAX_TEXT = 600
_AS_OF = re.compile(r"^(19|20|21)[0-9]{2}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$")
_VERSION = re.compile(r"^[0-9]+(\.[0-9]+){0,2}$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


@dataclass(frozen=True, slots=True)
class Spec:
    """What one assumption is allowed to be, and what it is called in words and on the CLI."""

    id: str
    name: str
    kind: Literal["number", "integer"]
    minimum: float
    maximum: float
    min_inclusive: bool
    short_unit: str = ""
    flag: str | None = None

    def bounds_text(self) -> str:
        low = "at least" if self.min_inclusive else "more than"
        whole = "a whole number " if self.kind == "integer" else "a number "
        return f"{whole}{low} {_num(self.minimum)} and at most {_num(self.maximum)}"


PRICE_MAX = 1_000.0
SPECS: tuple[Spec, ...] = (
    Spec("workload.input_share", "the input share", "number", 0.0, 0.99, True, "",
         "--input-share"),
    Spec("api.frontier.input_usd", "the frontier API's input price", "number", 0.0, PRICE_MAX,
         False, "USD per million input tokens", "--api-input-usd"),
    Spec("api.frontier.output_usd", "the frontier API's output price", "number", 0.0, PRICE_MAX,
         False, "USD per million output tokens", "--api-output-usd"),
    Spec("api.small.input_usd", "the small API's input price", "number", 0.0, PRICE_MAX, False,
         "USD per million input tokens"),
    Spec("api.small.output_usd", "the small API's output price", "number", 0.0, PRICE_MAX,
         False, "USD per million output tokens"),
    Spec("api.open_hosted.input_usd", "the hosted open model's input price", "number", 0.0,
         PRICE_MAX, False, "USD per million input tokens"),
    Spec("api.open_hosted.output_usd", "the hosted open model's output price", "number", 0.0,
         PRICE_MAX, False, "USD per million output tokens"),
    Spec("gpu.hourly_usd", "the GPU price", "number", 0.0, 1_000.0, False, "USD per GPU-hour",
         "--gpu-hourly-usd"),
    Spec("self_host.small.gpus_per_replica", "GPUs per replica of the small model", "integer",
         1, 1024, True, "GPUs"),
    Spec("self_host.small.throughput", "the small model's throughput", "number", 1.0, 1e7, True,
         "output tokens/s", "--throughput"),
    Spec("self_host.large.gpus_per_replica", "GPUs per replica of the large model", "integer",
         1, 1024, True, "GPUs"),
    Spec("self_host.large.throughput", "the large model's throughput", "number", 1.0, 1e7, True,
         "output tokens/s", "--throughput"),
    Spec("self_host.utilisation", "the utilisation", "number", 0.01, 1.0, True, "",
         "--utilisation"),
    Spec("self_host.staff_usd_month", "the staff time", "number", 0.0, 1e7, True,
         "USD a month", "--staff-usd-month"),
    Spec("self_host.overhead_share", "the infrastructure overhead", "number", 0.0, 5.0, True,
         "of the GPU rent"),
)
SPEC_BY_ID: dict[str, Spec] = {s.id: s for s in SPECS}


def _num(x: float) -> str:
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.6g}"


@dataclass(frozen=True, slots=True)
class Assumption:
    """One figure the estimate rests on, with where it comes from.

    ``overridden_by`` is ``None`` for the shipped default, else what replaced it:
    a command-line flag (``--gpu-hourly-usd``) or ``file:line``.
    """

    id: str
    value: float
    unit: str
    source: str
    as_of: str | None
    low: float | None = None
    high: float | None = None
    range_source: str | None = None
    note: str | None = None
    overridden_by: str | None = None

    @property
    def spec(self) -> Spec:
        return SPEC_BY_ID[self.id]

    @property
    def swept_range(self) -> tuple[float, float] | None:
        """The span the sensitivity sweeps: the sources' low..high, widened to hold the value."""
        if self.low is None or self.high is None:
            return None
        return min(self.low, self.value), max(self.high, self.value)


@dataclass(frozen=True, slots=True)
class CostsMeta:
    id: str
    version: str
    title: str
    source: str
    sha256: str
    overrides_file: str | None = None
    overrides_sha256: str | None = None


@dataclass(frozen=True, slots=True)
class Assumptions:
    """Every assumption (in the order of :data:`SPECS`) and the labels of the options."""

    entries: tuple[Assumption, ...]
    labels: tuple[tuple[str, str], ...]
    meta: CostsMeta

    def __getitem__(self, aid: str) -> Assumption:
        for a in self.entries:
            if a.id == aid:
                return a
        raise KeyError(aid)

    def value(self, aid: str) -> float:
        return self[aid].value

    def label(self, option: str) -> str:
        for oid, text in self.labels:
            if oid == option:
                return text
        return option

    def with_entry(self, new: Assumption) -> Assumptions:
        return replace(self, entries=tuple(new if a.id == new.id else a for a in self.entries))


# --------------------------------------------------------------------------- values


def _describe(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, float) and math.isnan(value):
        return "NaN (not a number)"
    if isinstance(value, float) and math.isinf(value):
        return "infinity"
    if isinstance(value, int | float):
        return f"{value:,}" if isinstance(value, int) else f"{value:,.10g}"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {short!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def value_problem(spec: Spec, value: object) -> str | None:
    """Why ``value`` cannot be this assumption, or ``None`` when it is fine."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"expected {spec.bounds_text()}, found {_describe(value)}"
    if not math.isfinite(value):
        return f"expected {spec.bounds_text()}, found {_describe(value)}"
    if spec.kind == "integer" and not float(value).is_integer():
        return f"expected {spec.bounds_text()}, found {_describe(value)}"
    too_low = value < spec.minimum if spec.min_inclusive else value <= spec.minimum
    if too_low or value > spec.maximum:
        return f"expected {spec.bounds_text()}, found {_describe(value)}"
    return None


def check_value(aid: str, value: object, what: str | None = None) -> float:
    """``value`` as a float if it fits assumption ``aid``; else a :class:`UsageError`."""
    spec = SPEC_BY_ID.get(aid)
    if spec is None:
        raise UsageError(f"unknown cost assumption {aid!r}{_did_you_mean(aid, SPEC_BY_ID)}")
    problem = value_problem(spec, value)
    if problem is not None:
        raise UsageError(f"{what or aid} ({spec.name}): {problem}")
    assert isinstance(value, int | float)
    return float(value)


def override(assumptions: Assumptions, aid: str, value: object, by: str) -> Assumptions:
    """``assumptions`` with ``aid`` set to ``value`` (checked), remembering who set it."""
    checked = check_value(aid, value, by)
    old = assumptions[aid]
    return assumptions.with_entry(replace(old, value=checked, overridden_by=by,
                                          source=f"your figure ({by})", as_of=None))


# --------------------------------------------------------------------------- the file


def _did_you_mean(word: str, options: Iterable[str]) -> str:
    import difflib

    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {matches[0]!r}?)" if matches else ""


class _Checker:
    def __init__(self, doc: yamlio.Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def error(self, path: yamlio.Path_, message: str, *, key: bool = False) -> None:
        self.problems.append(Problem(self.doc.locate(path, key=key), message))

    def mapping(self, path: yamlio.Path_, value: object, what: str, *,
                required: Iterable[str] = (), optional: Iterable[str] = (),
                open_keys: bool = False) -> dict[str, object]:
        if not isinstance(value, dict):
            self.error(path, f"{what}: expected a mapping, found {_describe(value)}")
            return {}
        req = list(required)
        allowed = set(req) | set(optional)
        if not open_keys:
            for key in value:
                if key not in allowed:
                    self.error((*path, key), f"{what}: unknown key {key!r}"
                               f"{_did_you_mean(key, allowed)}; expected "
                               f"{', '.join(sorted(allowed))}", key=True)
        for key in req:
            if key not in value:
                self.error(path, f"{what}: missing key {key!r}")
        return value

    def text(self, path: yamlio.Path_, value: object, what: str) -> str:
        if not isinstance(value, str):
            self.error(path, f"{what}: expected text, found {_describe(value)}")
            return ""
        if not value.strip():
            self.error(path, f"{what}: expected text, found an empty string")
        elif len(value) > MAX_TEXT:
            self.error(path, f"{what}: {len(value):,} characters is over the limit of "
                             f"{MAX_TEXT}; keep it to a sentence or two")
        return value

    def as_of(self, path: yamlio.Path_, value: object, what: str) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not _AS_OF.match(value):
            self.error(path, f"{what}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD "
                             f"(when the figure was read), found {_describe(value)}")
            return None
        return value


_ENTRY_KEYS = ("value", "unit", "source", "as_of", "low", "high", "range_source", "note")


def _entry(chk: _Checker, aid: str, raw: object, base: Assumption | None,
           file_label: str) -> Assumption | None:
    """One assumption from the file: full (shipped file, ``base`` None) or an override."""
    path: yamlio.Path_ = ("assumptions", aid)
    spec = SPEC_BY_ID[aid]
    what = f"assumptions.{aid}"
    if base is not None and not isinstance(raw, dict):
        problem = value_problem(spec, raw)
        if problem is not None:
            chk.error(path, f"{what} ({spec.name}): {problem}")
            return None
        assert isinstance(raw, int | float)
        line = chk.doc.locate(path).line
        where = f"{file_label}:{line}" if line else file_label
        return replace(base, value=float(raw), overridden_by=where,
                       source=f"your file ({where})", as_of=None)
    required = ("value", "unit", "source", "as_of") if base is None else ("value",)
    before = len(chk.problems)
    body = chk.mapping(path, raw, what, required=required, optional=_ENTRY_KEYS)
    if not body:
        return None
    value: float | None = None
    if "value" in body:
        problem = value_problem(spec, body["value"])
        if problem is not None:
            chk.error((*path, "value"), f"{what}.value ({spec.name}): {problem}")
        else:
            value = float(body["value"])  # type: ignore[arg-type]
    unit = chk.text((*path, "unit"), body["unit"], f"{what}.unit") if "unit" in body else None
    if base is not None and unit is not None and unit != base.unit:
        chk.error((*path, "unit"), f"{what}.unit: the unit is fixed to {base.unit!r}; "
                                   "convert your figure to it instead")
    source = (chk.text((*path, "source"), body["source"], f"{what}.source")
              if "source" in body else None)
    as_of = chk.as_of((*path, "as_of"), body["as_of"], f"{what}.as_of") if "as_of" in body \
        else None
    bounds: dict[str, float] = {}
    for key in ("low", "high"):
        if key in body:
            problem = value_problem(spec, body[key])
            if problem is not None:
                chk.error((*path, key), f"{what}.{key}: {problem}")
            else:
                bounds[key] = float(body[key])  # type: ignore[arg-type]
    if ("low" in body) != ("high" in body):
        chk.error(path, f"{what}: give both low and high (the spread the sources show), "
                        "or neither")
    range_source = (chk.text((*path, "range_source"), body["range_source"],
                             f"{what}.range_source") if "range_source" in body else None)
    note = chk.text((*path, "note"), body["note"], f"{what}.note") if "note" in body else None
    low, high = bounds.get("low"), bounds.get("high")
    if low is not None and high is not None:
        if low > high:
            chk.error((*path, "high"), f"{what}: high {_num(high)} is below low {_num(low)}")
        elif base is None and value is not None and not low <= value <= high:
            chk.error((*path, "value"), f"{what}: the value {_num(value)} lies outside its "
                                        f"own range {_num(low)} to {_num(high)}")
    if len(chk.problems) > before or value is None:
        return None
    if base is None:
        assert unit is not None and source is not None
        return Assumption(id=aid, value=value, unit=unit, source=source, as_of=as_of,
                          low=low, high=high, range_source=range_source, note=note)
    line = chk.doc.locate((*path, "value")).line
    where = f"{file_label}:{line}" if line else file_label
    return replace(
        base, value=value, overridden_by=where,
        source=source if source is not None else f"your file ({where})",
        as_of=as_of,
        low=low if low is not None else base.low,
        high=high if high is not None else base.high,
        range_source=range_source if range_source is not None else
        (None if low is not None else base.range_source),
        note=note if note is not None else base.note,
    )


def _meta(chk: _Checker, raw: object, sha256: str) -> CostsMeta:
    body = chk.mapping(("costs",), raw, "costs", required=("id", "version", "title"),
                       optional=("currency", "source"))
    cid = body.get("id")
    if "id" in body and (not isinstance(cid, str) or not _ID.match(cid)):
        chk.error(("costs", "id"), "costs.id: expected an id of lower-case letters, digits, "
                                   f"'-', '_' or '.', found {_describe(cid)}")
    version = body.get("version")
    if isinstance(version, int | float) and not isinstance(version, bool):
        version = str(version)
    if "version" in body and (not isinstance(version, str) or not _VERSION.match(version)):
        chk.error(("costs", "version"), f"costs.version: expected a version such as 1.0.0, "
                                        f"found {_describe(body.get('version'))}")
    if "currency" in body and body["currency"] != "USD":
        chk.error(("costs", "currency"), "costs.currency: every figure is in USD; found "
                                         f"{_describe(body['currency'])}")
    title = chk.text(("costs", "title"), body["title"], "costs.title") if "title" in body else ""
    source = chk.text(("costs", "source"), body["source"], "costs.source") \
        if "source" in body else ""
    return CostsMeta(id=str(cid), version=str(version), title=title, source=source,
                     sha256=sha256)


def _labels(chk: _Checker, raw: object, *, full: bool,
            base: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    body = chk.mapping(("options",), raw, "options",
                       required=OPTION_IDS if full else (), optional=OPTION_IDS)
    have = dict(base)
    for oid in OPTION_IDS:
        if oid in body:
            have[oid] = chk.text(("options", oid), body[oid], f"options.{oid}")
    return tuple((oid, have.get(oid, oid)) for oid in OPTION_IDS)


def parse_costs(doc: yamlio.Document, *, sha256: str = "",
                base: Assumptions | None = None) -> Assumptions:
    """Build the assumptions from a parsed file.

    Without ``base`` the file must be complete (the shipped defaults). With
    ``base`` it overrides only what it names. Raises :class:`InputError` listing
    every problem with its ``file:line:column``.
    """
    chk = _Checker(doc)
    full = base is None
    what = "cost assumptions" if full else "cost assumptions file"
    top = doc.data
    if not isinstance(top, dict):
        raise InputError(f"{doc.source}: expected a mapping with 'assumptions' (and optionally "
                         f"'costs' and 'options'), found {_describe(top)}")
    allowed = ("costs", "options", "assumptions")
    for key in top:
        if key not in allowed:
            hint = _did_you_mean(key, allowed)
            if key in SPEC_BY_ID:
                hint = f"; put it under 'assumptions:' ({key}: {_describe(top[key])})"
            chk.error((key,), f"unknown key {key!r}{hint}; expected "
                              f"{', '.join(allowed)}", key=True)
    if full:
        for key in allowed:
            if key not in top:
                chk.error((), f"missing key {key!r}")
    elif "assumptions" not in top and "options" not in top \
            and not any(key in SPEC_BY_ID for key in top):
        chk.error((), "nothing to override: expected 'assumptions' (or 'options')")

    if full:
        meta = _meta(chk, top.get("costs"), sha256) if "costs" in top else \
            CostsMeta("", "", "", "", sha256)
        labels = _labels(chk, top.get("options"), full=True, base=()) if "options" in top \
            else tuple((o, o) for o in OPTION_IDS)
    else:
        assert base is not None
        if "costs" in top:
            _meta(chk, top["costs"], sha256)
        meta = replace(base.meta, overrides_file=doc.source, overrides_sha256=sha256)
        labels = _labels(chk, top["options"], full=False, base=base.labels) \
            if "options" in top else base.labels

    entries: dict[str, Assumption] = {}
    raw_all = top.get("assumptions")
    if "assumptions" in top:
        body = chk.mapping(("assumptions",), raw_all, "assumptions", open_keys=True)
        for aid, raw in body.items():
            if aid not in SPEC_BY_ID:
                chk.error(("assumptions", aid), f"unknown assumption {aid!r}"
                          f"{_did_you_mean(aid, SPEC_BY_ID)}; expected one of "
                          f"{', '.join(SPEC_BY_ID)}", key=True)
                continue
            got = _entry(chk, aid, raw, None if full else base[aid] if base else None,
                         doc.source)
            if got is not None:
                entries[aid] = got
        if full and isinstance(raw_all, dict):
            for spec in SPECS:
                if spec.id not in raw_all:
                    chk.error(("assumptions",), f"assumptions: missing {spec.id!r} "
                                                f"({spec.name})")
    if chk.problems:
        n = len(chk.problems)
        raise InputError(f"{doc.source}: {n} problem{'s' if n != 1 else ''} in the {what}",
                         tuple(chk.problems))
    if full:
        return Assumptions(entries=tuple(entries[s.id] for s in SPECS), labels=labels,
                           meta=meta)
    assert base is not None
    merged = base
    for a in entries.values():
        merged = merged.with_entry(a)
    return replace(merged, labels=labels, meta=meta)


# --------------------------------------------------------------------------- finding and loading


def default_costs_path() -> Path:
    """The shipped ``costs.yaml``, next to the default rule set."""
    return shipped_file("costs.yaml")


def _read(name: str | Path, what: str) -> tuple[yamlio.Document, str]:
    limits = yamlio.Limits(max_bytes=256 * 1024, max_depth=16, max_nodes=20_000)
    text, display = yamlio.read_source(name, what=what, max_bytes=limits.max_bytes)
    doc = yamlio.parse(text, display, limits)
    return doc, hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_assumptions(user_file: str | Path | None = None, *,
                     defaults: str | Path | None = None) -> Assumptions:
    """The shipped defaults (or ``defaults``), overridden by ``user_file`` if given."""
    doc, sha = _read(defaults if defaults is not None else default_costs_path(),
                     "cost assumptions")
    shipped = parse_costs(doc, sha256=sha)
    if user_file is None:
        return shipped
    udoc, usha = _read(user_file, "cost assumptions")
    return parse_costs(udoc, sha256=usha, base=shipped)


def with_overrides(assumptions: Assumptions, values: Mapping[str, object],
                   by: Mapping[str, str] | None = None) -> Assumptions:
    """Apply several overrides ``{assumption id: value}``; ``by`` names who set each one."""
    out = assumptions
    for aid, value in values.items():
        out = override(out, aid, value, (by or {}).get(aid, f"override {aid}"))
    return out
