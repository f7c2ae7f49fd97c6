"""The cost estimate's assumptions file: reading, checking and overriding it.

``rules/costs.yaml`` ships with the package (like ``rules/default.yaml``) and gives
every default with its value, unit, ``source`` and ``as_of``. A user's file has
the same shape and overrides only the entries it names (a bare number is
enough). Both are read with :mod:`llmchoice.io.yamlio` (safe, with positions) and
checked with :class:`llmchoice.io.check.Checker`; every problem is reported at
once as ``file:line:column``. What each assumption is, and its bounds, live in
:mod:`llmchoice.cost.model`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

try:  # the C module without OpenSSL: importing hashlib costs 2-10 ms (as ruleset/load.py)
    from _sha256 import sha256 as _sha256  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - another Python (3.12 calls it _sha2)
    from hashlib import sha256 as _sha256

from llmchoice.cost.model import (
    MODEL_CLASSES,
    OPTION_IDS,
    SPEC_BY_ID,
    SPECS,
    Assumption,
    Assumptions,
    CostsMeta,
    Spec,
)
from llmchoice.io import yamlio
from llmchoice.io.check import Checker, describe, did_you_mean, number_text
from llmchoice.io.errors import InputError, UsageError
from llmchoice.io.numbers import SHARE, NumberError, parse_number
from llmchoice.io.shipped import shipped_file

__all__ = ["MODEL_CLASSES", "OPTION_IDS", "SPECS", "SPEC_BY_ID", "Assumption", "Assumptions",
           "CostsMeta", "Spec", "check_value", "default_costs_path", "load_assumptions",
           "override", "parse_costs", "value_problem", "with_overrides"]

MAX_TEXT = 600
_AS_OF = re.compile(r"^(19|20|21)[0-9]{2}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$")
_VERSION = re.compile(r"^[0-9]+(\.[0-9]+){0,2}$")
TOP_KEYS = ("costs", "options", "assumptions")
META_KEYS = ("id", "version", "title")
META_OPTIONAL = ("currency", "source")
ENTRY_KEYS = ("value", "unit", "source", "as_of", "low", "high", "range_source", "note")
ENTRY_REQUIRED = ("value", "unit", "source", "as_of")  # in the shipped (complete) file


# --------------------------------------------------------------------------- values


def value_problem(spec: Spec, value: object) -> str | None:
    """Why ``value`` cannot be this assumption, or ``None`` when it is fine."""
    return spec.value_problem(value)


def check_value(aid: str, value: object, what: str | None = None) -> float:
    """``value`` as a float if it fits assumption ``aid``; else a :class:`UsageError`."""
    spec = SPEC_BY_ID.get(aid)
    if spec is None:
        raise UsageError(f"unknown cost assumption {aid!r}{did_you_mean(aid, SPEC_BY_ID)}")
    problem = spec.value_problem(value)
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


def with_overrides(assumptions: Assumptions, values: Mapping[str, object],
                   by: Mapping[str, str] | None = None) -> Assumptions:
    """Apply several overrides ``{assumption id: value}``; ``by`` names who set each one."""
    out = assumptions
    for aid, value in values.items():
        out = override(out, aid, value, (by or {}).get(aid, f"override {aid}"))
    return out


# --------------------------------------------------------------------------- one entry


def _text(chk: Checker, path: yamlio.Path_, value: object, what: str) -> str:
    return chk.text(path, value, what, strict=True, max_len=MAX_TEXT)


def _as_of(chk: Checker, path: yamlio.Path_, value: object, what: str) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _AS_OF.fullmatch(value):
        chk.error(path, f"{what}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD "
                        f"(when the figure was read), found {describe(value)}")
        return None
    return value


def _where(chk: Checker, path: yamlio.Path_, file_label: str) -> str:
    line = chk.doc.locate(path).line
    return f"{file_label}:{line}" if line else file_label


def _figure(chk: Checker, path: yamlio.Path_, spec: Spec, raw: object,
            what: str) -> float | None:
    if isinstance(raw, str):  # a number written as text ("1,000", "30%"): one reader
        try:
            raw = parse_number(raw, percent=SHARE if spec.share else None)
        except NumberError as exc:
            chk.error(path, f"{what}: expected a number, found {describe(raw)}"
                            + (f"; {exc.reason}" if exc.reason else ""))
            return None
    problem = spec.value_problem(raw)
    if problem is not None:
        chk.error(path, f"{what}: {problem}")
        return None
    return float(raw)  # type: ignore[arg-type]


@dataclass(slots=True)
class _Fields:
    """The fields an entry gives that fit (``None``: not given, or refused)."""

    value: float | None = None
    unit: str | None = None
    source: str | None = None
    as_of: str | None = None
    low: float | None = None
    high: float | None = None
    range_source: str | None = None
    note: str | None = None


def _entry(chk: Checker, aid: str, raw: object, base: Assumption | None,
           file_label: str) -> Assumption | None:
    """One assumption from the file: full (shipped file, ``base`` None) or an override."""
    path: yamlio.Path_ = ("assumptions", aid)
    spec = SPEC_BY_ID[aid]
    what = f"assumptions.{aid}"
    if base is not None and not isinstance(raw, dict):  # a bare number
        value = _figure(chk, path, spec, raw, f"{what} ({spec.name})")
        if value is None:
            return None
        where = _where(chk, path, file_label)
        return replace(base, value=value, overridden_by=where,
                       source=f"your file ({where})", as_of=None)
    before = len(chk.problems)
    body = chk.mapping(path, raw, what, required=ENTRY_REQUIRED if base is None else ("value",),
                       optional=ENTRY_KEYS)
    if not body:
        return None
    got = _fields(chk, path, spec, body, what)
    if base is not None and got.unit is not None and got.unit != base.unit:
        chk.error((*path, "unit"), f"{what}.unit: the unit is fixed to {base.unit!r}; "
                                   "convert your figure to it instead")
    _check_range(chk, path, what, got, full=base is None)
    if len(chk.problems) > before or got.value is None:
        return None
    if base is None:
        assert got.unit is not None and got.source is not None
        return Assumption(id=aid, value=got.value, unit=got.unit, source=got.source,
                          as_of=got.as_of, low=got.low, high=got.high,
                          range_source=got.range_source, note=got.note)
    return _merge_entry(base, got, _where(chk, (*path, "value"), file_label))


def _fields(chk: Checker, path: yamlio.Path_, spec: Spec, body: dict[str, object],
            what: str) -> _Fields:
    """The entry's fields that are given and fit (each problem reported)."""
    got = _Fields()
    if "value" in body:
        got.value = _figure(chk, (*path, "value"), spec, body["value"],
                            f"{what}.value ({spec.name})")
    if "low" in body:
        got.low = _figure(chk, (*path, "low"), spec, body["low"], f"{what}.low")
    if "high" in body:
        got.high = _figure(chk, (*path, "high"), spec, body["high"], f"{what}.high")
    texts = {key: _text(chk, (*path, key), body[key], f"{what}.{key}")
             for key in ("unit", "source", "range_source", "note") if key in body}
    got.unit, got.source = texts.get("unit"), texts.get("source")
    got.range_source, got.note = texts.get("range_source"), texts.get("note")
    if "as_of" in body:
        got.as_of = _as_of(chk, (*path, "as_of"), body["as_of"], f"{what}.as_of")
    if ("low" in body) != ("high" in body):
        chk.error(path, f"{what}: give both low and high (the spread the sources show), "
                        "or neither")
    return got


def _check_range(chk: Checker, path: yamlio.Path_, what: str, got: _Fields, *,
                 full: bool) -> None:
    low, high, value = got.low, got.high, got.value
    if low is None or high is None:
        return
    if low > high:
        chk.error((*path, "high"), f"{what}: high {number_text(high)} is below low "
                                   f"{number_text(low)}")
    elif full and value is not None and not low <= value <= high:
        chk.error((*path, "value"), f"{what}: the value {number_text(value)} lies outside its "
                                    f"own range {number_text(low)} to {number_text(high)}")


def _merge_entry(base: Assumption, got: _Fields, where: str) -> Assumption:
    """``base`` overridden by a user file's entry (given at ``where``)."""
    assert got.value is not None
    return replace(
        base, value=got.value, overridden_by=where,
        source=got.source if got.source is not None else f"your file ({where})",
        as_of=got.as_of,
        low=got.low if got.low is not None else base.low,
        high=got.high if got.high is not None else base.high,
        range_source=got.range_source if got.range_source is not None else
        (None if got.low is not None else base.range_source),
        note=got.note if got.note is not None else base.note,
    )


# --------------------------------------------------------------------------- the file


def _meta(chk: Checker, raw: object, sha256: str) -> CostsMeta:
    body = chk.mapping(("costs",), raw, "costs", required=META_KEYS, optional=META_OPTIONAL)
    cid = body.get("id")
    if "id" in body:
        chk.ident(("costs", "id"), cid, "costs.id")
    version = body.get("version")
    if isinstance(version, int | float) and not isinstance(version, bool):
        version = str(version)
    if "version" in body and (not isinstance(version, str) or not _VERSION.fullmatch(version)):
        chk.error(("costs", "version"), f"costs.version: expected a version such as 1.0.0, "
                                        f"found {describe(body.get('version'))}")
    if "currency" in body and body["currency"] != "USD":
        chk.error(("costs", "currency"), "costs.currency: every figure is in USD; found "
                                         f"{describe(body['currency'])}")
    title = _text(chk, ("costs", "title"), body["title"], "costs.title") if "title" in body \
        else ""
    source = _text(chk, ("costs", "source"), body["source"], "costs.source") \
        if "source" in body else ""
    return CostsMeta(id=str(cid), version=str(version), title=title, source=source,
                     sha256=sha256)


def _labels(chk: Checker, raw: object, *, full: bool,
            base: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    body = chk.mapping(("options",), raw, "options",
                       required=OPTION_IDS if full else (), optional=OPTION_IDS)
    have = dict(base)
    for oid in OPTION_IDS:
        if oid in body:
            have[oid] = _text(chk, ("options", oid), body[oid], f"options.{oid}")
    return tuple((oid, have.get(oid, oid)) for oid in OPTION_IDS)


def _top(chk: Checker, top: dict[str, object], *, full: bool) -> None:
    """The top-level keys: known ones only (an assumption id here is a misplaced entry)."""
    for key in top:
        if key not in TOP_KEYS:
            hint = did_you_mean(key, TOP_KEYS)
            if key in SPEC_BY_ID:
                hint = f"; put it under 'assumptions:' ({key}: {describe(top[key])})"
            chk.error((key,), f"unknown key {key!r}{hint}; expected "
                              f"{', '.join(TOP_KEYS)}", key=True)
    if full:
        for key in TOP_KEYS:
            if key not in top:
                chk.error((), f"missing key {key!r}")
    elif "assumptions" not in top and "options" not in top \
            and not any(key in SPEC_BY_ID for key in top):
        chk.error((), "nothing to override: expected 'assumptions' (or 'options')")


def _entries(chk: Checker, top: dict[str, object],
             base: Assumptions | None) -> dict[str, Assumption]:
    entries: dict[str, Assumption] = {}
    if "assumptions" not in top:
        return entries
    raw_all = top["assumptions"]
    body = chk.mapping(("assumptions",), raw_all, "assumptions", open_keys=True)
    for aid, raw in body.items():
        if aid not in SPEC_BY_ID:
            chk.error(("assumptions", aid), f"unknown assumption {aid!r}"
                      f"{did_you_mean(aid, SPEC_BY_ID)}; expected one of "
                      f"{', '.join(SPEC_BY_ID)}", key=True)
            continue
        got = _entry(chk, aid, raw, base[aid] if base else None, chk.doc.source)
        if got is not None:
            entries[aid] = got
    if base is None and isinstance(raw_all, dict):
        for spec in SPECS:
            if spec.id not in raw_all:
                chk.error(("assumptions",), f"assumptions: missing {spec.id!r} ({spec.name})")
    return entries


def parse_costs(doc: yamlio.Document, *, sha256: str = "",
                base: Assumptions | None = None) -> Assumptions:
    """Build the assumptions from a parsed file.

    Without ``base`` the file must be complete (the shipped defaults). With
    ``base`` it overrides only what it names. Raises :class:`InputError` listing
    every problem with its ``file:line:column``.
    """
    chk = Checker(doc)
    full = base is None
    top = doc.data
    if not isinstance(top, dict):
        raise InputError(f"{doc.source}: expected a mapping with 'assumptions' (and optionally "
                         f"'costs' and 'options'), found {describe(top)}")
    _top(chk, top, full=full)
    if base is None:
        meta = _meta(chk, top["costs"], sha256) if "costs" in top else \
            CostsMeta("", "", "", "", sha256)
        labels = _labels(chk, top["options"], full=True, base=()) if "options" in top \
            else tuple((o, o) for o in OPTION_IDS)
    else:
        if "costs" in top:
            _meta(chk, top["costs"], sha256)
        meta = replace(base.meta, overrides_file=doc.source, overrides_sha256=sha256)
        labels = _labels(chk, top["options"], full=False, base=base.labels) \
            if "options" in top else base.labels
    entries = _entries(chk, top, base)
    chk.raise_if_any(InputError, "the cost assumptions" if full else
                     "the cost assumptions file")
    if base is None:
        return Assumptions(entries=tuple(entries[s.id] for s in SPECS), labels=labels,
                           meta=meta)
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
    text, display = yamlio.read_source(name, what=what, max_bytes=limits.max_bytes,
                                       regular_only=True)
    doc = yamlio.parse(text, display, limits)
    return doc, _sha256(text.encode("utf-8")).hexdigest()


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
