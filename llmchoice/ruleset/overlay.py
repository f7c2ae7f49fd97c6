"""Overlays: a rule set that ``extends`` another one and writes down only what differs.

A company keeps its changes in a small file instead of a copy of the default
rule set::

    extends: default                 # or a path, relative to this file
    ruleset: {id: acme, version: 1.0.0, title: ..., source: ...}
    remove_rules: [time-flexible]    # drop base rules by id
    remove_tests: [some base test]   # drop inherited tests by name
    rules:
      - id: budget-large             # an existing id: a patch
        points: {closed: 3}
      - id: acme-on-call             # a new id: a new rule, appended
        when: {support: dedicated}
        points: {closed: 1}
        because: ...
        cites: [...]

How the two files combine (documented for users in ``docs/rules.md``):

* Mappings merge key by key, at any depth; a key set to ``null`` removes the
  base's key (``decision: {mixed: null}`` turns the mixed bonus off).
* Lists replace the base's list whole (``cites``, ``choices``, ``tie_break``,
  ``scenarios``), and so does every ``when`` condition: conditions are never
  merged, because merging two conditions would silently ``and`` them.
* ``questions`` and ``rules`` are matched by ``id``: an entry whose id is in the
  base patches that entry with the rules above; any other entry is new and
  comes after the base's entries, in the overlay's order.
* ``tests``: the base's tests are kept (minus ``remove_tests``) and the
  overlay's are added after them.
* ``paths`` is a mapping, so it merges path by path (add, patch, ``null``
  removes); ``path_rules`` is a list whose order decides, so it is replaced
  whole.
* ``ruleset.id`` is required and must differ from the base's, so a report never
  claims to come from the base when it does not.
* A question the overlay adds must be optional or have a default, so answers
  files written for the base keep working; a question's ``type`` cannot change.

The loader (:mod:`llmchoice.ruleset.load`) reads and validates the base on its
own first (its errors name its own file); this module merges the two documents
*as data*, keeping the position of every value in the file it came from, and the
result is validated like any rule set. So every error still names
``file:line:column`` in the right file.
"""

from __future__ import annotations

from dataclasses import field

from llmchoice.frozen import slotted
from llmchoice.io import yamlio
from llmchoice.io.check import Checker, describe, did_you_mean
from llmchoice.io.errors import Location, RuleSetError
from llmchoice.ruleset.keys import TOP

OVERLAY_KEYS = TOP.overlay_keys
BY_ID = ("questions", "rules")
REPLACE_WHOLE = ("when",)


@slotted
class MergedDocument(yamlio.Document):
    """A document merged from an overlay and its base; each position knows its file."""

    origins: dict[yamlio.Path_, str] = field(default_factory=dict)
    key_origins: dict[yamlio.Path_, str] = field(default_factory=dict)
    extends: tuple[str, ...] = ()  # the base files, nearest first

    def locate(self, path: yamlio.Path_, *, key: bool = False) -> Location:
        if key and path in self.key_marks:
            line, col = self.key_marks[path]
            return Location(self.key_origins.get(path, self.source), line, col)
        probe = tuple(path)
        while True:
            if probe in self.marks:
                line, col = self.marks[probe]
                return Location(self.origins.get(probe, self.source), line, col)
            if not probe:
                return Location(self.source)
            probe = probe[:-1]


def bases(doc: yamlio.Document | None) -> tuple[str, ...]:
    """The files a rule set's document extends, nearest first (empty for a plain rule set)."""
    return doc.extends if isinstance(doc, MergedDocument) else ()


def _origin(doc: yamlio.Document, path: yamlio.Path_, *, key: bool = False) -> str:
    if isinstance(doc, MergedDocument):
        table = doc.key_origins if key else doc.origins
        return table.get(path, doc.source)
    return doc.source


class _Merger:
    def __init__(self, base: yamlio.Document, over: yamlio.Document) -> None:
        self.base = base
        self.over = over
        self.out = MergedDocument(data=None, source=over.source)
        self.chk = Checker(over)

    # -- positions

    def _mark(self, doc: yamlio.Document, src: yamlio.Path_, dst: yamlio.Path_) -> None:
        if src in doc.marks:
            self.out.marks[dst] = doc.marks[src]
            self.out.origins[dst] = _origin(doc, src)

    def _key(self, doc: yamlio.Document, src: yamlio.Path_, dst: yamlio.Path_) -> None:
        if src in doc.key_marks:
            self.out.key_marks[dst] = doc.key_marks[src]
            self.out.key_origins[dst] = _origin(doc, src, key=True)

    def error(self, path: yamlio.Path_, message: str, *, key: bool = False) -> None:
        self.chk.error(path, message, key=key)

    # -- values

    def copy(self, doc: yamlio.Document, src: yamlio.Path_, dst: yamlio.Path_,
             value: object) -> object:
        """``value`` as it is, with the positions of it and everything inside it."""
        self._mark(doc, src, dst)
        if isinstance(value, dict):
            for k, v in value.items():
                self._key(doc, (*src, k), (*dst, k))
                self.copy(doc, (*src, k), (*dst, k), v)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                self.copy(doc, (*src, i), (*dst, i), v)
        return value

    def merge(self, bval: object, oval: object, bpath: yamlio.Path_, opath: yamlio.Path_,
              dst: yamlio.Path_) -> object:
        """Mappings merge key by key (``null`` removes); anything else, and ``when``, replaces."""
        whole = bool(dst) and dst[-1] in REPLACE_WHOLE
        if whole or not isinstance(bval, dict) or not isinstance(oval, dict):
            return self.copy(self.over, opath, dst, oval)
        self._mark(self.over, opath, dst)
        out: dict[str, object] = {}
        for k, v in bval.items():
            if k not in oval:
                self._key(self.base, (*bpath, k), (*dst, k))
                out[k] = self.copy(self.base, (*bpath, k), (*dst, k), v)
            elif oval[k] is not None:
                self._key(self.over, (*opath, k), (*dst, k))
                out[k] = self.merge(v, oval[k], (*bpath, k), (*opath, k), (*dst, k))
        for k, v in oval.items():
            if k not in bval:
                self._key(self.over, (*opath, k), (*dst, k))
                out[k] = self.copy(self.over, (*opath, k), (*dst, k), v)
        return out

    # -- sections

    def names(self, key: str, what: str) -> list[tuple[int, str]]:
        """``remove_rules``/``remove_tests`` as (index, name) pairs, or problems."""
        raw = self.chk.seq((key,), self.over_data().get(key, []), key, of=what)
        out = []
        for i, item in enumerate(raw):
            if not isinstance(item, str) or not item:
                self.error((key, i), f"{key}: expected {what[:-1]}, found {describe(item)}")
                continue
            out.append((i, item))
        return out

    def over_data(self) -> dict[str, object]:
        data = self.over.data
        return data if isinstance(data, dict) else {}

    def by_id(self, key: str, removed: set[str]) -> list[object]:
        base_list = self.base.data.get(key, []) if isinstance(self.base.data, dict) else []
        if not isinstance(base_list, list):  # pragma: no cover - the base was validated
            base_list = []
        base_ids: dict[str, dict[str, object]] = {
            str(b["id"]): b for b in base_list if isinstance(b, dict) and "id" in b}
        over_list = self.chk.seq((key,), self.over_data().get(key, []), key)
        patches: dict[str, int] = {}
        new: list[int] = []
        seen: set[str] = set()
        for j, entry in enumerate(over_list):
            eid = entry.get("id") if isinstance(entry, dict) else None
            if isinstance(eid, str):
                if eid in seen:
                    self.error((key, j, "id"), f"{key}: {eid!r} appears twice in the overlay")
                    continue
                seen.add(eid)
            if isinstance(eid, str) and eid in base_ids and isinstance(entry, dict):
                if eid in removed:
                    self.error((key, j, "id"),
                               f"rule {eid!r} is both patched here and listed in remove_rules")
                    continue
                patches[eid] = j
                self.check_patch(key, j, base_ids[eid], entry)
            else:
                new.append(j)
                if isinstance(entry, dict):
                    self.check_new(key, j, entry, list(base_ids))
        out: list[object] = []
        for i, body in enumerate(base_list):
            bid = body.get("id") if isinstance(body, dict) else None
            if bid in removed:
                continue
            dst: yamlio.Path_ = (key, len(out))
            if isinstance(bid, str) and bid in patches:
                j = patches[bid]
                out.append(self.merge(body, over_list[j], (key, i), (key, j), dst))
            else:
                out.append(self.copy(self.base, (key, i), dst, body))
        for j in new:
            out.append(self.copy(self.over, (key, j), (key, len(out)), over_list[j]))
        return out

    def check_patch(self, key: str, j: int, base: dict[str, object],
                    patch: dict[str, object]) -> None:
        if key != "questions":
            return
        qid = base["id"]
        if "type" in patch and patch["type"] != base.get("type"):
            self.error((key, j, "type"),
                       f"question {qid!r}: an overlay cannot change a question's type "
                       f"(it is {base.get('type')!r} in the base); add a new question instead")
        was_optional = base.get("required", True) is False
        default = patch["default"] if "default" in patch else base.get("default")
        if was_optional and patch.get("required", False) is True and default is None:
            self.error((key, j, "required"),
                       f"question {qid!r} is optional in the base; making it required without "
                       "a default would break answers files written for the base")

    def check_new(self, key: str, j: int, entry: dict[str, object],
                  base_ids: list[str]) -> None:
        eid = entry.get("id")
        if key == "rules":
            missing = [k for k in ("when", "because", "cites") if k not in entry]
            if missing and isinstance(eid, str):
                self.error((key, j, "id"),
                           f"rule {eid!r} is not in the base rule set"
                           f"{did_you_mean(eid, base_ids)}: an entry patches a base rule only "
                           "when its id matches; a new rule needs when, because, cites and "
                           f"points or exclude (missing: {', '.join(missing)})")
            return
        hint = did_you_mean(eid, base_ids) if isinstance(eid, str) else ""
        if entry.get("required", True) is not False and entry.get("default") is None:
            where = (key, j, "required") if "required" in entry else (key, j)
            self.error(where,
                       f"question {eid!r}: a question an overlay adds must be optional "
                       "(required: false) or have a default, so answers files written for the "
                       "base rule set keep working"
                       + (f"; to patch a base question, use its exact id{hint}" if hint else ""))

    def tests(self, removed: set[str]) -> list[object]:
        base_list = self.base.data.get("tests", []) if isinstance(self.base.data, dict) else []
        out: list[object] = []
        for i, body in enumerate(base_list if isinstance(base_list, list) else []):
            if isinstance(body, dict) and body.get("name") in removed:
                continue
            out.append(self.copy(self.base, ("tests", i), ("tests", len(out)), body))
        over_list = self.chk.seq(("tests",), self.over_data().get("tests", []), "tests")
        for j, body in enumerate(over_list):
            out.append(self.copy(self.over, ("tests", j), ("tests", len(out)), body))
        return out

    def run(self) -> MergedDocument:
        bdata = self.base.data if isinstance(self.base.data, dict) else {}
        odata = self.over_data()
        base_rule_ids = [str(r["id"]) for r in bdata.get("rules", [])
                         if isinstance(r, dict) and "id" in r]
        base_tests = [t for t in bdata.get("tests", []) if isinstance(t, dict)]
        removed_rules: set[str] = set()
        for i, rid in self.names("remove_rules", "rule ids"):
            if rid not in base_rule_ids:
                self.error(("remove_rules", i), f"remove_rules: {rid!r} is not a rule of the "
                                                f"base rule set{did_you_mean(rid, base_rule_ids)}")
                continue
            removed_rules.add(rid)
        test_names = [str(t.get("name")) for t in base_tests]
        removed_tests: set[str] = set()
        for i, name in self.names("remove_tests", "test names"):
            if name not in test_names:
                self.error(("remove_tests", i), f"remove_tests: {name!r} is not a test of the "
                                                f"base rule set{did_you_mean(name, test_names)}")
                continue
            removed_tests.add(name)
        self.check_inherited_tests(base_tests, removed_rules, removed_tests)
        self.check_identity(bdata, odata)

        merged: dict[str, object] = {}
        self._mark(self.over, (), ())
        keys = [*bdata, *(k for k in odata if k not in bdata)]
        for key in keys:
            if key in OVERLAY_KEYS:
                continue
            if key in BY_ID:
                self._key(self.over if key in odata else self.base, (key,), (key,))
                self._mark(self.over if key in odata else self.base, (key,), (key,))
                merged[key] = self.by_id(key, removed_rules if key == "rules" else set())
            elif key == "tests":
                self._key(self.over if key in odata else self.base, (key,), (key,))
                self._mark(self.over if key in odata else self.base, (key,), (key,))
                merged[key] = self.tests(removed_tests)
            elif key in odata and key in bdata:
                if odata[key] is None:
                    continue
                self._key(self.over, (key,), (key,))
                merged[key] = self.merge(bdata[key], odata[key], (key,), (key,), (key,))
            elif key in bdata:
                self._key(self.base, (key,), (key,))
                merged[key] = self.copy(self.base, (key,), (key,), bdata[key])
            else:
                self._key(self.over, (key,), (key,))
                merged[key] = self.copy(self.over, (key,), (key,), odata[key])
        self.out.data = merged
        return self.out

    def check_identity(self, bdata: dict[str, object], odata: dict[str, object]) -> None:
        meta = odata.get("ruleset")
        base_meta = bdata.get("ruleset")
        base_id = base_meta.get("id") if isinstance(base_meta, dict) else None
        if not isinstance(meta, dict) or "id" not in meta:
            self.error(("ruleset",) if "ruleset" in odata else (),
                       "an overlay must name itself: give ruleset.id (and version), so "
                       f"reports do not claim to come from the base rule set {base_id!r}")
        elif meta.get("id") == base_id:
            self.error(("ruleset", "id"),
                       f"ruleset.id: the overlay must have its own id, not the base's {base_id!r}")

    def check_inherited_tests(self, base_tests: list[dict[str, object]], removed_rules: set[str],
                              removed_tests: set[str]) -> None:
        """A removed rule named by a kept test would fail to load; say what to do instead."""
        raw = self.over_data().get("remove_rules", [])
        where = ({rid: i for i, rid in enumerate(raw) if isinstance(rid, str)}
                 if isinstance(raw, list) else {})
        for t in base_tests:
            if t.get("name") in removed_tests:
                continue
            expect = t.get("expect")
            if not isinstance(expect, dict):
                continue
            named = [*(expect.get("fired") or []), *(expect.get("not_fired") or [])]
            for rid in sorted(removed_rules.intersection(x for x in named if isinstance(x, str))):
                self.error(("remove_rules", where.get(rid, 0)),
                           f"remove_rules: rule {rid!r} is named by the inherited test "
                           f"{t.get('name')!r}; remove that test too (remove_tests)")


def merge(base: yamlio.Document, over: yamlio.Document) -> MergedDocument:
    """The overlay ``over`` merged onto ``base`` (already validated), or every problem raised.

    The result is ready for :func:`llmchoice.ruleset.parse.build`.
    """
    merger = _Merger(base, over)
    merged = merger.run()
    merger.chk.raise_if_any(RuleSetError, "the overlay")
    merged.extends = (base.source, *bases(base))
    return merged
