"""Merged cells in Markdown tables: the ``{table}`` directive with row and column spans.

A pipe table cannot say that a cell covers two rows or two columns, so a cell holding only a
merge mark joins a neighbour instead (the convention of markdown-it's multimd tables):

- ``^^`` — this position belongs to the cell above (a row span);
- ``<<`` — this position belongs to the cell to the left (a column span).

The directive turns the marks into a real docutils table (``morerows`` / ``morecols`` on the
merged cell, the covered entries removed), so the HTML writer prints ``rowspan``/``colspan``
and the PDF writer ``table.cell(rowspan: …)``. A merged area must be a rectangle inside the
header or inside the body; anything else is E170 with the file and line of the table.

:func:`grid` gives any docutils table as a rectangle of positions, which is what the clause
model stores (a merged cell's text at every position it covers, so each row reads whole);
:func:`placed_entries` gives each written cell with its position and spans, for layout.
"""

from __future__ import annotations

from dataclasses import dataclass

from docutils import nodes
from docutils.parsers.rst.directives.tables import RSTTable

from ..io.diagnostics import diagnostic
from .env import report, source_path

ROW_SPAN = "^^"
COL_SPAN = "<<"


@dataclass(frozen=True)
class Placed:
    """A table entry with the grid position of its top-left corner."""

    entry: nodes.entry
    row: int
    col: int
    rowspan: int
    colspan: int
    header: bool


def placed_entries(table: nodes.table) -> list[Placed]:
    """Every entry of the table with its row, column and spans, in reading order."""
    tgroup = table.next_node(nodes.tgroup)
    if tgroup is None:
        return []
    out: list[Placed] = []
    taken: set[tuple[int, int]] = set()
    r = 0
    for part in tgroup.children:
        if not isinstance(part, nodes.thead | nodes.tbody):
            continue
        for row in part.children:
            c = 0
            for entry in row.children:
                while (r, c) in taken:
                    c += 1
                rows, cols = entry.get("morerows", 0) + 1, entry.get("morecols", 0) + 1
                out.append(Placed(entry, r, c, rows, cols, isinstance(part, nodes.thead)))
                taken.update((r + i, c + j) for i in range(rows) for j in range(cols))
                c += cols
            r += 1
    return out


def grid(table: nodes.table) -> list[list[nodes.entry | None]]:
    """The table as a rectangle, merged cells undone: each position holds the entry that
    covers it (a merged cell's entry at every position it spans, so each row reads whole), or
    None where a short row leaves it empty."""
    placed = placed_entries(table)
    if not placed:
        return []
    height = max(p.row + p.rowspan for p in placed)
    width = max(p.col + p.colspan for p in placed)
    out: list[list[nodes.entry | None]] = [[None] * width for _ in range(height)]
    for p in placed:
        for r in range(p.row, p.row + p.rowspan):
            for c in range(p.col, p.col + p.colspan):
                out[r][c] = p.entry
    return out


class SpanError(Exception):
    def __init__(self, row: int, detail: str) -> None:
        super().__init__(detail)
        self.row = row
        self.detail = detail


def _mark(entry: nodes.entry) -> str | None:
    text = entry.astext().strip()
    if text in (ROW_SPAN, COL_SPAN) and len(entry.children) == 1:
        return text
    return None


def apply_spans(table: nodes.table) -> None:
    """Turn merge marks into ``morerows``/``morecols``; raise :class:`SpanError` if the marks
    do not describe rectangles."""
    tgroup = table.next_node(nodes.tgroup)
    if tgroup is None:
        return
    parts = [p for p in tgroup.children if isinstance(p, nodes.thead | nodes.tbody)]
    rows = [(row, part) for part in parts for row in part.children]
    if not any(_mark(e) for row, _ in rows for e in row.children):
        return
    # owner[(r, c)] = (r0, c0): which written cell each position belongs to.
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    entries: dict[tuple[int, int], nodes.entry] = {}
    for r, (row, part) in enumerate(rows):
        for c, entry in enumerate(row.children):
            mark = _mark(entry)
            if mark == ROW_SPAN:
                if r == 0 or rows[r - 1][1] is not part:
                    raise SpanError(r, f"第{r + 1}行第{c + 1}列的“^^”上方没有可合并的单元格"
                                       "（表头和表体不能合并）")
                if (r - 1, c) not in owner:
                    raise SpanError(r, f"第{r + 1}行第{c + 1}列的“^^”上方没有单元格")
                owner[r, c] = owner[r - 1, c]
            elif mark == COL_SPAN:
                if c == 0:
                    raise SpanError(r, f"第{r + 1}行第1列的“<<”左侧没有可合并的单元格")
                owner[r, c] = owner[r, c - 1]
            else:
                owner[r, c] = (r, c)
                entries[r, c] = entry
    covered: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for pos, top_left in owner.items():
        covered.setdefault(top_left, []).append(pos)
    for (r0, c0), positions in covered.items():
        r1 = max(r for r, _ in positions)
        c1 = max(c for _, c in positions)
        rectangle = {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        if set(positions) != rectangle:
            raise SpanError(r0, f"从第{r0 + 1}行第{c0 + 1}列开始的合并区域不是矩形"
                                "：每个被合并的位置都要写“^^”或“<<”")
        entry = entries[r0, c0]
        if r1 > r0:
            entry["morerows"] = r1 - r0
        if c1 > c0:
            entry["morecols"] = c1 - c0
    for row, _ in rows:
        for entry in [e for e in row.children if _mark(e)]:
            row.remove(entry)


class SpanTable(RSTTable):
    """``{table}`` as before, plus ``^^`` / ``<<`` merge marks in the cells."""

    def run(self) -> list[nodes.Node]:
        result = super().run()
        for node in result:
            if isinstance(node, nodes.table):
                try:
                    apply_spans(node)
                except SpanError as err:
                    env = self.state.document.settings.env
                    line = self.row_line(err.row)
                    report(env, diagnostic("E170", source_path(env), line, detail=err.detail))
        return result

    def row_line(self, row: int) -> int:
        """The source line of the table's ``row`` (0 is the header; the separator follows it)."""
        # myst-parser hands over the content without the option lines, but the block text
        # whole, from the opening fence on the directive's line.
        source = self.block_text.splitlines()
        lines = [i for i, text in enumerate(source) if text.lstrip().startswith("|")]
        wanted = row + 1 if row else 0
        return self.lineno + (lines[wanted] if wanted < len(lines) else 0)
