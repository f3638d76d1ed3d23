"""redline.docx: the revision as Word tracked changes. Accepting every revision (an XML
transform here, as Word's "Accept All" does) gives the new edition's text; rejecting every one
gives the old edition's. Moves are w:moveFrom / w:moveTo pairs; authors and dates are fixed.
Also comparison.docx, the 条款对照表."""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tooling import model
from tooling.diff import diff_editions
from tooling.diff.reports import comparison_rows
from tooling.diff.wordfiles import comparison_docx, redline_docx
from tooling.model import Clause, Edition, EditionInfo, Term
from tooling.sphinx.editions import resolve_edition

from .conftest import ROOT, STANDARD

DRAFT = ROOT / "editions" / "db3715t-draft"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REVISION_TAGS = ("ins", "del", "moveFrom", "moveTo")


# -- Accept All / Reject All, as an XML transform ----------------------------------------


def document_xml(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml"))


def resolve(root: etree._Element, accept: bool) -> etree._Element:
    """The document with every revision accepted (or rejected)."""
    root = copy.deepcopy(root)
    kept = {"ins", "moveTo"} if accept else {"del", "moveFrom"}
    for marker in list(root.iter(*(f"{W}{k}Range{e}" for k in ("moveFrom", "moveTo")
                                   for e in ("Start", "End")))):
        marker.getparent().remove(marker)
    # Rows first: a row inserted or deleted as a whole.
    for tr in list(root.iter(f"{W}tr")):
        mark = next((m for m in tr.findall(f"{W}trPr/*") if m.tag[len(W):] in REVISION_TAGS),
                    None)
        if mark is None:
            continue
        if mark.tag[len(W):] in kept:
            mark.getparent().remove(mark)
        else:
            tr.getparent().remove(tr)
    for tbl in list(root.iter(f"{W}tbl")):
        if tbl.find(f"{W}tr") is None:
            tbl.getparent().remove(tbl)
    # Runs inside revision wrappers.
    for wrapper in list(root.iter(*(f"{W}{t}" for t in REVISION_TAGS))):
        parent = wrapper.getparent()
        if parent is None or parent.tag in (f"{W}rPr", f"{W}trPr"):
            continue
        if wrapper.tag[len(W):] in kept:
            for t in wrapper.iter(f"{W}delText"):
                t.tag = f"{W}t"
            index = parent.index(wrapper)
            for k, child in enumerate(list(wrapper)):
                parent.insert(index + k, child)
            parent.remove(wrapper)
        else:
            parent.remove(wrapper)
    # Paragraph marks: a removed mark joins the paragraph with the next one.
    for p in list(root.iter(f"{W}p")):
        rpr = p.find(f"{W}pPr/{W}rPr")
        mark = None if rpr is None else next(
            (m for m in rpr if m.tag[len(W):] in REVISION_TAGS), None)
        if mark is None:
            continue
        rpr.remove(mark)
        if mark.tag[len(W):] in kept:
            continue
        nxt = p.getnext()
        content = [c for c in p if c.tag != f"{W}pPr"]
        if nxt is not None and nxt.tag == f"{W}p":
            anchor = 1 if nxt.find(f"{W}pPr") is not None else 0
            for k, child in enumerate(content):
                nxt.insert(anchor + k, child)
            p.getparent().remove(p)
        elif not content:
            p.getparent().remove(p)
    return root


def texts(root: etree._Element) -> list[str]:
    """Every paragraph's text in reading order, table rows marked."""
    out = []
    body = root.find(f"{W}body")
    for block in body:
        if block.tag == f"{W}p":
            out.append(_text(block))
        elif block.tag == f"{W}tbl":
            for tr in block.iter(f"{W}tr"):
                out.append("|" + "|".join(_text(tc) for tc in tr.findall(f"{W}tc")) + "|")
    return out


def _text(node: etree._Element) -> str:
    parts = []
    for item in node.iter(f"{W}t", f"{W}delText", f"{W}tab", f"{W}br"):
        if item.tag in (f"{W}t", f"{W}delText"):
            parts.append(item.text or "")
        else:
            parts.append("\t" if item.tag == f"{W}tab" else "\n")
    return "".join(parts)


def check(old: Edition, new: Edition) -> bytes:
    """The redline of old → new accepts to new's text and rejects to old's, paragraph by
    paragraph; the redline of an edition against itself has no revisions."""
    data = redline_docx(diff_editions(old, new))
    root = document_xml(data)
    plain_new = document_xml(redline_docx(diff_editions(new, new)))
    plain_old = document_xml(redline_docx(diff_editions(old, old)))
    for plain in (plain_new, plain_old):
        assert not any(True for _ in plain.iter(*(f"{W}{t}" for t in REVISION_TAGS)))
    assert texts(resolve(root, accept=True)) == texts(plain_new)
    assert texts(resolve(root, accept=False)) == texts(plain_old)
    return data


# -- the real editions --------------------------------------------------------------------


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    cache = tmp_path_factory.mktemp("redline-cache")
    old = resolve_edition(str(STANDARD), cache=cache, confdir=ROOT)
    new = resolve_edition(str(DRAFT), cache=cache, confdir=ROOT)
    return old, new


def test_accepting_gives_the_draft_and_rejecting_the_2020_edition(editions):
    old, new = editions
    data = check(old, new)
    root = document_xml(data)
    # Text changed in place, whole elements added and removed, one clause moved.
    for tag in REVISION_TAGS:
        assert root.find(f".//{W}{tag}") is not None, tag
    assert root.find(f".//{W}trPr/{W}ins") is not None  # rows added to tables


def test_and_the_other_way_round(editions):
    old, new = editions
    check(new, old)


def test_every_element_text_is_in_the_accepted_document(editions):
    from .conftest import squash

    old, new = editions
    accepted = squash("".join(texts(resolve(document_xml(redline_docx(
        diff_editions(old, new))), accept=True))))
    rejected = squash("".join(texts(resolve(document_xml(redline_docx(
        diff_editions(old, new))), accept=False))))
    for edition, body in ((new, accepted), (old, rejected)):
        for clause in edition.walk():
            for line in clause.text.split("\n"):
                assert squash(line) in body, (clause.id, line)


def test_revisions_are_well_formed_with_a_fixed_author_and_date(editions):
    old, new = editions
    data = redline_docx(diff_editions(old, new))
    assert data == redline_docx(diff_editions(old, new))  # byte-identical
    root = document_xml(data)
    revisions = [e for e in root.iter(*(f"{W}{t}" for t in REVISION_TAGS))]
    assert {e.get(f"{W}author") for e in revisions} == {new.info.drafting_units[0]}
    assert {e.get(f"{W}date") for e in revisions} == {"2026-01-01T00:00:00Z"}
    ids = [e.get(f"{W}id") for e in root.iter() if e.get(f"{W}id") is not None
           and not e.tag.endswith("End")]
    assert len(ids) == len(set(ids))
    for deleted in root.iter(f"{W}del"):
        assert deleted.find(f".//{W}t") is None  # deleted text is w:delText
    starts = {k: sorted(e.get(f"{W}name") for e in root.iter(f"{W}{k}RangeStart"))
              for k in ("moveFrom", "moveTo")}
    assert starts["moveFrom"] == starts["moveTo"] and starts["moveFrom"]
    for k in ("moveFrom", "moveTo"):
        assert (sum(1 for _ in root.iter(f"{W}{k}RangeStart"))
                == sum(1 for _ in root.iter(f"{W}{k}RangeEnd")))
    document = docx.Document(io.BytesIO(data))
    assert document.settings.element.find(qn("w:trackRevisions")) is not None
    props = document.core_properties
    assert props.title == f"修订对照：{old.info.number} → {new.info.number}"
    assert props.language == "zh-CN"


def test_comparison_table_as_word(editions):
    old, new = editions
    d = diff_editions(old, new)
    data = comparison_docx(d)
    assert data == comparison_docx(d)
    document = docx.Document(io.BytesIO(data))
    (table,) = document.tables
    grid = [[cell.text for cell in row.cells] for row in table.rows]
    assert grid == comparison_rows(d)
    first = table._tbl.find(qn("w:tr"))
    assert first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape


def test_diff_writes_the_word_files(tmp_path):
    """`stdkit diff` writes both; their names are in the output's manifest."""
    from tooling.cli import main
    from tooling.io import outputs

    old = {"format_version": 1, "edition": _info("T/X 1—2020").to_json(), "clauses": []}
    new_edition = Edition(_info("T/X 1—2024"), (_chapter("a", "1", "范围", "旧文字。"),))
    old_edition = Edition(_info("T/X 1—2020"), (_chapter("a", "1", "范围", "新文字。"),))
    for name, edition in (("old.json", old_edition), ("new.json", new_edition)):
        (tmp_path / name).write_text(edition.dumps(), "utf-8")
    del old
    assert main(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "-q",
                 "--out", str(tmp_path / "out")]) == 0
    written = outputs.read_manifest(tmp_path / "out" / "diff").files
    assert {"redline.docx", "comparison.docx"} <= written
    check(old_edition, new_edition)


# -- constructed editions: every kind of change -------------------------------------------


def _info(number: str = "T/X 1—2024", units: tuple[str, ...] = ("甲单位", "乙单位")
          ) -> EditionInfo:
    return EditionInfo(doc_class="group", class_line="团体标准", number=number,
                       title_zh="测试服务规范", stage="published", issuer="测试协会",
                       drafting_units=units)


def _chapter(cid: str, number: str, title: str, text: str = "",
             *children: Clause) -> Clause:
    return Clause(cid, model.CHAPTER, number, title, text, "x.md", 1, children=children)


def _untitled(cid: str, number: str, text: str, notes: tuple[str, ...] = ()) -> Clause:
    return Clause(cid, model.UNTITLED, number, "", text, "x.md", 1, notes=notes)


def _table(cid: str, number: str, title: str, rows: list[list[str]]) -> Clause:
    return Clause(cid, model.TABLE, number, title, "\n".join("\n".join(r) for r in rows),
                  "x.md", 1, rows=tuple(tuple(r) for r in rows), header_rows=1)


def test_constructed_changes_accept_and_reject():
    old = Edition(_info("T/X 1—2020"), (
        _chapter("scope", "1", "范围", "本文件规定了保洁服务的要求。\n本文件适用于公共场所。"),
        _chapter("terms", "2", "术语和定义", "下列术语和定义适用于本文件。",
                 Clause("t-clean", model.TERM, "2.1", "保洁", "清除污物的活动。", "x.md", 1,
                        term=Term("保洁", "cleaning"), notes=("包括清扫和擦拭。",))),
        _chapter("req", "3", "要求", "",
                 _untitled("r1", "3.1", "保洁员应每日清扫2次。", ("注一。",)),
                 _untitled("r2", "3.2", "保洁工具宜分区使用：\na) 红色用于卫生间；\nb) 蓝色用于办公区。"),
                 _untitled("r3", "3.3", "垃圾应日产日清。"),
                 _table("tab", "1", "记录表", [["日期", "保洁员"], ["1日", "张"], ["2日", "李"]])),
        _chapter("gone", "4", "检查", "检查应每月进行。"),
    ))
    new = Edition(_info("T/X 1—2024"), (
        _chapter("scope", "1", "范围", "本文件规定了保洁服务的基本要求。\n本文件适用于公共场所和办公楼宇。\n新增一段。"),
        _chapter("terms", "2", "术语和定义", "下列术语和定义适用于本文件。",
                 Clause("t-clean", model.TERM, "2.1", "清洁", "清除污物的活动。", "x.md", 1,
                        term=Term("清洁", "cleaning service"),
                        notes=("包括清扫和擦拭。", "不包括消毒。"))),
        _chapter("req", "3", "要求", "",
                 _untitled("r3", "3.1", "垃圾应日产日清，分类投放。"),
                 _untitled("r2", "3.2", "保洁工具应分区使用：\na) 红色用于卫生间。"),
                 _untitled("r1", "3.3", "保洁员应每日清扫3次。"),
                 _table("tab", "1", "记录表", [["日期", "保洁员"], ["1日", "张三"], ["3日", "王"]])),
        _chapter("new", "4", "评价", "评价应每年进行。",
                 _untitled("r4", "4.1", "评价结果应公示。")),
    ))
    data = check(old, new)
    root = document_xml(data)
    assert root.find(f".//{W}moveFrom") is not None
    check(new, old)
    # Columns changed: the table is replaced whole.
    wider = Edition(_info(), (_chapter("req", "1", "要求", "",
                                       _table("tab", "1", "记录表",
                                              [["日期", "保洁员", "签名"], ["1日", "张", ""]])),))
    narrow = Edition(_info(), (_chapter("req", "1", "要求", "",
                                        _table("tab", "1", "记录表", [["日期", "保洁员"],
                                                                   ["1日", "张"]])),))
    check(narrow, wider)
    check(wider, narrow)


def test_an_empty_edition_against_a_full_one():
    full = Edition(_info(), (_chapter("a", "1", "范围", "甲。\n乙。"),
                             _chapter("b", "2", "要求", "", _untitled("c", "2.1", "丙。"))))
    empty = Edition(_info(), ())
    check(empty, full)
    check(full, empty)


# -- random editions ----------------------------------------------------------------------

_WORDS = st.text(alphabet="应宜可楼长社区居民走访服务记录每日月年。，", min_size=1, max_size=12)


@st.composite
def edition_pair(draw):
    """Two editions sharing some ids, in any order and nesting, texts edited at random."""
    ids = [f"{kind}{i}" for i in range(draw(st.integers(3, 9)))
           for kind in [draw(st.sampled_from(["c", "c", "t", "tb"]))]]
    texts = {i: draw(_WORDS) for i in ids}

    def element(cid: str, number: str) -> Clause:
        text = texts[cid] if draw(st.booleans()) else draw(_WORDS)
        if cid.startswith("tb"):
            rows = [["项目", "要求"]] + [[draw(_WORDS), draw(_WORDS)]
                                      for _ in range(draw(st.integers(0, 3)))]
            return _table(cid, number.replace(".", "") or "1", draw(
                st.sampled_from(["记录表", text])), rows)
        notes = tuple(draw(st.lists(_WORDS, max_size=2)))
        if cid.startswith("t"):
            en = draw(st.sampled_from([None, "term", "other term"]))
            return Clause(cid, model.TERM, number, text[:4], text, "x.md", 1,
                          term=Term(text[:4], en), notes=notes)
        lines = "\n".join([text] * draw(st.integers(1, 2)))
        items = tuple(Clause(f"{cid}-i{n}", model.LIST_ITEM, f"{number} {'ab'[n]})", "",
                             draw(_WORDS), "x.md", 1)
                      for n in range(draw(st.integers(0, 2))))
        return Clause(cid, model.UNTITLED, number, "", lines, "x.md", 1, notes=notes,
                      children=items)

    def build(number: str) -> Edition:
        chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
        chapters = []
        position = 0
        for k in range(draw(st.integers(1, 3))):
            take = chosen[position:position + draw(st.integers(0, 4))]
            position += len(take)
            kids = [element(cid, f"{k + 1}.{j + 1}") for j, cid in enumerate(take)]
            chapters.append(_chapter(f"ch{k}", str(k + 1), draw(_WORDS), draw(
                st.sampled_from(["", texts[ids[0]]])), *kids))
        return Edition(_info(number), tuple(chapters))

    return build("T/X 1—2020"), build("T/X 1—2024")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edition_pair())
def test_random_revisions_accept_to_new_and_reject_to_old(pair):
    old, new = pair
    check(old, new)


def test_the_module_is_pure():
    import ast

    source = Path(__file__).resolve().parent.parent / "tooling" / "diff" / "wordfiles.py"
    names = {n.module for n in ast.walk(ast.parse(source.read_text("utf-8")))
             if isinstance(n, ast.ImportFrom) and n.module}
    assert not any(n.startswith(("sphinx", "docutils")) for n in names)
