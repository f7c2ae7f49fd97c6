"""The cache of parsed rule sets: the same document as parsing, used only for the same
text and parser, JSON only, rewritten when stale or broken, skipped when unwritable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from llmchoice.io import doccache, yamlio
from llmchoice.ruleset.load import _sha256, default_rules_path, load_ruleset

TEXT = default_rules_path().read_text(encoding="utf-8")
SHA = _sha256(TEXT.encode()).hexdigest()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(doccache.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _same(a: yamlio.Document, b: yamlio.Document) -> None:
    assert json.dumps(a.data) == json.dumps(b.data)
    assert a.marks == b.marks and a.key_marks == b.key_marks and a.source == b.source


def test_a_cached_document_is_the_parsed_one(folder: Path) -> None:
    parsed = yamlio.parse(TEXT, "default.yaml")
    first = doccache.parse(TEXT, "default.yaml", SHA)  # parses, then writes the cache
    assert [p.name for p in folder.iterdir()] == \
        [doccache.cache_path(folder, SHA, doccache._parser_key()).name]
    second = doccache.parse(TEXT, "default.yaml", SHA)  # reads it
    _same(first, parsed)
    _same(second, parsed)
    assert second.data is not first.data
    # the whole rule set is the same, built from either
    assert load_ruleset(None) == load_ruleset(None)


def test_stale_broken_or_foreign_files_are_parsed_again_and_rewritten(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doccache.parse(TEXT, "default.yaml", SHA)
    path = doccache.cache_path(folder, SHA, doccache._parser_key())
    good = json.loads(path.read_text(encoding="utf-8"))
    lies = {**good, "data": {"ruleset": {"id": "forged"}}}
    for bad in ["", "{", "null", json.dumps({**lies, "sha256": "0" * 64}),
                json.dumps({**lies, "parser": "another"}), json.dumps({**lies, "format": 0}),
                json.dumps({**good, "marks": [[["a"]], [1]]}),
                json.dumps({**good, "marks": [[["a"]], ["1", 2]]}),
                json.dumps({**good, "key_marks": 3})]:
        path.write_text(bad, encoding="utf-8")
        doc = doccache.parse(TEXT, "default.yaml", SHA)
        assert isinstance(doc.data, dict) and doc.data["ruleset"]["id"] == "llmchoice-default"
        assert json.loads(path.read_text(encoding="utf-8")) == good  # rewritten
    # the same text under another name: another entry (names come from the content)
    other = TEXT + "\n# a comment\n"
    doccache.parse(other, "mine.yaml", _sha256(other.encode()).hexdigest())
    assert len(list(folder.iterdir())) == 2


def test_installs_sharing_a_cache_keep_a_file_each_and_stale_ones_go(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two parsers (two versions, two checkouts) keep a file each for the same text, so
    they do not rewrite one file in turns; a file of another parser (or of the old name
    without one) unwritten for STALE_DAYS days is deleted when a new one is written."""
    doccache.parse(TEXT, "default.yaml", SHA)
    ours = doccache.cache_path(folder, SHA, doccache._parser_key())
    monkeypatch.setattr(doccache, "_parser_key", lambda: "another version")
    doccache.parse(TEXT, "default.yaml", SHA)
    theirs = doccache.cache_path(folder, SHA, "another version")
    assert sorted(folder.iterdir()) == sorted([ours, theirs])
    first = ours.read_text(encoding="utf-8")
    monkeypatch.undo()
    monkeypatch.setenv(doccache.CACHE_ENV, str(folder))
    doccache.parse(TEXT, "default.yaml", SHA)  # reads its own: nothing rewritten
    assert ours.read_text(encoding="utf-8") == first and theirs.exists()
    legacy = folder / f"{SHA}.json"
    legacy.write_text(first, encoding="utf-8")
    old = theirs.stat().st_mtime - (doccache.STALE_DAYS + 1) * 86400
    for stale in (legacy, theirs):
        os.utime(stale, (old, old))
    recent = doccache.cache_path(folder, SHA, "a third version")
    recent.write_text(first, encoding="utf-8")
    ours.unlink()
    doccache.parse(TEXT, "default.yaml", SHA)  # writes ours again, and prunes
    assert sorted(folder.iterdir()) == sorted([ours, recent])


def test_an_edited_parser_does_not_reuse_old_documents(folder: Path) -> None:
    doccache.parse(TEXT, "default.yaml", SHA)
    before = doccache._parser_key()
    scalars = Path(str(doccache.yamlscalars.__file__))
    info = scalars.stat()
    try:
        os.utime(scalars, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
        assert doccache._parser_key() != before
    finally:
        os.utime(scalars, ns=(info.st_atime_ns, info.st_mtime_ns))


def test_unwritable_or_turned_off_cache_still_loads(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(doccache.CACHE_ENV, str(blocker / "cache"))
    assert doccache.parse(TEXT, "d.yaml", SHA).data == yamlio.parse(TEXT, "d.yaml").data
    monkeypatch.setenv(doccache.CACHE_ENV, "")
    assert doccache.cache_dir() is None
    assert doccache.parse(TEXT, "d.yaml", SHA).data == yamlio.parse(TEXT, "d.yaml").data
    monkeypatch.delenv(doccache.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert doccache.cache_dir() == tmp_path / "xdg" / "llmchoice"


def test_errors_in_a_rule_set_are_reported_the_same_with_a_warm_cache(
        folder: Path, tmp_path: Path) -> None:
    """Validation runs on the cached document too: a rule set with a mistake fails with
    the same message, file:line, on the second run as on the first."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(TEXT.replace("version:", "verzion:", 1), encoding="utf-8")
    env = {**os.environ, doccache.CACHE_ENV: str(folder)}
    runs = [subprocess.run([sys.executable, "-m", "llmchoice", "rules", "validate", str(bad)],
                           capture_output=True, text=True, env=env, check=False)
            for _ in range(2)]
    assert len(list(folder.iterdir())) == 1
    assert runs[0].returncode == runs[1].returncode == 2
    assert runs[0].stderr == runs[1].stderr and "bad.yaml:" in runs[0].stderr


def test_a_warm_start_imports_no_pyyaml(folder: Path, tmp_path: Path) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"budget": "minimal"}), encoding="utf-8")
    code = ("import sys; from llmchoice.ruleset.load import load_ruleset; "
            "from llmchoice.answers.validate import read_answers; load_ruleset(None); "
            f"read_answers({str(answers)!r}); print('yaml' in sys.modules)")
    env = {**os.environ, doccache.CACHE_ENV: str(folder)}
    outs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=env, check=True).stdout.strip() for _ in range(2)]
    assert outs == ["True", "False"]  # cold: parsed with PyYAML; warm: from the cache
