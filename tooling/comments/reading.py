"""Reading returned comment forms (.xlsx, .csv, .docx) into rows, before any clause is resolved.

A returned form is untrusted input from outside the office. Before a workbook is opened its
size is checked: the file, the unpacked parts (a zip bomb), the number of sheets and the rows
the sheet declares; rows are then streamed (openpyxl ``read_only``) and counted, so a sheet of a
million rows stops with one message rather than filling memory. A file that is not what its
extension says (an .xls or a text file renamed .xlsx, a Word file named .xlsx) is named for what
it is. Cells are read as text: a formula is kept as the text of the formula, never evaluated
and never written back as a formula. Columns are found by their header, so a form whose columns
were moved is read the same; a header row is any row with a 意见内容 cell.

Problems with the whole file raise :class:`FormError` (E212, E213); problems with a row are
the resolver's to report (:mod:`.collect`), with the row's cells kept verbatim.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from ..io.diagnostics import Diagnostic, diagnostic
from .forms import FIELDS, FORM_MARK, FORM_SHEET, NUMBERING_SHEET
from .numbering import Numbering, from_rows

MAX_FILE_BYTES = 20 * 1024 * 1024  # a returned form is a few hundred kilobytes
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_SHEETS = 50
MAX_ROWS = 20_000  # rows in the sheet read (a form has one row per clause)
MAX_COLUMNS = 100
HEADER_SCAN = 30  # rows searched for the header row

# Column headers (normalised) -> field. Our forms' headers first, then what people write.
HEADERS = {
    "标识": "id", "ID": "id", "条款标识": "id",
    "章条编号": "number", "标准章条编号": "number", "条款编号": "number", "章条号": "number",
    "条款": "number", "编号": "number",
    "标题": "title", "条文": "text", "条文(摘要)": "text",
    "意见内容": "comment", "意见": "comment", "修改意见": "comment", "意见和建议": "comment",
    "修改建议": "proposal", "建议": "proposal",
    "理由": "reason", "理由或依据": "reason", "依据": "reason",
    "处理意见": "disposition", "处理结果": "disposition",
    "处理理由": "disposition_reason", "处理说明": "disposition_reason",
    "备注": "disposition_reason",
    "提出单位": "unit", "单位": "unit", "联系人": "contact", "日期": "date", "序号": "serial",
}
_FIELD_LABELS = {"提出单位": "unit", "单位名称": "unit", "联系人": "contact", "日期": "date",
                 "填表日期": "date"}
assert all(f in _FIELD_LABELS for f in FIELDS)


class FormError(Exception):
    """A returned form that cannot be read at all: one diagnostic says why."""

    def __init__(self, diag: Diagnostic) -> None:
        super().__init__(str(diag))
        self.diagnostic = diag


@dataclass(frozen=True)
class Row:
    """One row under the header: its cells verbatim, and the fields they hold."""

    row: int  # 1-based, as the spreadsheet or the Word table shows it
    cells: tuple[str, ...]
    values: tuple[tuple[str, str], ...]  # (field, text), non-empty fields only
    merged: str | None = None  # a merged range (spanning rows) the row's fields lie in
    formulas: tuple[str, ...] = ()  # fields whose cell was a formula

    def get(self, name: str) -> str:
        return dict(self.values).get(name, "")


@dataclass(frozen=True)
class Form:
    """What a returned form holds."""

    path: Path
    kind: str  # xlsx / csv / docx
    sheet: str | None
    header_row: int  # 1-based
    columns: tuple[str, ...]  # the fields found, in column order
    unit: str | None
    contact: str | None
    date: str | None
    rows: tuple[Row, ...]
    stage: str | None = None  # from our forms: the draft the form was made on
    fingerprint: str | None = None
    numbering: Numbering | None = None  # from the .xlsx form's hidden sheet

    @property
    def has_id_column(self) -> bool:
        return "id" in self.columns

    def where(self, row: int | None = None) -> str:
        sheet = f"工作表“{self.sheet}”" if self.kind == "xlsx" else (
            "Word 表格" if self.kind == "docx" else "")
        at = f"第{row}行" if row else ""
        return "".join((sheet, at)) or self.path.name


def read_form(path: Path) -> Form:
    """Read a returned form; raise :class:`FormError` for a file that cannot be read."""
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("xlsx", "csv", "docx"):
        raise _fail(path, "E212", detail=f"不支持的文件类型“{path.suffix or '（无扩展名）'}”："
                    "请用 .xlsx、.csv 或 .docx")
    try:
        size = path.stat().st_size
        head = path.open("rb").read(8)
    except OSError as err:
        raise _fail(path, "E212", detail=f"无法读取（{err.strerror}）") from None
    if size > MAX_FILE_BYTES:
        raise _fail(path, "E213", detail=f"文件大小 {size // (1024 * 1024)} MB，"
                    f"超过 {MAX_FILE_BYTES // (1024 * 1024)} MB")
    actual = _sniff(path, head)
    if actual != kind:
        raise _fail(path, "E212", detail=f"扩展名是 .{kind}，内容却{_KIND_NAMES[actual]}；"
                    f"请用原来的程序另存为 .{kind}")
    if kind == "xlsx":
        return _read_xlsx(path)
    if kind == "docx":
        return _read_docx(path)
    return _read_csv(path)


_KIND_NAMES = {
    "xlsx": "是 Excel 工作簿（.xlsx）", "docx": "是 Word 文档（.docx）",
    "xls": "是 Excel 97-2003 工作簿（.xls）", "doc": "是 Word 97-2003 文档（.doc）或其他旧格式",
    "pdf": "是 PDF 文件", "zip": "是其他 zip 压缩文件", "csv": "是文本",
    "binary": "不是文本，也不是 Office 文件",
}


def _sniff(path: Path, head: bytes) -> str:
    """What the file really is, from its bytes."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError):
            return "binary"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls" if path.suffix.lower() in (".xlsx", ".xls") else "doc"
    if head.startswith(b"%PDF"):
        return "pdf"
    try:
        sample = path.read_bytes()[:65536]
    except OSError:
        return "binary"
    if b"\x00" in sample:
        return "binary"
    return "csv"


def _fail(path: Path, code: str, **params: object) -> FormError:
    return FormError(diagnostic(code, path, None, **params))


def _text(value: object) -> str:
    """A cell as text: numbers as a reader sees them (6.2 stays 6.2, 3 not 3.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)


def _norm_header(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text).rstrip(":")
    return text


def _field_of(header: str) -> str | None:
    h = _norm_header(header)
    if h in HEADERS:
        return HEADERS[h]
    bare = re.sub(r"\(.*?\)$", "", h)  # 处理意见(起草组填写)
    return HEADERS.get(bare)


def _header_fields(cells: list[str]) -> list[str | None] | None:
    fields = [_field_of(c) if c else None for c in cells]
    return fields if "comment" in fields else None


def _labels(rows: list[list[str]]) -> dict[str, str]:
    """提出单位 / 联系人 / 日期 above the header: the first non-empty cell right of the label
    (or the text after the colon in the same cell: “提出单位：某某局”)."""
    found: dict[str, str] = {}
    for cells in rows:
        for i, cell in enumerate(cells):
            text = _norm_header(cell)
            name = next((f for label, f in _FIELD_LABELS.items()
                         if text == label or text.startswith(label + ":")), None)
            if name is None or name in found:
                continue
            after = text.split(":", 1)[1].strip() if ":" in text else ""
            if not after:
                after = next((c.strip() for c in cells[i + 1:] if c.strip()), "")
                if _field_of(after) or after in _FIELD_LABELS:
                    after = ""
            if after:
                found[name] = after
    return found


def _make_rows(raw: Iterator[tuple[int, list[str], set[int]]], fields: list[str | None],
               merged: dict[int, str]) -> tuple[Row, ...]:
    rows = []
    for number, cells, formulas in raw:
        values = tuple((f, cells[i].strip()) for i, f in enumerate(fields)
                       if f and i < len(cells) and cells[i].strip())
        formula_fields = tuple(fields[i] for i in sorted(formulas)
                               if i < len(fields) and fields[i])
        rows.append(Row(number, tuple(cells), values, merged.get(number),
                        tuple(f for f in formula_fields if f)))
    return tuple(rows)


# --- .xlsx --------------------------------------------------------------------------------------


def _read_xlsx(path: Path) -> Form:
    import openpyxl

    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(i.file_size for i in z.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise _fail(path, "E213", detail=f"解压后 {unpacked // (1024 * 1024)} MB，超过 "
                            f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB")
            info = z.getinfo("xl/workbook.xml")
            if info.file_size > 5 * 1024 * 1024:
                raise _fail(path, "E213", detail="工作簿目录过大")
            sheets = len(re.findall(rb"<(?:\w+:)?sheet\b", z.read("xl/workbook.xml")))
    except (zipfile.BadZipFile, KeyError, OSError) as err:
        raise _fail(path, "E212", detail=f"不是有效的 .xlsx 文件（{err}）") from None
    if sheets > MAX_SHEETS:
        raise _fail(path, "E213", detail=f"共有 {sheets} 个工作表（最多 {MAX_SHEETS} 个）")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as err:  # openpyxl raises many kinds for a damaged package
        raise _fail(path, "E212", detail=f"不是有效的 .xlsx 文件（{type(err).__name__}）") from None
    try:
        return _read_book(path, book)
    finally:
        book.close()


def _declared_rows(ws: object) -> int | None:
    try:
        return ws.max_row  # type: ignore[attr-defined]  # from the sheet's <dimension>
    except Exception:
        return None


def _read_book(path: Path, book: object) -> Form:
    names = book.sheetnames  # type: ignore[attr-defined]
    visible = [n for n in names if n != NUMBERING_SHEET]
    candidates = ([FORM_SHEET] if FORM_SHEET in visible else []) + [
        n for n in visible if n != FORM_SHEET]
    for name in candidates:
        ws = book[name]  # type: ignore[index]
        declared = _declared_rows(ws)
        if declared is not None and declared > MAX_ROWS:
            raise FormError(diagnostic("E213", path, None, detail=(
                f"工作表“{name}”有 {declared} 行（最多 {MAX_ROWS} 行）")))
        top: list[list[str]] = []
        fields = None
        for r, values in enumerate(ws.iter_rows(max_row=HEADER_SCAN, values_only=True),
                                   start=1):
            cells = [_text(v) for v in values[:MAX_COLUMNS]]
            fields = _header_fields(cells)
            if fields is not None:
                header_row = r
                break
            top.append(cells)
        if fields is None:
            continue
        merged = _merged_rows(path, ws, header_row)
        labels = _labels(top)
        rows = _make_rows(_xlsx_rows(path, ws, header_row), fields, merged)
        mark = _numbering_sheet(path, book)
        return Form(path, "xlsx", name, header_row, tuple(f for f in fields if f),
                    labels.get("unit"), labels.get("contact"), labels.get("date"), rows,
                    *mark)
    raise FormError(diagnostic("E212", path, None, detail=(
        "没有找到意见表：任何工作表的前 30 行中都没有“意见内容”列")))


def _xlsx_rows(path: Path, ws: object, header_row: int
               ) -> Iterator[tuple[int, list[str], set[int]]]:
    count = 0
    for r, cells in enumerate(ws.iter_rows(min_row=header_row + 1), start=header_row + 1):  # type: ignore[attr-defined]
        count += 1
        if count > MAX_ROWS:
            raise FormError(diagnostic("E213", path, None, detail=(
                f"工作表“{ws.title}”超过 {MAX_ROWS} 行")))  # type: ignore[attr-defined]
        values = [getattr(c, "value", None) for c in cells[:MAX_COLUMNS]]
        if all(v is None or v == "" for v in values):
            continue
        formulas = {i for i, c in enumerate(cells[:MAX_COLUMNS])
                    if getattr(c, "data_type", None) == "f"}
        yield r, [_text(v) for v in values], formulas


def _merged_rows(path: Path, ws: object, header_row: int) -> dict[int, str]:
    """Rows below the header that lie in a range merged across rows: {row: "E12:E13"}.
    ``read_only`` worksheets do not load merged ranges; the sheet's XML is streamed for them."""
    part = getattr(ws, "_worksheet_path", None)
    if not part:
        return {}
    out: dict[int, str] = {}
    try:
        with zipfile.ZipFile(path) as z, z.open(part.lstrip("/")) as fh:
            for _event, elem in ElementTree.iterparse(fh):
                tag = elem.tag.rsplit("}", 1)[-1]
                if tag == "mergeCell":
                    ref = elem.get("ref", "")
                    m = re.fullmatch(r"([A-Z]+)(\d+):([A-Z]+)(\d+)", ref)
                    if m and int(m.group(4)) > int(m.group(2)) and int(m.group(4)) > header_row:
                        for r in range(max(int(m.group(2)), header_row + 1), int(m.group(4)) + 1):
                            out.setdefault(r, ref)
                elif tag in ("c", "row"):
                    elem.clear()  # cells are not needed here: keep memory flat
    except (KeyError, OSError, ElementTree.ParseError, zipfile.BadZipFile):
        return {}
    return out


def _numbering_sheet(path: Path, book: object
                     ) -> tuple[str | None, str | None, Numbering | None]:
    """(stage, fingerprint, numbering) from our form's hidden sheet; Nones for other files."""
    if NUMBERING_SHEET not in book.sheetnames:  # type: ignore[attr-defined]
        return None, None, None
    ws = book[NUMBERING_SHEET]  # type: ignore[index]
    meta: dict[str, str] = {}
    table: list[list[str]] = []
    in_table = False
    for count, values in enumerate(ws.iter_rows(values_only=True, max_col=4)):
        if count > MAX_ROWS:
            break
        cells = [_text(v) for v in values] + ["", "", "", ""]
        if in_table:
            if cells[0]:
                table.append(cells[:4])
        elif cells[0] == "id" and cells[1] == "type":
            in_table = True
        elif cells[0]:
            meta[cells[0]] = cells[1]
    if meta.get("format") != FORM_MARK:
        return None, None, None
    numbering = from_rows(table) if table else None
    if numbering is not None and numbering.fingerprint != meta.get("fingerprint"):
        numbering = None  # edited by hand: the numbering is not the form's any more
    return meta.get("stage") or None, meta.get("fingerprint") or None, numbering


# --- .csv ---------------------------------------------------------------------------------------


def _read_csv(path: Path) -> Form:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost anything
        raise _fail(path, "E212", detail="既不是 UTF-8 也不是 GB18030 编码的文本")
    reader = csv.reader(io.StringIO(text, newline=""))
    top: list[list[str]] = []
    fields = None
    header_row = 0
    records: list[tuple[int, list[str], set[int]]] = []
    try:
        for r, cells in enumerate(reader, start=1):
            if r > MAX_ROWS:
                raise _fail(path, "E213", detail=f"超过 {MAX_ROWS} 行")
            cells = [_uncsv(c) for c in cells[:MAX_COLUMNS]]
            if fields is None:
                fields = _header_fields(cells) if r <= HEADER_SCAN else None
                if fields is None:
                    top.append(cells)
                    if r >= HEADER_SCAN:
                        break
                else:
                    header_row = r
                continue
            if any(c.strip() for c in cells):
                records.append((reader.line_num, cells, set()))
    except csv.Error as err:
        raise _fail(path, "E212", detail=f"CSV 格式有误（第{reader.line_num}行：{err}）") from None
    if fields is None:
        raise _fail(path, "E212", detail="没有找到意见表：前 30 行中没有“意见内容”列")
    labels = _labels(top)
    return Form(path, "csv", None, header_row, tuple(f for f in fields if f),
                labels.get("unit"), labels.get("contact"), labels.get("date"),
                _make_rows(iter(records), fields, {}))


def _uncsv(cell: str) -> str:
    """Undo the apostrophe our CSV files put before a cell a spreadsheet would run."""
    if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@"):
        return cell[1:]
    return cell


# --- .docx --------------------------------------------------------------------------------------


def _read_docx(path: Path) -> Form:
    import docx
    from docx.oxml.ns import qn

    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(i.file_size for i in z.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise _fail(path, "E213", detail=f"解压后 {unpacked // (1024 * 1024)} MB，超过 "
                            f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB")
        document = docx.Document(str(path))
    except FormError:
        raise
    except Exception as err:  # python-docx raises many kinds for a damaged package
        raise _fail(path, "E212", detail=f"不是有效的 .docx 文件（{type(err).__name__}）") from None
    keywords = (document.core_properties.keywords or "").split(";")
    stage = fingerprint = None
    if len(keywords) == 3 and keywords[0] == FORM_MARK:
        stage, fingerprint = keywords[1] or None, keywords[2] or None
    labels: dict[str, str] = {}
    for t in document.tables:
        cells_rows = [[c.text for c in row.cells] for row in t.rows[:HEADER_SCAN]]
        fields = _header_fields(cells_rows[0]) if cells_rows else None
        if fields is None:
            labels.update({k: v for k, v in _labels(cells_rows).items() if k not in labels})
            continue
        if len(t.rows) > MAX_ROWS:
            raise _fail(path, "E213", detail=f"意见表格有 {len(t.rows)} 行（最多 {MAX_ROWS} 行）")
        merged: dict[int, str] = {}
        records: list[tuple[int, list[str], set[int]]] = []
        for r, row in enumerate(t.rows[1:], start=2):
            tcs = row._tr.findall(qn("w:tc"))
            if any(tc.tcPr is not None and tc.tcPr.find(qn("w:vMerge")) is not None
                   for tc in tcs):
                merged[r] = "纵向合并的单元格"
            cells = [c.text for c in row.cells[:MAX_COLUMNS]]
            if any(c.strip() for i, c in enumerate(cells)
                   if i < len(fields) and fields[i] not in (None, "serial")):
                records.append((r, cells, set()))
        return Form(path, "docx", None, 1, tuple(f for f in fields if f), labels.get("unit"),
                    labels.get("contact"), labels.get("date"),
                    _make_rows(iter(records), fields, merged), stage, fingerprint)
    raise _fail(path, "E212", detail="没有找到意见表：文档中没有带“意见内容”列的表格")
