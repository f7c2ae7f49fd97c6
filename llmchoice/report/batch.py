"""The text of ``batch --summary``: lines per outcome, with bars on a terminal, and the most
common deciding answers (counted by :class:`llmchoice.batch.stream.Summary`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from llmchoice.io.textsafe import clean_line
from llmchoice.report.fit import fit

if TYPE_CHECKING:
    from llmchoice.batch.stream import Summary


def render_summary(summary: Summary, source: str, *, bars: bool, top: int = 5,
                   width: int = 100) -> str:
    """The summary as lines of text fitted to ``width``; ``bars`` adds a bar per outcome
    (for a terminal)."""
    total = summary.scored
    lines = [f"Summary of {clean_line(source)}: {total:,} line{'s' if total != 1 else ''} "
             f"scored, {summary.bad:,} bad"]
    label_w = max((len(o) for o in summary.outcomes), default=6)
    count_width = max(len(f"{n:,}") for n in [total, *summary.counts.values()])
    for o in summary.outcomes:
        n = summary.counts.get(o, 0)
        share = n / total if total else 0.0
        text = f"  {clean_line(o):<{label_w}}  {n:>{count_width},}  {share:>6.1%}"
        if bars:
            text += "  " + bar(share)
        lines.append(text.rstrip())
    if summary.deciding:
        lines.append("Most common deciding answers (lines where the answer was behind "
                     "the largest reason for the winner):")
        for (answer, outcome), n in sorted(summary.deciding.items(),
                                           key=lambda kv: (-kv[1], kv[0]))[:top]:
            lines.append(f"  {n:>{count_width},}  {clean_line(answer)} -> "
                         f"{clean_line(outcome)}")
    # the first line names the input, as a diagnostic names its file: it stays whole
    return "\n".join([lines[0], *fit(lines[1:], width)]) + "\n"


def bar(share: float, width: int = 30) -> str:
    """A share in [0, 1] as a bar of ``width`` cells, in eighths of a cell."""
    eighths = round(share * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + ("▏▎▍▌▋▊▉"[part - 1] if part else "")


__all__ = ["bar", "render_summary"]
