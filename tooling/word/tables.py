"""Tables in Word: fixed column widths, merged cells (``w:gridSpan`` across, ``w:vMerge``
down), header rows repeated on every page a table runs onto (``w:tblHeader``), rows that do
not break across pages, and single rules round every cell as printed standards have them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .ooxml import Element, el, paragraph, twips

CELL_PADDING = 4.0  # pt left and right of a cell's text
CELL_PADDING_Y = 1.0  # pt above and below


@dataclass
class Cell:
    """One written cell: its top-left grid position, spans and content (block elements)."""

    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    content: list[Element] = field(default_factory=list)
    header: bool = False
    centred: bool = False
    height: float | None = None  # minimum row height (pt), for rows to fill in by hand


def table(cells: Sequence[Cell], widths: Sequence[float], *, header_rows: int = 0,
          borders: bool = True) -> Element:
    """A ``w:tbl``. Positions a merged cell covers get continuation cells (``vMerge``)."""
    nrows = max((c.row + c.rowspan for c in cells), default=0)
    tbl = el("w:tbl")
    tblpr = el("w:tblPr")
    tblpr.append(el("w:tblW", {"w:w": twips(sum(widths)), "w:type": "dxa"}))
    tblpr.append(el("w:jc", {"w:val": "center"}))
    if borders:
        edges = el("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            edges.append(el(f"w:{edge}", {"w:val": "single", "w:sz": 4, "w:space": 0,
                                          "w:color": "000000"}))
        tblpr.append(edges)
    tblpr.append(el("w:tblLayout", {"w:type": "fixed"}))
    margins = el("w:tblCellMar")
    for edge, size in (("top", CELL_PADDING_Y), ("left", CELL_PADDING),
                       ("bottom", CELL_PADDING_Y), ("right", CELL_PADDING)):
        margins.append(el(f"w:{edge}", {"w:w": twips(size), "w:type": "dxa"}))
    tblpr.append(margins)
    tblpr.append(el("w:tblLook", {"w:val": "0000", "w:firstRow": 0, "w:lastRow": 0,
                                  "w:firstColumn": 0, "w:lastColumn": 0, "w:noHBand": 1,
                                  "w:noVBand": 1}))
    tbl.append(tblpr)
    grid = el("w:tblGrid")
    for width in widths:
        grid.append(el("w:gridCol", {"w:w": twips(width)}))
    tbl.append(grid)

    starts = {(c.row, c.col): c for c in cells}
    continued: dict[tuple[int, int], Cell] = {}
    for c in cells:
        for r in range(c.row + 1, c.row + c.rowspan):
            continued[r, c.col] = c
    ncols = len(widths)
    for r in range(nrows):
        tr = el("w:tr")
        trpr = el("w:trPr")
        trpr.append(el("w:cantSplit"))
        heights = [c.height for c in cells if c.row == r and c.height]
        if heights:
            trpr.append(el("w:trHeight", {"w:val": twips(max(heights)), "w:hRule": "atLeast"}))
        if r < header_rows:
            trpr.append(el("w:tblHeader"))
        tr.append(trpr)
        col = 0
        while col < ncols:
            cell = starts.get((r, col))
            cont = continued.get((r, col))
            if cell is not None:
                tr.append(_cell(cell, widths, merge="restart" if cell.rowspan > 1 else None))
                col += cell.colspan
            elif cont is not None:
                tr.append(_cell(Cell(r, col, 1, cont.colspan), widths, merge="continue"))
                col += cont.colspan
            else:  # a short row: an empty cell keeps the grid
                tr.append(_cell(Cell(r, col), widths, merge=None))
                col += 1
        tbl.append(tr)
    return tbl


def _cell(cell: Cell, widths: Sequence[float], merge: str | None) -> Element:
    tc = el("w:tc")
    tcpr = el("w:tcPr")
    tcpr.append(el("w:tcW", {"w:w": twips(sum(widths[cell.col:cell.col + cell.colspan])),
                             "w:type": "dxa"}))
    if cell.colspan > 1:
        tcpr.append(el("w:gridSpan", {"w:val": cell.colspan}))
    if merge == "restart":
        tcpr.append(el("w:vMerge", {"w:val": "restart"}))
    elif merge == "continue":
        tcpr.append(el("w:vMerge"))
    tcpr.append(el("w:vAlign", {"w:val": "center"}))
    tc.append(tcpr)
    content = cell.content if merge != "continue" else []
    for block in content:
        tc.append(block)
    if not content or content[-1].tag.rsplit("}", 1)[-1] != "p":
        tc.append(paragraph("StdTableText"))  # a cell ends with a paragraph
    return tc


__all__ = ["CELL_PADDING", "CELL_PADDING_Y", "Cell", "table"]
