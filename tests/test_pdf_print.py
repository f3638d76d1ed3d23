"""The PDF edition read back from the PDF itself (pdfplumber, pypdf): the details a printed
GB/T standard gets right (issue 16). Both editions are checked, and a small standard with a
long spanned table printed for duplex."""

from __future__ import annotations

import itertools
import re
import shutil
import unicodedata
from pathlib import Path

import pdfplumber
import pypdf
import pytest

from tooling.cli import main
from tooling.pdf.tables import Cell, column_widths, has_orphan, tie_point, wrap
from tooling.pdf.writer import keep_joined

from .conftest import FIXTURES, ROOT, STANDARD, edit

DRAFT = ROOT / "editions" / "db3715t-draft"
MM = 72 / 25.4
UNITS = r"(?:mm|cm|km|m|kg|g|h|min|d|%)"


def build_pdf(source: Path, out: Path) -> Path:
    assert main(["build", "pdf", "-q", "--source", str(source), "--out", str(out)]) == 0
    (pdf,) = (out / "pdf").glob("*.pdf")
    return pdf


@pytest.fixture(scope="module")
def long_table(tmp_path_factory) -> Path:
    """The mini standard printed duplex, with a 60-row table that merges cells."""
    source = tmp_path_factory.mktemp("long") / "mini"
    shutil.copytree(FIXTURES / "mini", source)
    rows = "\n".join(f"| {i} | ^^ | 第{i}次巡查记录 |" if i % 3 else f"| {i} | 第{i // 3}组 | 第{i}次巡查记录 |"
                     for i in range(60))
    rows = rows.replace("| 0 | ^^ |", "| 0 | 第0组 |")
    (source / "annexes.md").write_text(
        (source / "annexes.md").read_text("utf-8") + "\n:::{table} 巡查记录汇总\n"
        ":name: table-b-rounds\n\n| 序号 | 分组 | 记录 |\n| --- | --- | --- |\n"
        f"{rows}\n| 合计 | << | 60次 |\n:::\n", "utf-8")
    with (source / "standard.yaml").open("a", encoding="utf-8") as fh:
        fh.write("pdf:\n  duplex: true\n")
    return build_pdf(source, tmp_path_factory.mktemp("long-out"))


@pytest.fixture(scope="module", params=["standard", "draft"])
def edition_pdf(request, tmp_path_factory) -> Path:
    source = STANDARD if request.param == "standard" else DRAFT
    return build_pdf(source, tmp_path_factory.mktemp(f"print-{request.param}"))


def lines_of(page) -> list[list[dict]]:
    """The page's characters in content order, cut where the baseline changes or the text
    jumps ahead (the next cell of a table row)."""
    lines: list[list[dict]] = []
    for char in page.chars:
        prev = lines[-1][-1] if lines else None
        if prev and abs(prev["bottom"] - char["bottom"]) < 2 and \
                prev["x0"] - 1 < char["x0"] < prev["x1"] + 1.2 * char["size"]:
            lines[-1].append(char)
        else:
            lines.append([char])
    return lines


def body_chars(page) -> list[dict]:
    return [c for c in page.chars if c.get("tag") != "Artifact"]


# -- text ------------------------------------------------------------------------------------


def test_no_line_ends_between_a_number_and_its_unit(edition_pdf):
    with pdfplumber.open(edition_pdf) as pdf:
        for page in pdf.pages:
            text = "\n".join("".join(c["text"] for c in line) for line in lines_of(page))
            # (not a list item "d)" at the top of a page, under the page header's year)
            broken = re.findall(rf"\d[ \u00a0]*\n[ \u00a0]*{UNITS}(?![A-Za-z)])", text)
            assert broken == [], (page.page_number, broken)
            assert "400 mm×300 mm" not in text or "400 mm×300 mm" in text.replace("\n", "")


def test_no_invisible_characters_in_the_extracted_text(edition_pdf):
    """No U+2060 (Typst's 目次 word joiner), zero-width or other format characters, and no
    no-break space: what a reader copies is what is printed."""
    for page in pypdf.PdfReader(edition_pdf).pages:
        text = page.extract_text()
        bad = {f"U+{ord(ch):04X}" for ch in text
               if (unicodedata.category(ch) in ("Cf", "Cc", "Co", "Cn", "Zl", "Zp")
               and ch not in "\n\r\t") or ch in "\u00a0\u200b\u2060\ufeff"}
        assert bad == set(), bad


def test_no_space_between_han_and_latin_or_digits(edition_pdf):
    """表1, 第4章, 65周岁 — set close, as printed GB/T standards are: the gap between a Han
    character and a digit is no wider than between two Han characters on the same line."""
    checked = 0
    with pdfplumber.open(edition_pdf) as pdf:
        for page in pdf.pages[1:]:
            for line in lines_of(page):
                gaps = [b["x0"] - a["x1"] for a, b in itertools.pairwise(line)]
                han = [g for (a, b), g in zip(itertools.pairwise(line), gaps, strict=True)
                       if _han(a["text"]) and _han(b["text"])]
                if not han:
                    continue
                text = "".join(c["text"] for c in line)
                for i, ((a, b), gap) in enumerate(zip(itertools.pairwise(line), gaps,
                                                      strict=True)):
                    if re.fullmatch(r"[\d.]+", text[: i + 1]):
                        continue  # a clause number and its fixed gap
                    if gap > 0.6 * a["size"]:
                        continue  # the next cell of a table row
                    if (_han(a["text"]) and b["text"].isdigit()) or \
                            (a["text"].isdigit() and _han(b["text"])):
                        assert gap <= max(han) + 0.3, (page.page_number, a["text"], b["text"])
                        checked += 1
    assert checked > 20


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def test_full_width_punctuation_keeps_its_width(edition_pdf):
    """A full-width colon or comma inside a line takes a full em (本文件起草单位：…)."""
    with pdfplumber.open(edition_pdf) as pdf:
        for page in pdf.pages[1:]:
            for line in lines_of(page):
                for a, b in itertools.pairwise(line):
                    if a["text"] in "：，；、" and _han(b["text"]):
                        assert b["x0"] - a["x0"] >= a["size"] * 0.97, \
                            (page.page_number, "".join(c["text"] for c in line))


def test_gap_after_a_clause_number_is_one_character(edition_pdf):
    """7.3.4 and 8.1.2 get the same gap as 7.4.1: justification does not stretch it."""
    gaps = []
    with pdfplumber.open(edition_pdf) as pdf:
        for page in pdf.pages[4:]:
            for line in lines_of(page):
                text = "".join(c["text"] for c in line)
                match = re.match(r"(\d+(?:\.\d+){2,}) ?(?=\S)", text)
                if match and line[0]["x0"] < 75 and _han(text[match.end():][:1]):
                    number_end = line[len(match.group(1)) - 1]["x1"]
                    first = next(c for c in line if _han(c["text"]))
                    gaps.append(first["x0"] - number_end)
    assert len(gaps) > 30
    assert max(gaps) - min(gaps) < 0.5, (min(gaps), max(gaps))


def test_notes_are_indented_with_hanging_text(edition_pdf):
    """注： at two characters of body text (21 pt) from the margin; the note's later lines
    start under its text, not under 注."""
    found = 0
    with pdfplumber.open(edition_pdf) as pdf:
        for page in pdf.pages[4:]:
            margin = min(c["x0"] for c in body_chars(page))
            lines = [line for line in lines_of(page) if line[0].get("tag") != "Artifact"]
            for i, line in enumerate(lines):
                text = "".join(c["text"] for c in line)
                if not re.match(r"注\d*：", text) or line[0]["size"] > 9.5:
                    continue
                found += 1
                assert abs(line[0]["x0"] - margin - 21) < 1, (page.page_number, text)
                label_end = line[text.index("：")]["x1"]
                follow = lines[i + 1] if i + 1 < len(lines) else None
                if follow and follow[0]["size"] < 9.5 and not re.match(
                        r"注\d*：", "".join(c["text"] for c in follow)):
                    assert abs(follow[0]["x0"] - label_end) < 1.5, (page.page_number, text)
    assert found >= 3


def test_keep_together(edition_pdf):
    """No page starts with a 注 cut from its clause, and no page ends with a heading or a
    term number whose text is on the next page."""
    with pdfplumber.open(edition_pdf) as pdf:
        for page in pdf.pages[4:]:
            lines = [line for line in lines_of(page) if line[0].get("tag") != "Artifact"]
            if not lines:
                continue
            first = "".join(c["text"] for c in lines[0])
            last = "".join(c["text"] for c in lines[-1])
            assert not re.match(r"注\d*：", first), (page.page_number, first)
            # A heading or a term number is set in the sans face, at the margin.
            margin = min(c["x0"] for c in body_chars(page))
            if "Sans" in lines[-1][0]["fontname"] and lines[-1][0]["x0"] < margin + 1:
                assert not re.fullmatch(r"\d+(\.\d+)*(\s*\S{1,16})?", last.strip()), \
                    (page.page_number, last)


# -- page furniture -------------------------------------------------------------------------


def _label_number(label: str) -> int | None:
    if label.isdigit():
        return int(label)
    roman = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8}
    return roman.get(label)


def check_furniture(pdf_path: Path) -> int:
    """Header (the number) and page number at the outside edge: right on odd pages, left on
    even ones, from the first body page on; blank pages carry neither. Returns pages seen."""
    reader = pypdf.PdfReader(pdf_path)
    number = reader.metadata.subject
    labels = reader.page_labels
    # Printed one-sided, every page is bound at the left (25 mm); printed duplex (the back of
    # the cover is blank), left-hand pages are bound at the right.
    duplex = labels[1] == ""
    seen = 0
    with pdfplumber.open(pdf_path) as pdf:
        for index, page in enumerate(pdf.pages):
            value = _label_number(labels[index])
            furniture = [c for c in page.chars if c.get("tag") == "Artifact"]
            if value is None or not page.chars:
                assert not furniture or index == 0, f"page {index + 1}"
                continue
            header = [c for c in furniture if c["bottom"] < 20 * MM]
            footer = [c for c in furniture if c["top"] > page.height - 20 * MM]
            assert "".join(c["text"] for c in header) == number, f"page {index + 1}"
            digits = [c for c in footer if c["text"].isalnum() and c["text"] in "0123456789IVX"]
            assert "".join(c["text"] for c in digits) == labels[index], f"page {index + 1}"
            odd = value % 2 == 1
            for chars in (header, digits):
                left, right = min(c["x0"] for c in chars), max(c["x1"] for c in chars)
                if odd:
                    assert abs(right - (page.width - 20 * MM)) < 1.5, (index + 1, labels[index])
                else:
                    assert abs(left - (20 if duplex else 25) * MM) < 1.5, (index + 1, labels[index])
            seen += 1
    return seen


def test_header_and_page_number_on_every_page(edition_pdf):
    assert check_furniture(edition_pdf) >= 14


def test_opens_with_the_bookmark_panel(edition_pdf):
    assert pypdf.PdfReader(edition_pdf).trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_duplex_leaves_blank_pages_and_starts_the_body_on_a_right_hand_page(long_table):
    reader = pypdf.PdfReader(long_table)
    labels = reader.page_labels
    assert labels[1] == ""
    assert reader.pages[1].extract_text().strip() == ""  # the back of the cover
    assert labels[2] == "I"
    body = labels.index("1")
    assert body % 2 == 0  # physical page body+1 is odd: a right-hand page
    check_furniture(long_table)


# -- tables ---------------------------------------------------------------------------------


def test_no_glyph_leaves_its_table_cell(edition_pdf):
    """Every character inside a ruled table lies within one cell, clear of its rules (the
    draft's ×××××××× ran into the next cell, and 2020-06-03 touched the border)."""
    tables = 0
    with pdfplumber.open(edition_pdf) as pdf:
        for page in pdf.pages:
            for table in page.find_tables():
                tables += 1
                x0, top, x1, bottom = table.bbox
                for char in page.chars:
                    mid_x = (char["x0"] + char["x1"]) / 2
                    mid_y = (char["top"] + char["bottom"]) / 2
                    if not (x0 < mid_x < x1 and top < mid_y < bottom) or char["text"] == " ":
                        continue
                    cell = next((c for c in table.cells
                                 if c[0] <= mid_x <= c[2] and c[1] <= mid_y <= c[3]), None)
                    assert cell is not None, (page.page_number, char["text"])
                    assert char["x0"] >= cell[0] + 1 and char["x1"] <= cell[2] - 1, \
                        (page.page_number, char["text"], cell)
    assert tables >= 5


def test_no_cell_line_holds_a_single_character(edition_pdf):
    with pdfplumber.open(edition_pdf) as pdf:
        for page in pdf.pages:
            for table in page.find_tables():
                for cell in table.cells:
                    inside = page.crop(cell).chars
                    rows: dict[int, str] = {}
                    for char in inside:
                        rows.setdefault(round(char["bottom"]), "")
                        rows[round(char["bottom"])] += char["text"]
                    if len(rows) > 1:
                        for text in rows.values():
                            assert len(re.sub(r"[，。、；：）”]", "", text)) > 1 or \
                                not _han(text[:1]), (page.page_number, list(rows.values()))


def test_header_cells_are_centred(edition_pdf):
    with pdfplumber.open(edition_pdf) as pdf:
        page = next(p for p in pdf.pages if re.search(r"表[A-Z]\.1\s+楼长服务评价表", p.extract_text() or ""))
        table = page.find_tables()[0]
        first_row = min(c[1] for c in table.cells)
        for cell in (c for c in table.cells if abs(c[1] - first_row) < 1):
            chars = page.crop(cell).chars
            left = min(c["x0"] for c in chars) - cell[0]
            right = cell[2] - max(c["x1"] for c in chars)
            assert abs(left - right) < 1.5, [c["text"] for c in chars]


def test_spans_and_fill_in_rows(edition_pdf):
    """The evaluation table (表E.1) merges 评价项目 over its rows and 评分方法 over 同上's; the visit ledger's blank row has
    room to write in."""
    with pdfplumber.open(edition_pdf) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
        assert "同上" not in text
        page = next(p for p in pdf.pages if re.search(r"表[A-Z]\.1\s+楼长服务评价表", p.extract_text() or ""))
        table = page.find_tables()[0]
        tall = [c for c in table.cells if "服务内容履行" in (page.crop(c).extract_text() or "")]
        assert tall and tall[0][3] - tall[0][1] > 4 * 12  # five rows high
        page = next(p for p in pdf.pages if re.search(r"表[A-Z]\.1\s+楼长走访工作台账", p.extract_text() or ""))
        ledger = page.find_tables()[0]
        last = max(ledger.cells, key=lambda c: c[3])
        assert last[3] - last[1] >= 7.5 * MM


def test_a_continued_table_carries_its_caption_and_heading(long_table):
    with pdfplumber.open(long_table) as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
    starts = [i for i, t in enumerate(pages) if re.search(r"表B\.\d\s*巡查记录汇总", t)]
    assert len(starts) == 1
    number = re.search(r"(表B\.\d)\s*巡查记录汇总", pages[starts[0]]).group(1)
    ends = [i for i, t in enumerate(pages) if "60次" in t]
    assert ends and ends[0] > starts[0]
    for text in pages[starts[0] + 1 : ends[0] + 1]:
        assert f"{number}（续）" in text
        assert re.search(r"序号\s*分组\s*记录", text)


def test_continued_tables_in_the_editions_say_so(edition_pdf):
    """Whatever table of the edition runs over a page break says 表X（续） on the next page."""
    with pdfplumber.open(edition_pdf) as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
    for i, text in enumerate(pages[1:], start=1):
        for number in re.findall(r"表([A-Z]?\.?\d+)（续）", text):
            assert any(re.search(rf"表{re.escape(number)}\s", p) for p in pages[:i])


# -- markup: spans -----------------------------------------------------------------------------


def test_spans_reach_the_html_edition(build):
    result = build(STANDARD)
    assert result.status == 0, result.stderr
    page = result.html("annex-evaluation-form")
    assert 'rowspan="3"' in page and 'rowspan="5"' in page and 'colspan="2"' in page
    assert "同上" not in page and "^^" not in page and "&lt;&lt;" not in page


def test_spans_keep_each_row_whole_in_the_model(build):
    result = build(FIXTURES / "mini")
    assert result.status == 0
    form = build(STANDARD).edition()["table-evaluation-form"]
    widths = {len(row) for row in form.rows}
    assert widths == {6}
    by_item = {row[1]: row for row in form.rows}
    assert by_item["调解矛盾纠纷"][0] == "服务内容履行（30分）"
    assert by_item["调解矛盾纠纷"][3] == by_item["传达党的方针政策"][3]


@pytest.mark.parametrize(("table", "detail"), [
    ("| a | b |\n| --- | --- |\n| ^^ | 1 |", "第2行第1列的“^^”上方没有可合并的单元格（表头和表体不能合并）"),
    ("| a | b |\n| --- | --- |\n| << | 1 |", "第2行第1列的“<<”左侧没有可合并的单元格"),
    ("| a | b | c |\n| --- | --- | --- |\n| 1 | << | 2 |\n| ^^ | 3 | 4 |",
     "从第2行第1列开始的合并区域不是矩形：每个被合并的位置都要写“^^”或“<<”"),
])
def test_bad_spans_are_reported_with_file_and_line(build, mini_copy, table, detail):
    edit(mini_copy / "annexes.md", "| 日期 | 时间 | 保洁员 |\n| --- | --- | --- |\n| | | |",
         table)
    result = build(mini_copy)
    assert result.status == 1
    assert f"annexes.md:17: ERROR: E170 表格的合并单元格标记有误：{detail}" in result.stderr
    assert "Traceback" not in result.stderr


# -- the pure parts ---------------------------------------------------------------------------


def test_quantities_and_designations_are_joined():
    assert keep_joined("尺寸为400 mm×300 mm，在24 h内") == "尺寸为400\u00a0mm×300\u00a0mm，在24\u00a0h内"
    assert keep_joined("按GB/T 1.1—2020和DB3715/T 12—2021") == \
        "按GB/T\u00a01.1—2020和DB3715/T\u00a012—2021"
    assert keep_joined("5 mmol and 2 cities") == "5 mmol and 2 cities"


def test_column_widths_avoid_orphans_and_fit_unbreakable_runs():
    cells = [Cell(0, 1, "序号", True), Cell(1, 1, "日期", True), Cell(2, 1, "楼宇/单元/门牌号", True),
             Cell(3, 1, "处理或报告情况", True), Cell(4, 1, "平台事项编号", True),
             Cell(0, 1, "1"), Cell(1, 1, "2020-06-03"), Cell(2, 1, "3号楼2单元301"),
             Cell(3, 1, "当日通过平台上报社区居委会"), Cell(4, 1, "××××××××")]
    widths = column_widths(cells, 5, 30.0, 0.9)
    assert abs(sum(widths) - 30.0) < 0.1
    inner = [w - 0.9 for w in widths]
    assert inner[1] >= 5.1 and inner[4] >= 8.0
    for cell in cells:
        assert not has_orphan(cell.text, inner[cell.col]), cell
    assert len(wrap("楼宇/单元/门牌号", inner[2])) <= 2


def test_tie_points():
    assert tie_point("处理或报告情况") == 5
    assert tie_point("应报告“无新情况”。") == 6
    assert tie_point("情况") is None
    assert tie_point("8.4.2") is None
    assert tie_point("每低1个百分点扣1分") == 8
