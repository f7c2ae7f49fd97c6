"""The terminal asker of the quiz, drawn with questionary (imported here, and lazily).

:class:`QuestionaryAsker` implements :class:`llmchoice.quiz.flow.Asker`.
Each question is one questionary prompt that shows the progress, the prompt,
the question's help and the keys; once answered, the prompt is erased and one
line (``✔ Budget: Minimal: ...``) stays in the scrollback. Keys: arrows and
Enter, Esc (or ← in lists) goes back, Ctrl-C quits, Ctrl-D on an empty answer
ends input (EOFError). Number answers are checked while typing with the same
:func:`llmchoice.answers.validate.coerce` the rest of the program uses.

All text from the rule set passes through :func:`llmchoice.io.textsafe.clean_line`
(prompt_toolkit prints text literally, so no markup escaping is needed there)
and through ``rich.markup.escape`` where rich draws it (the review table).
"""

from __future__ import annotations

import shutil
import sys
import textwrap
from typing import IO, TYPE_CHECKING, Any

from llmchoice.answers.validate import coerce
from llmchoice.io.textsafe import clean_line
from llmchoice.quiz.adaptive import StopOffer
from llmchoice.quiz.flow import Action, Decision, Nav, Review, ReviewLine, Step
from llmchoice.quiz.ticks import TickLog
from llmchoice.quiz.words import _fit, answer_text, number_hint, short_name

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.output import Output
    from rich.console import Console

MIN_WIDTH = 40
MAX_WIDTH = 100
ESC_TIMEOUT = 0.25  # seconds to tell a lone Esc from the start of an arrow key's sequence

NOT_SURE = "Not sure (skip this question)"
BACK = "← Back"


def _line_text(line: ReviewLine) -> str:
    if line.not_asked:
        return "not asked: it could not change the recommendation"
    return answer_text(line.question, line.value)


class QuestionaryAsker(TickLog):
    """Asks in a terminal. ``pt_input``/``pt_output`` are prompt_toolkit's (tests pass a
    pipe and a DummyOutput); ``ui`` receives the summary lines and the review table."""

    def __init__(self, *, pt_input: Input | None = None, pt_output: Output | None = None,
                 ui: IO[str] | None = None, color: bool = True) -> None:
        self.pt_input = pt_input
        self.pt_output = pt_output
        self.ui = ui if ui is not None else sys.stdout
        self.color = color
        self._logged = False
        self._shown = []  # the ✔ lines right above the cursor, in order

    # ------------------------------------------------------------------ helpers

    def width(self) -> int:
        if self.pt_output is not None:
            cols = self.pt_output.get_size().columns
        else:
            cols = shutil.get_terminal_size((80, 24)).columns
        return max(MIN_WIDTH, min(cols, MAX_WIDTH))

    def console(self) -> Console:
        # lazy: rich: terminal output only
        from rich.console import Console

        return Console(file=self.ui, width=self.width(), no_color=not self.color,
                       force_terminal=self.color, color_system="standard" if self.color else None,
                       highlight=False, emoji=False, legacy_windows=False)

    def say(self, text: str) -> None:
        """Print a line of rich markup (callers escape any data in it)."""
        self.console().print(text)

    def _style(self) -> Any:
        # lazy: questionary/prompt_toolkit: the interactive quiz only
        from questionary import Style

        return Style([
            ("qmark", "bold"),
            ("question", "bold"),
            ("instruction", ""),
            ("answer", "bold"),
            ("pointer", "bold"),
            ("highlighted", "bold"),
            ("selected", ""),
            ("separator", ""),
            ("text", ""),
        ])

    def _common(self) -> dict[str, Any]:
        kw: dict[str, Any] = {"style": self._style(), "erase_when_done": True}
        if self.pt_input is not None:
            kw["input"] = self.pt_input
        if self.pt_output is not None:
            kw["output"] = self.pt_output
        return kw

    def _bindings(self, *, back: bool, lists: bool) -> KeyBindings:
        # lazy: questionary/prompt_toolkit: the interactive quiz only
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.keys import Keys

        kb = KeyBindings()

        def go_back(event: Any) -> None:
            event.app.exit(result=Nav.BACK)

        def ignore(event: Any) -> None:
            """Esc where there is nowhere to go back to does nothing."""

        # Esc is always bound, and eagerly. Unbound, Esc then Enter within the escape
        # timeout is prompt_toolkit's Meta-Enter, which accepts the prompt's hidden
        # (empty) input buffer: a list prompt then returned '' instead of a choice.
        kb.add(Keys.Escape, eager=True)(go_back if back else ignore)
        if back and lists:
            kb.add(Keys.Left, eager=True)(go_back)
        if lists:
            @kb.add(Keys.ControlD, eager=True)
            def _eof(event: Any) -> None:
                event.app.exit(exception=EOFError, style="class:aborting")
        return kb

    def _with_bindings(self, question: Any, kb: KeyBindings) -> Any:
        """Add our keys to a list prompt (questionary sets the Application's own)."""
        # lazy: questionary/prompt_toolkit: the interactive quiz only
        from prompt_toolkit.key_binding import merge_key_bindings

        app = question.application
        app.key_bindings = merge_key_bindings([app.key_bindings, kb])
        app.ttimeoutlen = ESC_TIMEOUT
        return question

    def _run(self, question: Any) -> Any:
        """Ask one questionary question; KeyboardInterrupt and EOFError pass through."""
        return question.unsafe_ask()

    def _head(self, step: Step) -> tuple[str, str]:
        """(qmark, message): the progress, then the prompt wrapped to the terminal."""
        width = self.width()
        mark = f"[{step.number}/{step.total}]"
        lines = textwrap.wrap(clean_line(step.question.prompt), width - 2,
                              initial_indent=" " * (len(mark) + 1),
                              subsequent_indent=" " * (len(mark) + 1)) or [""]
        # The blank line before the progress separates the question from the answers
        # above it; it is erased with the prompt.
        return "\n" + mark, "\n".join([lines[0].strip(), *lines[1:]])

    def _help(self, step: Step, keys: str) -> str:
        """The instruction under the prompt: why it is asked now (adaptive), the help, an
        error if any, and the keys."""
        width = self.width()
        q = step.question
        parts: list[str] = []
        if step.why:
            parts += textwrap.wrap("» " + step.why, width - 3, initial_indent="  ",
                                   subsequent_indent="    ")
        if q.help:
            parts += textwrap.wrap(clean_line(q.help), width - 3, initial_indent="  ",
                                   subsequent_indent="  ")
        if step.error:
            parts += textwrap.wrap("! " + clean_line(step.error), width - 3,
                                   initial_indent="  ", subsequent_indent="    ")
        parts += textwrap.wrap(keys, width - 3, initial_indent="  ", subsequent_indent="  ")
        return "\n" + "\n".join(parts)

    def _keys(self, step: Step, kind: str) -> str:
        back = ", Esc back" if step.can_go_back else ""
        if kind == "list":
            return f"(↑/↓ move, Enter choose{back})"
        if kind == "multi":
            return f"(↑/↓ move, Space tick, Enter done{back})"
        return f"(Enter to accept, empty = not sure{back})"

    def _choice(self, title: str, value: object, width: int, *, description: str = "",
                checked: bool = False, explain: bool = True) -> Any:
        """A list entry that fits on one line; when cut, the full label is shown under the
        list (questionary's "Description:" line) while it is pointed at."""
        # lazy: questionary/prompt_toolkit: the interactive quiz only
        from questionary import Choice

        short = _fit(title, width - 8)
        desc = description
        if short != title and explain:
            desc = f"{title}. {description}" if description else title
        desc = _fit(desc, width - len("  Description: ") - 1) if desc else ""
        return Choice(title=short, value=value, description=desc or None, checked=checked)

    def _tail(self, step: Step, width: int) -> list[Any]:
        # lazy: questionary/prompt_toolkit: the interactive quiz only
        from questionary import Choice, Separator

        extra: list[Any] = [self._choice(NOT_SURE, Nav.SKIP, width)]
        if step.can_go_back:
            extra.append(Choice(title=BACK, value=Nav.BACK))
        return [Separator(" "), *extra]

    # ------------------------------------------------------------------ the Asker protocol

    def question(self, step: Step) -> object:
        q = step.question
        self._sync(step)
        if q.type == "number":
            reply = self._number(step)
        elif q.type == "multi":
            reply = self._multi(step)
        else:
            reply = self._select(step)
        if reply is Nav.SKIP:
            self._done(step, None)
        elif reply is not Nav.BACK:
            value, problem = coerce(q, reply, from_text=isinstance(reply, str))
            if not problem:
                self._done(step, value)
        return reply

    def _select(self, step: Step) -> object:
        # lazy: questionary/prompt_toolkit: the interactive quiz only
        import questionary

        q = step.question
        width = self.width()
        if q.type == "confirm":
            choices = [self._choice("Yes", True, width), self._choice("No", False, width)]
        else:
            choices = [self._choice(clean_line(c.label), c.value, width,
                                    description=clean_line(c.help)) for c in q.choices]
        choices += self._tail(step, width)
        # the cursor opens on the previous answer, else the default, else the first real
        # choice: on "Not sure" only when that was the answer (a quick Enter must not skip
        # an optional question that may decide the most)
        default: Any = step.current
        if step.skipped:
            default = Nav.SKIP
        if default is not None and default not in [getattr(c, "value", None) for c in choices]:
            default = None
        mark, message = self._head(step)
        prompt = questionary.select(message, choices=choices, default=default, qmark=mark,
                                    instruction=self._help(step, self._keys(step, "list")),
                                    pointer="»", **self._common())
        return self._run(self._with_bindings(prompt, self._bindings(back=step.can_go_back,
                                                                    lists=True)))

    def _multi(self, step: Step) -> object:
        # lazy: questionary/prompt_toolkit: the interactive quiz only
        import questionary

        q = step.question
        width = self.width()
        have = set(step.current) if isinstance(step.current, tuple) else set()
        choices = [self._choice(clean_line(c.label), c.value, width,
                                description=clean_line(c.help), checked=c.value in have)
                   for c in q.choices]
        choices.append(self._choice(NOT_SURE, Nav.SKIP, width, checked=step.skipped))

        def check(picked: list[Any]) -> bool | str:
            if Nav.SKIP in picked and len(picked) > 1:
                return "'Not sure' goes alone: untick it or the others"
            return True

        mark, message = self._head(step)
        prompt = questionary.checkbox(message, choices=choices, qmark=mark, validate=check,
                                      instruction=self._help(step, self._keys(step, "multi")),
                                      pointer="»", **self._common())
        reply = self._run(self._with_bindings(prompt, self._bindings(back=step.can_go_back,
                                                                     lists=True)))
        if isinstance(reply, list) and Nav.SKIP in reply:
            return Nav.SKIP
        return reply

    def _number(self, step: Step) -> object:
        """A line of text; the questionnaire checks it with coerce and, if refused, asks
        again with the problem shown above the input and the text kept for editing."""
        # lazy: questionary/prompt_toolkit: the interactive quiz only
        import questionary

        q = step.question
        mark, message = self._head(step)
        if step.typed:
            default = step.typed
        elif step.current is None or step.skipped:
            default = ""
        elif isinstance(step.current, float):
            default = f"{step.current:g}"
        else:
            default = str(step.current)
        hint = f"{number_hint(q)}. " + self._keys(step, "number")
        prompt = questionary.text(message, default=default, qmark=mark,
                                  instruction=self._help(step, hint) + "\n  ›",
                                  key_bindings=self._bindings(back=step.can_go_back,
                                                              lists=False),
                                  reserve_space_for_menu=0, **self._common())
        prompt.application.ttimeoutlen = ESC_TIMEOUT
        reply = self._run(prompt)
        if isinstance(reply, str) and not reply.strip():
            return Nav.SKIP
        return reply

    def offer_stop(self, offer: StopOffer) -> object:
        """"The remaining N questions cannot change the recommendation": True to stop,
        False to answer them anyway, or Nav.BACK (Esc)."""
        # lazy: questionary/prompt_toolkit: the interactive quiz only
        import questionary

        n = offer.remaining
        left = "The last question" if n == 1 else f"The remaining {n} questions"
        head = f"{left} cannot change the recommendation ({offer.label})."
        keys = f"(↑/↓ move, Enter choose{', Esc back' if offer.can_go_back else ''})"
        menu = questionary.select(
            "\n".join(textwrap.wrap(head, self.width() - 4)),
            choices=[questionary.Choice("Stop here: review the answers", True),
                     questionary.Choice(f"Answer {'it' if n == 1 else 'them'} anyway", False)],
            qmark="\n»", instruction="\n  " + keys, pointer="»", **self._common())
        reply = self._run(self._with_bindings(menu, self._bindings(back=offer.can_go_back,
                                                                   lists=True)))
        if reply is True:
            self.say(f"✔ Stopped: {'the last question' if n == 1 else f'{n} questions'} "
                     "not needed")
        return reply

    def review(self, review: Review) -> Decision:
        # lazy: questionary/prompt_toolkit: the interactive quiz only; rich: terminal output only
        import questionary
        from rich import box
        from rich.markup import escape
        from rich.table import Table

        self._shown = []  # the table goes below the ✔ lines: they are history now
        while True:
            width = self.width()
            table = Table(title="Your answers", title_justify="left", box=box.SIMPLE_HEAD,
                          show_edge=False, pad_edge=False)
            table.add_column("#", justify="right", no_wrap=True)
            table.add_column("Question", no_wrap=True)
            table.add_column("Answer")
            for n, line in enumerate(review.lines, 1):
                table.add_row(str(n), escape(short_name(line.question)),
                              escape(_line_text(line)))
            console = self.console()
            console.print()
            console.print(table)
            console.print()
            menu = questionary.select(
                "All done. Is this right?",
                choices=[
                    questionary.Choice("Confirm: show the recommendation", Action.CONFIRM),
                    questionary.Choice("Change an answer", Action.CHANGE),
                    questionary.Choice("Start over", Action.START_OVER),
                ],
                qmark="?", instruction="(↑/↓ move, Enter choose)",
                pointer="»", **self._common())
            action = self._run(self._with_bindings(menu, self._bindings(back=False,
                                                                        lists=True)))
            if action is Action.CONFIRM:
                self.say("✔ Confirmed" if not self.color else "[green]✔[/] Confirmed")
                return Decision(Action.CONFIRM)
            if action is Action.START_OVER:
                self.say("↺ Starting over")
                return Decision(Action.START_OVER)
            choices = [self._choice(f"{short_name(line.question)}: "
                                    f"{_line_text(line)}",
                                    line.question.id, width, explain=False)
                       for line in review.lines]
            choices += [questionary.Separator(" "),
                        questionary.Choice("← Back to the review", Nav.BACK)]
            pick = questionary.select(
                "Change which answer?", choices=choices, qmark="?",
                instruction="(↑/↓ move, Enter choose, Esc back)",
                pointer="»", **self._common())
            qid = self._run(self._with_bindings(pick, self._bindings(back=True, lists=True)))
            if isinstance(qid, str):
                return Decision(Action.CHANGE, qid)
