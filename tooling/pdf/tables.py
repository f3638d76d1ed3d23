"""Column widths for the PDF edition's tables, chosen before Typst lays them out.

Typst's ``auto`` columns share the width by content and let a heading such as 楼宇/单元/门牌号
wrap as 楼宇/单元/门 + 牌号, or a cell end with one character alone on its last line (门/牌号,
情/况); a date or a run of ××××××××, which cannot break, then runs over its border. Here
each column gets at least its longest unbreakable run, the rest is shared as CSS's automatic
table layout does (by how much each column wants beyond its minimum), and then columns whose
cells would leave one character alone on a line take width from columns that can spare it.

Widths are estimated from character classes (a Han character or full-width mark is 1 em,
Latin letters and digits a little over half), with the metrics of Noto Serif SC, the widest of
the fonts the edition uses; the estimate only has to be close, since the writer also ties the
last two Han characters of every paragraph and cell together (:func:`tie_point`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Characters that may not start a line (closing marks) or end one (opening marks).
_NO_START = set("，。、；：！？）》」』】〕’”…%·/")
_NO_END = set("（《「『【〔‘“")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def is_wide(ch: str) -> bool:
    """A character that breaks like a Han character (ideographs, full-width marks)."""
    code = ord(ch)
    return (0x3000 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF
            or 0xFF00 <= code <= 0xFFEF or ch in "“”‘’…—")


def char_em(ch: str) -> float:
    """Estimated advance of one character in em."""
    if not ch.isascii():
        return {"–": 0.57, "·": 0.33, "\u00a0": 0.26}.get(ch, 1.0)
    if ch.isdigit():
        return 0.56
    if ch in "mwMW":
        return 1.0
    if ch.isupper():
        return 0.74
    if ch.isalpha():
        return 0.6
    if ch == " ":
        return 0.26
    if ch in ".,:;'!|":
        return 0.33
    if ch in "-/()[]":
        return 0.37
    if ch == "%":
        return 0.93
    return 0.6


def tokens(text: str) -> list[str]:
    """The text as pieces a line may not be broken inside (spaces are separate pieces)."""
    pieces: list[str] = []
    run = ""
    for ch in text:
        if ch == " ":
            if run:
                pieces.append(run)
                run = ""
            pieces.append(" ")
        elif is_wide(ch):
            if run:
                pieces.append(run)
                run = ""
            pieces.append(ch)
        else:
            run += ch
    if run:
        pieces.append(run)
    # Line-breaking rules: a closing mark stays with what precedes it, an opening mark with
    # what follows it.
    joined: list[str] = []
    glue_next = False
    for piece in pieces:
        if joined and (glue_next or (piece[0] in _NO_START and joined[-1] != " ")):
            joined[-1] += piece
        else:
            joined.append(piece)
        glue_next = piece[-1] in _NO_END
    return joined


def width(text: str) -> float:
    return sum(char_em(ch) for ch in text)


def wrap(text: str, limit: float) -> list[str]:
    """Greedy first-fit lines of ``text`` in a column ``limit`` em wide (as Typst does with
    ``linebreaks: "simple"``); a piece wider than the column gets a line of its own."""
    lines: list[str] = []
    line = ""
    for piece in tokens(text):
        if piece == " ":
            if line:
                line += " "
            continue
        if line and width(line.rstrip(" ") + piece) > limit + 1e-6:
            lines.append(line.rstrip(" "))
            line = piece
        else:
            line += piece
    if line.strip():
        lines.append(line.rstrip(" "))
    return lines


def has_orphan(text: str, limit: float) -> bool:
    """Would the text, in a column ``limit`` em wide, leave one Han character alone on a line
    (门/牌号, 情况记/录)?"""
    for paragraph in text.split("\n"):
        lines = wrap(paragraph, limit)
        if len(lines) > 1 and any(len(_HAN.findall(line)) == 1 and
                                  len(line.strip("，。、；：）》」』】〕’”…")) == 1
                                  for line in lines):
            return True
    return False


def line_count(text: str, limit: float) -> int:
    return sum(max(1, len(wrap(p, limit))) for p in text.split("\n"))


_TAIL = re.compile(r"(?:[\u3400-\u4dbf\u4e00-\u9fff]|[0-9A-Za-z.%]+)"
                   r"[\u3400-\u4dbf\u4e00-\u9fff][，。、；：！？）》」』】〕’”…]*$")


def tie_point(text: str) -> int | None:
    """Where to tie the end of a text so that its last line never holds one Han character
    alone: the start of its last Han character, what stands before it (another Han character
    or a number, as in 扣1分) and the closing marks after it — if anything precedes them."""
    match = _TAIL.search(text)
    return match.start() if match and match.start() > 0 else None


@dataclass(frozen=True)
class Cell:
    """A cell's plain text (paragraphs separated by newlines) and where it sits."""

    col: int
    colspan: int
    text: str
    header: bool = False


# A cell this short (张××, 走访) is never wrapped.
_SHORT = 3.0


def _least_width(text: str, max_lines: int) -> float:
    """The narrowest column that sets ``text`` in at most ``max_lines`` lines, none of them a
    lone character."""
    natural = width(text)
    limit = max(max((width(t) for t in tokens(text)), default=0.0), natural / max_lines)
    while limit < natural and (len(wrap(text, limit)) > max_lines or has_orphan(text, limit)):
        limit += 0.25
    return min(limit, natural)


def column_widths(cells: Sequence[Cell], columns: int, available: float,
                  padding: float) -> list[float]:
    """Column widths in em (padding included) that add up to ``available``."""
    inner = available - padding * columns
    natural = [1.0] * columns
    minimum = [2.0] * columns  # never narrower than two characters
    for cell in cells:
        if cell.colspan != 1:
            continue
        for paragraph in cell.text.split("\n"):
            natural[cell.col] = max(natural[cell.col], width(paragraph))
            # At least the longest piece that cannot break (a date, ××××××××); a column
            # heading in two lines at most; a short entry on one line.
            least = _least_width(paragraph, 2 if cell.header else 1 if
                                 width(paragraph) <= _SHORT else 99)
            minimum[cell.col] = max(minimum[cell.col], least)
    natural = [max(n, m) for n, m in zip(natural, minimum, strict=True)]
    if sum(natural) <= inner:
        extra = inner - sum(natural)
        widths = [n + extra * n / sum(natural) for n in natural]
    elif sum(minimum) >= inner:
        widths = [m * inner / sum(minimum) for m in minimum]  # overflow cannot be avoided
    else:
        want = [n - m for n, m in zip(natural, minimum, strict=True)]
        share = (inner - sum(minimum)) / sum(want)
        widths = [m + w * share for m, w in zip(minimum, want, strict=True)]
    widths = _remove_orphans(cells, widths, minimum)
    return [round(w + padding, 2) for w in widths]


def _column_cells(cells: Sequence[Cell], col: int) -> list[str]:
    return [c.text for c in cells if c.col == col and c.colspan == 1 and c.text]


def _remove_orphans(cells: Sequence[Cell], widths: list[float],
                    minimum: list[float]) -> list[float]:
    widths = list(widths)
    step = 0.25
    texts = [_column_cells(cells, c) for c in range(len(widths))]

    def orphans(col: int, w: float) -> bool:
        return any(has_orphan(t, w) for t in texts[col])

    def lines(col: int, w: float) -> int:
        return max((line_count(t, w) for t in texts[col]), default=1)

    for col in range(len(widths)):
        if not orphans(col, widths[col]):
            continue
        # The smallest widening that cures this column, taken from one column that can give
        # it up without an orphan of its own and, preferably, without a taller row.
        for grow in (step * k for k in range(1, 41)):
            if orphans(col, widths[col] + grow):
                continue
            donors = []
            for other in range(len(widths)):
                shrunk = widths[other] - grow
                if other == col or shrunk < minimum[other] or orphans(other, shrunk):
                    continue
                donors.append((lines(other, shrunk) - lines(other, widths[other]),
                               -widths[other], other))
            if donors:
                _, _, donor = min(donors)
                widths[donor] -= grow
                widths[col] += grow
                break
    return widths
