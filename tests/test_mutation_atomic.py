"""Atomic writes, checked directly: each message a user reads when a target is refused,
no clobbering, no temp file left behind and the modes files get.

Written to kill the mutants ``.ci/mutation.py atomic`` found alive (docs/testing.md).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from llmchoice.io.atomic import check_target, open_atomic, write_atomic
from llmchoice.io.errors import UsageError


def _refused(path: Path, *, force: bool = False, what: str | None = None) -> str:
    with pytest.raises(UsageError) as info:
        if what is None:
            check_target(path, force=force)
        else:
            check_target(path, force=force, what=what)
    return info.value.message


def test_each_refusal_names_the_option_the_target_and_why(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    assert _refused(tmp_path / "dir", force=True) == \
        f"--output {tmp_path / 'dir'}: is a folder; name a file"
    os.mkfifo(tmp_path / "pipe")
    assert _refused(tmp_path / "pipe", force=True, what="--report") == (
        f"--report {tmp_path / 'pipe'}: is not a regular file (a device, pipe or socket); "
        "llmchoice writes only regular files")
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere")
    assert _refused(tmp_path / "link", force=True) == (
        f"--output {tmp_path / 'link'}: is a symbolic link; llmchoice writes only regular files")
    (tmp_path / "old.md").write_text("x", encoding="utf-8")
    assert _refused(tmp_path / "old.md") == \
        f"--output {tmp_path / 'old.md'}: already exists; add --force to overwrite it"
    assert _refused(tmp_path / "nope" / "r.md") == (
        f"--output {tmp_path / 'nope' / 'r.md'}: the folder {tmp_path / 'nope'} does not exist")


def test_a_parent_that_is_a_file_is_named_with_the_system_reason(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert _refused(tmp_path / "file" / "r.md") == \
        f"--output {tmp_path / 'file' / 'r.md'}: cannot write there (Not a directory)"


def test_a_folder_that_is_not_writable_is_refused(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # root may write anywhere, so the permission check itself is simulated
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == tmp_path
                        else real(p, mode))
    assert _refused(tmp_path / "r.md") == \
        f"--output {tmp_path / 'r.md'}: the folder {tmp_path} is not writable"


def test_names_are_shown_safely(tmp_path: Path) -> None:
    target = tmp_path / "bad\x1bname" / "r.md"
    message = _refused(target)
    assert "\x1b" not in message and message.startswith("--output ")
    assert message.endswith("does not exist") and message.count("bad") == 2


def test_a_relative_name_in_the_current_folder_is_written(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_atomic(Path("r.md"), "hello\n", force=False)
    assert (tmp_path / "r.md").read_text(encoding="utf-8") == "hello\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.md"]


def test_write_atomic_messages_name_the_option(tmp_path: Path) -> None:
    (tmp_path / "r.md").write_text("old", encoding="utf-8")
    for what, shown in ((None, "--output"), ("--summary", "--summary")):
        with pytest.raises(UsageError) as info:
            if what is None:
                write_atomic(tmp_path / "r.md", "new", force=False)
            else:
                write_atomic(tmp_path / "r.md", "new", force=False, what=what)
        assert info.value.message.startswith(f"{shown} {tmp_path / 'r.md'}: already exists")
    assert (tmp_path / "r.md").read_text(encoding="utf-8") == "old"


def test_a_file_that_appears_while_writing_is_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    with pytest.raises(UsageError) as info, open_atomic(out, force=False, what="--out") as fh:
        fh.write("ours")
        out.write_text("theirs", encoding="utf-8")
    assert info.value.message == f"--out {out}: already exists; add --force to overwrite it"
    assert out.read_text(encoding="utf-8") == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]  # no temp file left


def test_force_replaces_a_file_that_appears_while_writing(tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    with open_atomic(out, force=True) as fh:
        fh.write("ours")
        out.write_text("theirs", encoding="utf-8")
    assert out.read_text(encoding="utf-8") == "ours"
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]


def test_a_failure_while_writing_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    with pytest.raises(KeyboardInterrupt), open_atomic(out, force=False) as fh:
        fh.write("half")
        assert len(list(tmp_path.iterdir())) == 1  # the temp file, hidden, next to the target
        temp = next(tmp_path.iterdir()).name  # what a SIGKILL would leave: plainly a temp file
        assert temp.startswith(".r.md.") and temp.endswith(".tmp")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_is_one_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    out = tmp_path / "r.md"
    with pytest.raises(UsageError) as info:
        write_atomic(out, "text", force=True, what="--summary")
    assert info.value.message == f"--summary {out}: cannot write (No space left on device)"
    assert list(tmp_path.iterdir()) == []


def test_no_temp_file_is_one_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def refuse(**kwargs: object) -> tuple[int, str]:
        raise OSError(errno.EDQUOT, "Disk quota exceeded")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(UsageError) as info:
        write_atomic(tmp_path / "r.md", "text", force=False, what="--summary")
    assert info.value.message == \
        f"--summary {tmp_path / 'r.md'}: cannot write there (Disk quota exceeded)"


def test_without_hard_links_a_new_file_is_still_written_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    out = tmp_path / "r.md"
    write_atomic(out, "text", force=False)
    assert out.read_text(encoding="utf-8") == "text"
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]
    other = tmp_path / "other.md"
    with pytest.raises(UsageError) as info, open_atomic(other, force=False) as fh:
        fh.write("ours")
        other.write_text("theirs", encoding="utf-8")  # appears while we write
    assert info.value.message == \
        f"--output {other}: already exists; add --force to overwrite it"
    assert other.read_text(encoding="utf-8") == "theirs"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.md", "r.md"]


def test_modes_follow_the_umask_or_the_replaced_file(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.md", "x", force=False)
        assert (tmp_path / "new.md").stat().st_mode & 0o777 == 0o640
        assert os.umask(0o027) == 0o027  # the umask is left as it was
        (tmp_path / "kept.md").write_text("x", encoding="utf-8")
        (tmp_path / "kept.md").chmod(0o604)
        write_atomic(tmp_path / "kept.md", "y", force=True)
        assert (tmp_path / "kept.md").stat().st_mode & 0o777 == 0o604
    finally:
        os.umask(old)


def test_text_is_utf8_with_the_line_ends_asked_for(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a.md", "é\n", force=False)
    assert (tmp_path / "a.md").read_bytes() == "é\n".encode()
    with open_atomic(tmp_path / "b.csv", force=False, newline="\r\n") as fh:
        fh.write("a\nb\n")
    assert (tmp_path / "b.csv").read_bytes() == b"a\r\nb\r\n"
