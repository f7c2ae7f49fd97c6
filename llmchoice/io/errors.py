"""The project's errors: the core raises only these; the CLI maps them to exit codes."""

from __future__ import annotations

from llmchoice.frozen import frozen
from llmchoice.io.textsafe import clean, clip_quoted


@frozen
class Location:
    """Where a problem is: a file (or ``<stdin>``), and 1-based line and column if known."""

    source: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.source
        if self.column is None:
            return f"{self.source}:{self.line}"
        return f"{self.source}:{self.line}:{self.column}"


@frozen
class Problem:
    """One thing wrong with an input, with where it is."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class LLMChoiceError(Exception):
    """Base class. ``exit_code`` is what the command line exits with."""

    exit_code = 2

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems

    def render(self) -> str:
        """The text printed on stderr: a headline and one line per problem, all made safe
        (control characters escaped, long quoted keys and values cut)."""
        lines = [clean(clip_quoted(self.message))]
        lines.extend(f"  {clean(clip_quoted(str(p)))}" for p in self.problems)
        return "\n".join(lines)


class InputError(LLMChoiceError):
    """A file or stream that cannot be read or parsed (missing, too large, not UTF-8, bad YAML)."""


class AnswersError(LLMChoiceError):
    """Answers that do not fit the rule set's questions."""


class RuleSetError(LLMChoiceError):
    """A rule set that does not load or does not validate."""


class UsageError(LLMChoiceError):
    """A command line that does not make sense (for example ``--output`` onto an existing file)."""


class Interrupted(LLMChoiceError):  # noqa: N818 - it is what happened, not an "error"
    """Ctrl-C or end of input in an interactive session."""

    exit_code = 130
