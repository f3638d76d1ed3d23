"""The Word edition read back with python-docx: every element of the clause model, in order, in
its named style; cover, 目次 field, sections and page numbers, headers and footers, fonts,
properties; byte-identical rebuilds; what Word cannot take replaced by a placeholder."""

from __future__ import annotations

import io
import re
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from tooling import model
from tooling.cli import main
from tooling.model.stages import file_stem
from tooling.word import styles as S

from .conftest import FIXTURES, ROOT, STANDARD, built_edition, squash

DRAFT = ROOT / "editions" / "db3715t-draft"


def build_docx(source: Path, out: Path, *extra: str) -> tuple[model.Edition, Path]:
    assert main(["build", "docx", "-q", *extra, "--source", str(source), "--out", str(out)]) == 0
    edition = built_edition(out)
    return edition, out / "docx" / f"{file_stem(edition.info)}.docx"


@pytest.fixture(scope="module", params=["standard", "draft", "mini"])
def built(request, tmp_path_factory):
    source = {"standard": STANDARD, "draft": DRAFT, "mini": FIXTURES / "mini"}[request.param]
    out = tmp_path_factory.mktemp(f"docx-{request.param}")
    edition, path = build_docx(source, out, "-W")
    return edition, path, docx.Document(str(path))


def blocks(document) -> list[Paragraph | Table]:
    out: list[Paragraph | Table] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            out.append(Paragraph(child, document))
        elif child.tag == qn("w:tbl"):
            out.append(Table(child, document))
    return out


def paragraphs(document) -> list[Paragraph]:
    """Every paragraph of the body in reading order, table cells included."""
    out: list[Paragraph] = []
    for block in blocks(document):
        if isinstance(block, Paragraph):
            out.append(block)
        else:
            for tc in block._tbl.iter(qn("w:tc")):
                out.extend(Paragraph(p, document) for p in tc.iter(qn("w:p")))
    return out


def expected(edition: model.Edition, clause: model.Clause) -> tuple[str, str]:
    """(text the element's first paragraph starts with, its style name)."""
    number = clause.number or ""
    kind = clause.element_type
    annex = number[:1].isalpha()
    if kind == model.CHAPTER:
        return f"{number}\u3000{clause.title}", "标准文件_章标题"
    if kind == model.CLAUSE:
        depth = S.LEVELS[number.count(".") - 1]
        prefix = "标准文件_附录" if annex else "标准文件_"
        return f"{number}\u3000{clause.title}", f"{prefix}{depth}级条标题"
    if kind == model.ANNEX:
        return f"附录{number}\n（{clause.annex_obligation}）\n{clause.title}", "标准文件_附录标识"
    if kind in (model.FOREWORD, model.INTRODUCTION):
        return clause.title, "标准文件_前言、引言标题"
    if kind == model.BIBLIOGRAPHY:
        return clause.title, "标准文件_参考文献标题"
    if kind == model.UNTITLED:
        first = clause.text.split("\n")[0]
        depth = S.LEVELS[number.count(".") - 1]
        return f"{number}\u3000{first}", f"标准文件_{depth}级无标题"
    if kind == model.PARAGRAPH:
        return clause.text.split("\n")[0], "标准文件_段"
    if kind == model.TERM:
        return number, "标准文件_术语条一"
    if kind == model.TABLE:
        style = "标准文件_附录表标题" if annex else "标准文件_正文表标题"
        return f"表{number}\u3000{clause.title}", style
    if kind == model.FIGURE:
        style = "标准文件_附录图标题" if annex else "标准文件_正文图标题"
        return f"图{number}\u3000{clause.title}", style
    if kind == model.LIST_ITEM:
        label = number.rsplit(" ", 1)[-1]
        style = ("标准文件_字母编号列项（一级）" if label[0].isalpha()
                 else "标准文件_数字编号列项（二级）")
        return f"{label}\t{clause.text.split(chr(10))[0]}", style
    raise AssertionError(kind)


def same(a: str, b: str) -> bool:
    return squash(a) == squash(b)


def test_every_element_is_there_in_order_with_its_number_and_style(built):
    """The model's elements, in document order, each at a paragraph that starts with its
    number and text and is in the style of its element type."""
    edition, _, document = built
    paras = [p for p in paragraphs(document) if not p.style.name.startswith("toc ")]
    position = 0
    for clause in edition.walk():
        text, style = expected(edition, clause)
        for k in range(position, len(paras)):
            if squash(paras[k].text).startswith(squash(text)) and (
                    clause.element_type != model.TERM or same(paras[k].text, text)):
                break
        else:
            raise AssertionError(f"{clause.id}: “{text}” not found after paragraph {position}")
        assert paras[k].style.name == style, (clause.id, paras[k].style.name, style)
        if clause.element_type in (model.CHAPTER, model.CLAUSE, model.ANNEX, model.TABLE):
            assert paras[k].text == text, clause.id  # numbers and titles as text, exactly
        position = k + 1


def test_nothing_of_the_model_is_lost(built):
    """Every line of every element's text, every 注 and 示例, every term and its English."""
    edition, _, document = built
    body = squash("".join(p.text for p in paragraphs(document)))
    for clause in edition.walk():
        for line in clause.text.split("\n"):
            assert squash(line) in body, (clause.id, line)
        for note in (*clause.notes, *clause.examples):
            assert squash(note) in body, (clause.id, note)
        if clause.term is not None:
            assert squash(clause.term.term) in body
            if clause.term.en:
                assert squash(clause.term.en) in body


def test_notes_lists_and_terms_use_their_styles(built):
    edition, _, document = built
    by_style: dict[str, list[str]] = {}
    for p in paragraphs(document):
        by_style.setdefault(p.style.name, []).append(p.text)
    notes = by_style.get("标准文件_注：", []) + by_style.get("标准文件_注×：", [])
    assert all(re.match(r"注\d*：", text) for text in notes)
    if any(c.notes for c in edition.walk()):
        assert notes
    for text in by_style.get("标准文件_字母编号列项（一级）", []):
        assert re.match(r"[a-z]+\)\t", text), text
    for text in by_style.get("标准文件_破折号列项", []):
        assert text.startswith("——\t"), text
    terms = [c for c in edition.walk() if c.term is not None]
    assert len(by_style.get("标准文件_术语条一", [])) == len(terms)
    assert len(by_style.get("标准文件_术语", [])) == len(terms)
    for text in by_style.get("标准文件_术语", []):
        assert "\u3000" in text or " " not in text


def test_tables_keep_their_cells_spans_and_repeated_heading_rows(built):
    edition, _, document = built
    tables = [t for t in blocks(document) if isinstance(t, Table)]
    model_tables = [c for c in edition.walk() if c.element_type == model.TABLE]
    body_tables = tables[-len(model_tables):] if model_tables else []
    assert len(body_tables) == len(model_tables)
    for clause, table in zip(model_tables, body_tables, strict=True):
        grid = [[squash(cell.text) for cell in row.cells] for row in table.rows]
        assert grid == [[squash(c) for c in row] for row in clause.rows], clause.id
        rows = table._tbl.findall(qn("w:tr"))
        for k, tr in enumerate(rows):
            is_header = tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
            assert is_header == (k < clause.header_rows), (clause.id, k)
    if edition.info.code_mark == "DB3715":
        # 表C.1 of the draft merges cells down (评价项目) and across (合计): real merges.
        xml = document.element.body.xml
        assert 'w:vMerge w:val="restart"' in xml
        assert "<w:gridSpan " in xml


def test_cover_and_front_matter(built):
    edition, _, document = built
    info = edition.info
    all_blocks = blocks(document)
    sections = document.sections
    assert len(sections) == 3
    cover = []
    for block in all_blocks:
        if isinstance(block, Table):
            cover.extend(p.text for row in block.rows for c in row.cells for p in c.paragraphs)
            continue
        cover.append(block.text)
        if block._p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            break
    text = squash("".join(cover))
    for item in [*(f"ICS{i}" for i in info.ics), f"CCS{info.ccs}", info.number,
                 info.class_line, info.title_zh, f"{info.issuer}发布",
                 f"{info.issued or 'XXXX-XX-XX'}发布", f"{info.implemented or 'XXXX-XX-XX'}实施"]:
        assert squash(item) in text, item
    if info.replaces:
        assert squash("代替" + info.replaces[0].number) in text
    if info.is_draft:
        assert squash(f"（{info.stage}）") in text
        assert "在提交反馈意见时" in text
    titles = [p for p in paragraphs(document) if p.style.name == "标准文件_正文标准名称"]
    assert [p.text for p in titles] == [info.title_zh]  # the title on the first body page
    assert paragraphs(document)[-1].style.name == "标准文件_终结线"


def test_toc_is_a_prefilled_updatable_field(built):
    edition, _, document = built
    xml = document.element.body
    instructions = [t.text for t in xml.iter(qn("w:instrText"))]
    assert any('TOC \\o "1-2" \\h \\z \\u' in i for i in instructions)
    entries = [p for p in paragraphs(document) if p.style.name in ("toc 1", "toc 2")]
    wanted = [c for c in edition.walk()
              if c.element_type in (model.FOREWORD, model.INTRODUCTION, model.CHAPTER,
                                    model.ANNEX, model.BIBLIOGRAPHY)
              or (c.element_type == model.CLAUSE and (c.number or "").count(".") == 1)]
    assert len(entries) == len(wanted)
    bookmarks = {b.get(qn("w:name")) for b in xml.iter(qn("w:bookmarkStart"))}
    for entry, clause in zip(entries, wanted, strict=True):
        title, page = entry.text.rsplit("\t", 1)
        assert clause.title in title
        if clause.number and clause.element_type != model.ANNEX:
            assert title.startswith(clause.number)
        assert re.fullmatch(r"[IVXLC]+|\d+", page), page
        refs = [t.text for t in entry._p.iter(qn("w:instrText")) if "PAGEREF" in t.text]
        target = refs[-1].split()[1]
        assert target in bookmarks
    # Roman numbers for the front matter, Arabic for the body.
    pages = [e.text.rsplit("\t", 1)[1] for e in entries]
    assert pages[0] in ("I", "II", "III") if entries[0].style.name == "toc 1" else True
    body_pages = [int(p) for p in pages if p.isdigit()]
    assert body_pages == sorted(body_pages) and body_pages[0] == 1


def test_sections_number_pages_roman_then_arabic_with_headers_and_footers(built):
    edition, _, document = built
    info = edition.info
    cover, front, body = document.sections
    formats = []
    for section in (front, body):
        num = section._sectPr.find(qn("w:pgNumType"))
        formats.append((num.get(qn("w:fmt")), num.get(qn("w:start"))))
    assert formats == [("upperRoman", "1"), ("decimal", "1")]
    assert cover._sectPr.find(qn("w:headerReference")) is None
    for section in (front, body):
        assert section.header.paragraphs[0].text == info.number
        assert section.even_page_header.paragraphs[0].text == info.number
        footer_xml = section.footer._element.xml + section.even_page_footer._element.xml
        assert footer_xml.count(" PAGE ") == 2
        stage = f"（{info.stage}）"
        assert (stage in footer_xml) == info.is_draft
    assert document.settings.odd_and_even_pages_header_footer
    # Odd pages carry number and page at the right, even pages at the left.
    assert front.header.paragraphs[0].alignment == 2
    assert front.even_page_header.paragraphs[0].alignment == 0


def test_fonts_are_named_not_embedded_and_properties_are_set(built):
    edition, path, document = built
    info = edition.info
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        fonts = z.read("word/fontTable.xml").decode()
        styles = z.read("word/styles.xml").decode()
        settings = z.read("word/settings.xml").decode()
    assert not any(n.startswith("word/fonts/") or n.endswith((".odttf", ".ttf")) for n in names)
    assert "embedTrueTypeFonts" not in settings
    assert 'w:name="宋体"' in fonts and 'w:name="黑体"' in fonts
    assert 'w:eastAsia="宋体"' in styles and 'w:eastAsia="黑体"' in styles
    assert 'w:eastAsia="zh-CN"' in styles
    props = document.core_properties
    assert props.title == info.title_zh
    assert props.subject == info.number
    assert props.language == "zh-CN"
    assert props.author == "、".join(info.drafting_units)
    assert "thumbnail" not in " ".join(names)


def test_rebuilds_are_byte_identical(tmp_path):
    _, first = build_docx(FIXTURES / "mini", tmp_path / "a")
    _, second = build_docx(FIXTURES / "mini", tmp_path / "b", "-E")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert z.namelist()[0] == "[Content_Types].xml"
    props = docx.Document(str(first)).core_properties
    assert props.created == props.modified  # the edition's date, not the clock


# -- what Word cannot take ---------------------------------------------------------------


def _png(width: int = 40, height: int = 20) -> bytes:
    """A small valid PNG, written by hand (no image library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                             0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


BAD_CHAPTER = """(figures)=
# 图和公式

:::{figure} good.png
:name: fig-good

合格的图
:::

:::{figure} drawing.webp
:name: fig-webp

WebP 格式的图
:::

:::{formula}
:id: formula-rate
P = \\frac{n_1}{N} \\times 100\\%
:::

:::{formula}
:id: formula-cases
\\begin{cases} a & b \\end{cases}
:::

:::{table} 过宽的表
:name: table-too-wide

| {header} |
| {rule} |
| {row} |
:::
"""


@pytest.fixture(scope="module")
def awkward(tmp_path_factory):
    root = tmp_path_factory.mktemp("awkward")
    source = root / "mini"
    shutil.copytree(FIXTURES / "mini", source)
    (source / "good.png").write_bytes(_png())
    # The build takes WebP (browsers show it); Word does not. (SVG and damaged files are
    # refused by the build itself: E133, E151.)
    from PIL import Image

    Image.new("RGB", (8, 8), "gray").save(source / "drawing.webp", "WEBP")
    columns = 48
    chapter = (BAD_CHAPTER.replace("{header}", " | ".join(f"列{i}" for i in range(columns)))
               .replace("{rule}", " | ".join("---" for _ in range(columns)))
               .replace("{row}", " | ".join(f"{i}" for i in range(columns))))
    (source / "figures.md").write_text(chapter, "utf-8")
    index = (source / "index.md").read_text("utf-8")
    (source / "index.md").write_text(index.replace("requirements\n", "requirements\nfigures\n"),
                                     "utf-8")
    out = root / "out"
    import contextlib

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = main(["build", "docx", "-q", "--source", str(source), "--out", str(out)])
    assert status == 0, err.getvalue()
    (path,) = (out / "docx").glob("*.docx")
    return path, err.getvalue()


def test_what_word_cannot_take_is_named_and_replaced_by_a_placeholder(awkward, capsys):
    path, messages = awkward
    messages = messages + capsys.readouterr().err
    assert re.search(r"figures\.md:\d+: WARNING: E190 图2无法放入 Word 版：“drawing\.webp”", messages)
    assert re.search(r"E191 表\d+共 48 列，最窄也超出版心宽度", messages)
    assert re.search(r"E192 公式“\\begin\{cases\} a & b \\end\{case…”无法转换为 Word 公式："
                     r"不支持的命令“\\begin”", messages)
    assert "[docx-picture]" in messages
    document = docx.Document(str(path))
    holders = [p.text for p in paragraphs(document) if p.style.name == "标准文件_待补内容"]
    assert len(holders) == 3
    assert any("drawing.webp" in h for h in holders)
    assert any("48列" in h for h in holders)
    assert any("\\begin{cases}" in h for h in holders)
    with zipfile.ZipFile(path) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert media == ["word/media/image1.png"]  # the good picture is in
    assert document.element.body.find(f".//{qn('m:oMath')}") is not None  # formula (1), numbered
    captions = [p.text for p in paragraphs(document) if p.style.name == "标准文件_正文图标题"]
    assert captions == ["图1\u3000合格的图", "图2\u3000WebP 格式的图"]


def test_pictures_outside_the_standard_folder_are_refused(tmp_path):
    from tooling.docx.writer import read_inside

    (tmp_path / "std").mkdir()
    (tmp_path / "secret.png").write_bytes(_png())
    read = read_inside(tmp_path / "std")
    for uri in ("../secret.png", "/etc/passwd", "https://example.org/a.png"):
        with pytest.raises(OSError):
            read(uri)


def test_formulas_become_office_math():
    from lxml import etree

    from tooling.word.omml import FormulaError, to_omml

    xml = etree.tostring(to_omml(r"\sqrt{a^2+b^2} \leq \sum_{i=1}^{n} x_i"), encoding="unicode")
    for tag in ("m:rad", "m:sSup", "m:nary", "m:sSubSup" if "sSubSup" in xml else "m:sSub"):
        assert f"<{tag}" in xml
    assert "≤" in xml and "∑" in xml
    for bad in (r"\frac{1}", r"x^", r"\unknown", "{a"):
        with pytest.raises(FormulaError):
            to_omml(bad)


def test_duplex_printing_mirrors_margins_and_leaves_the_back_of_the_cover_blank(mini_copy,
                                                                                tmp_path):
    with (mini_copy / "standard.yaml").open("a", encoding="utf-8") as fh:
        fh.write("pdf:\n  duplex: true\n")
    _, path = build_docx(mini_copy, tmp_path / "out")
    document = docx.Document(str(path))
    assert document.settings.element.find(qn("w:mirrorMargins")) is not None
    _cover, _front, body = document.sections
    assert body._sectPr.find(qn("w:type")).get(qn("w:val")) == "oddPage"
    last_of_cover = next(p for p in blocks(document) if isinstance(p, Paragraph)
                         and p._p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None)
    assert last_of_cover._p.find(f".//{qn('w:br')}").get(qn("w:type")) == "page"
