"""Tables for office staff: CSV that Excel and WPS open correctly, and .xlsx files.

- CSV: UTF-8 with a byte-order mark (else Excel reads GBK), CRLF line ends, and every cell that
  a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` …) prefixed with ``'``.
- .xlsx (XlsxWriter): every cell written as text unless its column says otherwise, so a clause
  number "3.10" stays "3.10" (a CSV opened in Excel becomes the number 3.1); bold header row,
  frozen; autofilter; column widths; text wrapped in wide columns. Byte-identical for the same
  rows: XlsxWriter writes fixed zip timestamps, and the document date is given, never the clock.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | None


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 12  # in characters (a Chinese character counts about 2)
    wrap: bool = False
    integer: bool = False  # written as a number (a line number), not as text


def neutralise(cell: str) -> str:
    """Stop spreadsheets from running a cell as a formula (CSV injection)."""
    return "'" + cell if cell.startswith(_FORMULA_TRIGGERS) else cell


def to_csv(columns: Sequence[Column], rows: Sequence[Sequence[Cell]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(c.header) for c in columns])
    for row in rows:
        writer.writerow([neutralise("" if cell is None else str(cell)) for cell in row])
    return "\ufeff" + buffer.getvalue()


def to_xlsx(sheet: str, columns: Sequence[Column], rows: Sequence[Sequence[Cell]], *,
            title: str = "", date: tuple[int, int, int] | None = None) -> bytes:
    """One worksheet named ``sheet``; ``date`` is the document's creation date (the edition's,
    so that rebuilding gives the same bytes)."""
    import xlsxwriter

    buffer = io.BytesIO()
    created = dt.datetime(*(date or (2000, 1, 1)), tzinfo=dt.UTC)
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False, "strings_to_urls": False})
    book.set_properties({"title": title, "created": created, "author": "stdkit"})
    header = book.add_format({"bold": True, "bg_color": "#E8ECF2", "border": 1,
                              "align": "center", "valign": "vcenter", "text_wrap": True})
    text = book.add_format({"num_format": "@", "valign": "top"})
    wrapped = book.add_format({"num_format": "@", "valign": "top", "text_wrap": True})
    integer = book.add_format({"valign": "top"})
    ws = book.add_worksheet(sheet[:31])
    for i, column in enumerate(columns):
        style = integer if column.integer else wrapped if column.wrap else text
        ws.set_column(i, i, column.width, style)
        ws.write_string(0, i, column.header, header)
    for r, row in enumerate(rows, start=1):
        for i, (column, cell) in enumerate(zip(columns, row, strict=True)):
            if cell is None or cell == "":
                continue
            if column.integer and isinstance(cell, int):
                ws.write_number(r, i, cell)
            else:
                # Text cells are never formulas in .xlsx; no apostrophe needed.
                ws.write_string(r, i, str(cell), wrapped if column.wrap else text)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    book.close()
    return buffer.getvalue()
