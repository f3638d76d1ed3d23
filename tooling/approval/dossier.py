"""The 报批 package: every file the approving department asks for, in one folder and one zip,
with a manifest of each file's SHA-256.

Pure apart from what it is given: the command builds the 报批稿's PDF and Word files (the same
``stdkit build pdf``/``docx`` a user runs), the 编制说明 and the 征求意见汇总处理表, and hands
their bytes here. This module adds the template for the review's record (审查意见 with its
汇总处理表, the same columns as the 征求意见汇总处理表) and packs everything: files in a fixed
order, zip entries with a fixed date and mode, so the same sources give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import zipfile
from collections.abc import Mapping

from ..model import EditionInfo
from ..model.stages import file_stem
from ..word import Furniture, Properties, WordDocument, fixed_date
from ..word import styles as S
from ..word.ooxml import page_break, paragraph, runs
from ..word.tables import Cell, table

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
#: The columns of a comment resolution table (LOCAL-STANDARD-PROCESS.md): the 征求意见 and the
#: 审查 tables have the same shape.
RESOLUTION_COLUMNS = ("序号", "标准章条编号", "意见内容", "提出单位", "处理意见", "备注")
TEMPLATE_ROWS = 15
REVIEW_ITEMS = (
    ("审查会议时间", ""), ("审查会议地点", ""), ("审查方式", "会议审查 / 函审"),
    ("主持单位", ""), ("审查专家组组长", ""),
)
EXPERT_COLUMNS = ("序号", "姓名", "工作单位", "职务/职称", "签字")
CONCLUSION = ("审查结论", "（例：审查专家组一致同意该标准通过审查，建议起草组按审查意见修改后"
                        "形成报批稿报批。）")


def dossier_name(info: EditionInfo) -> str:
    """The folder and zip name: DB3715-T_XXXX-2026_报批稿_报批材料."""
    return f"{file_stem(info)}_报批材料"


def _date(info: EditionInfo) -> dt.datetime:
    return fixed_date((info.draft_completed, info.issued, info.implemented), info.number,
                      os.environ.get("SOURCE_DATE_EPOCH"))


def review_docx(info: EditionInfo) -> bytes:
    """The template of the review's record: the meeting, the experts, the conclusion and the
    审查意见汇总处理表, to be filled in after the 审查会."""
    title = f"《{info.title_zh}》审查意见"
    author = info.drafting_units[0] if info.drafting_units else info.issuer
    word = WordDocument(Properties(title=title, subject=info.number, author=author,
                                   date=_date(info), comments="审查意见及其汇总处理表（模板）"))
    word.append(paragraph("StdBodyTitle", runs(title)))
    word.append(paragraph("StdCoverStage", runs(f"{info.number}（送审稿）")))
    half = S.TEXT_WIDTH / 3
    cells = []
    for r, (label, hint) in enumerate(REVIEW_ITEMS):
        cells.append(Cell(r, 0, content=[paragraph("StdTableText", runs(label))]))
        cells.append(Cell(r, 1, content=[paragraph("StdTableText", runs(hint))]))
    word.append(table(cells, [half, S.TEXT_WIDTH - half]))
    word.append(paragraph("StdChapter", runs("审查专家组名单")))
    widths = [S.TEXT_WIDTH * w for w in (0.08, 0.17, 0.40, 0.18, 0.17)]
    rows = [EXPERT_COLUMNS, *[(str(i), "", "", "", "") for i in range(1, 8)]]
    word.append(table([Cell(r, c, content=[paragraph("StdTableHead" if r == 0 else
                                                     "StdTableText", runs(text))],
                            header=r == 0)
                       for r, row in enumerate(rows) for c, text in enumerate(row)],
                      widths, header_rows=1))
    word.append(paragraph("StdChapter", runs(CONCLUSION[0])))
    word.append(paragraph("StdPara", runs(CONCLUSION[1])))
    word.append(paragraph("StdPara", runs("审查专家组组长（签字）：" + "\u3000" * 8
                                          + "年\u3000\u3000月\u3000\u3000日")))
    word.append(paragraph("StdParaFlush", [page_break()]))
    word.append(paragraph("StdBodyTitle", runs("审查意见汇总处理表")))
    word.append(paragraph("StdParaFlush", runs(
        f"标准名称：{info.title_zh}　　承办人：　　　　　负责起草单位：{author}　　"
        "填写日期：　　年　　月　　日")))
    widths = [S.TEXT_WIDTH * w for w in (0.07, 0.14, 0.35, 0.16, 0.12, 0.16)]
    rows = [RESOLUTION_COLUMNS,
            *[(str(i), "", "", "", "", "") for i in range(1, TEMPLATE_ROWS + 1)]]
    word.append(table([Cell(r, c, content=[paragraph("StdTableHead" if r == 0 else
                                                     "StdTableText", runs(text))],
                            header=r == 0)
                       for r, row in enumerate(rows) for c, text in enumerate(row)],
                      widths, header_rows=1))
    word.append(paragraph("StdParaFlush", runs(
        "说明：处理意见写“采纳”“部分采纳”或“未采纳”；部分采纳和未采纳的，在备注中写明理由。"
        "共收到审查意见　　条，采纳　　条，部分采纳　　条，未采纳　　条。")))
    word.end_section(Furniture(header=info.number), number_format="decimal", start=1,
                     last=True)
    return word.to_bytes()


def review_xlsx(info: EditionInfo) -> bytes:
    """The 审查意见汇总处理表 as a workbook: a heading block, then the six columns."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False, "strings_to_urls": False})
    book.set_properties({"title": f"《{info.title_zh}》审查意见汇总处理表",
                         "created": _date(info).replace(tzinfo=dt.UTC), "author": "stdkit"})
    bold = book.add_format({"bold": True, "font_size": 14, "align": "center"})
    label = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#E8ECF2", "border": 1, "align": "center",
                            "valign": "vcenter", "text_wrap": True})
    cell = book.add_format({"num_format": "@", "border": 1, "valign": "top", "text_wrap": True})
    ws = book.add_worksheet("审查意见汇总处理表")
    for i, width in enumerate((6, 14, 50, 22, 12, 36)):
        ws.set_column(i, i, width)
    ws.merge_range(0, 0, 0, 5, "审查意见汇总处理表", bold)
    author = info.drafting_units[0] if info.drafting_units else info.issuer
    text = book.add_format({"num_format": "@"})
    for r, (key, value) in enumerate((("标准名称", f"{info.title_zh}（{info.number}）"),
                                      ("负责起草单位", author), ("承办人", ""),
                                      ("填写日期", "")), start=1):
        ws.merge_range(r, 0, r, 1, key, label)  # the label over 序号 and 章条编号
        ws.merge_range(r, 2, r, 5, value, text)
    top = 6
    for c, name in enumerate(RESOLUTION_COLUMNS):
        ws.write_string(top, c, name, head)
    for i in range(1, TEMPLATE_ROWS + 1):
        ws.write_string(top + i, 0, str(i), cell)
        for c in range(1, len(RESOLUTION_COLUMNS)):
            ws.write_blank(top + i, c, None, cell)
    ws.data_validation(top + 1, 4, top + TEMPLATE_ROWS, 4, {
        "validate": "list", "source": ["采纳", "部分采纳", "未采纳"]})
    ws.freeze_panes(top + 1, 0)
    # Printed on A4 landscape, one page wide, the heading row repeated.
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(top)
    book.close()
    return buffer.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest(info: EditionInfo, files: Mapping[str, bytes], descriptions: Mapping[str, str],
             *, preview: bool) -> tuple[str, str]:
    """manifest.json (every file, its size, SHA-256 and what it is) and SHA256SUMS (the same
    hashes in the format ``sha256sum -c`` checks)."""
    entries = [{"file": name, "bytes": len(data), "sha256": sha256(data),
                "content": descriptions.get(name, "")} for name, data in sorted(files.items())]
    document = {"standard": info.number, "title": info.title_zh, "stage": info.stage,
                "preview": preview, "files": entries}
    text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    sums = "".join(f"{e['sha256']}  {e['file']}\n" for e in entries)
    return text, sums


def pack(folder: str, files: Mapping[str, bytes]) -> bytes:
    """A zip of ``files`` under ``folder/``: sorted, fixed dates and modes, deflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in sorted(files):
            entry = zipfile.ZipInfo(f"{folder}/{name}", date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 0
            entry.flag_bits |= 0x800  # the names are UTF-8 (Chinese file names)
            target.writestr(entry, files[name], compresslevel=6)
    return out.getvalue()


__all__ = ["CHECKSUMS", "MANIFEST", "RESOLUTION_COLUMNS", "dossier_name", "manifest", "pack",
           "review_docx", "review_xlsx", "sha256"]
