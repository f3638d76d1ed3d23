"""The comment forms sent out with a draft: an .xlsx form and a .docx form.

The .xlsx form (征求意见反馈表) has one row per clause of the draft — the clause id in column A,
hidden and protected, then 章条编号, 标题, a short text — and columns to fill in: 意见内容,
修改建议, 理由, and for the drafting group 处理意见 (a drop-down: 采纳 / 部分采纳 / 未采纳) and
处理理由. Its header names the draft and asks for 提出单位, 联系人 and 日期; empty rows at the end
take comments on clauses named by number, or on the whole draft. A hidden sheet keeps the
numbering of the draft the form was made on, so a row that names a clause only by its number
resolves against that draft, however the next draft renumbers it.

The .docx form is for those who answer in Word: the same header and a table of empty rows
(序号, 章条编号, 意见内容, 修改建议, 理由). Its document properties carry the stage and the
numbering's fingerprint. Both files are byte-identical for the same draft and date.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from ..model import EditionInfo
from ..word import Furniture, Properties, WordDocument
from ..word import styles as S
from ..word.measure import line_count
from ..word.ooxml import paragraph, runs
from ..word.tables import Cell, table
from .numbering import Numbering
from .store import DISPOSITIONS

FORM_SHEET = "征求意见表"
NUMBERING_SHEET = "stdkit-numbering"  # hidden: the draft's numbering
FORM_MARK = "stdkit-comment-form"
FORM_VERSION = "1"
EXTRA_ROWS = 30  # empty rows for comments on clauses named by number, or on the whole draft
DOCX_ROWS = 15

# Columns of the .xlsx form, in order: (key, header, width). The reader finds columns by their
# header, so a form whose columns were moved is still read.
COLUMNS = (
    ("id", "标识", 14),
    ("number", "章条编号", 11),
    ("title", "标题", 16),
    ("text", "条文（摘要）", 40),
    ("comment", "意见内容", 36),
    ("proposal", "修改建议", 30),
    ("reason", "理由", 24),
    ("disposition", "处理意见", 11),
    ("disposition_reason", "处理理由", 26),
)
HEADER_ROW = 5  # 0-based row of the column headings
FIELDS = ("提出单位", "联系人", "日期")


@dataclass(frozen=True)
class FormInfo:
    """What a form says about the draft it was made on."""

    number: str
    title: str
    stage: str
    date: str | None  # 本稿完成日期, when the draft gives one
    fingerprint: str


def form_info(info: EditionInfo, stage: str, numbering: Numbering,
              date: str | None = None) -> FormInfo:
    return FormInfo(info.number, info.title_zh, stage, date, numbering.fingerprint)


def form_title(f: FormInfo) -> str:
    return f"《{f.title}》（{f.stage}）征求意见反馈表"


def instructions() -> str:
    return ("填写说明：在需要提出意见的条款所在行填写意见内容、修改建议和理由；一行只写一条意见。"
            "表末的空行用于写表中没有列出的条款（请写明章条编号，如 6.2.1、表A.1）或总体意见"
            "（章条编号写“总体”）。请勿删除、合并或调整行和列。处理意见和处理理由由起草组填写。")


def _created(date: str | None) -> dt.datetime:
    if date:
        try:
            y, m, d = (int(p) for p in date.split("-")[:3])
            return dt.datetime(y, m, d, tzinfo=dt.UTC)
        except ValueError:
            pass
    return dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def form_xlsx(f: FormInfo, numbering: Numbering) -> bytes:
    """The .xlsx form; the same draft gives the same bytes."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False, "strings_to_urls": False})
    book.set_properties({"title": form_title(f), "subject": f.number, "author": "stdkit",
                         "keywords": f"{FORM_MARK};{f.stage};{f.fingerprint}",
                         "created": _created(f.date)})
    base = {"font_name": "宋体", "font_size": 10.5, "valign": "top", "text_wrap": True}
    title = book.add_format({**base, "bold": True, "font_name": "黑体", "font_size": 14,
                             "align": "center", "valign": "vcenter"})
    plain = book.add_format({**base})
    label = book.add_format({**base, "bold": True, "align": "right", "valign": "vcenter"})
    fill = book.add_format({**base, "locked": False, "num_format": "@", "bottom": 1,
                            "bg_color": "#FFF8DC", "valign": "vcenter"})
    head = book.add_format({**base, "bold": True, "border": 1, "align": "center",
                            "valign": "vcenter", "bg_color": "#E8ECF2"})
    head_group = book.add_format({**base, "bold": True, "border": 1, "align": "center",
                                  "valign": "vcenter", "bg_color": "#E2EFDA"})
    locked = book.add_format({**base, "border": 1, "num_format": "@"})
    open_cell = book.add_format({**base, "border": 1, "num_format": "@", "locked": False,
                                 "bg_color": "#FFFDF0"})
    group_cell = book.add_format({**base, "border": 1, "num_format": "@", "locked": False,
                                  "bg_color": "#F3F9EF"})
    ws = book.add_worksheet(FORM_SHEET)
    last = len(COLUMNS) - 1
    for i, (_key, _header, width) in enumerate(COLUMNS):
        ws.set_column(i, i, width)
    ws.set_column(0, 0, COLUMNS[0][2], None, {"hidden": True})
    ws.merge_range(0, 1, 0, last, form_title(f), title)
    ws.set_row(0, 30)
    ident = f"标准编号：{f.number}　　阶段：{f.stage}" + (f"　　本稿完成日期：{f.date}" if f.date
                                                        else "")
    ws.merge_range(1, 1, 1, last, ident, plain)
    # 提出单位 / 联系人 / 日期: a label, then the cell to fill in (never merged: a reader takes
    # the cell right of the label).
    ws.write_string(2, 1, FIELDS[0], label)
    ws.merge_range(2, 2, 2, 3, "", fill)
    ws.write_string(2, 4, FIELDS[1], label)
    ws.write_blank(2, 5, None, fill)
    ws.write_string(2, 6, FIELDS[2], label)
    ws.merge_range(2, 7, 2, 8, "", fill)
    ws.set_row(2, 22)
    ws.merge_range(3, 1, 3, last, instructions(), plain)
    ws.set_row(3, 44)
    for i, (key, header, _w) in enumerate(COLUMNS):
        fmt = head_group if key in ("disposition", "disposition_reason") else head
        ws.write_string(HEADER_ROW, i, header, fmt)
    ws.set_row(HEADER_ROW, 22)
    row = HEADER_ROW + 1
    for e in numbering.form_rows():
        ws.write_string(row, 0, e.id, locked)
        ws.write_string(row, 1, e.label, locked)
        ws.write_string(row, 2, e.title, locked)
        ws.write_string(row, 3, e.text, locked)
        for col in range(4, 7):
            ws.write_blank(row, col, None, open_cell)
        for col in (7, 8):
            ws.write_blank(row, col, None, group_cell)
        # XlsxWriter does not fit rows to wrapped text: estimate the lines (a Han character
        # is about two width units).
        lines = max(line_count(e.text, COLUMNS[3][2] / 2.1),
                    line_count(e.title, COLUMNS[2][2] / 2.1))
        ws.set_row(row, 14.5 * lines + 3)
        row += 1
    for _ in range(EXTRA_ROWS):
        ws.write_blank(row, 0, None, locked)
        ws.write_blank(row, 1, None, open_cell)
        ws.write_blank(row, 2, None, locked)
        ws.write_blank(row, 3, None, locked)
        for col in range(4, 7):
            ws.write_blank(row, col, None, open_cell)
        for col in (7, 8):
            ws.write_blank(row, col, None, group_cell)
        ws.set_row(row, 30)
        row += 1
    ws.data_validation(HEADER_ROW + 1, 7, row - 1, 7, {
        "validate": "list", "source": list(DISPOSITIONS), "ignore_blank": True,
        "error_title": "处理意见", "error_message": "请选择：采纳、部分采纳或未采纳"})
    ws.freeze_panes(HEADER_ROW + 1, 2)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(HEADER_ROW)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    # Protected without a password: people fill in the open cells, the ids and clause texts
    # stay as they were; columns may still be widened and rows made taller.
    ws.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True,
                    "select_unlocked_cells": True})
    hidden = book.add_worksheet(NUMBERING_SHEET)
    for r, (key, value) in enumerate((("format", FORM_MARK), ("version", FORM_VERSION),
                                      ("number", f.number), ("title", f.title),
                                      ("stage", f.stage), ("date", f.date or ""),
                                      ("fingerprint", f.fingerprint))):
        hidden.write_string(r, 0, key)
        hidden.write_string(r, 1, value)
    start = 8
    for c, header in enumerate(("id", "type", "number", "label")):
        hidden.write_string(start, c, header)
    for r, e in enumerate(numbering.entries, start=start + 1):
        hidden.write_string(r, 0, e.id)
        hidden.write_string(r, 1, e.element_type)
        hidden.write_string(r, 2, e.number or "")
        hidden.write_string(r, 3, e.label)
    hidden.protect("", {})
    hidden.hide()
    ws.activate()
    book.close()
    return buffer.getvalue()


DOCX_COLUMNS = ("序号", "章条编号", "意见内容", "修改建议", "理由")


def form_docx(f: FormInfo) -> bytes:
    """The Word form: the header to fill in and a table of empty rows."""
    props = Properties(title=form_title(f), subject=f.number, author="stdkit",
                       date=_created(f.date), keywords=f"{FORM_MARK};{f.stage};{f.fingerprint}",
                       comments=f.title)
    word = WordDocument(props, landscape=True)
    word.append(paragraph("StdBodyTitle", runs(form_title(f))))
    ident = f"标准编号：{f.number}　　阶段：{f.stage}" + (f"　　本稿完成日期：{f.date}" if f.date
                                                        else "")
    word.append(paragraph("StdParaFlush", runs(ident)))
    width = S.PAGE_HEIGHT - S.MARGIN_INSIDE - S.MARGIN_OUTSIDE
    head_cells = []
    for c, text in enumerate(("提出单位", "", "联系人", "", "日期", "")):
        style = "StdTableHead" if c % 2 == 0 else "StdTableText"
        head_cells.append(Cell(0, c, content=[paragraph(style, runs(text))], height=20))
    unit = width / 12
    word.append(table(head_cells, [unit * 1.4, unit * 4.6, unit * 1.2, unit * 2.2, unit,
                                   unit * 1.6]))
    word.append(paragraph("StdParaFlush", runs(
        "填写说明：每行写一条意见，写明所针对的章条编号（如 6.2.1、表A.1、附录B；总体意见写"
        "“总体”）。请勿合并单元格；表格不够时可以增加行。")))
    widths = [unit * 0.7, unit * 1.3, unit * 4.2, unit * 3.4, unit * 2.4]
    cells = [Cell(0, c, content=[paragraph("StdTableHead", runs(h))], header=True)
             for c, h in enumerate(DOCX_COLUMNS)]
    for r in range(1, DOCX_ROWS + 1):
        cells.append(Cell(r, 0, content=[paragraph("StdTableText", runs(str(r)),
                                                   align="center")], height=28))
        for c in range(1, len(DOCX_COLUMNS)):
            cells.append(Cell(r, c, content=[paragraph("StdTableText")], height=28))
    word.append(table(cells, widths, header_rows=1))
    word.end_section(Furniture(header=f.number), number_format="decimal", start=1, last=True)
    return word.to_bytes()
