"""How much room text takes, estimated without fonts: for table column widths and for the page
estimate behind the 目次's page numbers.

A Han character or full-width mark is 1 em; Latin letters and digits a little over half (the
metrics of Times New Roman, which stands beside 宋体 in the body). A line may break after any
Han character, but not inside a Latin word or number, not before a closing mark and not after
an opening one.
"""

from __future__ import annotations

import math

_NO_START = set("，。、；：！？）》」』】〕’”…%·/")
_NO_END = set("（《「『【〔‘“")


def is_wide(ch: str) -> bool:
    code = ord(ch)
    return (0x2E80 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF
            or 0xFF00 <= code <= 0xFFEF or ch in "“”‘’…—×")


def char_em(ch: str) -> float:
    if is_wide(ch):
        return 1.0
    if ch.isdigit():
        return 0.5
    if ch in "mwMW":
        return 0.85
    if ch.isupper():
        return 0.68
    if ch.isalpha():
        return 0.46
    if ch in " \u00a0":
        return 0.25
    if ch in ".,:;'!|":
        return 0.28
    if ch in "-/()[]":
        return 0.33
    if ch == "%":
        return 0.83
    return 0.55 if ch.isascii() else 1.0


def text_em(text: str) -> float:
    return sum(char_em(ch) for ch in text)


def tokens(text: str) -> list[str]:
    """Pieces a line is never broken inside; a space is a piece of its own."""
    pieces: list[str] = []
    run = ""
    for ch in text:
        if ch == " " or is_wide(ch):
            if run:
                pieces.append(run)
                run = ""
            pieces.append(ch)
        else:
            run += ch
    if run:
        pieces.append(run)
    joined: list[str] = []
    glue = False
    for piece in pieces:
        if joined and (glue or piece[0] in _NO_START):
            joined[-1] += piece
        else:
            joined.append(piece)
        glue = piece[-1] in _NO_END
    return joined


def longest_token_em(text: str) -> float:
    return max((text_em(t) for t in tokens(text) if t.strip()), default=0.0)


def line_count(text: str, width_em: float, first_indent_em: float = 0.0) -> int:
    """Lines the text takes in a column ``width_em`` wide (greedy, as word processors break);
    each newline starts a line. Empty text takes one line."""
    return _layout(text, width_em, first_indent_em)[0]


def _layout(text: str, width_em: float, first_indent_em: float = 0.0) -> tuple[int, bool]:
    """(lines, whether a line of more than one holds a single Han character alone)."""
    if width_em <= 0:
        return max(1, len(text)), False
    total = 0
    orphan = False
    for k, part in enumerate(text.split("\n")):
        used = first_indent_em if k == 0 else 0.0
        lines = 1
        last: list[str] = []
        for token in tokens(part):
            w = text_em(token)
            if used + w > width_em + 1e-6 and used > 0:
                if token == " ":
                    continue
                lines += 1
                used = 0.0
                last = []
                # A token longer than a line is broken by character.
                while w > width_em:
                    lines += 1
                    w -= width_em
            used += w
            last.append(token)
        if lines > 1 and len(last) == 1 and is_wide(last[0][0]):
            orphan = True
        total += lines
    return max(total, 1), orphan


def column_widths(cells: list[tuple[int, int, int, str]], ncols: int, total: float,
                  padding: float, size: float) -> tuple[list[float], bool]:
    """Column widths (pt) for cells (row, column, colspan, text) in a table ``total`` wide,
    and whether the columns fit at all.

    Every column first gets its longest unbreakable piece (a date, a clause number with its
    、). Then, for a table of forms size, the room left goes step by step to the column where
    it saves the most lines of the whole table (a heading on one line instead of two, a date
    unbroken), which keeps short columns whole without starving the long ones; the rest, and
    all the room of a long table, is shared by how much more each column wants (its longest
    line), as browsers do."""
    hard = [padding + size for _ in range(ncols)]
    wanted = list(hard)
    for _row, col, span, text in cells:
        if span != 1 or col >= ncols:
            continue
        longest = max(text_em(line) for line in text.split("\n"))
        # A little room beyond the estimate: a word processor breaks where it must. An entry
        # of three characters or fewer (序号, 不合格, 张××) is never split.
        piece = longest if longest <= 3.0 else longest_token_em(text)
        hard[col] = max(hard[col], padding + (piece + 0.3) * size)
        wanted[col] = max(wanted[col], padding + (longest + 0.3) * size)
    for _row, col, span, text in cells:  # a spanning cell needs room across its columns
        if span <= 1 or col + span > ncols:
            continue
        need = padding + (longest_token_em(text) + 0.3) * size
        have = sum(hard[col:col + span])
        if need > have:
            for c in range(col, col + span):
                hard[c] += (need - have) / span
    if sum(hard) > total:
        return [w * total / sum(hard) for w in hard], False
    widths = list(hard)
    single = [(r, c, t) for r, c, span, t in cells if span == 1 and c < ncols]
    if len(single) <= _GREEDY_CELLS:
        widths = _save_lines(single, widths, total, padding, size)
    wanted = [max(w, m) for w, m in zip(wanted, widths, strict=True)]
    room = total - sum(widths)
    extra = [wn - w for wn, w in zip(wanted, widths, strict=True)]
    if sum(extra) <= room:  # everything fits on one line: share the rest by width
        spare = room - sum(extra)
        return [w + spare * w / sum(wanted) for w in wanted], True
    share = sum(extra) or 1.0
    return [w + room * e / share for w, e in zip(widths, extra, strict=True)], True


_GREEDY_CELLS = 400  # the comparison table of a revision is shared out by width alone


def _save_lines(cells: list[tuple[int, int, str]], widths: list[float], total: float,
                padding: float, size: float) -> list[float]:
    """Widen, one step at a time, the column whose next step saves the table most lines per
    point; stop when no step saves a line or the room is used."""
    widths = list(widths)

    def lines(text: str, width: float) -> float:
        # A character alone on a cell's last line (住户姓/名) counts as half a line more.
        count, orphan = _layout(text, (width - padding) / size)
        return count + (0.5 if orphan else 0.0)

    by_row: dict[int, list[tuple[int, str]]] = {}
    for r, c, text in cells:
        by_row.setdefault(r, []).append((c, text))
    def height(trial: list[float]) -> float:
        return sum(max(lines(t, trial[col]) for col, t in items) for items in by_row.values())

    for _ in range(200):
        room = total - sum(widths)
        if room < 0.5:
            break
        current = height(widths)
        # Moves: take one row a line lower, widening every column that holds it up (a
        # heading row whose cells all wrap needs them all widened at once).
        moves: set[tuple[tuple[int, float], ...]] = set()
        for items in by_row.values():
            now = max(lines(t, widths[col]) for col, t in items)
            if now <= 1:
                continue
            goal = math.ceil(now) - 1 if now % 1 == 0 else math.floor(now)
            move = []
            for col, t in items:
                if lines(t, widths[col]) > goal:
                    need = _width_for(t, goal, widths[col], widths[col] + room, lines)
                    if need is None:
                        break
                    move.append((col, need))
            else:
                if move and sum(w - widths[c] for c, w in move) <= room:
                    moves.add(tuple(sorted(move)))
        best: tuple[float, tuple[tuple[int, float], ...]] | None = None
        for move in moves:
            trial = list(widths)
            for col, width in move:
                trial[col] = max(trial[col], width)
            cost = sum(trial) - sum(widths)
            saved = current - height(trial)
            if saved > 0 and cost > 0 and (best is None or saved / cost > best[0]):
                best = (saved / cost, move)
        if best is None:
            break
        for col, width in best[1]:
            widths[col] = max(widths[col], width)
    return widths


def _width_for(text: str, target: int, low: float, high: float, lines) -> float | None:
    """The narrowest width between ``low`` and ``high`` at which the text takes ``target``
    lines or fewer (None if even ``high`` is not enough)."""
    if lines(text, high) > target:
        return None
    for _ in range(12):
        mid = (low + high) / 2
        if lines(text, mid) > target:
            low = mid
        else:
            high = mid
    return high
