"""How much room text takes, estimated without fonts: for table column widths and for the page
estimate behind the 目次's page numbers.

A Han character or full-width mark is 1 em; Latin letters and digits a little over half (the
metrics of Times New Roman, which stands beside 宋体 in the body). A line may break after any
Han character, but not inside a Latin word or number, not before a closing mark and not after
an opening one.
"""

from __future__ import annotations

SHORT_EM = 6.0  # entries up to this wide are kept on one line in tables
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
    if width_em <= 0:
        return max(1, len(text))
    total = 0
    for k, part in enumerate(text.split("\n")):
        used = first_indent_em if k == 0 else 0.0
        lines = 1
        for token in tokens(part):
            w = text_em(token)
            if used + w > width_em + 1e-6 and used > 0:
                if token == " ":
                    continue
                lines += 1
                used = 0.0
                # A token longer than a line is broken by character.
                while w > width_em:
                    lines += 1
                    w -= width_em
            used += w
        total += lines
    return max(total, 1)


def column_widths(cells: list[tuple[int, int, str]], ncols: int, total: float,
                  padding: float, size: float) -> tuple[list[float], bool]:
    """Column widths (pt) for cells (column, colspan, text) in a table ``total`` wide, and
    whether the columns fit at all. Each column gets its longest unbreakable piece; the rest
    is shared by how much more each column wants (its longest line), as browsers do."""
    hard = [padding + size for _ in range(ncols)]  # the longest unbreakable piece
    soft = list(hard)  # and a comfortable width: short entries on one line
    wanted = list(hard)
    for col, span, text in cells:
        if span != 1 or col >= ncols:
            continue
        lines = text.split("\n") or [""]
        longest = max(text_em(line) for line in lines)
        token = longest_token_em(text)
        hard[col] = max(hard[col], padding + token * size)
        # A short entry (序号, 分值, 仅编号变化) stays on one line; a long one is not made
        # narrower than a third of its line.
        floor = longest if longest <= SHORT_EM else max(token, min(longest / 3, SHORT_EM))
        soft[col] = max(soft[col], padding + floor * size)
        wanted[col] = max(wanted[col], padding + longest * size)
    for col, span, text in cells:  # a spanning cell needs room across its columns
        if span <= 1 or col + span > ncols:
            continue
        need = padding + longest_token_em(text) * size
        have = sum(hard[col:col + span])
        if need > have:
            for c in range(col, col + span):
                hard[c] += (need - have) / span
                soft[c] = max(soft[c], hard[c])
    if sum(hard) > total:
        return [w * total / sum(hard) for w in hard], False
    minimum = soft if sum(soft) <= total else hard
    wanted = [max(w, m) for w, m in zip(wanted, minimum, strict=True)]
    high = sum(wanted)
    if high <= total:
        spare = total - high
        return [w + spare * w / high for w in wanted], True
    extra = [wn - mn for wn, mn in zip(wanted, minimum, strict=True)]
    share = sum(extra) or 1.0
    room = total - sum(minimum)
    return [mn + room * e / share for mn, e in zip(minimum, extra, strict=True)], True
