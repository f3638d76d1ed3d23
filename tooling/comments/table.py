"""The 征求意见汇总处理表 (comment resolution table): one row model, four renderings.

Columns (LOCAL-STANDARD-PROCESS.md): 序号 | 标准章条编号 | 意见内容 | 提出单位 | 处理意见 | 备注.
标准章条编号 gives the number in the draft commented on and, once the standard has moved on, the
number in the next draft ("已删除" when the next draft deleted the clause: the comment keeps its
record). 意见内容 carries the 修改建议 and 理由 after the comment; 备注 is the editor's reason
(required for 部分采纳 and 未采纳). The header names the standard, the 负责起草单位 and the date,
and gives the statistics of :func:`~.store.comment_statistics`.

:func:`resolution_table` builds the rows; :func:`table_xlsx`, :func:`table_docx`,
:func:`table_html` and :func:`table_typst` render them. Every rendering is byte-identical for
the same comments (no clock: the date is the one given, else the latest reply's).
"""

from __future__ import annotations

import datetime as dt
import html
import io
from collections.abc import Mapping
from dataclasses import dataclass

from ..model import EditionInfo
from ..typeset import escape as typ
from ..typeset import string as typ_string
from ..typeset import typst_date
from ..word import Furniture, Properties, WordDocument
from ..word import styles as S
from ..word.measure import line_count
from ..word.ooxml import paragraph, runs
from ..word.tables import Cell, table
from .checks import Fate
from .numbering import Numbering
from .store import GENERAL, CommentSet, CommentStatistics, comment_statistics

DELETED = "已删除"
UNDECIDED = "（待处理）"
GENERAL_LABEL = "总体"
COLUMNS = ("序号", "标准章条编号", "意见内容", "提出单位", "处理意见", "备注")


@dataclass(frozen=True)
class TableRow:
    serial: int
    old_number: str  # in the draft commented on
    new_number: str | None  # in the next draft; DELETED; None when there is no next draft
    comment: str
    proposal: str | None
    reason: str | None
    unit: str
    disposition: str  # UNDECIDED when not decided yet
    note: str  # the reason for the disposition

    def content(self) -> str:
        """意见内容 as printed: the comment, then 修改建议 and 理由 on lines of their own."""
        parts = [self.comment]
        if self.proposal:
            parts.append(f"修改建议：{self.proposal}")
        if self.reason:
            parts.append(f"理由：{self.reason}")
        return "\n".join(parts)


@dataclass(frozen=True)
class ResolutionTable:
    title: str
    standard: str  # 《名称》 and number
    number: str
    stage: str  # the draft commented on
    next_stage: str | None  # the draft after it, when the standard has moved on
    drafting_unit: str
    date: str
    statistics: CommentStatistics
    rows: tuple[TableRow, ...]

    def statistics_lines(self) -> tuple[str, ...]:
        s = self.statistics
        stage = f"《{self.stage}》"
        lines = [
            f"发送{stage}的单位数：{s.units_consulted}个；",
            f"收到{stage}后，回函的单位数：{s.units_replied}个；",
            f"收到{stage}后，回函并有建议或意见的单位数：{s.replied_with_comments}个；",
            f"回函没有建议或意见的单位数：{s.replied_without_comments}个；",
            f"没有回函的单位数：{s.units_not_replied}个。",
        ]
        tally = (f"共收到意见{s.received}条，其中采纳{s.adopted}条，部分采纳{s.partly_adopted}条，"
                 f"未采纳{s.not_adopted}条")
        if s.undecided:
            tally += f"，尚未处理{s.undecided}条"
        tally += "。"
        lines.append(tally)
        if s.unresolved:
            lines.append(f"另有{s.unresolved}行意见无法读入，原样保留在 comments/{self.stage}"
                         ".rejects.yaml 中，未计入上述条数。")
        return tuple(lines)

    def number_headers(self) -> tuple[str, ...]:
        return (self.stage, self.next_stage) if self.next_stage else (self.stage,)


def resolution_table(comments: CommentSet, info: EditionInfo, numbering: Numbering | None, *,
                     fates: Mapping[str, Fate] | None = None, next_stage: str | None = None,
                     date: str | None = None) -> ResolutionTable:
    """The table's rows, in the order of the draft commented on (whole-draft comments first),
    comments on one clause in the order they were collected."""
    order = {cid: i for i, cid in enumerate(numbering.order())} if numbering else {}
    indexed = list(enumerate(comments.comments))
    indexed.sort(key=lambda p: (p[1].clause != GENERAL, order.get(p[1].clause, len(order)),
                                p[0]))
    rows = []
    for serial, (_i, c) in enumerate(indexed, start=1):
        if c.clause == GENERAL:
            old = GENERAL_LABEL
            new: str | None = GENERAL_LABEL if next_stage else None
        else:
            old = (numbering.label(c.clause) if numbering else None) or c.number or c.clause
            new = None
            if next_stage:
                fate = (fates or {}).get(c.clause)
                new = (fate.new_label or DELETED) if fate and fate.new_id else DELETED
        rows.append(TableRow(serial, old, new, c.comment, c.proposal, c.reason, c.unit,
                             c.disposition or UNDECIDED, c.disposition_reason or ""))
    if date is None:
        dates = sorted(r.date for r in comments.replies if r.date)
        date = dates[-1] if dates else ""
    unit = info.drafting_units[0] if info.drafting_units else info.issuer
    title = f"《{info.title_zh}》征求意见汇总处理表"
    return ResolutionTable(title, f"《{info.title_zh}》", info.number, comments.stage, next_stage,
                           unit, date, comment_statistics(comments), tuple(rows))


def _heading_lines(t: ResolutionTable) -> tuple[str, str]:
    first = f"标准名称：{t.standard}（{t.number}）"
    second = f"负责起草单位：{t.drafting_unit}　　　　日期：{_date_zh(t.date)}"
    return first, second


def _date_zh(date: str) -> str:
    try:
        y, m, d = (int(p) for p in date.split("-")[:3])
        return f"{y}年{m}月{d}日"
    except ValueError:
        return date or "　　年　月　日"


def _cells(t: ResolutionTable, r: TableRow) -> list[str]:
    numbers = [r.old_number] + ([r.new_number or ""] if t.next_stage else [])
    return [str(r.serial), *numbers, r.content(), r.unit, r.disposition, r.note]


def _created(date: str) -> dt.datetime:
    try:
        y, m, d = (int(p) for p in date.split("-")[:3])
        return dt.datetime(y, m, d, tzinfo=dt.UTC)
    except ValueError:
        return dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


# --- .xlsx --------------------------------------------------------------------------------------


def table_xlsx(t: ResolutionTable) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False, "strings_to_urls": False})
    book.set_properties({"title": t.title, "subject": t.number, "author": t.drafting_unit,
                         "created": _created(t.date)})
    base = {"font_name": "宋体", "font_size": 10.5, "valign": "top", "text_wrap": True}
    title = book.add_format({**base, "bold": True, "font_name": "黑体", "font_size": 14,
                             "align": "center", "valign": "vcenter"})
    plain = book.add_format({**base, "valign": "vcenter"})
    head = book.add_format({**base, "bold": True, "border": 1, "align": "center",
                            "valign": "vcenter", "bg_color": "#E8ECF2"})
    cell = book.add_format({**base, "border": 1, "num_format": "@"})
    centre = book.add_format({**base, "border": 1, "num_format": "@", "align": "center"})
    ws = book.add_worksheet("汇总处理表")
    two = t.next_stage is not None
    widths = [6, 11] + ([11] if two else []) + [52, 18, 10, 34]
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)
    last = len(widths) - 1
    ws.merge_range(0, 0, 0, last, t.title, title)
    ws.set_row(0, 30)
    first, second = _heading_lines(t)
    ws.merge_range(1, 0, 1, last, first, plain)
    ws.merge_range(2, 0, 2, last, second, plain)
    stats = "说明：" + "".join(t.statistics_lines())
    ws.merge_range(3, 0, 3, last, stats, plain)
    ws.set_row(3, 15 * line_count(stats, sum(widths) / 2.1))
    h = 4
    if two:
        ws.merge_range(h, 0, h + 1, 0, COLUMNS[0], head)
        ws.merge_range(h, 1, h, 2, COLUMNS[1], head)
        ws.write_string(h + 1, 1, t.stage, head)
        ws.write_string(h + 1, 2, t.next_stage or "", head)
        for k, name in enumerate(COLUMNS[2:], start=3):
            ws.merge_range(h, k, h + 1, k, name, head)
        body = h + 2
    else:
        for k, name in enumerate(COLUMNS):
            ws.write_string(h, k, name, head)
        body = h + 1
    for i, r in enumerate(t.rows):
        cells = _cells(t, r)
        lines = 1
        for k, text in enumerate(cells):
            fmt = centre if k == 0 or (k <= (2 if two else 1)) or k == last - 1 else cell
            ws.write_string(body + i, k, text, fmt)
            lines = max(lines, line_count(text, widths[k] / 2.1))
        ws.set_row(body + i, 14.5 * lines + 3)
    ws.repeat_rows(h, body - 1)
    ws.freeze_panes(body, 0)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    book.close()
    return buffer.getvalue()


# --- .docx --------------------------------------------------------------------------------------


def table_docx(t: ResolutionTable) -> bytes:
    word = WordDocument(Properties(title=t.title, subject=t.number, author=t.drafting_unit,
                                   date=_created(t.date), comments=t.standard), landscape=True)
    word.append(paragraph("StdBodyTitle", runs(t.title)))
    for line in _heading_lines(t):
        word.append(paragraph("StdParaFlush", runs(line)))
    word.append(paragraph("StdParaFlush", runs("说明：" + "".join(t.statistics_lines()))))
    two = t.next_stage is not None
    width = S.PAGE_HEIGHT - S.MARGIN_INSIDE - S.MARGIN_OUTSIDE
    parts = [0.5, 0.95] + ([0.95] if two else []) + [4.6, 1.5, 0.9, 2.8]
    unit = width / sum(parts)
    widths = [p * unit for p in parts]
    cells: list[Cell] = []

    def put(r: int, c: int, text: str, header: bool = False, rowspan: int = 1,
            colspan: int = 1, centred: bool = False) -> None:
        style = "StdTableHead" if header else "StdTableText"
        align = "center" if centred and not header else None
        content = [paragraph(style, runs(line), align=align) for line in text.split("\n")]
        cells.append(Cell(r, c, rowspan, colspan, content, header=header))

    if two:
        put(0, 0, COLUMNS[0], True, rowspan=2)
        put(0, 1, COLUMNS[1], True, colspan=2)
        put(1, 1, t.stage, True)
        put(1, 2, t.next_stage or "", True)
        for k, name in enumerate(COLUMNS[2:], start=3):
            put(0, k, name, True, rowspan=2)
        top = 2
    else:
        for k, name in enumerate(COLUMNS):
            put(0, k, name, True)
        top = 1
    centred = {0, 1, len(widths) - 2} | ({2} if two else set())
    for i, r in enumerate(t.rows):
        for k, text in enumerate(_cells(t, r)):
            put(top + i, k, text, centred=k in centred)
    word.append(table(cells, widths, header_rows=top))
    word.append(paragraph("StdParaFlush"))
    word.end_section(Furniture(header=t.number), number_format="decimal", start=1, last=True)
    return word.to_bytes()


# --- HTML ---------------------------------------------------------------------------------------

_CSS = """
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", SimSun, serif; margin: 2em;
       color: #111; }
h1 { font-family: "Noto Sans CJK SC", "Source Han Sans SC", SimHei, sans-serif;
     font-size: 1.4em; text-align: center; font-weight: normal; }
p.meta { margin: .3em 0; }
table { border-collapse: collapse; width: 100%; margin-top: 1em; font-size: .92em; }
th, td { border: 1px solid #444; padding: .35em .5em; vertical-align: top; text-align: left; }
th { background: #eef1f5; text-align: center; font-weight: bold; }
td.c { text-align: center; white-space: nowrap; }
td.deleted { color: #9a3412; }
ol.stats { margin: .3em 0 0 1.5em; padding: 0; }
@media print { body { margin: 0; } thead { display: table-header-group; }
               tr { break-inside: avoid; } }
"""


def table_html(t: ResolutionTable) -> str:
    e = html.escape
    two = t.next_stage is not None
    first, second = _heading_lines(t)
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(t.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{e(t.title)}</h1>",
        f'<p class="meta">{e(first)}</p>',
        f'<p class="meta">{e(second)}</p>',
        '<p class="meta">说明：</p>',
        '<ol class="stats">',
        *(f"<li>{e(line)}</li>" for line in t.statistics_lines()),
        "</ol>",
        "<table>",
        "<colgroup>",
        '<col style="width:3em">',
        *(['<col style="width:6.5em">'] * (2 if two else 1)),
        '<col style="width:40%">', '<col style="width:10em">', '<col style="width:5.5em">',
        "<col>",
        "</colgroup>",
        "<thead>",
    ]
    if two:
        out.append("<tr><th rowspan=\"2\">序号</th><th colspan=\"2\">标准章条编号</th>"
                   + "".join(f'<th rowspan="2">{e(c)}</th>' for c in COLUMNS[2:]) + "</tr>")
        out.append(f"<tr><th>{e(t.stage)}</th><th>{e(t.next_stage or '')}</th></tr>")
    else:
        out.append("<tr>" + "".join(f"<th>{e(c)}</th>" for c in COLUMNS) + "</tr>")
    out.append("</thead>")
    out.append("<tbody>")
    for r in t.rows:
        cells = [f'<td class="c">{r.serial}</td>', f'<td class="c">{e(r.old_number)}</td>']
        if two:
            cls = "c deleted" if r.new_number == DELETED else "c"
            cells.append(f'<td class="{cls}">{e(r.new_number or "")}</td>')
        content = "<br>".join(e(line) for line in r.content().split("\n"))
        cells += [f"<td>{content}</td>", f"<td>{e(r.unit)}</td>",
                  f'<td class="c">{e(r.disposition)}</td>', f"<td>{e(r.note)}</td>"]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>", "</body>", "</html>", ""]
    return "\n".join(out)


# --- Typst (PDF) --------------------------------------------------------------------------------


def table_typst(t: ResolutionTable, serif: str, sans: str) -> str:
    two = t.next_stage is not None
    first, second = _heading_lines(t)

    def lines(text: str) -> str:
        return " \\\n".join(typ(line) for line in text.split("\n"))

    head: list[str] = []
    if two:
        head.append('table.cell(rowspan: 2, align: center + horizon)[*序号*]')
        head.append('table.cell(colspan: 2, align: center)[*标准章条编号*]')
        head += [f"table.cell(rowspan: 2, align: center + horizon)[*{typ(c)}*]"
                 for c in COLUMNS[2:]]
        head += [f"table.cell(align: center)[*{typ(t.stage)}*]",
                 f"table.cell(align: center)[*{typ(t.next_stage or '')}*]"]
        columns = "(1.1cm, 2.2cm, 2.2cm, 1fr, 3.2cm, 1.9cm, 5.4cm)"
    else:
        head += [f"table.cell(align: center)[*{typ(c)}*]" for c in COLUMNS]
        columns = "(1.1cm, 2.6cm, 1fr, 3.4cm, 1.9cm, 6.2cm)"
    body = []
    for r in t.rows:
        cells = [f"table.cell(align: center)[{r.serial}]",
                 f"table.cell(align: center)[{typ(r.old_number)}]"]
        if two:
            cells.append(f"table.cell(align: center)[{typ(r.new_number or '')}]")
        cells += [f"[{lines(r.content())}]", f"[{typ(r.unit)}]",
                  f"table.cell(align: center)[{typ(r.disposition)}]", f"[{lines(r.note)}]"]
        body.append(", ".join(cells))
    stats = " \\\n".join(typ(line) for line in t.statistics_lines())
    return "\n".join([
        "// Generated by stdkit: 征求意见汇总处理表 (no imports, no packages).",
        # A fixed date (the table's, or SOURCE_DATE_EPOCH), or none: Typst's default is now.
        f"#set document(title: {typ_string(t.title)}, date: {typst_date(t.date or None, None)})",
        '#set page(paper: "a4", flipped: true, margin: (x: 1.5cm, y: 1.4cm),'
        ' numbering: "1 / 1", number-align: center)',
        f"#set text(font: ({typ_string(serif)},), size: 9.5pt, lang: \"zh\", region: \"cn\","
        " cjk-latin-spacing: none)",
        "#set par(justify: false, leading: 0.6em)",
        f"#show strong: set text(font: ({typ_string(sans)},))",
        f"#align(center, text(font: ({typ_string(sans)},), size: 15pt)[{typ(t.title)}])",
        "#v(0.4em)",
        f"{typ(first)} \\",
        f"{typ(second)}",
        "",
        f"#text(size: 9pt)[说明： \\\n{stats}]",
        "",
        f"#table(columns: {columns}, inset: 4pt, stroke: 0.5pt,",
        "  fill: (_, y) => if y < " + ("2" if two else "1") + " { luma(235) },",
        f"  table.header({', '.join(head)}),",
        "  " + ",\n  ".join(body) + ("," if body else ""),
        ")",
        "",
    ])
