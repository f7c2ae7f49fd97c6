"""The ✔ lines the quiz leaves above its prompt: one per answer given in this pass.

:class:`TickLog` is the part of the terminal asker that prints them and keeps them true:
after Back, the lines of the questions asked again are erased (each is one row right above
the cursor, since every prompt erases itself when done), lines already right are kept, and
when the lines to erase have scrolled out of reach the answers so far are listed again.
"""

from __future__ import annotations

import shutil
from typing import IO, TYPE_CHECKING

from llmchoice.quiz.flow import Step
from llmchoice.quiz.words import _fit, answer_text, short_name
from llmchoice.ruleset.conditions import Answer
from llmchoice.ruleset.model import Question

if TYPE_CHECKING:
    from prompt_toolkit.output import Output
    from rich.console import Console


class TickLog:
    """Mixed into the terminal asker, which provides ``ui``, ``pt_output``, ``color``,
    ``width`` and ``console``."""

    ui: IO[str]
    pt_output: Output | None
    color: bool
    _logged: bool
    _shown: list[str]

    if TYPE_CHECKING:
        def width(self) -> int: ...

        def console(self) -> Console: ...

    def _summary(self, q: Question, value: Answer | None) -> str:
        return _fit(f"✔ {short_name(q)}: {answer_text(q, value)}", self.width() - 1)

    def _print_summary(self, line: str) -> None:
        # lazy: rich: terminal output only
        from rich.text import Text

        text = Text(line)
        if self.color:
            text.stylize("green", 0, 1)
        console = self.console()
        if not self._logged:  # one blank line between what came before and the answers
            console.print()
            self._logged = True
        console.print(text)
        self._shown.append(line)

    def _done(self, step: Step, value: Answer | None) -> None:
        self._print_summary(self._summary(step.question, value))

    def _rows(self) -> int:
        if self.pt_output is not None:
            return self.pt_output.get_size().rows
        return shutil.get_terminal_size((80, 24)).lines

    def _sync(self, step: Step) -> None:
        """Make the ✔ lines above the prompt those of ``step.done``: after Back, the lines
        of the questions being asked again are erased (each is one row, right above the
        cursor, since every prompt erases itself); lines already right are kept. When the
        lines to erase have scrolled out of reach, the answers so far are listed again."""
        if step.done is None:
            return
        want = [self._summary(line.question, line.value) for line in step.done]
        keep = 0
        while keep < min(len(want), len(self._shown)) and want[keep] == self._shown[keep]:
            keep += 1
        drop = len(self._shown) - keep
        if drop:
            if drop < self._rows() - 1:
                self.ui.write(f"\x1b[{drop}F\x1b[J")  # up to the first stale line, clear below
                self.ui.flush()
                del self._shown[keep:]
            else:
                self.console().print("↺ Your answers so far:")
                self._shown, keep = [], 0
        for line in want[keep:]:
            self._print_summary(line)


__all__ = ["TickLog"]
