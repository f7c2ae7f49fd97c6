"""How to run the verdict: the ``paths:`` and ``path_rules:`` sections.

A path is one way to run an outcome (``open.hosted-api``); the path rules, in
file order, choose one for the winning outcome. Both are checked here against
the outcomes, the questions and the trade-offs; the engine does the choosing.
"""

from __future__ import annotations

from llmchoice.io import yamlio
from llmchoice.io.check import Checker
from llmchoice.ruleset import keys
from llmchoice.ruleset.model import HOSTINGS, Path, PathRule, Question, Tradeoff
from llmchoice.ruleset.parse_conditions import parse_condition
from llmchoice.ruleset.parse_refs import parse_beyond_article, parse_cites, path_id


def parse_paths(chk: Checker, raw: object, outcomes: tuple[str, ...]) -> tuple[Path, ...]:
    """The optional ``paths:`` mapping, in file order."""
    out: list[Path] = []
    for pid, body in chk.mapping(("paths",), raw, "paths").items():
        path: yamlio.Path_ = ("paths", pid)
        chk.ident(path, pid, "path id")
        what = f"path {pid!r}"
        if pid in outcomes:
            chk.error(path, f"{what}: a path id must differ from every outcome id "
                            f"({', '.join(outcomes)}); name it after its outcome, such as "
                            f"'{pid}.hosted-api'", key=True)
        b = chk.mapping(path, body, what, required=keys.PATH.required,
                        optional=keys.PATH.optional)
        if not b:
            continue
        outcome = hosting = None
        if "outcome" in b:  # a missing key is reported by the mapping check
            outcome = chk.one_of((*path, "outcome"), b["outcome"], outcomes, f"{what} outcome")
        if "hosting" in b:
            hosting = chk.one_of((*path, "hosting"), b["hosting"], HOSTINGS, f"{what} hosting")
        text = {key: chk.text((*path, key), b[key], f"{what} {key}")
                for key in ("label", "summary") if key in b}
        cost_option = ""
        if "cost_option" in b:
            cost_option = chk.ident((*path, "cost_option"), b["cost_option"],
                                    f"{what} cost_option")
        out.append(Path(id=pid, outcome=outcome or "", label=text.get("label", ""),
                        summary=text.get("summary", ""), hosting=hosting or "",
                        cost_option=cost_option, line=chk.line(path)))
    return tuple(out)


def parse_path_rules(chk: Checker, raw: object, questions: dict[str, Question],
                     paths: tuple[str, ...],
                     tradeoffs: dict[str, Tradeoff]) -> tuple[PathRule, ...]:
    """The optional ``path_rules:`` list, in file order (the order they are tried in)."""
    out: list[PathRule] = []
    for i, body in enumerate(chk.seq(("path_rules",), raw, "path_rules")):
        path: yamlio.Path_ = ("path_rules", i)
        what = f"path_rules[{i}]"
        b = chk.mapping(path, body, what, required=keys.PATH_RULE.required,
                        optional=keys.PATH_RULE.optional)
        if not b:
            continue
        pid = path_id(chk, (*path, "path"), b.get("path"), paths, f"{what} path")
        when = None
        if "when" in b:
            when = parse_condition(chk, (*path, "when"), b["when"], questions, f"{what} when")
        beyond = None
        if "beyond_article" in b:
            beyond = parse_beyond_article(chk, (*path, "beyond_article"), b["beyond_article"],
                                          what)
        cost_option = ""
        if "cost_option" in b:
            cost_option = chk.ident((*path, "cost_option"), b["cost_option"],
                                    f"{what} cost_option")
        out.append(PathRule(
            path=pid or "", when=when, beyond_article=beyond, line=chk.line(path),
            cost_option=cost_option,
            because=chk.text((*path, "because"), b.get("because"), f"{what} because"),
            cites=parse_cites(chk, (*path, "cites"), b.get("cites"), tradeoffs, what),
        ))
    return tuple(out)
