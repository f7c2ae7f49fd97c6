"""Tables, grids and panels for the terminal report, drawn without rich.

They look as rich's did (``Table`` with ``box.SIMPLE``/``SIMPLE_HEAD``, ``Table.grid``,
``Panel`` with ``box.ROUNDED``), and the column widths are worked out as rich works them
out (``Table._calculate_column_widths``): a column is as wide as its longest line, a
table wider than the screen narrows its widest wrapping columns first, and an expanded
table shares the width by the columns' ratios. Text is marked as in
:mod:`llmchoice.report.styled`; every cell is wrapped, never cut inside a word unless
the word is longer than its column.
"""

from __future__ import annotations

from math import ceil

from .styled import Text, cell_len, crop_rendered, pad, style

Block = list[str]
_RULE = "─"


def distribute(total: int, ratios: list[int], minimums: list[int] | None = None) -> list[int]:
    """``total`` shared by ``ratios``, each share rounded up and at least its minimum."""
    mins = minimums if minimums is not None else [0] * len(ratios)
    if minimums is not None:
        ratios = [r if m else 0 for r, m in zip(ratios, minimums, strict=True)]
    left_ratio, left, out = sum(ratios), total, []
    for ratio, minimum in zip(ratios, mins, strict=True):
        share = max(minimum, ceil(ratio * left / left_ratio)) if left_ratio > 0 else left
        out.append(share)
        left_ratio -= ratio
        left -= share
    return out


def reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """``values`` less ``total`` in all, taken by ``ratios``, each cut at most its maximum."""
    ratios = [r if m else 0 for r, m in zip(ratios, maximums, strict=True)]
    left_ratio, left, out = sum(ratios), total, []
    if not left_ratio:
        return values[:]
    for ratio, maximum, value in zip(ratios, maximums, values, strict=True):
        if ratio and left_ratio > 0:
            cut = min(maximum, round(ratio * left / left_ratio))
            out.append(value - cut)
            left -= cut
            left_ratio -= ratio
        else:
            out.append(value)
    return out


def collapse(widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:
    """Narrow the widest wrapping columns, step by step, until the total fits."""
    excess = sum(widths) - max_width
    while any(wrapable) and excess > 0:
        top = max(w for w, ok in zip(widths, wrapable, strict=True) if ok)
        second = max((w if ok and w != top else 0 for w, ok in zip(widths, wrapable,
                                                                    strict=True)), default=0)
        ratios = [1 if ok and w == top else 0 for w, ok in zip(widths, wrapable, strict=True)]
        if not any(ratios) or top == second:
            break
        widths = reduce(excess, ratios, [min(excess, top - second)] * len(widths), widths)
        excess = sum(widths) - max_width
    return widths


class Column:
    """One column: its header, how it aligns, and a fixed ``width`` or a share ``ratio`` of
    an expanded table; ``no_wrap`` cells are cut with "…" instead of wrapped."""

    __slots__ = ("header", "justify", "no_wrap", "ratio", "style", "width")

    def __init__(self, header: str = "", *, justify: str = "left", width: int | None = None,
                 ratio: int | None = None, no_wrap: bool = False, style: str = "") -> None:
        self.header, self.justify, self.width = header, justify, width
        self.ratio, self.no_wrap, self.style = ratio, no_wrap, style


class Table:
    """Rows of marked text under columns. ``grid=True``: no border, no header, ``pad``
    spaces between columns; otherwise a borderless box with a rule under the bold header,
    one space at each edge and ``pad`` spaces around each cell (none at the outer edges
    when not ``pad_edge``). ``expand`` fills the width; ``lines`` puts a blank line
    between rows; ``title`` (marked) is printed above it."""

    def __init__(self, *columns: Column, grid: bool = False, pad: int = 1,
                 pad_edge: bool = True, expand: bool = False, lines: bool = False,
                 title: str | None = None) -> None:
        self.columns, self.grid, self.pad, self.expand = columns, grid, pad, expand
        self.pad_edge, self.lines, self.title = pad_edge and not grid, lines, title
        self.rows: list[tuple[str, ...]] = []
        self.full = 0  # the width of the lines last rendered

    def add_row(self, *cells: str) -> None:
        self.rows.append(cells)

    def _padding(self, i: int) -> tuple[int, int]:
        left = 0 if self.grid else self.pad
        right = self.pad
        if not self.pad_edge and i == 0:
            left = 0
        if not self.pad_edge and i == len(self.columns) - 1:
            right = 0
        return left, right

    def _extra(self) -> int:
        return 0 if self.grid else len(self.columns) + 1

    def _measure(self, texts: list[list[Text]], max_width: int) -> list[int]:
        """Each column's greatest width (its longest line, or its fixed width), padding
        included, at most ``max_width``."""
        out = []
        for i, col in enumerate(self.columns):
            padw = sum(self._padding(i))
            if col.width is not None:
                out.append(min(col.width + padw, max_width))
            else:
                most = max((t.lines_width() for t in texts[i]), default=max_width)
                out.append(min(most + padw, max_width))
        return out

    def widths(self, texts: list[list[Text]], max_width: int) -> list[int]:
        """Column widths with padding, as rich's ``Table._calculate_column_widths``."""
        natural = self._measure(texts, max_width)
        widths = [most or 1 for most in natural]
        cols = self.columns
        ratios = [c.ratio or 0 for c in cols if c.ratio is not None]
        if self.expand and any(ratios):
            fixed = [0 if c.ratio is not None else most
                     for most, c in zip(natural, cols, strict=True)]
            minimums = [(c.width or 1) + sum(self._padding(i)) for i, c in enumerate(cols)
                        if c.ratio is not None]
            shares = iter(distribute(max_width - sum(fixed), ratios, minimums))
            widths = [f + next(shares) if c.ratio is not None else w
                      for f, w, c in zip(fixed, widths, cols, strict=True)]
        total = sum(widths)
        if total > max_width:
            widths = collapse(widths, [c.width is None and not c.no_wrap for c in cols],
                              max_width)
            total = sum(widths)
            if total > max_width:
                widths = reduce(total - max_width, [1] * len(widths), widths, widths)
                total = sum(widths)
            widths = [min(most, w) for most, w in zip(natural, widths, strict=True)]
        if total < max_width and self.expand:
            more = distribute(max_width - total, widths)
            widths = [w + m for w, m in zip(widths, more, strict=True)]
        return widths

    def render(self, width: int, color: bool) -> Block:
        """The table as lines of ``width`` columns at most."""
        header = not self.grid
        heads = [Text.parse(style("bold", c.header), color) for c in self.columns]
        rows = [[Text.parse(style(c.style, cell) if c.style else cell, color)
                 for c, cell in zip(self.columns, row, strict=True)] for row in self.rows]
        texts = [([heads[i]] if header else []) + [r[i] for r in rows]
                 for i in range(len(self.columns))]
        widths = self.widths(texts, width - self._extra())
        full = self.full = sum(widths) + self._extra()
        out: Block = []
        if self.title is not None:
            out.extend(pad(t, full) for t in
                       Text.parse(self.title, color).wrap(full))
        edge, sep = ("", "") if self.grid else (" ", " ")
        if not self.grid:
            out.append(" " * full)
        if header:
            out.extend(self._row(heads, widths, edge, sep, bottom=True))
            out.append(f" {_RULE * (full - 2)} ")
        for n, row in enumerate(rows):
            if n and self.lines:
                out.append(" " * full)
            out.extend(self._row(row, widths, edge, sep))
        if not self.grid:
            out.append(" " * full)
        if full > width:  # columns squeezed to nothing still have their borders
            out = [crop_rendered(line, width) for line in out]
            self.full = width
        return out

    def _row(self, cells: list[Text], widths: list[int], edge: str, sep: str,
             bottom: bool = False) -> Block:
        """One row's lines; its cells hang from the top (a header's stand on the rule)."""
        columns = []
        for i, (cell, col, w) in enumerate(zip(cells, self.columns, widths, strict=True)):
            left, right = self._padding(i)
            inner = w - left - right
            if inner < 1:  # squeezed to nothing: blank, as rich leaves it
                columns.append([" " * w])
                continue
            lines = ([ln.crop(inner) for ln in cell.lines()] if col.no_wrap
                     else cell.wrap(inner, fold=False))
            columns.append([f"{' ' * left}{pad(line, inner, col.justify)}{' ' * right}"
                            for line in lines])
        height = max(len(c) for c in columns)
        for c, w in zip(columns, widths, strict=True):
            blank = [" " * w] * (height - len(c))
            c[:] = blank + c if bottom else c + blank
        return [edge + sep.join(parts) + edge for parts in zip(*columns, strict=True)]


def block(marked: str, width: int, color: bool) -> Block:
    """Marked text wrapped to ``width`` columns."""
    return [line.render() for line in Text.parse(marked, color).wrap(width)]


def panel(title: str, body: list[tuple[str, Table | None]], width: int, border: str,
          color: bool) -> Block:
    """A box with rounded corners the whole ``width`` wide (at least 4), ``title`` (marked)
    in its top edge, holding marked text and tables, one space inside each side."""
    inner = width - 4
    lines: list[str] = []
    for marked, table in body:
        if table is not None:
            lines.extend(t + " " * (inner - table.full) for t in table.render(inner, color))
        else:
            lines.extend(pad(t, inner) for t in Text.parse(marked, color).wrap(inner))
    paint = (lambda s: Text.parse(style(border, s), color).render()) if border else str
    head = Text.parse(style(border, f" {title} "), color).crop(inner, ellipsis=False)
    top = paint("╭─") + head.render() + paint(_RULE * (inner - cell_len(head.plain)) + "─╮")
    side = paint("│")
    out = [top, *(f"{side} {line} {side}" for line in lines)]
    out.append(paint("╰" + _RULE * (width - 2) + "╯"))
    return out


class Screen:
    """The report's lines, at ``width`` columns, styled when ``color``."""

    def __init__(self, width: int, color: bool) -> None:
        self.width, self.color = width, color
        self.out: Block = []

    def print(self, marked: str = "") -> None:
        """Marked text, wrapped to the width, and a new line."""
        self.out.extend(block(marked, self.width, self.color))

    def table(self, table: Table) -> None:
        self.out.extend(table.render(self.width, self.color))

    def panel(self, title: str, body: list[tuple[str, Table | None]], border: str) -> None:
        self.out.extend(panel(title, body, self.width, border, self.color))

    def text(self) -> str:
        """Everything printed, each line without trailing spaces, ending in a new line."""
        return "".join(line.rstrip() + "\n" for line in self.out)


__all__ = ["Block", "Column", "Screen", "Table", "block", "collapse", "distribute", "panel",
           "reduce"]
