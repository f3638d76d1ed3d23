"""``stdkit import``: Word files read back into standard folders. Round trips of the Word
edition (both shipped editions and the property fixture) compare the imported edition's model
with the original's; files in the shapes drafters produce are built here with python-docx;
bad inputs each give one message with its code and write nothing."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from tooling import model
from tooling.cli import main
from tooling.importer.command import convert
from tooling.model.stages import file_stem

from .conftest import FIXTURES, ROOT, STANDARD, built_edition

DRAFT = ROOT / "editions" / "db3715t-draft"


def squash(text: str | None) -> str:
    return re.sub(r"[\s\u3000\u00a0]+", "", text or "")


def view(edition: model.Edition) -> list[tuple]:
    """What a reader sees of every element: type, number, title, text, table cells, labels,
    notes and examples (with or without ids of their own), footnotes, term, document,
    formula, and each reference as the number it shows."""
    owned: dict[str, list[model.Clause]] = {}
    for clause in edition.walk():
        for child in clause.children:
            if child.element_type in (model.NOTE, model.EXAMPLE):
                owned.setdefault(clause.id, []).append(child)
    out = []
    for c in edition.walk():
        if c.element_type in (model.FOREWORD, model.NOTE, model.EXAMPLE):
            continue
        extra = owned.get(c.id, [])
        notes = [*c.notes, *(k.text for k in extra if k.element_type == model.NOTE)]
        examples = [*c.examples, *(k.text for k in extra if k.element_type == model.EXAMPLE)]
        refs = re.sub(r"⟦([^⟧]+)⟧", lambda m: "⟦" + edition.reference_text(m.group(1)) + "⟧",
                      c.ref_text) if c.ref_text else ""
        out.append((c.element_type, c.number, squash(c.title), squash(c.text),
                    tuple(tuple(squash(x) for x in row) for row in c.rows), c.label,
                    tuple(squash(n) for n in notes), tuple(squash(e) for e in examples),
                    tuple(squash(f) for f in c.footnotes),
                    (c.term.term, c.term.en, c.term.source) if c.term else None, c.document,
                    (squash(c.formula.tex), c.formula.where) if c.formula else None,
                    squash(refs)))
    return out


def info_view(edition: model.Edition) -> dict:
    data = edition.info.to_json()
    for key in ("previous_edition", "rights_holder"):
        data.pop(key, None)
    return data


# --- round trips ------------------------------------------------------------------------

@pytest.fixture(scope="module", params=["standard", "draft", "property"])
def round_trip(request, tmp_path_factory):
    source = {"standard": STANDARD, "draft": DRAFT, "property": FIXTURES / "property"}[
        request.param]
    out = tmp_path_factory.mktemp(f"import-{request.param}")
    assert main(["build", "docx", "-q", "--source", str(source), "--out", str(out / "b")]) == 0
    original = built_edition(out / "b")
    path = out / "b" / "docx" / f"{file_stem(original.info)}.docx"
    status, imported = convert(path, out / "imported", ROOT)
    return request.param, original, imported, out, status


def test_round_trip_equals_the_original(round_trip):
    """Numbers, titles, texts, tables, notes, terms, formulas and every reference (as the
    number it shows) equal the original edition's; the cover and 前言 fields too."""
    _name, original, imported, out, status = round_trip
    assert status == 0
    assert imported is not None
    assert view(imported) == view(original)
    assert info_view(imported) == info_view(original)
    report = (out / "imported.import-report.txt").read_text("utf-8")
    assert "编号和引用与 Word 文件一致。" in report


def test_round_trip_keeps_the_ids_and_writes_no_typed_numbers(round_trip):
    name, original, imported, out, _ = round_trip
    # Ids come back from the Word edition's bookmarks.
    assert {c.id for c in original.walk() if c.element_type != model.NOTE} - \
        {c.id for c in imported.walk()} <= {c.id for c in original.walk()
                                           if c.element_type in (model.EXAMPLE,)}
    folder = out / "imported"
    for page in folder.glob("*.md"):
        text = page.read_text("utf-8")
        # Typed clause numbers only appear inside references, never as text.
        assert not re.search(r"^\d+(\.\d+)+\u3000", text, re.M), page
    if name == "draft":
        foreword = (folder / "foreword.md").read_text("utf-8")
        assert "增加了基本原则" in foreword  # the change list kept as authored text
        assert "based_on:" in (folder / "standard.yaml").read_text("utf-8")


# --- shapes drafters produce ------------------------------------------------------------

def _letter_numbering(document) -> str:
    """Add a Word auto-numbered list a) b) c) to the document; return its numId."""
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
        '<w:lvlText w:val="%1)"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%2)"/></w:lvl></w:abstractNum>')
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)
    return "90"


def _numbered(paragraph, num_id: str, level: int = 0) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/>'
                         f'<w:numId w:val="{num_id}"/></w:numPr>'))


def drafter_docx(path: Path, *, mistake: bool = False) -> Path:
    """A standard as drafters type it: no heading styles (numbers typed in plain
    paragraphs, bold and sizes set directly), typed a) labels, a Word auto-numbered list,
    a table with merged cells, terms without English equivalents, an annex."""
    document = docx.Document()
    num_id = _letter_numbering(document)

    def para(text: str, *, bold: bool = False, size: float | None = None):
        p = document.add_paragraph()
        run = p.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        return p

    for line in ("ICS 03.080.30", "CCS A12", "DB3715", "聊城市地方标准", "DB3715/T 7-2025",
                 "社区食堂服务规范", "Specification for community canteen services",
                 "2025-03-01发布", "2025-04-01实施", "聊城市市场监督管理局　发布"):
        para(line, bold=True, size=14)
    para("前　言", bold=True, size=16)
    para("本文件按照GB/T 1.1—2020《标准化工作导则　第1部分：标准化文件的结构和起草规则》的规定起草。")
    para("请注意本文件的某些内容可能涉及专利。本文件的发布机构不承担识别专利的责任。")
    para("本文件由聊城市民政局提出并归口。")
    para("本文件起草单位：聊城市社区服务中心、示例餐饮有限公司。")
    para("本文件主要起草人：张××、李××。")
    para("本文件参考了有关社区食堂的地方经验。")
    para("社区食堂服务规范", bold=True, size=16)
    para("1 范围", bold=True)
    para("本文件规定了社区食堂的服务要求。")
    para("本文件适用于城市社区食堂。")
    para("2 规范性引用文件", bold=True)
    para("下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。其中，注日期的引用文件，"
         "仅该日期对应的版本适用于本文件；不注日期的引用文件，其最新版本（包括所有的修改单）适用于本文件。")
    para("GB 31654 食品安全国家标准　餐饮服务通用卫生规范")
    para("3 术语和定义", bold=True)
    para("下列术语和定义适用于本文件。")
    para("3.1", bold=True)
    para("社区食堂", bold=True)
    para("在社区内为居民提供就餐服务的场所。")
    para("3.2", bold=True)
    para("助餐对象", bold=True)
    para("享受助餐服务的老年人和其他需要帮助的居民。")
    para("注：助餐对象由社区居委会确定。")
    para("4 服务要求", bold=True)
    para("4.1 环境", bold=True)
    para("4.1.1 食堂应每日清洁就餐区域，并符合GB 31654的规定。")
    para("4.1.2 食堂应设置下列设施：")
    para("a) 洗手设施；")
    para("b) 消毒设施；")
    para("c) 留样冰箱。")
    para("4.2 服务", bold=True)
    para("4.2.1 食堂宜为助餐对象提供下列服务：")
    for text in ("送餐上门；", "代购食材；", "健康咨询。"):
        _numbered(para(text), num_id)
    para("4.2.2 食堂应按表1公示菜品价格，按4.1.2 b)的规定消毒餐具，评价见附录A。")
    para("表1 菜品价格公示", bold=True)
    table = document.add_table(rows=4, cols=3)
    cells = [["类别", "菜品", "价格"], ["主食", "米饭", "1元"], ["", "馒头", "1元"],
             ["合计", "", "2元"]]
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(1, 0).text = "主食"
    table.cell(3, 0).merge(table.cell(3, 1))
    table.cell(3, 0).text = "合计"
    para("5 评价", bold=True)
    para("5.1 食堂应每月至少开展1次满意度调查，居民满意率应不低于90%。")
    para("5.2 调查结果应在5个工作日内公示，见第4章。")
    para("5.3 评价方法见附录A。" if not mistake else "5.3 调查问卷应保存2年。")
    if mistake:
        para("5.3 评价方法见附录A，问卷保存要求见5.3。")
    para("附录A", bold=True)
    para("（资料性）", bold=True)
    para("满意度调查表", bold=True)
    para("A.1 调查应覆盖全部助餐对象。")
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def drafter(tmp_path_factory):
    out = tmp_path_factory.mktemp("drafter")
    path = drafter_docx(out / "canteen.docx")
    status, edition = convert(path, out / "canteen", ROOT)
    return status, edition, out


def test_drafter_shapes_import_and_verify(drafter):
    status, edition, out = drafter
    assert status == 0, (out / "canteen.import-report.txt").read_text("utf-8")
    assert edition.info.number == "DB3715/T 7—2025"
    assert edition.info.title_zh == "社区食堂服务规范"
    assert edition.info.class_line == "聊城市地方标准"
    assert edition.info.issued == "2025-03-01" and edition.info.issuer == "聊城市市场监督管理局"
    assert edition.info.drafters == ("张××", "李××")
    assert edition.info.proposer == edition.info.administrator == "聊城市民政局"
    numbers = [(c.element_type, c.number) for c in edition.walk() if c.number]
    assert ("term", "3.2") in numbers and ("untitled-clause", "5.3") in numbers
    assert ("annex", "A") in numbers and ("untitled-clause", "A.1") in numbers
    assert ("table", "1") in numbers
    terms = [c for c in edition.walk() if c.element_type == model.TERM]
    assert [(t.term.term, t.term.en) for t in terms] == [("社区食堂", None), ("助餐对象", None)]
    assert terms[1].notes == ("助餐对象由社区居委会确定。",)
    # The typed a) list and Word's auto-numbered list both become lists.
    lists = {c.number: c.text for c in edition.walk() if c.element_type == model.UNTITLED}
    assert lists["4.1.2"].endswith("c) 留样冰箱。")
    assert lists["4.2.1"].endswith("c) 健康咨询。")
    # Merged cells: a vertical and a horizontal merge.
    (table,) = [c for c in edition.walk() if c.element_type == model.TABLE]
    assert table.rows == (("类别", "菜品", "价格"), ("主食", "米饭", "1元"),
                          ("主食", "馒头", "1元"), ("合计", "合计", "2元"))
    # References typed as text became references.
    clause = edition["clause-4-2-2"]
    assert clause.ref_text is not None and clause.ref_text.count("⟦") == 3
    assert "⟦clause-4-1-2-b⟧" in clause.ref_text
    assert "⟦ref-gb-31654⟧" in edition["clause-4-1-1"].ref_text
    # The unrecognised 前言 sentence is kept as written; ids from pinyin.
    folder = out / "canteen"
    assert "本文件参考了有关社区食堂的地方经验。" in (folder / "foreword.md").read_text("utf-8")
    assert "term-she-qu-shi-tang" in edition and "fu-wu-yao-qiu" in edition


def test_suggested_metadata_is_marked(drafter):
    _, edition, out = drafter
    text = (out / "canteen" / "ping-jia.md").read_text("utf-8")
    assert 'kind: "requirement"  # 建议值，请核对' in text
    assert 'frequency: {min: 1, per: "month"}  # 建议值，请核对' in text
    assert 'target: {metric: "居民满意率", value: 90, unit: "%", op: ">="}  # 建议值，请核对' \
        in text
    assert edition["clause-5-1"].metadata.frequency == model.Frequency(min=1, per="month")
    assert edition["clause-4-2-1"].kind == "recommendation"


def test_a_numbering_mistake_is_named(tmp_path, capsys):
    path = drafter_docx(tmp_path / "mistake.docx", mistake=True)
    status, _edition = convert(path, tmp_path / "mistake", ROOT)
    assert status == 1
    assert not (tmp_path / "mistake").exists()
    err = capsys.readouterr().err
    report = (tmp_path / "mistake.import-report.txt").read_text("utf-8")
    for text in (report, err):
        assert "E259 编号“5.3”在 Word 文件中出现了两次；引用它时指向第一个" in text
        assert "E257 条编号不一致：Word 文件中为“5.3”，导入后计算为“5.4”（调查问卷应保存2年。" \
            not in text
        assert "E257 条编号不一致：Word 文件中为“5.3”，导入后计算为“5.4”" in text
    assert "导入已停止：与 Word 文件有 2 处差异，未写出标准目录" in err
    # --accept-differences writes the folder anyway.
    assert main(["import", str(path), str(tmp_path / "accepted"), "--accept-differences"]) == 0
    assert (tmp_path / "accepted" / "standard.yaml").is_file()


# --- bad input --------------------------------------------------------------------------

def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


@pytest.mark.parametrize("name,content,message", [
    ("old.doc", OLE + "WordDocument".encode("utf-16-le") + b"\0" * 200,
     "E251 这是旧版 Word 二进制文件（.doc），不能导入：请在 Word 或 WPS 中“另存为” .docx 后再导入"),
    ("secret.docx", OLE + "EncryptionInfo".encode("utf-16-le") + b"\0" * 200,
     "E252 文件已加密（设置了打开密码），不能导入：请在 Word 中删除密码后另存为 .docx 再导入"),
    ("broken.docx", b"PK\x03\x04" + b"\x00garbage" * 20,
     "E253 不是有效的 .docx 文件（文件已损坏）：File is not a zip file"),
    ("text.docx", "这不是 Word 文件".encode(),
     "E253 不是有效的 .docx 文件（文件已损坏）：文件开头不是 ZIP 包的标志（不是 .docx 文件）"),
    ("nodoc.docx", _zip({"hello.txt": b"hi"}),
     "E253 不是有效的 .docx 文件（文件已损坏）：缺少 word/document.xml（不是 Word 文档）"),
    ("bomb.docx", _zip({"word/document.xml": b"<x/>", "zeros.bin": b"\0" * (3 * 1024 * 1024)}),
     "E254 文件过大，为防止解压炸弹而拒绝：成员 zeros.bin 的压缩比超过 200:1"),
    ("many.docx", _zip({f"m/{i}.xml": b"" for i in range(5001)}),
     "E254 文件过大，为防止解压炸弹而拒绝：包含 5001 个成员，超过 5000 个"),
])
def test_bad_input_one_message_nothing_written(tmp_path, capsys, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["import", str(path), str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"{path}: ERROR: {message} [stdkit." in err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_not_a_standard(tmp_path, capsys):
    document = docx.Document()
    document.add_paragraph("会议纪要")
    document.add_paragraph("今天讨论了三件事。")
    document.save(str(tmp_path / "minutes.docx"))
    assert main(["import", str(tmp_path / "minutes.docx"), str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert ("ERROR: E255 这个 Word 文件看起来不是一项标准：没有找到“1　范围”这样带编号的章"
            "（标准的正文从第1章“范围”开始） [stdkit.import-not-a-standard]") in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minutes.docx"]


def test_existing_folder_is_not_overwritten(tmp_path, capsys):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "mine.md").write_text("x", "utf-8")
    assert main(["import", str(tmp_path / "any.docx"), str(tmp_path / "out")]) == 2
    assert "E256 目标目录" in capsys.readouterr().err
    assert (tmp_path / "out" / "mine.md").read_text("utf-8") == "x"



def styled_docx(path: Path) -> Path:
    """Heading styles numbered by a Word multilevel list (no number in the text), a chapter
    in Heading 1 with no numbering at all, an English term on a line of its own and a
    formula typed with Word's equation editor."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="91">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum>')
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="91">'
                               '<w:abstractNumId w:val="91"/></w:num>'))

    def heading(text: str, level: int, numbered: bool = True) -> None:
        p = document.add_heading(text, level)
        if numbered:
            _numbered(p, "91", level - 1)

    for line in ("ICS 03.080.30", "CCS A12", "社区议事规则",
                 "2024-05-01发布", "2024-06-01实施", "聊城市社区服务协会　发布"):
        document.add_paragraph(line)
    # The number in a text box, as the cover of many templates has it.
    document.paragraphs[0]._p.append(parse_xml(
        f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r>'
        '<w:t>T/LCSQ 3—2024</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>'
        '</w:r>'))
    document.add_heading("前言", 1)
    document.add_paragraph("本文件起草单位：聊城市社区服务协会。")
    heading("范围", 1)
    document.add_paragraph("本文件规定了社区议事的规则。")
    heading("规范性引用文件", 1)
    document.add_paragraph("本文件没有规范性引用文件。")
    heading("术语和定义", 1)
    document.add_paragraph("下列术语和定义适用于本文件。")
    document.add_paragraph("3.1")
    document.add_paragraph("议事会")
    document.add_paragraph("deliberation meeting")
    document.add_paragraph("居民代表讨论社区公共事务的会议。")
    heading("议事规则", 1)
    heading("召集", 2)
    document.add_paragraph("4.1.1 议事会应每季度至少召开1次。")
    heading("表决", 2)
    p = document.add_paragraph("4.2.1 表决通过率按公式(1)计算：")
    p = document.add_paragraph()
    p._p.append(parse_xml(
        f'<m:oMathPara {nsdecls("m")}><m:oMath><m:r><m:t>P=</m:t></m:r><m:f><m:num><m:r>'
        '<m:t>a</m:t></m:r></m:num><m:den><m:r><m:t>n</m:t></m:r></m:den></m:f>'
        '</m:oMath></m:oMathPara>'))
    p.add_run("\t(1)")
    document.add_heading("记录", 1)  # Heading 1, no number anywhere
    document.add_paragraph("5.1 议事记录应保存3年，见4.2，格式见图1。")
    # A BMP picture (the editions take PNG, JPEG, GIF, WebP) and a table without a caption.
    bmp = (b"BM" + (58).to_bytes(4, "little") + b"\0\0\0\0" + (54).to_bytes(4, "little")
           + (40).to_bytes(4, "little") + (1).to_bytes(4, "little") + (1).to_bytes(4, "little")
           + (1).to_bytes(2, "little") + (24).to_bytes(2, "little") + b"\0" * 24
           + b"\xff\xff\xff\0")
    document.add_picture(io.BytesIO(bmp))
    document.add_paragraph("图1 议事记录格式")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([["日期", "议题"], ["", ""]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(str(path))
    return path


def test_heading_styles_and_word_numbering(tmp_path):
    path = styled_docx(tmp_path / "rules.docx")
    status, edition = convert(path, tmp_path / "rules", ROOT, accept=True)
    assert status == 0, (tmp_path / "rules.import-report.txt").read_text("utf-8")
    assert edition.info.number == "T/LCSQ 3—2024" and edition.info.doc_class == "group"
    shown = [(c.element_type, c.number, c.title) for c in edition.walk()
             if c.element_type in (model.CHAPTER, model.CLAUSE)]
    assert shown == [("chapter", "1", "范围"), ("chapter", "2", "规范性引用文件"),
                     ("chapter", "3", "术语和定义"), ("chapter", "4", "议事规则"),
                     ("clause", "4.1", "召集"), ("clause", "4.2", "表决"),
                     ("chapter", "5", "记录")]
    term = edition["term-deliberation-meeting"]
    assert (term.number, term.term.term, term.term.en) == ("3.1", "议事会", "deliberation meeting")
    (formula,) = [c for c in edition.walk() if c.element_type == model.FORMULA]
    assert (formula.number, formula.formula.tex) == ("1", r"P=\frac{a}{n}")
    assert edition["clause-5-1"].ref_text == "议事记录应保存3年，见⟦biao-jue⟧，格式见⟦fig-yi-shi-ji-lu-ge⟧。"
    (figure,) = [c for c in edition.walk() if c.element_type == model.FIGURE]
    assert (figure.number, figure.title) == ("1", "议事记录格式")
    (table,) = [c for c in edition.walk() if c.element_type == model.TABLE]
    assert (table.number, table.title, table.rows) == (
        "1", "（无表题，请补写）", (("日期", "议题"), ("", "")))
    report = (tmp_path / "rules.import-report.txt").read_text("utf-8")
    assert ("E261 未能按结构导入：图1“议事记录格式”的图片格式 BMP 不能导入，已用空白占位图代替："
            "请另存为 PNG 后替换 images/fig-yi-shi-ji-lu-ge.png") in report
    assert "E261 未能按结构导入：表格前没有表题（“表n　表题”），已写为“（无表题，请补写）”" in report
    assert status == 0  # with --accept-differences: the two E261 above are differences
    assert [p.name for p in sorted((tmp_path / "rules").glob("*.md"))] == [
        "foreword.md", "index.md", "ji-lu.md", "normative-references.md", "scope.md",
        "terms.md", "yi-shi-gui-ze.md"]
