"""The quiz in a real pseudo-terminal whose screen is emulated (pyte), so that a test
reads what a person sees at 80x24, not the stream of bytes that drew it."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pexpect
import pyte

ROOT = Path(__file__).resolve().parent.parent
UP, DOWN, ENTER, ESC, CTRL_C = "\x1b[A", "\x1b[B", "\r", "\x1b", "\x03"


class ScreenQuiz:
    """``python -m llmchoice quiz ARGS`` at ``cols`` x ``rows``, its screen emulated."""

    def __init__(self, args: list[str], cwd: Path, *, rows: int = 24, cols: int = 80) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "LLMCHOICE_RULES")}
        env.update({"TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1", "NO_COLOR": "1",
                    "COLUMNS": str(cols), "LINES": str(rows)})
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.Stream(self.screen)
        self.raw: list[str] = []
        self.child = pexpect.spawn(sys.executable, ["-m", "llmchoice", "quiz", *args],
                                   cwd=str(cwd), env=env, dimensions=(rows, cols),
                                   encoding="utf-8", timeout=30)

    def _pump(self, wait: float) -> bool:
        """Feed what the quiz printed within ``wait`` seconds to the screen; False at EOF."""
        try:
            chunk = self.child.read_nonblocking(65536, timeout=wait)
        except pexpect.TIMEOUT:
            return True
        except pexpect.EOF:
            return False
        self.raw.append(chunk)
        self.stream.feed(chunk)
        return True

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    def text(self) -> str:
        return "\n".join(self.lines())

    def wait_for(self, text: str, timeout: float = 30) -> None:
        """Until ``text`` is on the screen, and the screen has been still for a moment."""
        end = time.monotonic() + timeout
        while text not in self.text():
            if time.monotonic() > end or not self._pump(0.1):
                raise AssertionError(f"{text!r} never appeared; the screen:\n{self.text()}")
        while self._pump(0.3) and self.child.isalive():
            if not self.child.buffer and not self._pending():
                break

    def _pending(self) -> bool:
        try:
            chunk = self.child.read_nonblocking(65536, timeout=0.05)
        except (pexpect.TIMEOUT, pexpect.EOF):
            return False
        self.raw.append(chunk)
        self.stream.feed(chunk)
        return True

    def wait_any(self, *texts: str, timeout: float = 30) -> str:
        """The first of ``texts`` to be on the screen."""
        end = time.monotonic() + timeout
        while True:
            screen = self.text()
            for text in texts:
                if text in screen:
                    self.wait_for(text)
                    return text
            if time.monotonic() > end or not self._pump(0.1):
                raise AssertionError(f"none of {texts!r} appeared; the screen:\n{screen}")

    def at(self, text: str, keys: str) -> None:
        self.wait_for(text)
        self.child.send(keys)

    def finish(self) -> int:
        while self._pump(0.2):
            pass
        self.child.close()
        assert self.child.exitstatus is not None
        return self.child.exitstatus

    def stop(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)
