"""``rules test --format json`` and ``--format junit``: the embedded tests' results for CI.

JSON is one object: the rule set, the counts, every test with its place and problems,
the coverage (and the threshold, when given) and the calibration of labelled profiles.
JUnit is the XML that CI systems (GitHub Actions, GitLab, Jenkins) show as a test
report: one ``testsuite`` for the rule set, one ``testcase`` per test with its
``file`` and ``line``, a ``failure`` per failing test, and, with a threshold, a
``coverage`` test case that fails when the coverage is below it.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from llmchoice.authoring.ruletest import Report
from llmchoice.io.textsafe import clean
from llmchoice.ruleset.model import RuleSet


def _coverage(report: Report, threshold: float | None) -> dict[str, object]:
    return {"share": round(report.coverage, 4), "rules": len(report.universe),
            "fired": len(report.universe) - len(report.uncovered),
            "uncovered": [{"rule": u.rule, "location": str(u.location)}
                          for u in report.uncovered],
            "threshold": threshold,
            "below_threshold": threshold is not None and report.coverage < threshold}


def test_json(rs: RuleSet, report: Report, *, threshold: float | None = None) -> dict[str, object]:
    """The results as data (``slack`` is added by ``--slack``)."""
    return {
        "ruleset": {"id": rs.meta.id, "version": rs.meta.version, "source": rs.source},
        "passed": len(report.passed),
        "failed": len(report.failures),
        "tests": [{"name": r.test, "location": str(r.location), "passed": not r.problems,
                   "problems": list(r.problems)} for r in report.results],
        "coverage": _coverage(report, threshold),
        "calibration": [{"test": c.test, "location": str(c.location), "profile": c.profile,
                         "verdict": c.verdict, "path": c.path, "verdict_ok": c.verdict_ok,
                         "path_ok": c.path_ok} for c in report.calibration],
    }


def render_json(rs: RuleSet, report: Report, *, threshold: float | None = None) -> str:
    return json.dumps(test_json(rs, report, threshold=threshold), indent=2,
                      ensure_ascii=False) + "\n"


def render_junit(rs: RuleSet, report: Report, *, threshold: float | None = None,
                 file_name: str | None = None) -> str:
    """JUnit XML; text from the rule set is cleaned of control characters (XML 1.0 cannot
    hold them) and escaped by the XML writer. ``file_name`` is the rule set's file as CI
    should show it (relative to the checkout); its source by default."""
    suite_name = clean(f"{rs.meta.id} {rs.meta.version}")
    failed = len(report.failures)
    below = threshold is not None and report.coverage < threshold
    count = len(report.results) + (1 if threshold is not None else 0)
    failures = failed + (1 if below else 0)
    root = ET.Element("testsuites", name="llmchoice rules test", tests=str(count),
                      failures=str(failures), errors="0")
    suite = ET.SubElement(root, "testsuite", name=suite_name, tests=str(count),
                          failures=str(failures), errors="0", skipped="0")
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", name="coverage", value=f"{report.coverage:.4f}")
    ET.SubElement(props, "property", name="source", value=clean(rs.source))
    file_name = clean(file_name if file_name is not None else rs.source)
    for r in report.results:
        case = ET.SubElement(suite, "testcase", classname=clean(rs.meta.id),
                             name=clean(r.test), file=file_name,
                             line=str(r.location.line or 0))
        if r.problems:
            failure = ET.SubElement(case, "failure", message=clean(r.problems[0]),
                                    type="AssertionError")
            failure.text = clean("\n".join([str(r.location), *r.problems]))
    if threshold is not None:
        case = ET.SubElement(suite, "testcase", classname=clean(rs.meta.id),
                             name=f"coverage >= {threshold:.0%}", file=file_name, line="0")
        if below:
            uncovered = ", ".join(u.rule for u in report.uncovered)
            failure = ET.SubElement(case, "failure", type="AssertionError",
                                    message=f"coverage {report.coverage:.1%} is below "
                                            f"{threshold:.0%}")
            failure.text = clean(f"rules no test fires: {uncovered}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") \
        + "\n"
