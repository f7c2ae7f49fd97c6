"""Rule-set authors who attack: extends that reach out, huge numbers, huge rule sets,
control characters in ids and names, files that are not files. Each ends in one clear
message and exit 2, with no file content echoed; plus a seeded mutation fuzz over rule
sets and overlays.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from llmchoice.authoring.limits import MAX_ANSWER_SPACE, answer_space_size
from llmchoice.cli.app import app
from llmchoice.io import yamlio
from llmchoice.io.errors import LLMChoiceError
from llmchoice.ruleset.limits import MAX_CHOICES, MAX_QUESTIONS, MAX_RULES
from llmchoice.ruleset.load import build, default_rules_path, load_ruleset, read_ruleset

from .conftest import MIDDLE, to_yaml

Write = Callable[[str, str | bytes], Path]
DEFAULT = default_rules_path().read_text(encoding="utf-8")
SECRET = "hunter2-do-not-echo"


def _fails(runner: CliRunner, args: list[str], *, expected: str) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (result.stdout, result.stderr, result.exception)
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert SECRET not in result.stderr and "\x1b" not in result.stderr
    return result.stderr


def _overlay(extends: str) -> str:
    return f"extends: {json.dumps(extends)}\nruleset: {{id: mine, version: 1.0.0}}\n"


# --------------------------------------------------------------------------- extends


@pytest.mark.parametrize("how", ["../ up", "absolute", "symlink out", "symlink loop",
                                 "nul byte", "fifo", "not a rule set", "binary base"])
@pytest.mark.parametrize("path_kind", ["rules validate", "--rules", "LLMCHOICE_RULES",
                                       "rules diff"])
def test_extends_reads_only_rule_sets_in_its_folder(runner: CliRunner, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    how: str, path_kind: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(f"password: {SECRET}\nother: {SECRET}\n")
    folder = tmp_path / "rules"
    folder.mkdir()
    target, expected = {
        "../ up": ("../outside/secret.yaml", "is outside the overlay's folder"),
        "absolute": (str(outside / "secret.yaml"), "is outside the overlay's folder"),
        "symlink out": ("link.yaml", "is outside the overlay's folder"),
        "symlink loop": ("loop1.yaml", "the symbolic links go round in a loop"),
        "nul byte": ("a\x00b.yaml", "a file name cannot hold a NUL byte"),
        "fifo": ("fifo.yaml", "is not a regular file (a FIFO, device or socket)"),
        "not a rule set": ("env.yaml", "is not a rule set (it has no 'ruleset:' mapping at "
                                       "the top); nothing of it is shown"),
        "binary base": ("bin.yaml", "binary data"),
    }[how]
    (folder / "link.yaml").symlink_to(outside / "secret.yaml")
    (folder / "loop1.yaml").symlink_to(folder / "loop2.yaml")
    (folder / "loop2.yaml").symlink_to(folder / "loop1.yaml")
    (folder / "env.yaml").write_text(f"API_KEY: {SECRET}\n{SECRET}: 1\n")
    (folder / "bin.yaml").write_bytes(b"\x00\x01" + SECRET.encode())
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "fifo.yaml")
    elif how == "fifo":  # pragma: no cover - not POSIX
        pytest.skip("no FIFOs here")
    over = folder / "over.yaml"
    over.write_text(_overlay(target))
    answers = tmp_path / "a.yaml"
    answers.write_text(to_yaml(MIDDLE))
    args = {"rules validate": ["rules", "validate", str(over)],
            "--rules": ["recommend", str(answers), "--rules", str(over)],
            "LLMCHOICE_RULES": ["questions"],
            "rules diff": ["rules", "diff", "default", str(over)]}[path_kind]
    if path_kind == "LLMCHOICE_RULES":
        monkeypatch.setenv("LLMCHOICE_RULES", str(over))
    err = _fails(runner, args, expected=expected)
    assert f"{over}:1:10: extends:" in err  # names the line of the overlay


def test_extends_may_read_an_allowed_folder(runner: CliRunner, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "base.yaml").write_text(DEFAULT)
    mine = tmp_path / "team"
    mine.mkdir()
    over = mine / "over.yaml"
    over.write_text(_overlay("../shared/base.yaml"))
    _fails(runner, ["rules", "validate", str(over)], expected="is outside the overlay's folder")
    monkeypatch.setenv("LLMCHOICE_EXTENDS_PATH", f"/nonexistent{os.pathsep}{shared}")
    result = runner.invoke(app, ["rules", "validate", str(over)])
    assert result.exit_code == 0, result.stderr
    (mine / "sub").mkdir()
    (mine / "sub" / "base.yaml").write_text(DEFAULT)  # below its own folder: always fine
    over.write_text(_overlay("sub/base.yaml"))
    monkeypatch.delenv("LLMCHOICE_EXTENDS_PATH")
    assert runner.invoke(app, ["rules", "validate", str(over)]).exit_code == 0


@pytest.mark.parametrize("path_kind", ["--rules", "LLMCHOICE_RULES", "cost --assumptions"])
def test_a_fifo_as_rule_set_or_assumptions_is_refused_not_waited_on(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        path_kind: str) -> None:
    if not hasattr(os, "mkfifo"):  # pragma: no cover - not POSIX
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    args = {"--rules": ["questions", "--rules", str(fifo)], "LLMCHOICE_RULES": ["questions"],
            "cost --assumptions": ["cost", "-n", "10", "--assumptions", str(fifo)]}[path_kind]
    if path_kind == "LLMCHOICE_RULES":
        monkeypatch.setenv("LLMCHOICE_RULES", str(fifo))
    _fails(runner, args, expected="is not a regular file (a FIFO, device or socket)")


def test_a_fifo_of_answers_without_a_writer_reads_as_empty(runner: CliRunner,
                                                           tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):  # pragma: no cover - not POSIX
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "answers.yaml"
    os.mkfifo(fifo)
    _fails(runner, ["recommend", str(fifo)], expected="is empty")


def test_a_rule_set_that_is_text_is_not_echoed(runner: CliRunner, write: Write) -> None:
    path = write("passwd", f"root:x:0:0:{SECRET}:/root:/bin/bash\ndaemon:x:1:1\n")
    _fails(runner, ["rules", "validate", str(path)],
           expected="rule set: expected a mapping, found text (not shown)")


# --------------------------------------------------------------------------- numbers


NUMBER_FIELDS = [
    ("points", "points: {open: 3}", "points: {{open: {}}}"),
    ("two points", "points: {open: 3}", "points: {{open: {}, closed: {}}}"),
    ("question max", "    max: 100000000\n", "    max: {}\n"),
    ("question min", "    min: 0\n", "    min: {}\n"),
    ("condition", "{monthly_tokens: {gte: 4000}}", "{{monthly_tokens: {{gte: {}}}}}"),
    ("mixed min_points", "    min_points: 0\n", "    min_points: {}\n"),
    ("mixed weight", "    weight: 1.4\n", "    weight: {}\n"),
    ("min_confidence", "min_confidence: 0.5}", "min_confidence: {}}}"),
]
HUGE = ["1e308", "-1e308", "1.5e308", "9" * 400, "-" + "9" * 400, "9" * 5000, "1e13"]


@pytest.mark.parametrize("value", HUGE, ids=lambda v: v[:8] + f"({len(v)})")
@pytest.mark.parametrize(("name", "old", "new"), NUMBER_FIELDS, ids=[f[0] for f in NUMBER_FIELDS])
def test_huge_numbers_in_a_rule_set_are_refused(runner: CliRunner, write: Write, name: str,
                                                old: str, new: str, value: str) -> None:
    assert old in DEFAULT
    rules = write("r.yaml", DEFAULT.replace(old, new.format(value, value), 1))
    for args in (["recommend", "--defaults", "--format", "json", "--rules", str(rules)],
                 ["rules", "analyze", str(rules)]):
        err = _fails(runner, args, expected="r.yaml:")
        assert "int_max_str_digits" not in err
        if len(value) < 100:
            assert re.search(r"expected|too many digits|over the limit", err), err


def test_the_largest_points_allowed_give_finite_json(runner: CliRunner, write: Write) -> None:
    """Every rule at the limit of points, all firing: scores stay finite JSON numbers."""
    text = re.sub(r"points: \{open: 3\}", "points: {open: 1000000, closed: -1000000}", DEFAULT)
    rules = write("r.yaml", text)
    result = runner.invoke(app, ["recommend", "--defaults", "--set", "budget=minimal",
                                 "--format", "json", "--rules", str(rules)])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout, parse_constant=lambda c: pytest.fail(f"not JSON: {c}"))
    assert data["scores"]["open"] >= 1_000_000 and 0 <= data["confidence"] <= 1


@pytest.mark.parametrize("value", ["1e-320", "0.0000001"])
def test_points_too_small_to_score_are_refused(runner: CliRunner, write: Write,
                                               value: str) -> None:
    rules = write("r.yaml", DEFAULT.replace("points: {open: 3}", f"points: {{open: {value}}}", 1))
    _fails(runner, ["rules", "validate", str(rules)], expected="expected 0 or at least 0.000001")


@pytest.mark.parametrize("entry", [
    "gpu.hourly_usd: {n}", "assumptions: {{gpu.hourly_usd: {n}}}",
    "assumptions: {{gpu.hourly_usd: {{value: 2, low: 1, high: {n}}}}}",
    "assumptions: {{self_host.small.gpus_per_replica: {n}}}",
    "assumptions: {{self_host.small.throughput: {n}}}",
])
@pytest.mark.parametrize("value", ["1e308", "9" * 400, "9" * 5000, "-1e308"],
                         ids=lambda v: v[:6] + f"({len(v)})")
def test_huge_numbers_in_cost_assumptions_are_refused(runner: CliRunner, write: Write,
                                                      entry: str, value: str) -> None:
    path = write("c.yaml", entry.format(n=value) + "\n")
    err = _fails(runner, ["cost", "-n", "100", "--assumptions", str(path)], expected="c.yaml")
    assert "int_max_str_digits" not in err and len(err) < 2000


# --------------------------------------------------------------------------- size limits


def _generated(n_rules: int) -> str:
    extra = "".join(
        f"  - id: gen-{i}\n    when: {{budget: minimal}}\n    points: {{open: 1}}\n"
        f"    because: Generated.\n    cites: [open.democratized-access]\n"
        for i in range(n_rules))
    return DEFAULT.replace("\nrules:\n", "\nrules:\n" + extra, 1)


def test_rule_count_limit(runner: CliRunner, write: Write) -> None:
    base = len(load_ruleset("default").rules)
    at = write("at.yaml", _generated(MAX_RULES - base))
    result = runner.invoke(app, ["recommend", "--defaults", "--set", "budget=minimal",
                                 "--format", "json", "--rules", str(at)])
    assert result.exit_code == 0, result.stderr
    over = write("over.yaml", _generated(MAX_RULES - base + 1))
    _fails(runner, ["rules", "validate", str(over)],
           expected=f"rules: {MAX_RULES + 1:,} rules is over the limit of {MAX_RULES:,}")


def _space(questions: int, choices: int) -> str:
    qs = "".join(
        f"  - id: q{i}\n    title: Q{i}\n    prompt: Q{i}?\n    type: choice\n    choices: ["
        + ", ".join(f"{{value: v{j}, label: V{j}}}" for j in range(choices)) + "]\n"
        for i in range(questions))
    rules = "".join(f"  - id: r{i}\n    when: {{q{i}: v0}}\n    points: {{a: 1}}\n"
                    f"    because: B.\n    cites: [t]\n" for i in range(questions))
    return ("ruleset: {id: big, version: 1.0.0, title: Big, source: test}\n"
            "outcomes:\n  a: {label: A, summary: A.}\n  b: {label: B, summary: B.}\n"
            "tradeoffs:\n  t: {side: both, kind: consideration, title: T, text: T.}\n"
            f"questions:\n{qs}rules:\n{rules}decision: {{tie_break: [a, b]}}\n")


@pytest.mark.parametrize("command", [["rules", "analyze"], ["rules", "analyze", "--monotonicity"],
                                     ["rules", "diff", "{same}"]])
def test_an_astronomical_answer_space_is_refused_with_its_size(runner: CliRunner, write: Write,
                                                              command: list[str]) -> None:
    rules = write("big.yaml", _space(28, 5))  # 5^28, about 3.7 x 10^19
    assert answer_space_size(load_ruleset(rules)) > MAX_ANSWER_SPACE
    args = [*command, str(rules)]
    if "{same}" in args:
        args = ["rules", "diff", str(rules), str(rules)]
    _fails(runner, args, expected="about 3.7 x 10^19 combinations of answers (28 questions) "
                                  "is over the limit of 10^18")
    assert runner.invoke(app, ["recommend", "--rules", str(rules), "--format", "json",
                               "--set", "q0=v0", *(f"--set=q{i}=v1" for i in range(1, 28))]
                         ).exit_code == 0  # recommend does not walk the space


def test_exhaustive_has_its_own_limit(runner: CliRunner, write: Write) -> None:
    rules = write("mid.yaml", _space(12, 5))  # 5^12, about 2.4 x 10^8
    _fails(runner, ["rules", "analyze", "--exhaustive", str(rules)],
           expected="over the limit of 10,000,000 for --exhaustive")


def test_choice_and_question_limits(runner: CliRunner, write: Write) -> None:
    _fails(runner, ["rules", "validate", str(write("c.yaml", _space(1, MAX_CHOICES + 1)))],
           expected=f"{MAX_CHOICES + 1:,} choices is over the limit of {MAX_CHOICES}")
    _fails(runner, ["rules", "validate", str(write("q.yaml", _space(MAX_QUESTIONS + 1, 2)))],
           expected=f"{MAX_QUESTIONS + 1} questions is over the limit of {MAX_QUESTIONS}")


# --------------------------------------------------------------------------- ids and names


ID_ATTACKS = [
    ("rule id with a final newline", "- id: budget-minimal\n", '- id: "budget-minimal\\n"\n',
     "expected an id"),
    ("choice value with a final newline", "{value: minimal,", '{value: "minimal\\n",',
     "expected a word of letters"),
    ("outcome label with ESC", "label: Open-source LLM", 'label: "Open\\e[2J LLM"',
     "a control character (U+001B) is not allowed in a name"),
    ("title with a newline", "title: Budget\n", 'title: "Bud\\nget"\n',
     "a line break or tab (U+000A) is not allowed in a name"),
    ("test name with a bidi override", "- name: solo researcher", '- name: "solo \\u202eresearcher',
     "a control character (U+202E) is not allowed in a name"),
]


@pytest.mark.parametrize(("name", "old", "new", "expected"), ID_ATTACKS,
                         ids=[a[0] for a in ID_ATTACKS])
def test_ids_and_names_refuse_control_characters(runner: CliRunner, write: Write, name: str,
                                                 old: str, new: str, expected: str) -> None:
    assert old in DEFAULT
    text = DEFAULT.replace(old, new, 1)
    if name.startswith("test name"):
        text = text.replace('"solo \\u202eresearcher', '"solo \\u202eresearcher"', 1)
        line = next(x for x in text.splitlines() if "\\u202e" in x)
        text = text.replace(line, line.split('"')[0] + '"solo \\u202eresearcher on a budget"')
    rules = write("r.yaml", text)
    err = _fails(runner, ["rules", "validate", str(rules)], expected=expected)
    assert "\u202e" not in err and "\n\n" not in err


def test_a_megabyte_key_is_named_not_echoed(runner: CliRunner, write: Write) -> None:
    key = "k" * 1_000_000  # an explicit key ('? '): a plain one may not be this long
    for args, content in ((["recommend"], f"? {key}\n: 1\n"),
                          (["rules", "validate"],
                           DEFAULT.replace("\ndecision:", f"\n? {key}\n: 1\ndecision:", 1))):
        path = write("big.yaml", content)
        result = runner.invoke(app, [*args, str(path)])
        assert result.exit_code == 2
        assert "k" * 60 + "…" in result.stderr and "k" * 61 not in result.stderr
        assert len(result.stderr) < 5000


@pytest.mark.parametrize("path_kind", ["recommend", "--rules", "extends", "cost --assumptions"])
def test_utf16_files_are_named_as_such(runner: CliRunner, write: Write, tmp_path: Path,
                                       path_kind: str) -> None:
    utf16 = write("u16.yaml", to_yaml(MIDDLE).encode("utf-16"))
    good = write("good.yaml", to_yaml(MIDDLE))
    args = {"recommend": ["recommend", str(utf16)],
            "--rules": ["recommend", str(good), "--rules", str(utf16)],
            "extends": ["rules", "validate", str(write("o.yaml", _overlay("u16.yaml")))],
            "cost --assumptions": ["cost", "-n", "1", "--assumptions", str(utf16)]}[path_kind]
    _fails(runner, args, expected="UTF-16 text; save it as UTF-8")


# --------------------------------------------------------------------------- mutation fuzz


def _mutate(rng: random.Random, data: bytes) -> bytes:
    pos = rng.randrange(len(data))
    choice = rng.randrange(6)
    if choice == 0:  # flip a byte
        return data[:pos] + bytes([rng.randrange(256)]) + data[pos + 1:]
    if choice == 1:  # cut
        return data[:pos]
    if choice == 2:  # splice a slice from elsewhere
        other = rng.randrange(len(data))
        return data[:pos] + data[other:other + rng.randrange(1, 80)] + data[pos:]
    if choice == 3:  # a hostile token
        token = rng.choice([b"1e308", b"9" * 400, b"-1e999", b'"\\e[2J"', b"\n",
                            b"!!python/name:os.system ", b"*x", b"&x ", b"{", b"]",
                            b'"a\\nb"', b"\xff\xfe", b"\x00"])
        return data[:pos] + token + data[pos:]
    if choice == 4:  # duplicate a line
        lines = data.split(b"\n")
        i = rng.randrange(len(lines))
        return b"\n".join([*lines[:i], lines[i], *lines[i:]])
    return data[:pos] + data[pos + rng.randrange(1, 40):]  # delete a run


def _load_only_our_errors(path: Path) -> bool:
    try:
        doc, sha = read_ruleset(path)
        build(doc, sha256=sha)
    except LLMChoiceError as exc:
        text = exc.render()
        assert "\x1b" not in text and "int_max_str_digits" not in text
        return False
    return True


@pytest.mark.slow
def test_mutation_fuzz_over_rule_sets_and_overlays(tmp_path: Path,
                                                   fuzz_rounds: Callable[[int], int]) -> None:
    """Valid rule sets and overlays mutated with a fixed seed: each loads or fails with our
    error, never anything else (no traceback, no hang, no overflow). (The seeded
    sequence's first third in an ordinary run, all of it in the full run.)"""
    rng = random.Random(20261203)
    rules_bytes = DEFAULT.encode()
    acme = Path(__file__).resolve().parent.parent / "examples" / "acme-overlay.yaml"
    over_bytes = acme.read_bytes()
    path = tmp_path / "r.yaml"
    accepted = tried = 0
    for n in range(fuzz_rounds(260)):
        overlay = n % 2 == 1
        data = over_bytes if overlay else rules_bytes
        for _ in range(rng.randrange(1, 4)):
            data = _mutate(rng, data)
        path.write_bytes(data)
        tried += 1
        accepted += _load_only_our_errors(path)
    assert tried == fuzz_rounds(260) and 0 < accepted < tried


@pytest.mark.slow
def test_mutation_fuzz_documents_parse_or_fail_cleanly(
        fuzz_rounds: Callable[[int], int]) -> None:
    rng = random.Random(7)
    data = DEFAULT.encode()
    for _ in range(fuzz_rounds(150)):
        mutated = _mutate(rng, data)
        with contextlib.suppress(LLMChoiceError):
            yamlio.parse(yamlio.decode(mutated, "m.yaml"), "m.yaml")
