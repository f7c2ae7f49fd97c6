"""The terminal report's own layout (``report/styled.py``, ``report/boxes.py``): display
width, wrapping, tables, panels and styles, checked directly and against rich, which laid
the report out before (and still draws the team report), on generated text."""

from __future__ import annotations

import io
import os
import random
import re
import subprocess
import sys
import unicodedata

import pytest
from rich import box
from rich.cells import cell_len as rich_cell_len
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text as RichText

from llmchoice.io.textsafe import clean_line
from llmchoice.report import styled
from llmchoice.report.boxes import Column, Screen, Table, collapse, distribute, panel, reduce
from llmchoice.report.styled import Text, breaks, cell_len, chop, crop_rendered, sgr, style

SGR = re.compile(r"\x1b\[[0-9;]*m")
# narrow characters only: rich strips a wrapped line's trailing space by characters, not
# columns, so with wide characters it cuts some words that fit ("漢字 …"); ours does not
NARROW_CHARS = "abcdefghij klmnop  qrstuvwxyz-é“”’—·█ "
WIDE_CHARS = "ab 漢字 かな 😀 Ａｂ e\u0301 x "


def _rich(renderable: object, width: int) -> str:
    buf = io.StringIO()
    Console(file=buf, width=width, no_color=True, color_system=None, highlight=False,
            emoji=False, legacy_windows=False, force_terminal=False).print(renderable)
    return "".join(line.rstrip() + "\n" for line in buf.getvalue().split("\n")[:-1])


def _ours(lines: list[str]) -> str:
    return "".join(line.rstrip() + "\n" for line in lines)


def _random_text(rng: random.Random, chars: str, words: int) -> str:
    out = []
    for _ in range(words):
        out.append("".join(rng.choice(chars.replace(" ", "")) for _ in
                           range(rng.choice((1, 2, 3, 5, 8, 13, 30)))))
        out.append(rng.choice((" ", " ", " ", "  ", "\n")))
    return "".join(out).strip()


# display width

@pytest.fixture
def fresh_widths() -> None:
    """Widths are remembered per character; these tests work them out anew."""
    styled._WIDTHS.clear()


@pytest.mark.parametrize(("text", "width"), [
    ("plain ascii", 11), ("漢字", 4), ("かなカナ", 8), ("😀", 2), ("Ａｂｃ", 6),
    ("e\u0301", 1),  # e and a combining acute: one column
    ("“quoted” — · █ …", 16), ("", 0),
    ("\u3040", 1),  # unassigned, in a wide block: one column, as rich counts it
    # the ends of the ranges rich counts as nothing: Hangul vowel and final jamo, skin tones
    ("\u1160", 0), ("\u11ff", 0), ("\ud7b0", 0), ("\ud7ff", 0), ("\U0001f3fb", 0),
    ("\U0001f3ff", 0), ("\u115f", 2), ("\U0001f3fa", 2),
])
@pytest.mark.usefixtures("fresh_widths")
def test_cell_len_counts_columns_as_a_terminal_shows_them(text: str, width: int) -> None:
    assert cell_len(text) == width == rich_cell_len(text)


@pytest.mark.usefixtures("fresh_widths")
def test_cell_len_agrees_with_rich_on_the_scripts_text_uses() -> None:
    blocks = (range(0x20, 0x7F), range(0xA0, 0x500), range(0x900, 0x980), range(0x1100, 0x1200),
              range(0x2000, 0x2064), range(0x2500, 0x2600), range(0x3040, 0x3100),
              range(0x4E00, 0x4F00), range(0xAC00, 0xAD00), range(0xFF01, 0xFF60),
              range(0x1F300, 0x1F650))
    sample = [chr(c) for block in blocks for c in block
              if unicodedata.category(chr(c)) != "Cn"]
    assert [c for c in sample if cell_len(c) != rich_cell_len(c)] == []
    # every assigned character: the few left differ by Unicode version (rich's tables are
    # newer than this Python's unicodedata, e.g. the hexagrams became wide)
    every = [chr(c) for c in range(0x20, 0x30000)
             if not 0xD800 <= c < 0xE000 and unicodedata.category(chr(c)) != "Cn"]
    differ = [c for c in every if cell_len(c) != rich_cell_len(c)]
    assert len(differ) < len(every) // 500


# wrapping

def test_words_wrap_greedily_and_never_split_when_they_fit() -> None:
    lines = [t.plain for t in Text("the quick brown fox jumps over the lazy dog").wrap(10)]
    assert lines == ["the quick", "brown fox", "jumps over", "the lazy", "dog"]
    assert all(cell_len(line) <= 10 for line in lines)


def test_a_word_longer_than_the_line_is_folded_at_the_top_level_and_cut_in_a_cell() -> None:
    url = "https://example.org/" + "x" * 30
    folded = [t.plain for t in Text(f"see {url} now").wrap(20)]
    assert folded == ["see", url[:20], url[20:40], url[40:] + " now"]
    assert "".join(folded[1:]).replace(" now", "") == url  # nothing lost
    cut = [t.plain for t in Text(f"see {url} now").wrap(20, fold=False)]
    assert cut == ["see", url[:19] + "…", "now"]


def test_wide_characters_wrap_by_columns_not_characters() -> None:
    text = "漢字かな " * 6
    for width in range(2, 30):
        for line in Text(text).wrap(width):
            assert cell_len(line.plain) <= width
    assert [t.plain for t in Text("漢字かな 漢字かな").wrap(9)] == ["漢字かな", "漢字かな"]
    assert chop("漢字かな", 3) == ["漢", "字", "か", "な"]  # never half a character


def test_narrow_widths_still_fit_and_keep_every_character() -> None:
    text = "a bb ccc dddd 漢字 eeeee"
    for width in (2, 3, 4):
        lines = [t.plain for t in Text(text).wrap(width)]
        assert all(cell_len(line) <= width for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    # one column cannot hold a wide character: it is marked cut rather than overflow
    assert [t.plain for t in Text("a 漢").wrap(1)] == ["a", "…"]


def test_breaks_match_rich_on_generated_text() -> None:
    from rich._wrap import divide_line

    rng = random.Random(7)
    for _ in range(400):
        text = _random_text(rng, WIDE_CHARS + NARROW_CHARS, 12).replace("\n", " ")
        width = rng.randint(2, 40)  # (at 1 rich cuts a wide character into an empty line)
        assert breaks(text, width) == divide_line(text, width), (text, width)
        assert breaks(text, width, fold=False) == divide_line(text, width, fold=False)


def test_top_level_text_wraps_as_rich_printed_it() -> None:
    rng = random.Random(11)
    for _ in range(150):
        text = _random_text(rng, NARROW_CHARS, rng.randint(0, 25))
        width = rng.randint(5, 60)
        screen = Screen(width, color=False)
        screen.print(text)
        assert screen.text() == _rich(RichText(text), width), (text, width)


# tables, grids and panels, against rich

def _both_tables(rng: random.Random) -> tuple[Table, RichTable]:
    n = rng.randint(1, 4)
    kind = rng.choice(("grid", "simple", "simple-expand"))
    cols, rich_cols = [], []
    for i in range(n):
        justify = rng.choice(("left", "right"))
        no_wrap = rng.random() < 0.25
        width = rng.choice((None, None, rng.randint(1, 12)))
        ratio = rng.choice((None, rng.randint(1, 5))) if kind == "simple-expand" else None
        cols.append(Column(f"H{i}", justify=justify, no_wrap=no_wrap, width=width, ratio=ratio))
        rich_cols.append((justify, no_wrap, width, ratio))
    title = "A title" if kind == "simple-expand" and rng.random() < 0.5 else None
    lines = rng.random() < 0.3
    pad_edge = rng.random() < 0.7
    if kind == "grid":
        pad = rng.choice((1, 2))
        ours = Table(*cols, grid=True, pad=pad)
        theirs = RichTable.grid(padding=(0, pad))
    else:
        ours = Table(*cols, pad_edge=pad_edge, expand=kind == "simple-expand", lines=lines,
                     title=title)
        theirs = RichTable(box=box.SIMPLE_HEAD, expand=kind == "simple-expand",
                           header_style="bold", pad_edge=pad_edge, show_lines=lines,
                           title=title, title_justify="left")
    for i, (justify, no_wrap, width, ratio) in enumerate(rich_cols):
        theirs.add_column(f"H{i}", justify="right" if justify == "right" else "left",
                          no_wrap=no_wrap, width=width, ratio=ratio)
    for _ in range(rng.randint(0, 4)):
        cells = [_random_text(rng, NARROW_CHARS, rng.randint(0, 8)) for _ in range(n)]
        ours.add_row(*cells)
        theirs.add_row(*(RichText(c) for c in cells))
    return ours, theirs


def test_tables_and_grids_look_as_rich_drew_them() -> None:
    rng = random.Random(3)
    for case in range(300):
        ours, theirs = _both_tables(rng)
        width = rng.randint(12, 100)
        assert _ours(ours.render(width, color=False)) == _rich(theirs, width), case


def test_empty_cells_and_a_table_without_rows() -> None:
    t = Table(Column("A"), Column("B", justify="right"))
    rt = RichTable(box=box.SIMPLE_HEAD, header_style="bold")
    rt.add_column("A")
    rt.add_column("B", justify="right")
    assert _ours(t.render(30, color=False)) == "\n  A   B\n ───────\n\n" == _rich(rt, 30)
    for cells in (("", ""), ("x", ""), ("", "y")):
        t.add_row(*cells)
        rt.add_row(*cells)
    assert _ours(t.render(30, color=False)) == "\n  A   B\n ───────\n\n  x\n      y\n\n"
    assert _ours(t.render(30, color=False)) == _rich(rt, 30)
    grid, rgrid = Table(Column(), Column(), grid=True), RichTable.grid(padding=(0, 1))
    rgrid.add_column()
    rgrid.add_column()
    grid.add_row("", "")
    rgrid.add_row("", "")
    assert _ours(grid.render(30, color=False)) == "\n" == _rich(rgrid, 30)


def test_panels_look_as_rich_drew_them() -> None:
    rng = random.Random(5)
    for _ in range(60):
        width = rng.randint(20, 100)
        body = _random_text(rng, NARROW_CHARS, rng.randint(1, 30))
        title = _random_text(rng, NARROW_CHARS, rng.randint(1, 8)).replace("\n", " ")
        grid = Table(Column(style="bold", no_wrap=True), Column(), grid=True, pad=2)
        rgrid = RichTable.grid(padding=(0, 2))
        rgrid.add_column(style="bold", no_wrap=True)
        rgrid.add_column()
        for _ in range(rng.randint(0, 3)):
            name, text = "Name", _random_text(rng, NARROW_CHARS, rng.randint(1, 12))
            grid.add_row(name, text)
            rgrid.add_row(name, RichText(text))
        ours = panel(title, [(body, None), ("", grid)], width, "blue", color=False)
        theirs = Panel(Group(RichText(body), rgrid), title=RichText(title), title_align="left",
                       box=box.ROUNDED)
        assert _ours(ours) == _rich(theirs, width), (title, body, width)


def test_a_long_title_is_cut_to_the_panel() -> None:
    lines = panel("T" * 50, [("body", None)], 20, "", color=False)
    assert lines[0] == "╭─ " + "T" * 15 + "─╮"
    assert all(cell_len(line) == 20 for line in lines)


def test_sharing_widths_as_rich_does() -> None:
    from rich._ratio import ratio_distribute, ratio_reduce

    assert distribute(10, [1, 1, 1]) == [4, 3, 3]
    assert distribute(10, [3, 2], [6, 1]) == [6, 4]
    assert distribute(2, [1, 1, 1]) == [1, 1, 0]  # no minimum: a share may be nothing
    assert reduce(4, [1, 1], [10, 1], [10, 10]) == [8, 9]  # the second gives 1 at most
    # the widest narrows to the next widest, then both together
    assert collapse([30, 10, 20], [True, False, True], 40) == [15, 10, 15]
    assert collapse([30, 10], [False, False], 20) == [30, 10]  # nothing may wrap
    rng = random.Random(2)
    for _ in range(300):
        n = rng.randint(1, 5)
        ratios = [rng.randint(0, 4) for _ in range(n)]
        ratios[0] += 1
        values = [rng.randint(0, 40) for _ in range(n)]
        total = rng.randint(0, 80)
        minimums = [rng.randint(1, 5) for _ in range(n)]
        assert distribute(total, ratios, minimums) == ratio_distribute(total, ratios, minimums)
        assert distribute(total, ratios) == ratio_distribute(total, ratios)
        assert reduce(total, ratios, values, values) == ratio_reduce(total, ratios, values, values)
        wrapable = [rng.random() < 0.6 for _ in range(n)]
        assert collapse(values, wrapable, total) == RichTable._collapse_widths(values, wrapable,
                                                                                 total)


# styles

def test_styles_only_in_colour_and_nested_styles_combine() -> None:
    marked = f"plain {style('bold', 'strong ' + style('dim', 'quiet'))} end"
    assert Text.parse(marked, color=False).render() == "plain strong quiet end"
    assert Text.parse(marked, color=True).render() == (
        "plain \x1b[1mstrong \x1b[0m\x1b[1;2mquiet\x1b[0m end")
    assert sgr("green bold") == "\x1b[1;32m" and sgr("") == "" and sgr("sparkly") == ""


def test_styles_survive_wrapping_and_padding() -> None:
    text = Text.parse(style("underline", "one two three four"), color=True)
    lines = [line.render() for line in text.wrap(9)]
    assert lines == ["\x1b[4mone two\x1b[0m", "\x1b[4mthree\x1b[0m", "\x1b[4mfour\x1b[0m"]
    table = Table(Column("Name", justify="right"))
    table.add_row(style("green", "ok"))
    assert table.render(10, color=True) == [
        " " * 8, "  \x1b[1mName\x1b[0m  ", " ────── ", "    \x1b[32mok\x1b[0m  ", " " * 8]
    assert table.render(10, color=False)[3] == "    ok  "


def test_spans_are_kept_through_slices_and_cuts() -> None:
    text = Text("abcdef", ((1, 4, "bold"),))
    assert text.slice(2, 6).spans == ((0, 2, "bold"),)
    assert text.slice(4, 6).spans == ()  # the span ends where the slice starts
    green = Text.parse(style("green", "abcdef"), color=True)
    assert green.crop(4).render() == "\x1b[32mabc\x1b[0m…"
    assert green.crop(4, ellipsis=False).render() == "\x1b[32mabcd\x1b[0m"
    assert Text("漢字x").crop(4).plain == "漢 …"  # half a wide character is a space
    assert Text("漢字x").crop(0).plain == ""
    assert Text("ab", ((0, 1, "sparkly"),)).render() == "ab"  # an unknown style: no escape
    assert Text("").lines_width() == 0 and Text("ab\n漢字x").lines_width() == 5
    assert Text("abcd", ((2, 4, "bold"),)).slice(0, 2).spans == ()  # starts where it ends


def test_an_unclosed_style_runs_to_the_end_and_a_stray_close_is_dropped() -> None:
    opened = f"a{style('bold', 'b')[:-1]}cd"
    assert Text.parse(opened, color=True).spans == ((1, 4, "bold"),)
    assert Text.parse(opened, color=False).plain == "abcd"
    assert Text.parse(style("bold", "")[:-1], color=True).spans == ()  # styles nothing
    nested = style("bold", style("dim", "x")[:-1])[:-1]
    assert Text.parse(nested, color=True).spans == ((0, 1, "bold dim"),)
    assert Text.parse("a\x03b", color=True).render() == "ab"
    assert Text.parse("a\x03b", color=False).plain == "ab"


def test_a_rendered_line_is_cut_by_columns_with_its_styles_closed() -> None:
    assert crop_rendered("\x1b[1mabcdef\x1b[0m", 3) == "\x1b[1mabc\x1b[0m"
    line = "ab\x1b[1mcd\x1b[0mef"
    assert crop_rendered(line, 10) == line  # closed already: nothing added
    assert crop_rendered("漢字", 3) == "漢"


def test_a_coloured_panel_and_screen() -> None:
    grid = Table(Column(style="bold", no_wrap=True), Column(), grid=True, pad=2)
    grid.add_row("Name", "value")
    screen = Screen(24, color=True)
    screen.print(style("underline", "Head"))
    screen.panel("T", [(style("dim", "body") + " text", None), ("", grid)], "blue")
    screen.table(grid)
    lines = screen.text().split("\n")
    assert lines[0] == "\x1b[4mHead\x1b[0m"
    assert lines[1] == ("\x1b[34m╭─\x1b[0m\x1b[34m T \x1b[0m\x1b[34m" + "─" * 17 + "─╮\x1b[0m")
    assert lines[2] == "\x1b[34m│\x1b[0m \x1b[2mbody\x1b[0m text" + " " * 12 + "\x1b[34m│\x1b[0m"
    assert lines[3] == "\x1b[34m│\x1b[0m \x1b[1mName\x1b[0m  value" + " " * 10 + "\x1b[34m│\x1b[0m"
    assert lines[4] == "\x1b[34m╰" + "─" * 22 + "╯\x1b[0m"
    assert lines[5:] == ["\x1b[1mName\x1b[0m  value", ""]
    plain = Screen(24, color=False)
    plain.print("Head")
    plain.panel("T", [("body text", None), ("", grid)], "blue")
    assert [SGR.sub("", line) for line in lines[:5]] == plain.text().split("\n")[:5]
    plain.print()
    assert plain.text().endswith("╯\n\n")  # an empty line


def test_a_header_stands_on_its_rule_and_a_title_keeps_its_style() -> None:
    table = Table(Column("A long header", width=6), Column("B"), title=style("bold", "Title"))
    table.add_row("x", "one\ntwo\nthree")
    lines = table.render(40, color=True)
    assert lines[0] == "\x1b[1mTitle\x1b[0m" + " " * 13
    assert [SGR.sub("", line).rstrip() for line in lines[1:]] == [
        "", "  A long", "  header   B", " " + "─" * 16, "  x        one", "           two",
        "           three", ""]


def test_an_expanded_table_shares_the_width_even_with_short_cells() -> None:
    table = Table(Column("N", width=3), Column("A", ratio=3), Column("B", ratio=1), expand=True)
    table.add_row("1", "a", "b")
    assert [line.rstrip() for line in table.render(40, color=False)] == [
        "", "  N     A                        B", " " + "─" * 38,
        "  1     a                        b", ""]  # as rich draws it


def test_data_cannot_open_a_style_or_send_an_escape() -> None:
    hostile = "a\x01bold red\x02LOUD\x03 \x1b[31mRED\x1b[0m [bold]b[/bold] :smile:"
    shown = Text.parse(f"{style('dim', clean_line(hostile))}", color=True).render()
    assert shown == ("\x1b[2ma\\x01bold red\\x02LOUD\\x03 \\x1b[31mRED\\x1b[0m [bold]b[/bold] "
                     ":smile:\x1b[0m")
    assert SGR.sub("", shown).count("\x1b") == 0
    plain = Text.parse(clean_line(hostile), color=False).plain
    assert plain == clean_line(hostile)  # shown as written, markup and all


# the command line

def _recommend(env: dict[str, str]) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    proc = subprocess.run([sys.executable, "-m", "llmchoice", "recommend", "--defaults",
                           "--format", "terminal"], capture_output=True, text=True,
                          env={**clean, **env}, check=True, timeout=120)
    return proc.stdout


def test_colour_when_forced_never_with_no_color_or_a_dumb_terminal() -> None:
    piped = _recommend({})
    assert "\x1b" not in piped  # not a terminal: plain
    forced = _recommend({"FORCE_COLOR": "1"})
    assert "\x1b[1;4mHow to run it\x1b[0m" in forced
    assert SGR.sub("", forced).replace(" \n", "\n") == piped.replace(" \n", "\n")
    assert "\x1b" not in _recommend({"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b" not in _recommend({"FORCE_COLOR": "1", "TERM": "dumb"})
